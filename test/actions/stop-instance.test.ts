// stop-instance on moto: evidence snapshots, then stop; undo starts it again; twice is harmless.
import { describe, expect, it } from 'vitest';
import { stopInstance } from '../../src/aws/actions/stop-instance.js';
import { accountClients, uniqueAccountId } from '../harness/aws.js';
import {
  evidenceSnapshots,
  expectJournaledFirst,
  expectPlan,
  plantInstance,
  read,
  testContext,
} from './support.js';

const account = uniqueAccountId();
const clients = accountClients(account);
const region = 'eu-west-1';
const TYPE = 'aws.ec2.instance';

describe('stop-instance', () => {
  it('snapshots, stops, verifies, starts again on undo, and is idempotent', async () => {
    const { instanceId } = await plantInstance(clients, region, 'noisy');
    const resource = await read(clients, account, region, TYPE, instanceId);
    const plan = expectPlan(stopInstance.plan({ resource, violations: [], findingId: 'f-stop' }));
    const ctx = testContext(clients);
    expect((await stopInstance.apply(plan, ctx)).status).toBe('applied');
    const entry = expectJournaledFirst(ctx.entries);
    expect(entry.before).toEqual({ state: 'running' });
    expect((await read(clients, account, region, TYPE, instanceId)).config.state).toMatch(/stopping|stopped/);
    expect(await evidenceSnapshots(clients, region, 'f-stop')).toHaveLength(resource.config.volumes.length);
    expect(await stopInstance.verify(plan, ctx)).toBe(true);
    expect((await stopInstance.apply(plan, testContext(clients))).status).toBe('already-done');

    expect((await stopInstance.revert(entry as never, ctx)).status).toBe('reverted');
    expect((await read(clients, account, region, TYPE, instanceId)).config.state).toMatch(/pending|running/);
  });

  it('plans no snapshots when told not to', async () => {
    const { instanceId } = await plantInstance(clients, region, 'quiet');
    const resource = await read(clients, account, region, TYPE, instanceId);
    const plan = expectPlan(stopInstance.plan({ resource, violations: [], params: { snapshot: false } }));
    expect(plan.changes).toEqual([`stop instance ${instanceId}`]);
  });
});
