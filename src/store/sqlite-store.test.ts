// Tests of the SQLite store through its public interface: versions, deletions, history, atomicity, findings.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, StoreError } from '../core/errors.js';
import { findingId, type Finding, type FindingStatus } from '../core/finding.js';
import { resourceKey, type Resource } from '../core/resource.js';
import { canonicalJson } from '../core/diff.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations.js';
import { openSqliteStore } from './sqlite-store.js';
import { defaultStorePath } from './store-path.js';
import { resourceContent, type Store } from './store.js';

const ACCOUNT = '111111111111';
const OTHER_ACCOUNT = '222222222222';
const REGION = 'us-east-1';
const T1 = '2025-01-01T00:00:00.000Z';
const T2 = '2025-01-02T00:00:00.000Z';
const T3 = '2025-01-03T00:00:00.000Z';
const T4 = '2025-01-04T00:00:00.000Z';

type Sg = Resource<'aws.ec2.security-group'>;

function sg(
  id: string,
  options: { account?: string; region?: string; ports?: number[]; tags?: Record<string, string> } = {},
): Sg {
  const account = options.account ?? ACCOUNT;
  const region = options.region ?? REGION;
  return {
    type: 'aws.ec2.security-group',
    account,
    region,
    id,
    arn: `arn:aws:ec2:${region}:${account}:security-group/${id}`,
    name: `name-${id}`,
    tags: options.tags ?? { team: 'core' },
    config: {
      groupId: id,
      groupName: `name-${id}`,
      vpcId: 'vpc-1',
      isDefault: false,
      rules: (options.ports ?? [443]).map((port) => ({
        ruleId: `sgr-${id}-${port}`,
        direction: 'ingress' as const,
        protocol: 'tcp',
        fromPort: port,
        toPort: port,
        peer: { kind: 'ipv4' as const, cidr: '10.0.0.0/8' },
      })),
    },
  };
}

const SCOPE = { type: 'aws.ec2.security-group', account: ACCOUNT, region: REGION } as const;

