// remove-rds-snapshot-public-restore on moto: "all" goes, a named account stays; revert adds "all" back.
import { CreateDBSnapshotCommand, ModifyDBSnapshotAttributeCommand } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { removeRdsSnapshotPublicRestore } from '../../src/aws/actions/remove-rds-snapshot-public-restore.js';
import { rdsSnapshotPublic } from '../../src/rules/index.js';
import { accountClients, uniqueAccountId } from '../harness/aws.js';
import { expectJournaledFirst, expectPlan, plantDbInstance, read, testContext } from './support.js';

const account = uniqueAccountId();
const clients = accountClients(account);
const region = 'eu-west-1';
const rds = clients.client('rds', region);
const TYPE = 'aws.rds.db-snapshot';

async function plantSnapshot(id: string, tags: Record<string, string> = {}): Promise<void> {
  await rds.send(
    new CreateDBSnapshotCommand({
      DBInstanceIdentifier: 'source-db',
      DBSnapshotIdentifier: id,
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
  await rds.send(
    new ModifyDBSnapshotAttributeCommand({
      DBSnapshotIdentifier: id,
      AttributeName: 'restore',
      ValuesToAdd: ['all', '111122223333'],
    }),
  );
}

describe('remove-rds-snapshot-public-restore', () => {
  it('removes only "all", verifies, reverts, and is idempotent', async () => {
    await plantDbInstance(clients, region, 'source-db', { publiclyAccessible: false });
    await plantSnapshot('public-snap');
    const resource = await read(clients, account, region, TYPE, 'public-snap');
    const violations = rdsSnapshotPublic.check(resource, {}, { trustedAccounts: [] });
    expect(violations).toHaveLength(1);
    const plan = expectPlan(removeRdsSnapshotPublicRestore.plan({ resource, violations }));

    const ctx = testContext(clients);
    expect((await removeRdsSnapshotPublicRestore.apply(plan, ctx)).status).toBe('applied');
    const entry = expectJournaledFirst(ctx.entries);
    expect(entry.before).toEqual({ restoreAccounts: ['111122223333', 'all'] });
    const after = await read(clients, account, region, TYPE, 'public-snap');
    expect(after.config.restoreAccounts).toEqual(['111122223333']);
    expect(rdsSnapshotPublic.check(after, {}, { trustedAccounts: [] })).toEqual([]);
    expect(await removeRdsSnapshotPublicRestore.verify(plan, ctx)).toBe(true);
    expect((await removeRdsSnapshotPublicRestore.apply(plan, testContext(clients))).status).toBe(
      'already-done',
    );

    expect((await removeRdsSnapshotPublicRestore.revert(entry as never, ctx)).status).toBe('reverted');
    expect((await read(clients, account, region, TYPE, 'public-snap')).config.restoreAccounts).toEqual([
      '111122223333',
      'all',
    ]);
  });

  it('refuses a snapshot tagged leuko:protect', async () => {
    await plantSnapshot('protected-snap', { 'leuko:protect': '' });
    const resource = await read(clients, account, region, TYPE, 'protected-snap');
    expect(
      removeRdsSnapshotPublicRestore.plan({ resource, violations: [{ part: 'restore:all' }] }),
    ).toMatchObject({
      kind: 'refusal',
      reason: 'protected',
    });
  });
});
