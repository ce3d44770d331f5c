// Resource type aws.ec2.security-group: lists groups with their rules flattened to one peer each, with AWS rule ids.
import {
  DescribeSecurityGroupsCommand,
  paginateDescribeSecurityGroupRules,
  paginateDescribeSecurityGroups,
  type IpPermission,
  type SecurityGroup,
  type SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import { InputError } from '../../core/errors.js';
import {
  normalizePortRange,
  normalizeProtocol,
  type SecurityGroupModel,
  type SgPeer,
  type SgRule,
} from '../../core/models/security-group.js';
import { tagsFromList, type Resource } from '../../core/resource.js';
import { unknownValue } from '../../core/unknown.js';
import { isNotFoundError } from '../aws-errors.js';
import { allPages, callAws, compareStrings } from './collect-helpers.js';
import type { CollectContext, ResourceTypeModule } from './resource-module.js';

const TYPE = 'aws.ec2.security-group';

/** The largest page DescribeSecurityGroups and DescribeSecurityGroupRules accept. */
const MAX_PAGE_SIZE = 1000;

const DESCRIBE_GROUPS = 'ec2:DescribeSecurityGroups';
const DESCRIBE_RULES = 'ec2:DescribeSecurityGroupRules';

/** "Does not exist" for get(): the group was deleted (or never was). */
const NOT_FOUND_CODES = ['InvalidGroup.NotFound'] as const;

type Direction = SgRule['direction'];

/** AWS sends "" for some absent strings; a model must not differ by source for "nothing". */
function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function peerOfRule(rule: SecurityGroupRule): SgPeer {
  if (rule.CidrIpv4) return { kind: 'ipv4', cidr: rule.CidrIpv4 };
  if (rule.CidrIpv6) return { kind: 'ipv6', cidr: rule.CidrIpv6 };
  if (rule.ReferencedGroupInfo) {
    const { GroupId, UserId } = rule.ReferencedGroupInfo;
    return {
      kind: 'security-group',
      groupId: GroupId ?? unknownValue('the rule references a group without naming its id'),
      ...(UserId ? { userId: UserId } : {}),
    };
  }
  if (rule.PrefixListId) return { kind: 'prefix-list', prefixListId: rule.PrefixListId };
  // A peer kind AWS added after this code: failing loudly beats a rule that silently vanishes.
  throw new InputError(
    `rule ${rule.SecurityGroupRuleId ?? '(no id)'} of ${rule.GroupId ?? '(no group)'} has no peer leuko knows`,
    DESCRIBE_RULES,
  );
}

/** One DescribeSecurityGroupRules entry (already one peer, with its sgr- id) to leuko's rule. */
export function ruleFromAws(rule: SecurityGroupRule): SgRule {
  const protocol = normalizeProtocol(rule.IpProtocol ?? '-1');
  // Key by key in the order the spreads gave: V8 made each object built of spreads a map of its own, the
  // largest cost of mapping a security-group event (profile of bench/events).
  const mapped = {} as SgRule;
  if (rule.SecurityGroupRuleId) mapped.ruleId = rule.SecurityGroupRuleId;
  mapped.direction = rule.IsEgress ? 'egress' : 'ingress';
  mapped.protocol = protocol;
  const range = normalizePortRange(protocol, rule.FromPort, rule.ToPort);
  mapped.fromPort = range.fromPort;
  mapped.toPort = range.toPort;
  mapped.peer = peerOfRule(rule);
  if (nonEmpty(rule.Description)) mapped.description = rule.Description;
  return mapped;
}

/**
 * DescribeSecurityGroups' nested IpPermissions (one entry per protocol and port range, many peers) to
 * one rule per peer. These have no rule ids: that shape (also in CloudTrail and recorded data) has none.
 */
export function rulesFromPermissions(
  permissions: readonly IpPermission[] | undefined,
  direction: Direction,
): SgRule[] {
  const rules: SgRule[] = [];
  for (const permission of permissions ?? []) {
    const protocol = normalizeProtocol(permission.IpProtocol ?? '-1');
    const base = {
      direction,
      protocol,
      ...normalizePortRange(protocol, permission.FromPort, permission.ToPort),
    };
    const add = (peer: SgPeer, description: string | undefined) =>
      rules.push({ ...base, peer, ...(nonEmpty(description) ? { description } : {}) });
    for (const range of permission.IpRanges ?? []) {
      add(
        { kind: 'ipv4', cidr: range.CidrIp ?? unknownValue('an IPv4 range without a CIDR') },
        range.Description,
      );
    }
    for (const range of permission.Ipv6Ranges ?? []) {
      add(
        { kind: 'ipv6', cidr: range.CidrIpv6 ?? unknownValue('an IPv6 range without a CIDR') },
        range.Description,
      );
    }
    for (const pair of permission.UserIdGroupPairs ?? []) {
      // EC2-Classic records can name the peer group only by name.
      const groupId =
        pair.GroupId ?? unknownValue(`a group referenced by name ${pair.GroupName ?? '(none)'}`);
      add(
        { kind: 'security-group', groupId, ...(pair.UserId ? { userId: pair.UserId } : {}) },
        pair.Description,
      );
    }
    for (const list of permission.PrefixListIds ?? []) {
      add(
        {
          kind: 'prefix-list',
          prefixListId: list.PrefixListId ?? unknownValue('a prefix list without an id'),
        },
        list.Description,
      );
    }
  }
  return rules;
}

/** Any value as sortable text: model values are strings, numbers or (from other sources) unknowns. */
function sortText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function sortNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number.MAX_SAFE_INTEGER;
}