let dir: string;
let path: string;
let store: Store;
let scanId: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'leuko-store-'));
  path = join(dir, 'nested', 'dir', 'leuko.db');
  store = await openSqliteStore(path);
  scanId = await store.beginScan({
    accounts: [ACCOUNT],
    regions: [REGION],
    types: ['aws.ec2.security-group'],
    at: T1,
  });
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('opening', () => {
  it('creates parent directories, migrates once and records the schema version', async () => {
    expect(existsSync(path)).toBe(true);
    await store.close();
    store = await openSqliteStore(path);
    const db = new Database(path, { readonly: true });
    try {
      const rows = db.prepare('SELECT version FROM schema_version ORDER BY version').all();
      // One row per migration, each applied once.
      expect(rows).toEqual(MIGRATIONS.map((migration) => ({ version: migration.version })));
      expect(rows.at(-1)).toEqual({ version: LATEST_SCHEMA_VERSION });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('refuses a database written by a newer schema', async () => {
    await store.close();
    const db = new Database(path);
    db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)').run(
      LATEST_SCHEMA_VERSION + 1,
      'from the future',
      T1,
    );
    db.close();
    await expect(openSqliteStore(path)).rejects.toThrow(/newer than this leuko understands/);
    store = await openSqliteStore(':memory:');
  });

  it('takes the default path from LEUKO_DB, else ~/.leuko/leuko.db', () => {
    const saved = process.env.LEUKO_DB;
    try {
      process.env.LEUKO_DB = '/somewhere/else.db';
      expect(defaultStorePath()).toBe('/somewhere/else.db');
      delete process.env.LEUKO_DB;
      expect(defaultStorePath()).toMatch(/\.leuko[/\\]leuko\.db$/);
    } finally {
      if (saved === undefined) delete process.env.LEUKO_DB;
      else process.env.LEUKO_DB = saved;
    }
  });

  it('answers StoreError once closed', async () => {
    await store.close();
    await expect(store.getResource('x')).rejects.toBeInstanceOf(StoreError);
    await store.close();
    store = await openSqliteStore(':memory:');
  });
});

describe('applyListing', () => {
  it('creates versions only when content changes', async () => {
    const first = await store.applyListing(SCOPE, [sg('sg-1'), sg('sg-2')], { scanId, at: T1 });
    expect(first).toEqual({
      created: [resourceKey(sg('sg-1')), resourceKey(sg('sg-2'))],
      modified: [],
      deleted: [],
      unchanged: 0,
    });

    const same = await store.applyListing(SCOPE, [sg('sg-2'), sg('sg-1')], { scanId, at: T2 });
    expect(same).toEqual({ created: [], modified: [], deleted: [], unchanged: 2 });
    const stored = await store.getResource(resourceKey(sg('sg-1')));
    expect(stored).toMatchObject({ version: 1, firstSeen: T1, lastSeen: T2 });
    expect(stored?.resource).toEqual(sg('sg-1'));

    const changed = await store.applyListing(SCOPE, [sg('sg-1', { ports: [443, 22] }), sg('sg-2')], {
      scanId,
      at: T3,
    });
    expect(changed).toEqual({ created: [], modified: [resourceKey(sg('sg-1'))], deleted: [], unchanged: 1 });
    const history = await store.getHistory(resourceKey(sg('sg-1')));
    expect(history.map((v) => [v.version, v.change, v.at])).toEqual([
      [1, 'created', T1],
      [2, 'modified', T3],
    ]);
    expect(history[1]?.resource).toEqual(sg('sg-1', { ports: [443, 22] }));
    expect(history[1]?.scanId).toBe(scanId);
  });

  it('ignores the order of object keys (the hash is of canonical JSON)', async () => {
    await store.applyListing(SCOPE, [sg('sg-1')], { scanId, at: T1 });
    const original = sg('sg-1');
    const reordered: Sg = {
      config: { ...Object.fromEntries(Object.entries(original.config).reverse()) } as Sg['config'],
      tags: original.tags,
      name: original.name,
      arn: original.arn,
      id: original.id,
      region: original.region,
      account: original.account,
      type: original.type,
    };
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(original));
    const result = await store.applyListing(SCOPE, [reordered], { scanId, at: T2 });
    expect(result.unchanged).toBe(1);
  });

  it('marks absent resources deleted, with a deletion version, and un-deletes them when they reappear', async () => {
    const key = resourceKey(sg('sg-2'));
    await store.applyListing(SCOPE, [sg('sg-1'), sg('sg-2')], { scanId, at: T1 });
    const gone = await store.applyListing(SCOPE, [sg('sg-1')], { scanId, at: T2 });
    expect(gone).toEqual({ created: [], modified: [], deleted: [key], unchanged: 1 });

    const deleted = await store.getResource(key);
    expect(deleted).toMatchObject({ version: 2, deletedAt: T2, lastSeen: T1 });
    expect(deleted?.resource).toEqual(sg('sg-2'));
    expect((await store.listResources()).map((r) => r.key)).toEqual([resourceKey(sg('sg-1'))]);
    expect((await store.listResources({ includeDeleted: true })).map((r) => r.key)).toHaveLength(2);
    expect((await store.listDeleted()).map((r) => r.key)).toEqual([key]);

    // Still gone: no further version.
    const still = await store.applyListing(SCOPE, [sg('sg-1')], { scanId, at: T3 });
    expect(still.deleted).toEqual([]);
    expect((await store.getResource(key))?.version).toBe(2);

    const back = await store.applyListing(SCOPE, [sg('sg-1'), sg('sg-2')], { scanId, at: T4 });
    expect(back.created).toEqual([key]);
    const restored = await store.getResource(key);
    expect(restored).toMatchObject({ version: 3, lastSeen: T4, firstSeen: T1 });
    expect(restored?.deletedAt).toBeUndefined();

    const history = await store.getHistory(key);
    expect(history.map((v) => [v.version, v.change, v.at, v.resource === null])).toEqual([
      [1, 'created', T1, false],
      [2, 'deleted', T2, true],
      [3, 'created', T4, false],
    ]);
    expect(history[1]?.hash).toBeNull();
    expect(await store.getVersion(key, 2)).toEqual(history[1]);
    expect(await store.getVersion(key, 9)).toBeNull();
    expect(await store.listDeleted()).toEqual([]);
  });

  it('touches only its own scope', async () => {
    const otherRegion = sg('sg-west', { region: 'us-west-2' });
    const otherAccount = sg('sg-other', { account: OTHER_ACCOUNT });
    await store.applyListing({ ...SCOPE, region: 'us-west-2' }, [otherRegion], { scanId, at: T1 });
    await store.applyListing({ ...SCOPE, account: OTHER_ACCOUNT }, [otherAccount], { scanId, at: T1 });
    await store.applyListing(SCOPE, [sg('sg-1')], { scanId, at: T1 });
    const emptied = await store.applyListing(SCOPE, [], { scanId, at: T2 });
    expect(emptied.deleted).toEqual([resourceKey(sg('sg-1'))]);
    expect((await store.listResources()).map((r) => r.resource.id).sort()).toEqual(['sg-other', 'sg-west']);
  });

  it('covers several regions at once for account-wide listings', async () => {
    const east = sg('sg-east');
    const west = sg('sg-west', { region: 'us-west-2' });
    const euro = sg('sg-eu', { region: 'eu-west-1' });
    await store.applyListing({ ...SCOPE, region: [REGION, 'us-west-2', 'eu-west-1'] }, [east, west, euro], {
      scanId,
      at: T1,
    });
    const result = await store.applyListing({ ...SCOPE, region: [REGION, 'us-west-2'] }, [east], {
      scanId,
      at: T2,
    });
    expect(result.deleted).toEqual([resourceKey(west)]);
    expect((await store.getResource(resourceKey(euro)))?.deletedAt).toBeUndefined();
  });

  it('refuses a resource outside the scope and writes nothing', async () => {
    const stray = sg('sg-stray', { region: 'eu-west-1' });
    await expect(store.applyListing(SCOPE, [sg('sg-1'), stray], { scanId, at: T1 })).rejects.toThrow(
      /outside the listing scope/,
    );
    expect(await store.countResources({ includeDeleted: true })).toBe(0);
  });

  it('keeps the last occurrence of a key listed twice', async () => {
    const result = await store.applyListing(SCOPE, [sg('sg-1'), sg('sg-1', { ports: [80] })], {
      scanId,
      at: T1,
    });
    expect(result.created).toHaveLength(1);
    expect((await store.getResource(resourceKey(sg('sg-1'))))?.resource).toEqual(sg('sg-1', { ports: [80] }));
  });

  it('is atomic: a failure half-way leaves the scope as it was', async () => {
    await store.applyListing(SCOPE, [sg('sg-a'), sg('sg-b'), sg('sg-c')], { scanId, at: T1 });
    // A trigger that fails the write of one version, after others in the same listing succeeded.
    const db = new Database(path);
    db.exec(`CREATE TRIGGER fail_on_sg_m BEFORE INSERT ON resource_versions
      WHEN NEW.resource_key LIKE '%|sg-m' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    const listing = ['sg-a', 'sg-d', 'sg-e', 'sg-m', 'sg-z'].map((id) => sg(id, { ports: [8080] }));
    const error = await store.applyListing(SCOPE, listing, { scanId, at: T2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(String((error as StoreError).message)).toMatch(/injected failure/);

    const after = await store.listResources({ includeDeleted: true });
    expect(after.map((r) => [r.resource.id, r.version, r.deletedAt])).toEqual([
      ['sg-a', 1, undefined],
      ['sg-b', 1, undefined],
      ['sg-c', 1, undefined],
    ]);
    const versions = db.prepare('SELECT COUNT(*) AS n FROM resource_versions').get() as { n: number };
    expect(versions.n).toBe(3);

    db.exec('DROP TRIGGER fail_on_sg_m');
    db.close();
    const retried = await store.applyListing(SCOPE, listing, { scanId, at: T3 });
    expect(retried.created).toHaveLength(4);
    expect(retried.modified).toEqual([resourceKey(sg('sg-a'))]);
    expect(retried.deleted).toHaveLength(2);
  });

  it('requires a scan that exists', async () => {
    await expect(store.applyListing(SCOPE, [sg('sg-1')], { scanId: 'scan-nope', at: T1 })).rejects.toThrow(
      /FOREIGN KEY/,
    );
  });

  it('stores compact canonical JSON and its sha256', async () => {
    await store.applyListing(SCOPE, [sg('sg-1')], { scanId, at: T1 });
    const db = new Database(path, { readonly: true });
    try {
      const row = db.prepare('SELECT body, hash FROM resource_versions').get() as {
        body: string;
        hash: string;
      };
      const r = sg('sg-1');
      expect(row.body).toBe(canonicalJson({ arn: r.arn, name: r.name, tags: r.tags, config: r.config }));
      expect(row.body).not.toMatch(/\s/);
      expect(row.hash).toBe(resourceContent(r).hash);
    } finally {
      db.close();
    }
  });
});

describe('recordResource and markDeleted', () => {
  const actor = { arn: 'arn:aws:iam::111111111111:user/alice', eventName: 'AuthorizeSecurityGroupIngress' };

  it('adds a version with its actor only when the resource changed', async () => {
    const key = resourceKey(sg('sg-1'));
    await store.applyListing(SCOPE, [sg('sg-1')], { scanId, at: T1 });
    expect(await store.recordResource(sg('sg-1'), { at: T2, actor })).toEqual({
      change: 'unchanged',
      version: 1,
    });
    expect(await store.recordResource(sg('sg-1', { ports: [443, 22] }), { at: T3, actor })).toEqual({
      change: 'modified',
      version: 2,
    });
    const history = await store.getHistory(key);
    expect(history[1]).toMatchObject({ version: 2, change: 'modified', at: T3, actor });
    expect(history[1]?.scanId).toBeUndefined();
    expect(history[0]?.actor).toBeUndefined();
    expect((await store.getResource(key))?.lastSeen).toBe(T3);

    expect(
      await store.markDeleted(key, { at: T4, actor: { ...actor, eventName: 'DeleteSecurityGroup' } }),
    ).toBe(true);
    expect(await store.markDeleted(key, { at: T4 })).toBe(false);
    expect(await store.markDeleted('aws.ec2.security-group|1|r|nope', { at: T4 })).toBe(false);
    const deletion = await store.getVersion(key, 3);
    expect(deletion).toMatchObject({
      change: 'deleted',
      resource: null,
      actor: { eventName: 'DeleteSecurityGroup' },
    });

    expect(await store.recordResource(sg('sg-1'), { at: T4 })).toEqual({ change: 'created', version: 4 });
  });

  it('creates a resource it has never seen', async () => {
    expect(await store.recordResource(sg('sg-new'), { at: T1, actor })).toEqual({
      change: 'created',
      version: 1,
    });
    expect((await store.getHistory(resourceKey(sg('sg-new'))))[0]?.actor).toEqual(actor);
  });
});

describe('reads', () => {
  beforeEach(async () => {
    await store.applyListing(SCOPE, [sg('sg-1'), sg('sg-2'), sg('sg-3')], { scanId, at: T1 });
    await store.applyListing({ ...SCOPE, account: OTHER_ACCOUNT }, [sg('sg-1', { account: OTHER_ACCOUNT })], {
      scanId,
      at: T1,
    });
    await store.applyListing({ ...SCOPE, region: 'eu-west-1' }, [sg('sg-9', { region: 'eu-west-1' })], {
      scanId,
      at: T1,
    });
    await store.applyListing(SCOPE, [sg('sg-1'), sg('sg-2')], { scanId, at: T2 });
  });

  it('finds by id or ARN across accounts and regions', async () => {
    const byId = await store.findResources('sg-1');
    expect(byId.map((r) => r.resource.account)).toEqual([ACCOUNT, OTHER_ACCOUNT]);
    const byArn = await store.findResources(sg('sg-9', { region: 'eu-west-1' }).arn);
    expect(byArn.map((r) => r.key)).toEqual([resourceKey(sg('sg-9', { region: 'eu-west-1' }))]);
    expect((await store.findResources('sg-3'))[0]?.deletedAt).toBe(T2);
    expect(await store.findResources('sg-')).toEqual([]);
  });

  it('filters lists, with empty filter lists matching nothing', async () => {
    expect(await store.countResources()).toBe(4);
    expect(await store.countResources({ includeDeleted: true })).toBe(5);
    expect((await store.listResources({ accounts: [OTHER_ACCOUNT] })).map((r) => r.key)).toEqual([
      resourceKey(sg('sg-1', { account: OTHER_ACCOUNT })),
    ]);
    expect((await store.listResources({ regions: ['eu-west-1'] })).map((r) => r.resource.id)).toEqual([
      'sg-9',
    ]);
    expect(await store.listResources({ types: ['aws.s3.bucket'] })).toEqual([]);
    expect(await store.listResources({ accounts: [] })).toEqual([]);
    expect(await store.listResources({ limit: 2 })).toHaveLength(2);
    expect(await store.listResources({ limit: 0 })).toEqual([]);
  });

  it('streams in batches, leaving the connection free between them', async () => {
    const seen: string[] = [];
    for await (const stored of store.iterateResources({ includeDeleted: true }, { batchSize: 1 })) {
      seen.push(stored.key);
      // A write between two batches must not find the connection busy.
      await store.recordResource({ ...stored.resource, tags: { touched: 'yes' } } as Resource, { at: T3 });
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    const all = await store.listResources({ includeDeleted: true });
    expect(seen).toEqual(all.map((r) => r.key));
    expect(all.every((r) => r.resource.tags.touched === 'yes')).toBe(true);
  });

  it('lists deletions, most recent first, since a time', async () => {
    await store.applyListing({ ...SCOPE, region: 'eu-west-1' }, [], { scanId, at: T3 });
    expect((await store.listDeleted()).map((r) => [r.resource.id, r.deletedAt])).toEqual([
      ['sg-9', T3],
      ['sg-3', T2],
    ]);
    expect((await store.listDeleted({ since: T3 })).map((r) => r.resource.id)).toEqual(['sg-9']);
    expect((await store.listDeleted({ regions: [REGION] })).map((r) => r.resource.id)).toEqual(['sg-3']);
  });
});

describe('scans', () => {
  it('records start, finish and summary, newest first', async () => {
    const second = await store.beginScan({ accounts: [ACCOUNT], regions: [REGION], types: [], at: T2 });
    await store.finishScan(scanId, { status: 'succeeded', summary: { resources: 3, gaps: [] }, at: T3 });
    const scans = await store.listScans(10);
    expect(scans.map((s) => s.id)).toEqual([second, scanId]);
    expect(scans[1]).toEqual({
      id: scanId,
      startedAt: T1,
      finishedAt: T3,
      status: 'succeeded',
      accounts: [ACCOUNT],
      regions: [REGION],
      types: ['aws.ec2.security-group'],
      summary: { resources: 3, gaps: [] },
    });
    expect(scans[0]?.status).toBe('running');
    expect(await store.listScans(1)).toHaveLength(1);
    expect(await store.getScan('nope')).toBeNull();
    await expect(store.finishScan('nope', { status: 'failed', summary: {} })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('findings', () => {
  function finding(id: string, status: FindingStatus, extra: Partial<Finding> = {}): Finding {
    const resource = sg(id);
    const ruleId = extra.ruleId ?? 'ec2-security-group-open-ssh';
    return {
      id: findingId(ruleId, resource, 'rule:sgr-1'),
      ruleId,
      severity: 'high',
      certainty: 'definite',
      status,
      resource: {
        type: resource.type,
        account: resource.account,
        region: resource.region,
        id,
        arn: resource.arn,
      },
      part: 'rule:sgr-1',
      message: 'SSH open to the world',
      firstSeen: T1,
      lastSeen: T1,
      ...extra,
    };
  }

  it('upserts by id and records each status change', async () => {
    const open = finding('sg-1', 'open');
    const second = finding('sg-2', 'open', { severity: 'low' });
    expect(await store.saveFindings([open, second])).toEqual({
      inserted: 2,
      updated: 0,
      events: 2,
      transitions: [
        { finding: open, from: null, to: 'open', at: T1 },
        { finding: second, from: null, to: 'open', at: T1 },
      ],
    });
    expect(await store.saveFindings([{ ...open, lastSeen: T2 }])).toEqual({
      inserted: 0,
      updated: 1,
      events: 0,
      transitions: [],
    });
    expect(await store.getFinding(open.id)).toEqual({ ...open, lastSeen: T2 });

    const resolved = await store.saveFindings([{ ...open, status: 'resolved', lastSeen: T2, resolvedAt: T3 }]);
    expect(resolved.transitions.map((t) => [t.from, t.to, t.at])).toEqual([['open', 'resolved', T3]]);
    await store.saveFindings([{ ...open, status: 'open', lastSeen: T4 }]);
    await store.saveFindings(
      [{ ...open, status: 'justified', justification: { reason: 'bastion', source: 'leuko.yaml' } }],
      { at: T4 },
    );
    expect((await store.getFindingEvents(open.id)).map((e) => [e.seq, e.at, e.from, e.to])).toEqual([
      [1, T1, null, 'open'],
      [2, T3, 'open', 'resolved'],
      [3, T4, 'resolved', 'open'],
      [4, T4, 'open', 'justified'],
    ]);
    expect(await store.getFindingEvents('nope')).toEqual([]);
    expect(await store.getFinding('nope')).toBeNull();
  });

  it('filters by status, rule, severity, place and resource', async () => {
    const a = finding('sg-1', 'open');
    const b = finding('sg-2', 'resolved', { severity: 'low', ruleId: 'ec2-security-group-open-all' });
    const c = finding('sg-3', 'open', { severity: 'critical' });
    await store.saveFindings([a, b, c]);
    const ids = (found: Finding[]) => found.map((f) => f.resource.id).sort();
    expect(ids(await store.listFindings())).toEqual(['sg-1', 'sg-2', 'sg-3']);
    expect(ids(await store.listFindings({ status: 'open' }))).toEqual(['sg-1', 'sg-3']);
    expect(ids(await store.listFindings({ status: ['open', 'resolved'] }))).toEqual(['sg-1', 'sg-2', 'sg-3']);
    expect(ids(await store.listFindings({ ruleIds: ['ec2-security-group-open-all'] }))).toEqual(['sg-2']);
    expect(ids(await store.listFindings({ severities: ['critical', 'high'] }))).toEqual(['sg-1', 'sg-3']);
    expect(ids(await store.listFindings({ accounts: [OTHER_ACCOUNT] }))).toEqual([]);
    expect(
      ids(await store.listFindings({ regions: [REGION], types: ['aws.ec2.security-group'] })),
    ).toHaveLength(3);
    expect(ids(await store.listFindings({ resourceKey: resourceKey(sg('sg-3')) }))).toEqual(['sg-3']);
    expect(await store.listFindings({ limit: 1 })).toHaveLength(1);
  });

  it('saves a batch atomically', async () => {
    const good = finding('sg-1', 'open');
    const bad = { ...finding('sg-2', 'open'), ruleId: null } as unknown as Finding;
    await expect(store.saveFindings([good, bad])).rejects.toBeInstanceOf(StoreError);
    expect(await store.listFindings()).toEqual([]);
  });
});
