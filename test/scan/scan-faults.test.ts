// A region that refuses (AuthFailure / UnauthorizedOperation) and throttling (Throttling,
// RequestLimitExceeded) are injected in real AWS wire format by a proxy in front of moto: the scan
// must finish everything else, report exactly what it could not read, and mark nothing deleted for it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecurityGroupCommand } from '@aws-sdk/client-ec2';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAccountClients } from '../../src/aws/clients/client-factory.js';
import { runScan } from '../../src/scan/scan.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { motoEnv, TEST_CREDENTIALS, testRoleArn, uniqueAccountId, accountClients } from '../harness/aws.js';
import { startFaultProxy, type FaultProxy } from '../harness/fault-proxy.js';

const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1'];
const TYPES = ['aws.ec2.security-group', 'aws.dynamodb.table'] as const;

describe('scan under faults', () => {
  const account = uniqueAccountId();
  let proxy: FaultProxy;
  let store: Store;

  const clientsThroughProxy = () =>
    createAccountClients({
      env: motoEnv(proxy.endpoint),
      credentials: async () => ({ ...TEST_CREDENTIALS }),
      assumeRole: { roleArn: testRoleArn(account) },
      accountId: account,
      maxAttempts: 3,
    });

  beforeAll(async () => {
    const direct = accountClients(account);
    for (const region of REGIONS) {
      await direct.client('ec2', region).send(new CreateSecurityGroupCommand({ GroupName: `g-${region}`, Description: 'g' }));
      await direct.client('dynamodb', region).send(
        new CreateTableCommand({
          TableName: `t-${region}`,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }],
        }),
      );
    }
    proxy = await startFaultProxy(inject('motoEndpoint'));
    store = await openSqliteStore(join(mkdtempSync(join(tmpdir(), 'leuko-faults-')), 'leuko.db'));
  });

  afterAll(async () => {
    await store?.close();
    await proxy?.close();
  });

  it('reports a refusing region and exhausted throttling, recovers from brief throttling, completes the rest', async () => {
    proxy.setRules([
      { region: 'eu-central-1', service: 'ec2', code: 'AuthFailure', status: 401, message: 'AWS was not able to validate the provided access credentials' },
      { region: 'eu-central-1', service: 'dynamodb', code: 'UnrecognizedClientException', status: 400 },
      { region: 'us-east-1', service: 'ec2', code: 'RequestLimitExceeded', status: 503, message: 'Request limit exceeded.' },
      { region: 'eu-west-1', service: 'dynamodb', code: 'ThrottlingException', status: 400, times: 2 },
      { region: 'us-east-1', service: 'dynamodb', operation: 'ListTables', code: 'Throttling', status: 400, times: 1 },
    ]);
    const result = await runScan({ accounts: [{ label: account, clients: clientsThroughProxy() }], regions: REGIONS, types: [...TYPES], store });

    expect(result.status).toBe('partial');
    const failures = result.failures.map((f) => `${f.region} ${f.type} ${f.kind} ${f.code}`).sort();
    expect(failures).toEqual([
      'eu-central-1 aws.dynamodb.table access-denied UnrecognizedClientException',
      'eu-central-1 aws.ec2.security-group access-denied AuthFailure',
      'us-east-1 aws.ec2.security-group throttled RequestLimitExceeded',
    ]);
    for (const failure of result.failures) expect(failure.message.length).toBeGreaterThan(0);

    const listed = result.counts.map((c) => `${c.region} ${c.type}`).sort();
    expect(listed).toEqual(['eu-west-1 aws.dynamodb.table', 'eu-west-1 aws.ec2.security-group', 'us-east-1 aws.dynamodb.table']);
    const westTables = result.counts.find((c) => c.region === 'eu-west-1' && c.type === 'aws.dynamodb.table');
    expect(westTables?.count).toBe(1);
    expect(result.calls.throttled).toBeGreaterThanOrEqual(3 + 3);
    expect(proxy.injected.get('ThrottlingException')).toBe(2);
  });

  it('never marks resources deleted in a scope it could not read', async () => {
    proxy.setRules([]);
    const clean = await runScan({ accounts: [{ label: account, clients: clientsThroughProxy() }], regions: REGIONS, types: [...TYPES], store });
    expect(clean.failures).toEqual([]);
    const before = await store.countResources({ accounts: [account] });

    proxy.setRules([{ region: 'eu-west-1', code: 'AuthFailure', status: 401 }]);
    const refused = await runScan({ accounts: [{ label: account, clients: clientsThroughProxy() }], regions: REGIONS, types: [...TYPES], store });
    expect(refused.failures.length).toBe(2);
    expect(refused.changes.deleted).toEqual([]);
    expect(await store.countResources({ accounts: [account] })).toBe(before);
  });

  it('stops when its signal aborts: listings not started are reported as cancelled, nothing is marked deleted', async () => {
    proxy.setRules([]);
    const before = await store.countResources({ accounts: [account] });
    const controller = new AbortController();
    const stopped = await runScan({
      accounts: [{ label: account, clients: clientsThroughProxy() }],
      regions: REGIONS,
      types: [...TYPES],
      store,
      concurrency: 1,
      // Stop after the first listing is stored: the other five are never started.
      onProgress: (progress) => {
        if (progress.done === 1) controller.abort();
      },
      signal: controller.signal,
    });
    expect(stopped.status).toBe('partial');
    expect(stopped.counts).toHaveLength(1);
    expect(stopped.failures.map((failure) => failure.kind)).toEqual(Array(REGIONS.length * TYPES.length - 1).fill('cancelled'));
    expect(stopped.changes.deleted).toEqual([]);
    expect(await store.countResources({ accounts: [account] })).toBe(before);
    expect((await store.getScan(stopped.scanId))?.status).toBe('partial');
  });
});

describe('region discovery', () => {
  it('scans every enabled region when asked for "all"', async () => {
    const account = uniqueAccountId();
    const store = await openSqliteStore(join(mkdtempSync(join(tmpdir(), 'leuko-all-')), 'leuko.db'));
    try {
      const result = await runScan({
        accounts: [{ label: account, clients: accountClients(account) }],
        regions: 'all',
        types: ['aws.ec2.security-group'],
        store,
      });
      const regions = result.regions[account] ?? [];
      expect(regions.length).toBeGreaterThan(10);
      expect(regions).toEqual(expect.arrayContaining(['eu-west-1', 'us-east-1', 'ap-southeast-2']));
      expect(result.failures).toEqual([]);
      expect(new Set(result.counts.map((count) => count.region))).toEqual(new Set(regions));
    } finally {
      await store.close();
    }
  });
});