function peerText(peer: SgPeer): string {
  switch (peer.kind) {
    case 'ipv4':
    case 'ipv6':
      return `${peer.kind}:${sortText(peer.cidr)}`;
    case 'security-group':
      return `${peer.kind}:${sortText(peer.groupId)}:${peer.userId ?? ''}`;
    case 'prefix-list':
      return `${peer.kind}:${sortText(peer.prefixListId)}`;
  }
}

/**
 * AWS returns rules in no meaningful order, and the store hashes the model: sort by rule id, then (for
 * rules without one) by content, so the same group always yields the same model.
 */
export function compareRules(a: SgRule, b: SgRule): number {
  return (
    compareStrings(a.ruleId ?? '', b.ruleId ?? '') ||
    compareStrings(a.direction, b.direction) ||
    compareStrings(sortText(a.protocol), sortText(b.protocol)) ||
    sortNumber(a.fromPort) - sortNumber(b.fromPort) ||
    sortNumber(a.toPort) - sortNumber(b.toPort) ||
    compareStrings(peerText(a.peer), peerText(b.peer)) ||
    compareStrings(a.description ?? '', b.description ?? '')
  );
}

/**
 * The canonical model of one group. `rules` are the group's DescribeSecurityGroupRules entries (they carry
 * sgr- ids); without them, the group's own IpPermissions/IpPermissionsEgress are flattened instead.
 */
export function securityGroupFromAws(
  group: SecurityGroup,
  rules?: readonly SecurityGroupRule[],
): SecurityGroupModel {
  if (!group.GroupId) throw new InputError('a security group record without GroupId', DESCRIBE_GROUPS);
  if (group.GroupName === undefined)
    throw new InputError(`security group ${group.GroupId} has no GroupName`, DESCRIBE_GROUPS);
  const flattened =
    rules !== undefined
      ? rules.map(ruleFromAws)
      : [
          ...rulesFromPermissions(group.IpPermissions, 'ingress'),
          ...rulesFromPermissions(group.IpPermissionsEgress, 'egress'),
        ];
  return {
    groupId: group.GroupId,
    groupName: group.GroupName,
    ...(nonEmpty(group.Description) ? { description: group.Description } : {}),
    ...(nonEmpty(group.VpcId) ? { vpcId: group.VpcId } : {}),
    ...(nonEmpty(group.OwnerId) ? { ownerId: group.OwnerId } : {}),
    isDefault: group.GroupName === 'default',
    rules: flattened.sort(compareRules),
  };
}

/** How many one-peer rules a group's IpPermissions hold: what DescribeSecurityGroupRules should list for it. */
function permissionRuleCount(group: SecurityGroup): number {
  let count = 0;
  for (const permission of [...(group.IpPermissions ?? []), ...(group.IpPermissionsEgress ?? [])]) {
    count +=
      (permission.IpRanges?.length ?? 0) +
      (permission.Ipv6Ranges?.length ?? 0) +
      (permission.UserIdGroupPairs?.length ?? 0) +
      (permission.PrefixListIds?.length ?? 0);
  }
  return count;
}

function securityGroupArn(parts: { partition: string; region: string; account: string; id: string }): string {
  return `arn:${parts.partition}:ec2:${parts.region}:${parts.account}:security-group/${parts.id}`;
}

