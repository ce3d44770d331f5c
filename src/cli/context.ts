// What every command needs: the config and the store (the accounts and their AWS clients are in accounts.ts).
import { loadConfig, type LoadedConfig } from '../config/load-config.js';
import { UsageError } from '../core/errors.js';
import { RESOURCE_TYPE_IDS, resolveResourceType, type ResourceTypeId } from '../core/resource-types.js';
import { defaultStorePath } from '../store/store-path.js';
import type { Store } from '../store/store.js';

export interface GlobalOptions {
  config?: string;
  db?: string;
  profile?: string;
  json?: boolean;
  debug?: boolean;
}

export function loadCliConfig(options: GlobalOptions): LoadedConfig {
  return loadConfig(options.config);
}

export function storePath(options: GlobalOptions, loaded: LoadedConfig, env: NodeJS.ProcessEnv = process.env): string {
  return options.db ?? env.LEUKO_DB ?? loaded.config.store?.path ?? defaultStorePath();
}

export async function openStore(options: GlobalOptions, loaded: LoadedConfig): Promise<Store> {
  // Loaded here, not at start-up: `check` and other commands without a store never load SQLite's native module.
  const { openSqliteStore } = await import('../store/sqlite-store.js');
  return openSqliteStore(storePath(options, loaded));
}

export function parseList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  return items.length > 0 ? items : undefined;
}

export function parseTypes(value: string | undefined, fallback?: readonly string[]): ResourceTypeId[] {
  const names = parseList(value) ?? fallback;
  if (!names || names.length === 0) return [...RESOURCE_TYPE_IDS];
  return names.map((name) => {
    const type = resolveResourceType(name);
    if (!type) throw new UsageError(`unknown resource type "${name}"; known: ${RESOURCE_TYPE_IDS.join(', ')}`);
    return type;
  });
}
