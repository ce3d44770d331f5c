// Action revoke-security-group-rules: revokes exactly the offending rules of a group, by sgr- id; never the whole group.
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { makePlan, protectionRefusal, refusal, type ActionInput } from '../../core/action.js';
import type { SgRule } from '../../core/models/security-group.js';
import { isUnknown } from '../../core/unknown.js';
import { peerText, trafficText } from '../../rules/shared/sg.js';
import {
  alreadyDone,
  canonicalJson,
  defineRuntimeAction,
  hasCode,
  journaled,
  nothingToRevert,
  RemediationError,
  reread,
  send,
  type ActionContext,
} from './action-runtime.js';

const TYPE = 'aws.ec2.security-group';
const ID = 'revoke-security-group-rules';
const META = { id: ID, destructive: false, reversible: true } as const;

/** Codes for "that rule is not there" (moto and older APIs say InvalidPermission.NotFound). */
const RULE_GONE = ['InvalidSecurityGroupRuleId.NotFound', 'InvalidPermission.NotFound'];
const GROUP_GONE = ['InvalidGroup.NotFound', 'InvalidGroupId.NotFound'];

export interface RevokeSpec {
  readonly groupId: string;
  /** The rules as they were when planned: apply refuses a rule whose id now carries other content. */
  readonly rules: readonly SgRule[];
}

export interface RevokeBefore {
  readonly groupId: string;
  /** The rules revoked, as AWS had them just before. */
  readonly rules: readonly SgRule[];
}

export function describeRule(rule: SgRule): string {
  const direction = rule.direction === 'ingress' ? 'from' : 'to';
  return `${rule.direction} ${trafficText(rule)} ${direction} ${peerText(rule.peer)}`;
}

/** The rule ids a violation points at: sg-* rules name one (part or details.ruleId), sg-default-has-rules lists them. */
function ruleIdsOf(violation: ActionInput['violations'][number]): string[] {
  const details = violation.details ?? {};
  const ids = details.ruleIds;
  if (Array.isArray(ids)) return ids.filter((id): id is string => typeof id === 'string');
  if (typeof details.ruleId === 'string') return [details.ruleId];
  return violation.part.startsWith('sgr-') ? [violation.part] : [];
}

/** Same rule content (everything but the id and description): what makes it offending. */
export function sameRule(a: SgRule, b: SgRule): boolean {
  const { ruleId: _a, description: _da, ...left } = a;
  const { ruleId: _b, description: _db, ...right } = b;
  return canonicalJson(left) === canonicalJson(right);
}

/** One rule as the IpPermission that authorizes it again (revert). */
export function permissionOf(rule: SgRule): IpPermission {
  const text = (value: unknown, what: string): string => {
    if (typeof value !== 'string') throw new Error(`rule ${rule.ruleId ?? ''}: ${what} is unknown`);
    return value;
  };
  const number = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
  const protocol = text(rule.protocol, 'protocol');
  const description = rule.description !== undefined ? { Description: rule.description } : {};
  const permission: IpPermission = {
    IpProtocol: protocol === 'all' ? '-1' : protocol,
    ...(protocol === 'all' ? {} : { FromPort: number(rule.fromPort), ToPort: number(rule.toPort) }),
  };
  const peer = rule.peer;
  switch (peer.kind) {
    case 'ipv4':
      return { ...permission, IpRanges: [{ CidrIp: text(peer.cidr, 'CIDR'), ...description }] };
    case 'ipv6':
      return { ...permission, Ipv6Ranges: [{ CidrIpv6: text(peer.cidr, 'CIDR'), ...description }] };
    case 'security-group':
      return {
        ...permission,
        UserIdGroupPairs: [
          {
            GroupId: text(peer.groupId, 'peer group'),
            ...(peer.userId !== undefined ? { UserId: peer.userId } : {}),
            ...description,
          },
        ],
      };
    case 'prefix-list':
      return {
        ...permission,
        PrefixListIds: [{ PrefixListId: text(peer.prefixListId, 'prefix list'), ...description }],
      };
  }
}

