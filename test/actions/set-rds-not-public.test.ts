// set-rds-not-public on moto: PubliclyAccessible goes false, verified; revert makes it public again; twice is harmless.
import { describe, expect, it } from 'vitest';
import { setRdsNotPublic } from '../../src/aws/actions/set-rds-not-public.js';
import { rdsPublic } from '../../src/rules/index.js';
import { accountClients, uniqueAccountId } from '../harness/aws.js';
import { expectJournaledFirst, expectPlan, plantDbInstance, read, testContext } from './support.js';

const account = uniqueAccountId();
const clients = accountClients(account);
const region = 'eu-west-1';
const TYPE = 'aws.rds.db-instance';

describe('set-rds-not-public', () => {
  it('makes the instance private, verifies, reverts, and is idempotent', async () => {
    await plantDbInstance(clients, region, 'public-db');
    const resource = await read(clients, account, region, TYPE, 'public-db');
    const violations = rdsPublic.check(resource, {}, { trustedAccounts: [] });
    expect(violations).toHaveLength(1);
    const plan = expectPlan(setRdsNotPublic.plan({ resource, violations }));
    expect(plan.changes).toEqual([
      'set PubliclyAccessible=false on DB instance public-db (applied immediately)',
    ]);

    const ctx = testContext(clients);
    expect((await setRdsNotPublic.apply(plan, ctx)).status).toBe('applied');
    const entry = expectJournaledFirst(ctx.entries);
    expect(entry.before).toEqual({ publiclyAccessible: true });
    const after = await read(clients, account, region, TYPE, 'public-db');
    expect(rdsPublic.check(after, {}, { trustedAccounts: [] })).toEqual([]);
    expect({ ...after.config, publiclyAccessible: true }).toEqual(resource.config);
    expect(await setRdsNotPublic.verify(plan, ctx)).toBe(true);
    expect((await setRdsNotPublic.apply(plan, testContext(clients))).status).toBe('already-done');

    expect((await setRdsNotPublic.revert(entry as never, ctx)).status).toBe('reverted');
    expect((await read(clients, account, region, TYPE, 'public-db')).config.publiclyAccessible).toBe(true);
    expect((await setRdsNotPublic.revert(entry as never, ctx)).status).toBe('already-reverted');
  });

  it('refuses an instance tagged leuko:protect', async () => {
    await plantDbInstance(clients, region, 'protected-db', { tags: { 'leuko:protect': 'true' } });
    const resource = await read(clients, account, region, TYPE, 'protected-db');
    expect(setRdsNotPublic.plan({ resource, violations: [{ part: 'publicly-accessible' }] })).toMatchObject({
      kind: 'refusal',
      reason: 'protected',
    });
  });
});
