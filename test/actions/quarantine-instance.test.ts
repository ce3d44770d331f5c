// quarantine-instance on moto: evidence snapshots, groups swapped for one isolation group per VPC that allows nothing; undo restores them.
import { DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { ISOLATION_GROUP_NAME, quarantineInstance } from '../../src/aws/actions/quarantine-instance.js';
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
const ec2 = clients.client('ec2', region);
const TYPE = 'aws.ec2.instance';

describe('quarantine-instance', () => {
  it('isolates the instance, verifies, reverts; twice is harmless; the isolation group is made once per VPC', async () => {
    const first = await plantInstance(clients, region, 'suspect-1');
    const second = await plantInstance(clients, region, 'suspect-2');
    const resource = await read(clients, account, region, TYPE, first.instanceId);
    const plan = expectPlan(quarantineInstance.plan({ resource, violations: [], findingId: 'f-q1' }));

    const ctx = testContext(clients);
    expect((await quarantineInstance.apply(plan, ctx)).status).toBe('applied');
    const entry = expectJournaledFirst(ctx.entries);
    const groups = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [first.vpcId] },
          { Name: 'group-name', Values: [ISOLATION_GROUP_NAME] },
        ],
      }),
    );
    expect(groups.SecurityGroups).toHaveLength(1);
    const isolation = groups.SecurityGroups![0]!;
    // Allows nothing: no ingress, and AWS's default allow-all egress revoked.
    expect(isolation.IpPermissions ?? []).toEqual([]);
    expect(isolation.IpPermissionsEgress ?? []).toEqual([]);
    const after = await read(clients, account, region, TYPE, first.instanceId);
    expect(after.config.securityGroupIds).toEqual([isolation.GroupId]);
    expect(after.config.networkInterfaces.map((eni) => eni.securityGroupIds)).toEqual(
      resource.config.networkInterfaces.map(() => [isolation.GroupId]),
    );
    expect(after.config.state).toBe('running');
    expect(await evidenceSnapshots(clients, region, 'f-q1')).toHaveLength(resource.config.volumes.length);
    expect(await quarantineInstance.verify(plan, ctx)).toBe(true);
    expect((await quarantineInstance.apply(plan, testContext(clients))).status).toBe('already-done');

    // A second instance in the same VPC reuses the group.
    const other = await read(clients, account, region, TYPE, second.instanceId);
    await quarantineInstance.apply(
      expectPlan(quarantineInstance.plan({ resource: other, violations: [], params: { snapshot: false } })),
      testContext(clients),
    );
    const again = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [{ Name: 'group-name', Values: [ISOLATION_GROUP_NAME] }],
      }),
    );
    expect(again.SecurityGroups).toHaveLength(1);

    expect((await quarantineInstance.revert(entry as never, ctx)).status).toBe('reverted');
    const released = await read(clients, account, region, TYPE, first.instanceId);
    expect(released.config.networkInterfaces).toEqual(resource.config.networkInterfaces);
    expect(released.config.securityGroupIds).toEqual([first.groupId]);
    expect(await quarantineInstance.verify(plan, ctx)).toBe(false);
  });

  it('refuses an allowlisted instance', async () => {
    const { instanceId } = await plantInstance(clients, region, 'bastion');
    const resource = await read(clients, account, region, TYPE, instanceId);
    expect(
      quarantineInstance.plan({ resource, violations: [], params: { allowlist: ['bastion'] } }),
    ).toMatchObject({
      kind: 'refusal',
      reason: 'allowlisted',
    });
  });
});
