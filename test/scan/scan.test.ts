// Foundation end to end on moto: an estate of every type in 2 accounts x 3 regions is scanned, then
// changed; the second scan must record exactly those changes, and the read commands answer from it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorizeSecurityGroupIngressCommand, CreateTagsCommand } from '@aws-sdk/client-ec2';
import { DeleteBucketCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourceKey } from '../../src/core/resource.js';
import { RESOURCE_TYPE_IDS, type ResourceTypeId } from '../../src/core/resource-types.js';
import { runScan, type ScanResult } from '../../src/scan/scan.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { accountClients, motoEnv, uniqueAccountId } from '../harness/aws.js';
import { parseJson, runCli } from '../harness/cli.js';
import { plantRegion, type RegionEstate } from './estate.js';

const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1'];

describe('scan: inventory, change history and read commands', () => {
  const accounts = [uniqueAccountId(), uniqueAccountId()];
  const estates = new Map<string, RegionEstate>();
  const dbPath = join(mkdtempSync(join(tmpdir(), 'leuko-scan-')), 'leuko.db');
  let store: Store;
  let first: ScanResult;
  let second: ScanResult;

  const key = (type: ResourceTypeId, account: string, region: string, id: string) => resourceKey({ type, account, region, id });
  const scan = () =>
    runScan({
      accounts: accounts.map((account) => ({ label: account, clients: accountClients(account) })),
      regions: REGIONS,
      types: [...RESOURCE_TYPE_IDS],
      store,
    });

  beforeAll(async () => {
    store = await openSqliteStore(dbPath);
    for (const account of accounts) {
      const clients = accountClients(account);
      for (const region of REGIONS) estates.set(`${account}/${region}`, await plantRegion(clients, account, region));
    }
    first = await scan();

    // The changes: an ingress rule added, a bucket deleted, an instance tagged — all in account 0.
    const [a] = accounts as [string];
    const clients = accountClients(a);
    const west = estates.get(`${a}/eu-west-1`) as RegionEstate;
    const central = estates.get(`${a}/eu-central-1`) as RegionEstate;
    await clients.client('ec2', 'eu-west-1').send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: west.groupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.0/24', Description: 'vendor' }] }],
      }),
    );
    await clients.client('s3', 'eu-central-1').send(new DeleteBucketCommand({ Bucket: central.bucket }));
    await clients.client('ec2', 'eu-west-1').send(
      new CreateTagsCommand({ Resources: [west.instanceId], Tags: [{ Key: 'owner', Value: 'team-a' }] }),
    );
    second = await scan();
  });

  it('inventories every type in every account and region', () => {
    expect(first.failures).toEqual([]);
    expect(first.status).toBe('complete');
    for (const account of accounts) {
      for (const region of REGIONS) {
        for (const type of RESOURCE_TYPE_IDS) {
          const count = first.counts.find((c) => c.account === account && c.region === region && c.type === type);
          expect(count?.count, `${account} ${region} ${type}`).toBeGreaterThanOrEqual(1);
        }
      }
    }
    expect(first.changes.modified).toEqual([]);
    expect(first.changes.deleted).toEqual([]);
  });

  it('records exactly the changes made between the scans', () => {
    const [a] = accounts as [string];
    const west = estates.get(`${a}/eu-west-1`) as RegionEstate;
    const central = estates.get(`${a}/eu-central-1`) as RegionEstate;
    expect(second.changes.created).toEqual([]);
    expect([...second.changes.modified].sort()).toEqual(
      [key('aws.ec2.security-group', a, 'eu-west-1', west.groupId), key('aws.ec2.instance', a, 'eu-west-1', west.instanceId)].sort(),
    );
    expect(second.changes.deleted).toEqual([key('aws.s3.bucket', a, 'eu-central-1', central.bucket)]);
  });

  it('history, diff and deleted answer from the store (CLI)', async () => {
    const [a] = accounts as [string];
    const west = estates.get(`${a}/eu-west-1`) as RegionEstate;
    const central = estates.get(`${a}/eu-central-1`) as RegionEstate;
    const env = motoEnv();

    const history = parseJson<{ versions: Array<{ version: number; change: string }> }>(
      await runCli(['--db', dbPath, 'history', west.groupId, '--json'], { env }),
    );
    expect(history.versions.map((v) => [v.version, v.change])).toEqual([
      [1, 'created'],
      [2, 'modified'],
    ]);

    const diff = parseJson<{ from: number; to: number; changes: Array<{ kind: string; after?: { fromPort?: number } }> }>(
      await runCli(['--db', dbPath, 'diff', west.groupId, '--json'], { env }),
    );
    expect([diff.from, diff.to]).toEqual([1, 2]);
    expect(diff.changes).toHaveLength(1);
    expect(diff.changes[0]?.kind).toBe('added');
    expect(diff.changes[0]?.after?.fromPort).toBe(22);

    const text = await runCli(['--db', dbPath, 'diff', west.groupId], { env });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('203.0.113.0/24');

    const deleted = parseJson<Array<{ id: string; deletedAt: string }>>(await runCli(['--db', dbPath, 'deleted', '--json'], { env }));
    expect(deleted.map((d) => d.id)).toEqual([central.bucket]);

    const missing = await runCli(['--db', dbPath, 'history', 'sg-doesnotexist'], { env });
    expect(missing.code).toBe(4);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('resolves a security group id to its name, VPC, account and region (CLI)', async () => {
    const [, b] = accounts as [string, string];
    const central = estates.get(`${b}/eu-central-1`) as RegionEstate;
    const resolved = parseJson<{ name: string; account: string; region: string; vpcId?: string }>(
      await runCli(['--db', dbPath, 'resolve', central.openGroupId, '--json'], { env: motoEnv() }),
    );
    expect(resolved).toMatchObject({ name: 'edge-eu-central-1', account: b, region: 'eu-central-1' });
    expect(resolved.vpcId).toMatch(/^vpc-/);
  });

  it('searches security-group rules by IP and CIDR across accounts and regions (CLI)', async () => {
    const env = motoEnv();
    const byIp = parseJson<Array<{ account: string; region: string; groupId: string; rule: { fromPort: number } }>>(
      await runCli(['--db', dbPath, 'search', '--ip', '10.1.2.3', '--direction', 'ingress', '--json'], { env }),
    );
    // The app groups' 10.1.0.0/16 rules contain it, and so do the edge groups' world-open 443 rules.
    expect(byIp).toHaveLength(2 * accounts.length * REGIONS.length);
    expect(new Set(byIp.map((m) => m.rule.fromPort))).toEqual(new Set([8080, 443]));

    const vendor = parseJson<Array<{ groupId: string; relation: string; rule: { peer: { cidr?: string } } }>>(
      await runCli(['--db', dbPath, 'search', '--cidr', '203.0.113.128/25', '--direction', 'ingress', '--json'], { env }),
    );
    const [a] = accounts as [string];
    const notWorld = vendor.filter((m) => m.rule.peer.cidr !== '0.0.0.0/0');
    expect(notWorld.map((m) => m.groupId)).toEqual([(estates.get(`${a}/eu-west-1`) as RegionEstate).groupId]);
    expect(notWorld[0]?.relation).toBe('contains');
    expect(vendor).toHaveLength(1 + accounts.length * REGIONS.length);

    const wider = parseJson<Array<{ relation: string; rule: { peer: { cidr?: string } } }>>(
      await runCli(['--db', dbPath, 'search', '--cidr', '203.0.0.0/16', '--direction', 'ingress', '--json'], { env }),
    );
    expect(wider.find((m) => m.rule.peer.cidr === '203.0.113.0/24')?.relation).toBe('overlaps');

    const bad = await runCli(['--db', dbPath, 'search', '--cidr', '10.0.0.0/33'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('leuko: "10.0.0.0/33" is not a valid CIDR');

    const world = parseJson<Array<{ rule: { fromPort: number } }>>(
      await runCli(['--db', dbPath, 'search', '--cidr', '0.0.0.0/0', '--direction', 'ingress', '--json'], { env }),
    );
    // Every edge group's 443 rule is world-open; the /16 and /24 rules merely overlap 0.0.0.0/0.
    expect(world.filter((m) => m.rule.fromPort === 443)).toHaveLength(accounts.length * REGIONS.length);
  });
});
