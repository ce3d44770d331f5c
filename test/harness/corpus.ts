// Locates ../shared/corpus (or LEUKO_CORPUS). Without it, corpus tests skip with one visible line;
// with LEUKO_REQUIRE_CORPUS=1 (CI) a missing corpus is a failure.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export function corpusCandidates(): string[] {
  return [process.env.LEUKO_CORPUS, join(projectRoot, '..', 'shared', 'corpus')].filter(
    (value): value is string => typeof value === 'string' && value.length > 0,
  );
}

/** The corpus directory, or undefined (after printing where it looked) when absent. */
export function corpusDir(): string | undefined {
  const found = corpusCandidates().find((candidate) => existsSync(candidate));
  if (found) return found;
  const message = `corpus not found (looked in: ${corpusCandidates().join(', ')}); corpus tests skipped`;
  if (process.env.LEUKO_REQUIRE_CORPUS === '1') throw new Error(message);
  console.warn(message);
  return undefined;
}

/** Path inside the corpus, or undefined when the corpus is absent. */
export function corpusPath(...parts: string[]): string | undefined {
  const dir = corpusDir();
  return dir ? join(dir, ...parts) : undefined;
}
