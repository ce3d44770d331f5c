// A `leuko scan` killed with SIGKILL mid-way leaves a consistent store, and the next scan completes it.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { CreateSecurityGroupCommand } from '@aws-sdk/client-ec2';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { accountClients, motoEnv, uniqueAccountId } from '../harness/aws.js';
import { parseJson, runCli } from '../harness/cli.js';

const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1', 'us-west-2'];
const mainPath = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

function countRows(db: string, sql: string): number {
  const connection = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return (connection.prepare(sql).get() as { n: number }).n;
  } finally {
    connection.close();
  }
}

describe('scan killed with SIGKILL', () => {
  const account = uniqueAccountId();
  const db = join(mkdtempSync(join(tmpdir(), 'leuko-kill-')), 'leuko.db');
  const args = ['--db', db, 'scan', '--accounts', account, '--role-name', 'leuko-test', '--regions', REGIONS.join(','), '--json'];

  beforeAll(async () => {
    const clients = accountClients(account);
    for (const region of REGIONS) {
      const ec2 = clients.client('ec2', region);
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => ec2.send(new CreateSecurityGroupCommand({ GroupName: `k-${i}`, Description: 'k' }))),
      );
    }
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        clients.client('s3', 'us-east-1').send(new CreateBucketCommand({ Bucket: `kill-${account}-${i}` })),
      ),
    );
    clients.destroy();
  });

  it('leaves a consistent store, and the next scan completes it without spurious changes', async () => {
    // Kill as soon as the first listing has been committed, while others are still being read.
    const child = spawn(process.execPath, ['--import', 'tsx', mainPath, ...args], { env: motoEnv(), stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    let killedMidway = false;
    while (Date.now() < deadline && child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      let written: number;
      try {
        written = countRows(db, 'SELECT count(*) AS n FROM resources');
      } catch {
        continue; // not created yet
      }
      if (written > 0) {
        killedMidway = child.kill('SIGKILL');
        break;
      }
    }
    await exited;
    expect(killedMidway).toBe(true);

    const connection = new Database(db, { readonly: true });
    expect(connection.pragma('integrity_check', { simple: true })).toBe('ok');
    connection.close();
    const store = await openSqliteStore(db);
    const partial = await store.listResources({});
    // Whatever was written is whole: every resource has its current version.
    for (const stored of partial) {
      const history = await store.getHistory(stored.key);
      expect(history.at(-1)?.version).toBe(stored.version);
    }
    const partialCount = partial.length;
    await store.close();
    const expected = 40 * REGIONS.length + REGIONS.length + 60;
    expect(partialCount).toBeLessThan(expected);

    const completed = await runCli(args, { env: motoEnv() });
    expect(completed.code, completed.stderr).toBe(0);
    const result = parseJson<{ changes: { created: string[]; modified: string[]; deleted: string[] } }>(completed);
    expect(result.changes.created.length).toBe(expected - partialCount);
    expect(result.changes.modified).toEqual([]);
    expect(result.changes.deleted).toEqual([]);
    expect(countRows(db, "SELECT count(*) AS n FROM resources WHERE deleted_at IS NULL")).toBe(expected);
  });
});
