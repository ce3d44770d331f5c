// Shared by the instance response actions: evidence snapshots of every attached volume, tagged with the finding, made once.
import { CreateSnapshotCommand, DescribeSnapshotsCommand, type Snapshot } from '@aws-sdk/client-ec2';
import {
  makePlan,
  protectionRefusal,
  refusal,
  type ActionInput,
  type PlanResult,
} from '../../core/action.js';
import { RemediationError, send, waitUntil, type ActionContext } from './action-runtime.js';

export const EVIDENCE_TAG = 'leuko:finding';
const INSTANCE_TAG = 'leuko:instance';
const ACTION_TAG = 'leuko:action';

export interface InstanceResponseSpec {
  readonly instanceId: string;
  readonly region: string;
  readonly vpcId?: string;
  /** Value of the leuko:finding tag on the evidence snapshots: the finding id (else the task's). */
  readonly evidenceTag: string;
  /** Volumes to snapshot first; empty when snapshots were turned off (params.snapshot=false). */
  readonly volumeIds: readonly string[];
}

export interface EvidenceSnapshot {
  readonly volumeId: string;
  readonly snapshotId: string;
  /** True when an earlier attempt had already made it (apply twice makes one snapshot per volume). */
  readonly reused: boolean;
}

type InstanceType = 'aws.ec2.instance';

/**
 * The plan every instance response shares: refuse protected or gone instances, list the evidence snapshots,
 * then the action's own change.
 */
export function planInstanceResponse(
  meta: { id: string; destructive: boolean; reversible: boolean },
  input: ActionInput<InstanceType>,
  change: { line: string; warnings: readonly string[]; snapshotsRequired: boolean },
): PlanResult<InstanceResponseSpec> {
  const protectedBy = protectionRefusal(meta.id, input);
  if (protectedBy) return protectedBy;
  const instance = input.resource.config;
  if (instance.state === 'terminated' || instance.state === 'shutting-down') {
    return refusal(
      meta.id,
      input.resource,
      'nothing-to-do',
      `instance ${instance.instanceId} is ${instance.state}`,
    );
  }
  // Evidence before destruction is not optional: terminate always snapshots.
  const snapshot = change.snapshotsRequired || input.params?.snapshot !== false;
  const volumeIds = snapshot ? instance.volumes.map((volume) => volume.volumeId) : [];
  const evidenceTag =
    input.findingId ?? (typeof input.params?.evidenceTag === 'string' ? input.params.evidenceTag : 'manual');
  return makePlan(meta, input, {
    changes: [
      ...volumeIds.map(
        (volumeId) =>
          `snapshot volume ${volumeId} of ${instance.instanceId} (tag ${EVIDENCE_TAG}=${evidenceTag})`,
      ),
      change.line,
    ],
    warnings: change.warnings,
    spec: {
      instanceId: instance.instanceId,
      region: input.resource.region,
      ...(instance.vpcId !== undefined ? { vpcId: instance.vpcId } : {}),
      evidenceTag,
      volumeIds,
    },
  });
}

async function existingEvidence(
  ctx: ActionContext,
  spec: InstanceResponseSpec,
  volumeId: string,
): Promise<Snapshot | undefined> {
  const ec2 = ctx.clients.client('ec2', spec.region);
  const output = await send(ctx, spec.region, () =>
    ec2.send(
      new DescribeSnapshotsCommand({
        OwnerIds: ['self'],
        Filters: [
          { Name: 'volume-id', Values: [volumeId] },
          { Name: `tag:${EVIDENCE_TAG}`, Values: [spec.evidenceTag] },
        ],
      }),
    ),
  );
  return output.Snapshots?.find((snapshot) => snapshot.State !== 'error');
}

/** One snapshot per volume, tagged with the finding; a snapshot an earlier attempt made is reused, not repeated. */
export async function snapshotVolumes(
  ctx: ActionContext,
  actionId: string,
  spec: InstanceResponseSpec,
  options: { waitForCompletion: boolean },
): Promise<EvidenceSnapshot[]> {
  const ec2 = ctx.clients.client('ec2', spec.region);
  const out: EvidenceSnapshot[] = [];
  for (const volumeId of spec.volumeIds) {
    const existing = await existingEvidence(ctx, spec, volumeId);
    if (existing?.SnapshotId) {
      out.push({ volumeId, snapshotId: existing.SnapshotId, reused: true });
      continue;
    }
    const created = await send(ctx, spec.region, () =>
      ec2.send(
        new CreateSnapshotCommand({
          VolumeId: volumeId,
          Description: `leuko evidence: ${actionId} of ${spec.instanceId} for ${spec.evidenceTag}`,
          TagSpecifications: [
            {
              ResourceType: 'snapshot',
              Tags: [
                { Key: EVIDENCE_TAG, Value: spec.evidenceTag },
                { Key: INSTANCE_TAG, Value: spec.instanceId },
                { Key: ACTION_TAG, Value: actionId },
              ],
            },
          ],
        }),
      ),
    );
    if (!created.SnapshotId)
      throw new RemediationError(actionId, spec.instanceId, `CreateSnapshot of ${volumeId} returned no id`);
    out.push({ volumeId, snapshotId: created.SnapshotId, reused: false });
  }
  if (options.waitForCompletion && out.length > 0) {
    const ids = out.map((snapshot) => snapshot.snapshotId);
    const done = await waitUntil(ctx, async () => {
      const output = await send(ctx, spec.region, () =>
        ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: ids })),
      );
      const states = (output.Snapshots ?? []).map((snapshot) => snapshot.State);
      if (states.includes('error'))
        throw new RemediationError(
          actionId,
          spec.instanceId,
          `an evidence snapshot failed (${ids.join(', ')})`,
        );
      return states.length === ids.length && states.every((state) => state === 'completed');
    });
    // Not destroying anything whose evidence is not yet safe; a retry reuses these snapshots.
    if (!done)
      throw new RemediationError(
        actionId,
        spec.instanceId,
        `evidence snapshots ${ids.join(', ')} did not complete in time; retry`,
      );
  }
  return out;
}
