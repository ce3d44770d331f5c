// terminate-instance on moto: evidence snapshots of every attached volume (tagged with the finding), then terminate; undo says it cannot.
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { terminateInstance } from '../../src/aws/actions/terminate-instance.js';
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

describe('terminate-instance', () => {
  it('snapshots every volume with the finding tag, terminates, verifies; twice is harmless; undo cannot restore', async () => {
    const { instanceId } = await plantInstance(clients, region, 'miner');
    const resource = await read(clients, account, region, TYPE, instanceId);
    expect(resource.config.volumes.length).toBeGreaterThanOrEqual(2);
    const plan = expectPlan(
      terminateInstance.plan({ resource, violations: [{ part: 'instance' }], findingId: 'f-miner' }),
    );
    expect(plan.destructive).toBe(true);
    expect(plan.changes).toEqual([
      ...resource.config.volumes.map(
        (volume) => `snapshot volume ${volume.volumeId} of ${instanceId} (tag leuko:finding=f-miner)`,
      ),
      `terminate instance ${instanceId}`,
    ]);

    const ctx = testContext(clients);
    const outcome = await terminateInstance.apply(plan, ctx);
    expect(outcome.status).toBe('applied');
    const entry = expectJournaledFirst(ctx.entries);
    expect(entry.before).toMatchObject({ state: 'running' });

    const snapshots = await evidenceSnapshots(clients, region, 'f-miner');
    expect(snapshots.map((snapshot) => snapshot.VolumeId).sort()).toEqual(
      resource.config.volumes.map((volume) => volume.volumeId).sort(),
    );
    for (const snapshot of snapshots) {
      expect(snapshot.Tags).toEqual(expect.arrayContaining([{ Key: 'leuko:instance', Value: instanceId }]));
    }
    const described = await clients
      .client('ec2', region)
      .send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    expect(described.Reservations?.[0]?.Instances?.[0]?.State?.Name).toMatch(/shutting-down|terminated/);
    expect(await terminateInstance.verify(plan, ctx)).toBe(true);

    expect((await terminateInstance.apply(plan, testContext(clients))).status).toBe('already-done');
    expect(await evidenceSnapshots(clients, region, 'f-miner')).toHaveLength(snapshots.length);

    const undo = await terminateInstance.revert(entry as never, ctx);
    expect(undo.status).toBe('irreversible');
    expect(undo.message).toMatch(
      /^cannot undo terminate-instance on i-.*cannot bring it back; the evidence snapshots remain: snap-/,
    );
  });

  it('reuses the evidence snapshots of an interrupted attempt', async () => {
    const { instanceId } = await plantInstance(clients, region, 'retry');
    const resource = await read(clients, account, region, TYPE, instanceId);
    const plan = expectPlan(terminateInstance.plan({ resource, violations: [], findingId: 'f-retry' }));
    // The first attempt's journal write fails after nothing changed; then the real attempt runs.
    const failing = { ...testContext(clients), journal: () => Promise.reject(new Error('store down')) };
    await expect(terminateInstance.apply(plan, failing)).rejects.toThrow('store down');
    expect(await read(clients, account, region, TYPE, instanceId)).toMatchObject({
      config: { state: 'running' },
    });
    await terminateInstance.apply(plan, testContext(clients));
    expect(await evidenceSnapshots(clients, region, 'f-retry')).toHaveLength(resource.config.volumes.length);
  });

  it('refuses an instance tagged leuko:protect', async () => {
    const { instanceId } = await plantInstance(clients, region, 'protected', { 'leuko:protect': '' });
    const resource = await read(clients, account, region, TYPE, instanceId);
    expect(terminateInstance.plan({ resource, violations: [] })).toMatchObject({
      kind: 'refusal',
      reason: 'protected',
    });
  });
});
