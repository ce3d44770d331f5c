// Action stop-instance: snapshots every attached volume (evidence, tagged with the finding), then stops the instance.
import { StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import {
  alreadyDone,
  defineRuntimeAction,
  journaled,
  nothingToRevert,
  RemediationError,
  reread,
  send,
} from './action-runtime.js';
import { planInstanceResponse, snapshotVolumes, type InstanceResponseSpec } from './instance-evidence.js';

const TYPE = 'aws.ec2.instance';
const ID = 'stop-instance';
const META = { id: ID, destructive: false, reversible: true } as const;

export interface StopBefore {
  readonly state: string;
}

const STOPPED = ['stopping', 'stopped'];

export const stopInstance = defineRuntimeAction<typeof TYPE, InstanceResponseSpec, StopBefore>({
  ...META,
  title: 'Snapshot every attached volume, then stop the instance',
  resourceTypes: [TYPE],
  permissions: {
    apply: [
      'ec2:DescribeInstances',
      'ec2:DescribeSnapshots',
      'ec2:CreateSnapshot',
      'ec2:CreateTags',
      'ec2:StopInstances',
    ],
    revert: ['ec2:DescribeInstances', 'ec2:StartInstances'],
  },

  plan(input) {
    return planInstanceResponse(META, input, {
      line: `stop instance ${input.resource.id}`,
      warnings: [
        `instance ${input.resource.id}: instance-store data is lost, and a public IPv4 address without an Elastic IP changes when it starts again`,
      ],
      snapshotsRequired: false,
    });
  },

  async apply(plan, ctx) {
    const current = await reread(plan, TYPE, ctx);
    if (!current) throw new RemediationError(ID, plan.spec.instanceId, 'the instance no longer exists');
    const before: StopBefore = { state: current.config.state };
    if (STOPPED.includes(current.config.state))
      return alreadyDone(plan, ctx, before, `${plan.spec.instanceId} is already ${current.config.state}`);
    return journaled(plan, ctx, before, async () => {
      const snapshots = await snapshotVolumes(ctx, ID, plan.spec, { waitForCompletion: false });
      const ec2 = ctx.clients.client('ec2', plan.spec.region);
      await send(ctx, plan.spec.region, () =>
        ec2.send(new StopInstancesCommand({ InstanceIds: [plan.spec.instanceId] })),
      );
      return { after: { snapshots }, message: `stopped ${plan.spec.instanceId}` };
    });
  },

  async verify(plan, ctx) {
    const current = await reread(plan, TYPE, ctx);
    return current === null || STOPPED.includes(current.config.state);
  },

  async revert(entry, ctx) {
    const skip = nothingToRevert(entry);
    if (skip) return skip;
    const { instanceId, region } = entry.plan.spec;
    if (entry.before.state !== 'running' && entry.before.state !== 'pending') {
      return {
        status: 'already-reverted',
        message: `${instanceId} was ${entry.before.state} before; left as it is`,
      };
    }
    const current = await reread(entry.plan, TYPE, ctx);
    if (!current)
      throw new RemediationError(ID, instanceId, 'the instance no longer exists; it cannot be started');
    if (current.config.state === 'running' || current.config.state === 'pending') {
      return { status: 'already-reverted', message: `${instanceId} is ${current.config.state} already` };
    }
    const ec2 = ctx.clients.client('ec2', region);
    await send(ctx, region, () => ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] })));
    return {
      status: 'reverted',
      message: `started ${instanceId} again (its public IPv4 address may have changed)`,
    };
  },
});
