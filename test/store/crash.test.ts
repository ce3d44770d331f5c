// Crash test: SIGKILL a process in the middle of writing listings; every scope must be wholly at one listing.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { resourceKey } from '../../src/core/resource.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { resourceContent } from '../../src/store/store.js';
import { CRASH_ACCOUNT, CRASH_SCOPES, crashListing, listedIds } from './crash-fixtures.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const KILLS = 6;

const dir = mkdtempSync(join(tmpdir(), 'leuko-crash-'));
const path = join(dir, 'leuko.db');

/** The child of the moment, so a failed or timed-out test does not leave it writing into a removed dir. */
let running: ChildProcess | undefined;

afterAll(() => {
  running?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface ChildLog {
  /** Last generation the child reported committed, per scope index. */
  readonly applied: Map<number, number>;
  /** Last generation the child started, per scope index. */
  readonly begun: Map<number, number>;
  /** Whether the kill landed between a `begin` and its `applied`. */
  midListing: boolean;
}

/** Runs the child until it has committed at least one listing, waits a random moment, then SIGKILLs it. */
async function runAndKill(fromGeneration: number, fromScope: number): Promise<ChildLog> {
  const log: ChildLog = { applied: new Map(), begun: new Map(), midListing: false };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, path, String(fromGeneration), String(fromScope)],
    {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running = child;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let buffered = '';
  let firstCommit: (() => void) | undefined;
  const committed = new Promise<void>((resolve) => (firstCommit = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const [what, generation, scope] = line.split(' ');
      if (what === 'begin') log.begun.set(Number(scope), Number(generation));
      if (what === 'applied') {
        log.applied.set(Number(scope), Number(generation));
        firstCommit?.();
      }
    }
  });
  const early = await Promise.race([committed.then(() => undefined), exited]);
  if (early !== undefined) throw new Error(`crash child exited early (${JSON.stringify(early)}): ${stderr}`);
  await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 900));
  child.kill('SIGKILL');
  const { signal } = await exited;
  expect(signal).toBe('SIGKILL');
  // Lines written before the kill are in the pipe; the stream ends after exit.
  await new Promise((resolve) =>
    child.stdout.readableEnded ? resolve(undefined) : child.stdout.on('end', resolve),
  );
  for (const [scope, generation] of log.begun) {
    if (log.applied.get(scope) !== generation) log.midListing = true;
  }
  return log;
}

/** Structural invariants, read straight from the file. */
function checkFile(): void {
  const db = new Database(path, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // Every resource's latest version and its content version exist, and nothing lies beyond them.
    const broken = db
      .prepare(
        `SELECT r.key FROM resources r
         LEFT JOIN resource_versions latest ON latest.resource_key = r.key AND latest.version = r.version
         LEFT JOIN resource_versions content ON content.resource_key = r.key AND content.version = r.content_version
         WHERE latest.resource_key IS NULL OR content.body IS NULL
            OR (SELECT MAX(version) FROM resource_versions v WHERE v.resource_key = r.key) <> r.version
            OR (r.deleted_at IS NULL) <> (latest.change <> 'deleted')`,
      )
      .all();
    expect(broken).toEqual([]);
    const orphans = db
      .prepare(
        'SELECT COUNT(*) AS n FROM resource_versions v LEFT JOIN resources r ON r.key = v.resource_key WHERE r.key IS NULL',
      )
      .get() as { n: number };
    expect(orphans.n).toBe(0);
  } finally {
    db.close();
  }
}

/** The generation each scope is at (-1 if never listed), checking that the whole scope is at it. */
async function scopeGenerations(): Promise<number[]> {
  const store = await openSqliteStore(path);
  try {
    const generations: number[] = [];
    for (const scope of CRASH_SCOPES) {
      const current = await store.listResources({
        regions: [String(scope.region)],
        accounts: [CRASH_ACCOUNT],
      });
      const seen = new Set(current.map((stored) => stored.resource.tags.generation));
      expect(
        seen.size,
        `scope ${String(scope.region)} mixes generations ${[...seen].join(', ')}`,
      ).toBeLessThanOrEqual(1);
      const generation = current.length === 0 ? -1 : Number([...seen][0]);
      if (generation >= 0) {
        // Not only the same tag: exactly the resources listing N holds, the others deleted.
        expect(current.map((stored) => stored.resource.id).sort()).toEqual(listedIds(generation));
        // And each with listing N's content (hashes: a deep equal of thousands of objects is slow).
        const expected = new Map(
          crashListing(scope, generation).map((r) => [resourceKey(r), resourceContent(r).hash]),
        );
        const wrong = current
          .filter((stored) => expected.get(stored.key) !== stored.hash)
          .map((stored) => stored.key);
        expect(wrong).toEqual([]);
        const sample = current[0];
        if (sample !== undefined) expect(sample.resource).toEqual(crashListing(scope, generation)[0]);
      }
      generations.push(generation);
    }
    return generations;
  } finally {
    await store.close();
  }
}

describe('SQLite store under SIGKILL', () => {
  it('keeps every scope wholly at one listing and accepts the next one', async () => {
    let midListing = 0;
    let fromGeneration = 0;
    let fromScope = 0;
    let generations: number[] = [];
    for (let kill = 0; kill < KILLS; kill += 1) {
      const log = await runAndKill(fromGeneration, fromScope);
      if (log.midListing) midListing += 1;
      checkFile();
      generations = await scopeGenerations();

      // Scopes are written in order, so they form a prefix at G+1 and the rest at G.
      for (let index = 1; index < generations.length; index += 1) {
        const previous = generations[index - 1] ?? -1;
        const current = generations[index] ?? -1;
        expect(current === previous || current === previous - 1, `generations ${generations.join(',')}`).toBe(
          true,
        );
      }
      // What the child saw committed survived; nothing beyond what it began appeared.
      for (const [scope, generation] of log.applied)
        expect(generations[scope]).toBeGreaterThanOrEqual(generation);
      for (const [scope, generation] of log.begun) expect(generations[scope]).toBeLessThanOrEqual(generation);

      const top = Math.max(...generations);
      const lagging = generations.findIndex((generation) => generation < top);
      fromGeneration = lagging === -1 ? top + 1 : top;
      fromScope = lagging === -1 ? 0 : lagging;
    }
    // Kills land at random; with listings taking most of the child's time nearly all land inside one.
    expect(midListing).toBeGreaterThan(0);

    // The store takes the next listing after all those crashes.
    const store = await openSqliteStore(path);
    try {
      const next = Math.max(...generations) + 1;
      const scanId = await store.beginScan({
        accounts: [CRASH_ACCOUNT],
        regions: [],
        types: ['aws.ec2.security-group'],
      });
      for (const scope of CRASH_SCOPES) {
        const result = await store.applyListing(scope, crashListing(scope, next), {
          scanId,
          at: new Date().toISOString(),
        });
        expect(result.created.length + result.modified.length + result.unchanged).toBe(
          listedIds(next).length,
        );
      }
      await store.finishScan(scanId, { status: 'succeeded', summary: {} });
    } finally {
      await store.close();
    }
    checkFile();
    expect(await scopeGenerations()).toEqual(CRASH_SCOPES.map(() => Math.max(...generations) + 1));
  });
});
