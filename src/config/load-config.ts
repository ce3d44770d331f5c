// Loads and validates leuko.yaml; every error is one line naming the file, the line and the key.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { configSchema, type LeukoConfig } from './config-schema.js';
import { createYamlLocator } from './yaml-positions.js';

const MAX_CONFIG_BYTES = 1_000_000;

export interface LoadedConfig {
  readonly config: LeukoConfig;
  /** The file it came from, or undefined when leuko runs on defaults. */
  readonly file: string | undefined;
  /** Line lookup for later validation passes (the policy engine's schema). */
  readonly lineOf: (path: ReadonlyArray<string | number>) => number | undefined;
}

/** The config file to use: --config, then LEUKO_CONFIG, then ./leuko.yaml if present. */
export function resolveConfigPath(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (explicit) return resolve(explicit);
  if (env.LEUKO_CONFIG) return resolve(env.LEUKO_CONFIG);
  const local = resolve('leuko.yaml');
  return existsSync(local) ? local : undefined;
}

export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, segment) => {
    if (typeof segment === 'number') return `${out}[${segment}]`;
    return out ? `${out}.${String(segment)}` : String(segment);
  }, '');
}

/** Turns the first zod issue into a ConfigError naming key and line. */
export function configErrorFromIssues(
  issues: ReadonlyArray<z.core.$ZodIssue>,
  file: string | undefined,
  lineOf: (path: ReadonlyArray<string | number>) => number | undefined,
): ConfigError {
  const first = issues[0];
  if (!first) return new ConfigError('invalid configuration', { file });
  let path = first.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
  let message = first.message;
  if (first.code === 'unrecognized_keys') {
    const key = first.keys[0] ?? '';
    path = [...path, key];
    message = `unknown key "${key}"`;
  }
  const key = formatIssuePath(path);
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return new ConfigError(`${key ? `${key}: ` : ''}${message}${more}`, { file, line: lineOf(path), key });
}

export function parseConfigText(text: string, file: string | undefined): LoadedConfig {
  let raw: unknown;
  try {
    // A YAML alias bomb is refused by the alias bound instead of exhausting memory.
    raw = parse(text, { maxAliasCount: 100, uniqueKeys: true });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const line = error.linePos?.[0]?.line;
      throw new ConfigError(`YAML: ${error.message.split('\n')[0]}`, { file, line }, error);
    }
    throw new ConfigError(`YAML: ${(error as Error).message}`, { file }, error);
  }
  const locator = createYamlLocator(text);
  const lineOf = (path: ReadonlyArray<string | number>) => locator.lineOf(path);
  if (raw === null || raw === undefined) return { config: {}, file, lineOf };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError('the file must be a mapping of keys (accounts, regions, rules, ...)', { file, line: 1 });
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) throw configErrorFromIssues(result.error.issues, file, lineOf);
  return { config: result.data, file, lineOf };
}

export function loadConfig(explicitPath?: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const file = resolveConfigPath(explicitPath, env);
  if (!file) return { config: {}, file: undefined, lineOf: () => undefined };
  let text: string;
  try {
    const buffer = readFileSync(file);
    if (buffer.length > MAX_CONFIG_BYTES) throw new ConfigError(`larger than ${MAX_CONFIG_BYTES} bytes`, { file });
    text = buffer.toString('utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(code === 'ENOENT' ? 'file not found' : `cannot read: ${(error as Error).message}`, { file }, error);
  }
  return parseConfigText(text, file);
}
