// Action quarantine-instance: evidence snapshots, then every network interface of the instance gets only an isolation group that allows nothing.
import {
  CreateSecurityGroupCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  ModifyInstanceAttributeCommand,
  ModifyNetworkInterfaceAttributeCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { refusal } from '../../core/action.js';
import { resourceModule } from '../resources/registry.js';
import {
  alreadyDone,
  collectContextFor,
  defineRuntimeAction,
  hasCode,
  journaled,
  nothingToRevert,
  RemediationError,
  reread,
  send,
  type ActionContext,
} from './action-runtime.js';
import { planInstanceResponse, snapshotVolumes, type InstanceResponseSpec } from './instance-evidence.js';

const TYPE = 'aws.ec2.instance';
const ID = 'quarantine-instance';
const META = { id: ID, destructive: false, reversible: true } as const;

/** One isolation group per VPC, found again by name (unique within a VPC), so it is created once. */
export const ISOLATION_GROUP_NAME = 'leuko-isolation';
export const ISOLATION_TAG = 'leuko:isolation';

export interface QuarantineBefore {
  /** Each interface's groups just before the swap. */
  readonly networkInterfaces: readonly {
    readonly networkInterfaceId: string;
    readonly securityGroupIds: readonly string[];
  }[];
  readonly isolationGroupId: string;
}

async function findIsolationGroup(
  ctx: ActionContext,
  region: string,
  vpcId: string,
): Promise<string | undefined> {
  const ec2 = ctx.clients.client('ec2', region);
  const output = await send(ctx, region, () =>
    ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'group-name', Values: [ISOLATION_GROUP_NAME] },
        ],
      }),
    ),
  );
  return output.SecurityGroups?.[0]?.GroupId;
}

/** Strips every rule from the group: AWS gives a new group an allow-all egress rule, and an isolation group must allow nothing. */
async function emptyGroup(ctx: ActionContext, region: string, groupId: string): Promise<void> {
  const ec2 = ctx.clients.client('ec2', region);
  const output = await send(ctx, region, () =>
    ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] })),
  );
  const rules = output.SecurityGroupRules ?? [];
  const ids = (egress: boolean) =>
    rules
      .filter((rule) => rule.IsEgress === egress && rule.SecurityGroupRuleId)
      .map((rule) => rule.SecurityGroupRuleId as string);
  const egress = ids(true);
  const ingress = ids(false);
  if (egress.length)
    await send(ctx, region, () =>
      ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: groupId, SecurityGroupRuleIds: egress })),
    );
  if (ingress.length)
    await send(ctx, region, () =>
      ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: ingress })),
    );
}

/** The VPC's isolation group, created (and emptied) on first use. */
export async function ensureIsolationGroup(
  ctx: ActionContext,
  region: string,
  vpcId: string,
): Promise<string> {
  let groupId = await findIsolationGroup(ctx, region, vpcId);
  if (!groupId) {
    const ec2 = ctx.clients.client('ec2', region);
    try {
      const created = await send(ctx, region, () =>
        ec2.send(
          new CreateSecurityGroupCommand({
            GroupName: ISOLATION_GROUP_NAME,
            Description: 'leuko quarantine: allows no traffic in or out',
            VpcId: vpcId,
            TagSpecifications: [
              { ResourceType: 'security-group', Tags: [{ Key: ISOLATION_TAG, Value: 'true' }] },
            ],
          }),
        ),
      );
      groupId = created.GroupId;
    } catch (error) {
      // Another quarantine in the same VPC created it first.
      if (!hasCode(error, ['InvalidGroup.Duplicate'])) throw error;
      groupId = await findIsolationGroup(ctx, region, vpcId);
    }
  }
  if (!groupId) throw new Error(`could not create or find ${ISOLATION_GROUP_NAME} in ${vpcId}`);
  // Every time, not only on creation: a rule someone added to the isolation group would open every quarantined instance.
  await emptyGroup(ctx, region, groupId);
  return groupId;
}

/**
 * Sets each interface's groups. The instance-level call first: it is what AWS applies to the primary interface
 * and what the instance record shows; then every interface, since secondary interfaces are reachable only so
 * (and moto, unlike AWS, keeps the primary interface's old groups unless it is set directly too).
 */
async function setGroups(
  ctx: ActionContext,
  region: string,
  instanceId: string,
  interfaces: QuarantineBefore['networkInterfaces'],
): Promise<void> {
  const ec2 = ctx.clients.client('ec2', region);
  const primary = interfaces[0];
  if (primary) {
    await send(ctx, region, () =>
      ec2.send(
        new ModifyInstanceAttributeCommand({ InstanceId: instanceId, Groups: [...primary.securityGroupIds] }),
      ),
    );
  }
  for (const eni of interfaces) {
    await send(ctx, region, () =>
      ec2.send(
        new ModifyNetworkInterfaceAttributeCommand({
          NetworkInterfaceId: eni.networkInterfaceId,
          Groups: [...eni.securityGroupIds],
        }),
      ),
    );
  }
}

