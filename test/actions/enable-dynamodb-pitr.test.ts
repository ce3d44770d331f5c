// enable-dynamodb-pitr on moto: PITR on, verified; revert turns it off again; twice is harmless.
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { enableDynamodbPitr } from '../../src/aws/actions/enable-dynamodb-pitr.js';
import { dynamodbNoPitr } from '../../src/rules/index.js';
import { accountClients, uniqueAccountId } from '../harness/aws.js';
import { expectJournaledFirst, expectPlan, read, testContext } from './support.js';

const account = uniqueAccountId();
const clients = accountClients(account);
const region = 'eu-west-1';
const TYPE = 'aws.dynamodb.table';

async function plantTable(name: string, tags: Record<string, string> = {}): Promise<void> {
  await clients.client('dynamodb', region).send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
}

describe('enable-dynamodb-pitr', () => {
  it('turns PITR on, verifies, reverts, and is idempotent', async () => {
    await plantTable('orders');
    const resource = await read(clients, account, region, TYPE, 'orders');
    const violations = dynamodbNoPitr.check(resource, {}, { trustedAccounts: [] });
    expect(violations).toHaveLength(1);
    const plan = expectPlan(enableDynamodbPitr.plan({ resource, violations }));
    const ctx = testContext(clients);
    expect((await enableDynamodbPitr.apply(plan, ctx)).status).toBe('applied');
    const entry = expectJournaledFirst(ctx.entries);
    expect(entry.before).toEqual({ enabled: false });
    expect(
      dynamodbNoPitr.check(await read(clients, account, region, TYPE, 'orders'), {}, { trustedAccounts: [] }),
    ).toEqual([]);
    expect(await enableDynamodbPitr.verify(plan, ctx)).toBe(true);
    expect((await enableDynamodbPitr.apply(plan, testContext(clients))).status).toBe('already-done');
    expect((await enableDynamodbPitr.revert(entry as never, ctx)).status).toBe('reverted');
    expect((await read(clients, account, region, TYPE, 'orders')).config.pointInTimeRecovery).toBe(false);
  });

  it('refuses a table tagged leuko:protect', async () => {
    await plantTable('protected', { 'leuko:protect': 'yes' });
    const resource = await read(clients, account, region, TYPE, 'protected');
    expect(enableDynamodbPitr.plan({ resource, violations: [] })).toMatchObject({
      kind: 'refusal',
      reason: 'protected',
    });
  });
});