function toResource(
  context: CollectContext,
  group: SecurityGroup,
  rules: readonly SecurityGroupRule[],
): Resource<typeof TYPE> {
  const config = securityGroupFromAws(group, rules);
  return {
    type: TYPE,
    account: context.account,
    region: context.region,
    id: config.groupId,
    arn: securityGroupArn({
      partition: context.partition,
      region: context.region,
      account: context.account,
      id: config.groupId,
    }),
    // The group name is unique in its VPC and is what templates and people call the group; a Name tag stays in tags.
    name: config.groupName,
    tags: tagsFromList(group.Tags),
    config,
  };
}

async function rulesOfGroup(
  context: CollectContext,
  groupId: string,
  pageSize: number,
): Promise<SecurityGroupRule[]> {
  const ec2 = context.clients.client('ec2', context.region);
  const pages = await allPages(
    context,
    context.region,
    DESCRIBE_RULES,
    paginateDescribeSecurityGroupRules(
      { client: ec2, pageSize },
      { Filters: [{ Name: 'group-id', Values: [groupId] }] },
    ),
  );
  return pages.flatMap((page) => page.SecurityGroupRules ?? []);
}

export interface SecurityGroupModuleOptions {
  /** Items per page (AWS accepts 5..1000); the default, the maximum, keeps the call count lowest. */
  readonly pageSize?: number;
}

export function createSecurityGroupModule(
  options: SecurityGroupModuleOptions = {},
): ResourceTypeModule<typeof TYPE> {
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE;
  return {
    type: TYPE,
    service: 'ec2',
    cloudFormationType: 'AWS::EC2::SecurityGroup',
    listingScope: 'regional',
    notFoundCodes: NOT_FOUND_CODES,
    permissions: { list: [DESCRIBE_GROUPS, DESCRIBE_RULES], get: [DESCRIBE_GROUPS, DESCRIBE_RULES] },

    async list(context) {
      const ec2 = context.clients.client('ec2', context.region);
      // Every rule of the region in one paginated listing, not one call per group (5,000 groups would be
      // 5,000 calls). The two listings run side by side, so either may be the older one.
      const [groupPages, rulePages] = await Promise.all([
        allPages(
          context,
          context.region,
          DESCRIBE_GROUPS,
          paginateDescribeSecurityGroups({ client: ec2, pageSize }, {}),
        ),
        allPages(
          context,
          context.region,
          DESCRIBE_RULES,
          paginateDescribeSecurityGroupRules({ client: ec2, pageSize }, {}),
        ),
      ]);
      const rulesByGroup = new Map<string, SecurityGroupRule[]>();
      for (const rule of rulePages.flatMap((page) => page.SecurityGroupRules ?? [])) {
        if (!rule.GroupId) continue;
        const list = rulesByGroup.get(rule.GroupId);
        if (list) list.push(rule);
        else rulesByGroup.set(rule.GroupId, [rule]);
      }
      const groups = groupPages.flatMap((page) => page.SecurityGroups ?? []);
      const resources = await Promise.all(
        groups.map(async (group) => {
          let rules = group.GroupId ? (rulesByGroup.get(group.GroupId) ?? []) : [];
          // A group created, or given or stripped of rules, between the two listings: its IpPermissions and
          // the rules listing disagree, so only its rules are read again. (A rule edited in place keeps the
          // count; its CloudTrail event or the next scan brings that in.)
          if (group.GroupId && rules.length !== permissionRuleCount(group)) {
            rules = await rulesOfGroup(context, group.GroupId, pageSize);
          }
          return toResource(context, group, rules);
        }),
      );
      return resources.sort((a, b) => compareStrings(a.id, b.id));
    },

    async get(context, id) {
      const ec2 = context.clients.client('ec2', context.region);
      try {
        const [described, rules] = await Promise.all([
          callAws(context, context.region, DESCRIBE_GROUPS, () =>
            ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [id] })),
          ),
          rulesOfGroup(context, id, pageSize),
        ]);
        const group = described.SecurityGroups?.find((candidate) => candidate.GroupId === id);
        return group ? toResource(context, group, rules) : null;
      } catch (error) {
        if (isNotFoundError(error, NOT_FOUND_CODES)) return null;
        throw error;
      }
    },

    arn: securityGroupArn,
  };
}

export const securityGroupModule = createSecurityGroupModule();