export const revokeSecurityGroupRules = defineRuntimeAction<typeof TYPE, RevokeSpec, RevokeBefore>({
  ...META,
  title: 'Revoke the offending security-group rules (by rule id)',
  resourceTypes: [TYPE],
  permissions: {
    apply: [
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSecurityGroupRules',
      'ec2:RevokeSecurityGroupIngress',
      'ec2:RevokeSecurityGroupEgress',
    ],
    revert: [
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSecurityGroupRules',
      'ec2:AuthorizeSecurityGroupIngress',
      'ec2:AuthorizeSecurityGroupEgress',
    ],
  },

  plan(input) {
    const protectedBy = protectionRefusal(ID, input);
    if (protectedBy) return protectedBy;
    const group = input.resource.config;
    const wanted = new Set(input.violations.flatMap(ruleIdsOf));
    if (wanted.size === 0) {
      return refusal(
        ID,
        input.resource,
        'unknown',
        `no AWS rule id in the finding for ${group.groupId}: re-read the group from AWS (a template or event rule has none)`,
      );
    }
    const rules = group.rules.filter((rule) => rule.ruleId !== undefined && wanted.has(rule.ruleId));
    if (rules.length === 0) {
      return refusal(
        ID,
        input.resource,
        'nothing-to-do',
        `${group.groupId} no longer has ${[...wanted].join(', ')}`,
      );
    }
    const unknownRule = rules.find(
      (rule) => isUnknown(rule.protocol) || isUnknown(rule.fromPort) || isUnknown(rule.toPort),
    );
    if (unknownRule) {
      return refusal(ID, input.resource, 'unknown', `rule ${unknownRule.ruleId ?? ''} has unknown values`);
    }
    const remaining = group.rules.length - rules.length;
    return makePlan(META, input, {
      changes: rules.map((rule) => `revoke ${rule.ruleId ?? ''} (${describeRule(rule)}) of ${group.groupId}`),
      warnings:
        remaining === 0
          ? [`${group.groupId} will have no rules left: instances using only it lose all traffic`]
          : [],
      spec: { groupId: group.groupId, rules },
    });
  },

  async apply(plan, ctx) {
    const { groupId } = plan.spec;
    const current = await reread(plan, TYPE, ctx);
    if (!current) return alreadyDone(plan, ctx, { groupId, rules: [] }, `${groupId} no longer exists`);
    const toRevoke: SgRule[] = [];
    for (const planned of plan.spec.rules) {
      const now = current.config.rules.find((rule) => rule.ruleId === planned.ruleId);
      if (!now) continue;
      // ModifySecurityGroupRules can change a rule in place under the same id: never revoke what was not planned.
      if (!sameRule(now, planned)) {
        throw new RemediationError(
          ID,
          groupId,
          `rule ${planned.ruleId ?? ''} changed since the plan (now ${describeRule(now)}); plan again`,
        );
      }
      toRevoke.push(now);
    }
    const before: RevokeBefore = { groupId, rules: toRevoke };
    if (toRevoke.length === 0) return alreadyDone(plan, ctx, before, `rules already gone from ${groupId}`);
    const ec2 = ctx.clients.client('ec2', plan.resource.region);
    return journaled(plan, ctx, before, async () => {
      const revoked: string[] = [];
      for (const direction of ['ingress', 'egress'] as const) {
        const ids = toRevoke
          .filter((rule) => rule.direction === direction)
          .map((rule) => rule.ruleId)
          .filter((id): id is string => id !== undefined);
        if (ids.length === 0) continue;
        await revokeIds(ctx, plan.resource.region, groupId, direction, ids, async (input) => {
          await (direction === 'ingress'
            ? ec2.send(new RevokeSecurityGroupIngressCommand(input))
            : ec2.send(new RevokeSecurityGroupEgressCommand(input)));
        });
        revoked.push(...ids);
      }
      return { after: { revoked }, message: `revoked ${revoked.join(', ')} of ${groupId}` };
    });
  },

  async verify(plan, ctx) {
    const current = await reread(plan, TYPE, ctx);
    if (!current) return true;
    return plan.spec.rules.every(
      (planned) =>
        !current.config.rules.some((rule) => rule.ruleId === planned.ruleId || sameRule(rule, planned)),
    );
  },

  async revert(entry, ctx) {
    const skip = nothingToRevert(entry);
    if (skip) return skip;
    const { groupId } = entry.before;
    const current = await reread(entry.plan, TYPE, ctx);
    if (!current) {
      throw new RemediationError(ID, groupId, 'the group no longer exists; its rules cannot be restored');
    }
    const ec2 = ctx.clients.client('ec2', entry.plan.resource.region);
    const restored: string[] = [];
    const present: string[] = [];
    for (const rule of entry.before.rules) {
      if (current.config.rules.some((now) => sameRule(now, rule))) {
        present.push(describeRule(rule));
        continue;
      }
      const input = { GroupId: groupId, IpPermissions: [permissionOf(rule)] };
      try {
        const output = await send(ctx, entry.plan.resource.region, () =>
          rule.direction === 'ingress'
            ? ec2.send(new AuthorizeSecurityGroupIngressCommand(input))
            : ec2.send(new AuthorizeSecurityGroupEgressCommand(input)),
        );
        const newId = output.SecurityGroupRules?.[0]?.SecurityGroupRuleId;
        restored.push(`${describeRule(rule)}${newId ? ` as ${newId}` : ''}`);
      } catch (error) {
        if (!hasCode(error, ['InvalidPermission.Duplicate'])) throw error;
        present.push(describeRule(rule));
      }
    }
    if (restored.length === 0) {
      return { status: 'already-reverted', message: `${groupId} already has the revoked rules again` };
    }
    return {
      status: 'reverted',
      // AWS gives a re-authorized rule a new sgr- id: the old id cannot come back.
      message: `restored ${restored.length} rule(s) of ${groupId} (new rule ids): ${restored.join('; ')}`,
      details: { restored, alreadyPresent: present },
    };
  },
});

/**
 * Revokes rule ids; AWS fails the whole call when one is missing, so a concurrent revoke of one of them
 * (the race between re-read and call) is retried without it rather than failing the action.
 */
async function revokeIds(
  ctx: ActionContext,
  region: string,
  groupId: string,
  direction: 'ingress' | 'egress',
  ids: readonly string[],
  call: (input: { GroupId: string; SecurityGroupRuleIds: string[] }) => Promise<void>,
): Promise<void> {
  try {
    await send(ctx, region, () => call({ GroupId: groupId, SecurityGroupRuleIds: [...ids] }));
  } catch (error) {
    if (hasCode(error, GROUP_GONE)) return;
    if (!hasCode(error, RULE_GONE)) throw error;
    if (ids.length === 1) return;
    for (const id of ids) await revokeIds(ctx, region, groupId, direction, [id], call);
  }
}