export const quarantineInstance = defineRuntimeAction<typeof TYPE, InstanceResponseSpec, QuarantineBefore>({
  ...META,
  title:
    "Snapshot the instance's volumes, then swap its security groups for an isolation group that allows nothing",
  resourceTypes: [TYPE],
  permissions: {
    apply: [
      'ec2:DescribeInstances',
      'ec2:DescribeSnapshots',
      'ec2:CreateSnapshot',
      'ec2:CreateTags',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSecurityGroupRules',
      'ec2:CreateSecurityGroup',
      'ec2:RevokeSecurityGroupEgress',
      'ec2:RevokeSecurityGroupIngress',
      'ec2:ModifyInstanceAttribute',
      'ec2:ModifyNetworkInterfaceAttribute',
    ],
    revert: ['ec2:DescribeInstances', 'ec2:ModifyInstanceAttribute', 'ec2:ModifyNetworkInterfaceAttribute'],
  },

  plan(input) {
    if (input.resource.config.vpcId === undefined) {
      return refusal(ID, input.resource, 'not-applicable', `instance ${input.resource.id} is not in a VPC`);
    }
    return planInstanceResponse(META, input, {
      line: `replace the security groups of every network interface of ${input.resource.id} (${input.resource.config.securityGroupIds.join(', ')}) with ${ISOLATION_GROUP_NAME} of ${input.resource.config.vpcId}, which allows nothing`,
      warnings: [
        'connections already established and tracked may continue until they close (security-group connection tracking); isolate at the network ACL too for a hard cut',
      ],
      snapshotsRequired: false,
    });
  },

  async apply(plan, ctx) {
    const { instanceId, region, vpcId } = plan.spec;
    if (vpcId === undefined) throw new RemediationError(ID, instanceId, 'the instance is not in a VPC');
    const current = await reread(plan, TYPE, ctx);
    if (!current) throw new RemediationError(ID, instanceId, 'the instance no longer exists');
    const isolationGroupId = await ensureIsolationGroup(ctx, region, vpcId);
    const before: QuarantineBefore = {
      isolationGroupId,
      networkInterfaces: current.config.networkInterfaces.map((eni) => ({
        networkInterfaceId: eni.networkInterfaceId,
        securityGroupIds: eni.securityGroupIds,
      })),
    };
    const isolated = (groups: readonly string[]) => groups.length === 1 && groups[0] === isolationGroupId;
    if (before.networkInterfaces.every((eni) => isolated(eni.securityGroupIds))) {
      return alreadyDone(plan, ctx, before, `${instanceId} is already quarantined in ${isolationGroupId}`);
    }
    return journaled(plan, ctx, before, async () => {
      const snapshots = await snapshotVolumes(ctx, ID, plan.spec, { waitForCompletion: false });
      await setGroups(
        ctx,
        region,
        instanceId,
        before.networkInterfaces.map((eni) => ({ ...eni, securityGroupIds: [isolationGroupId] })),
      );
      return {
        after: { isolationGroupId, snapshots },
        message: `${instanceId} quarantined in ${isolationGroupId} (${before.networkInterfaces.length} interface(s))`,
      };
    });
  },

  async verify(plan, ctx) {
    const { region, vpcId } = plan.spec;
    const current = await reread(plan, TYPE, ctx);
    if (!current) return true;
    if (vpcId === undefined) return false;
    const isolationGroupId = await findIsolationGroup(ctx, region, vpcId);
    if (!isolationGroupId) return false;
    const group = await resourceModule('aws.ec2.security-group').get(
      collectContextFor(plan, ctx),
      isolationGroupId,
    );
    return (
      group !== null &&
      group.config.rules.length === 0 &&
      current.config.networkInterfaces.every(
        (eni) => eni.securityGroupIds.length === 1 && eni.securityGroupIds[0] === isolationGroupId,
      )
    );
  },

  async revert(entry, ctx) {
    const skip = nothingToRevert(entry);
    if (skip) return skip;
    const { instanceId, region } = entry.plan.spec;
    const current = await reread(entry.plan, TYPE, ctx);
    if (!current)
      throw new RemediationError(
        ID,
        instanceId,
        'the instance no longer exists; its groups cannot be restored',
      );
    const still = entry.before.networkInterfaces.filter((eni) =>
      current.config.networkInterfaces.some((now) => now.networkInterfaceId === eni.networkInterfaceId),
    );
    const restored = still
      .filter((eni) => {
        const now = current.config.networkInterfaces.find(
          (candidate) => candidate.networkInterfaceId === eni.networkInterfaceId,
        );
        return (
          [...(now?.securityGroupIds ?? [])].sort().join(',') !== [...eni.securityGroupIds].sort().join(',')
        );
      })
      .map((eni) => `${eni.networkInterfaceId}: ${eni.securityGroupIds.join(', ')}`);
    // Every interface is set, not only the changed ones, so the primary one also goes through the instance-level call.
    if (restored.length > 0) await setGroups(ctx, region, instanceId, still);
    if (restored.length === 0)
      return { status: 'already-reverted', message: `${instanceId} already has its groups back` };
    // The isolation group stays: it is shared by every quarantine in the VPC.
    return {
      status: 'reverted',
      message: `${instanceId} released from quarantine; groups restored (${restored.join('; ')})`,
    };
  },
});
