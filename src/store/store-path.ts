// Where the SQLite store lives by default; apart from the store so that commands that never open it (`check`)
// do not load SQLite's native module to learn the path.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `LEUKO_DB`, else ~/.leuko/leuko.db. */
export function defaultStorePath(): string {
  const fromEnv = process.env.LEUKO_DB;
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : join(homedir(), '.leuko', 'leuko.db');
}
