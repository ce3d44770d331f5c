// Action terminate-instance: snapshots every attached volume (evidence, tagged with the finding), then terminates the instance.
import { TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import {
  alreadyDone,
  defineRuntimeAction,
  irreversible,
  journaled,
  nothingToRevert,
  reread,
  send,
} from './action-runtime.js';
import {
  planInstanceResponse,
  snapshotVolumes,
  type EvidenceSnapshot,
  type InstanceResponseSpec,
} from './instance-evidence.js';

const TYPE = 'aws.ec2.instance';
const ID = 'terminate-instance';
const META = { id: ID, destructive: true, reversible: false } as const;

export interface TerminateBefore {
  readonly state: string;
  readonly securityGroupIds: readonly string[];
  readonly volumes: readonly { readonly volumeId: string; readonly deleteOnTermination?: boolean }[];
}

export const terminateInstance = defineRuntimeAction<typeof TYPE, InstanceResponseSpec, TerminateBefore>({
  ...META,
  title: 'Snapshot every attached volume, then terminate the instance',
  resourceTypes: [TYPE],
  permissions: {
    apply: [
      'ec2:DescribeInstances',
      'ec2:DescribeSnapshots',
      'ec2:CreateSnapshot',
      'ec2:CreateTags',
      'ec2:TerminateInstances',
    ],
    revert: [],
  },

  plan(input) {
    return planInstanceResponse(META, input, {
      line: `terminate instance ${input.resource.id}`,
      warnings: [
        `instance ${input.resource.id} is destroyed: this cannot be undone; instance-store data is lost and volumes with DeleteOnTermination are deleted (their snapshots stay)`,
      ],
      snapshotsRequired: true,
    });
  },

  async apply(plan, ctx) {
    const current = await reread(plan, TYPE, ctx);
    if (!current) {
      return alreadyDone(
        plan,
        ctx,
        { state: 'terminated', securityGroupIds: [], volumes: [] },
        `${plan.spec.instanceId} is already terminated`,
      );
    }
    const before: TerminateBefore = {
      state: current.config.state,
      securityGroupIds: current.config.securityGroupIds,
      volumes: current.config.volumes.map((volume) => ({
        volumeId: volume.volumeId,
        ...(volume.deleteOnTermination !== undefined
          ? { deleteOnTermination: volume.deleteOnTermination }
          : {}),
      })),
    };
    if (current.config.state === 'shutting-down')
      return alreadyDone(plan, ctx, before, `${plan.spec.instanceId} is already shutting down`);
    return journaled(plan, ctx, before, async () => {
      const snapshots: EvidenceSnapshot[] = await snapshotVolumes(ctx, ID, plan.spec, {
        waitForCompletion: true,
      });
      const ec2 = ctx.clients.client('ec2', plan.spec.region);
      await send(ctx, plan.spec.region, () =>
        ec2.send(new TerminateInstancesCommand({ InstanceIds: [plan.spec.instanceId] })),
      );
      return {
        after: { snapshots },
        message: `terminated ${plan.spec.instanceId}; evidence snapshots ${snapshots.map((s) => s.snapshotId).join(', ') || '(no volumes)'}`,
      };
    });
  },

  async verify(plan, ctx) {
    const current = await reread(plan, TYPE, ctx);
    return current === null || current.config.state === 'shutting-down';
  },

  async revert(entry) {
    const skip = nothingToRevert(entry);
    if (skip) return skip;
    const after = entry.result.after as { snapshots?: EvidenceSnapshot[] } | undefined;
    const kept = (after?.snapshots ?? []).map(
      (snapshot) => `${snapshot.snapshotId} (of ${snapshot.volumeId})`,
    );
    return irreversible(
      entry,
      `the instance was terminated and AWS cannot bring it back${kept.length ? `; the evidence snapshots remain: ${kept.join(', ')}` : ''}`,
    );
  },
});
