// Terraform security groups: aws_security_group blocks plus aws_security_group_rule and aws_vpc_security_group_*_rule.
import type { SecurityGroupModel, SgPeer, SgRule } from '../../../core/models/index.js';
import type { Resource } from '../../../core/resource.js';
import { unknownValue } from '../../../core/unknown.js';
import { Unresolved, booleanOf, integerOf, isCfnMap, scalarString, uncertainOf, type CfnMap, type CfnValue } from '../cfn-values.js';
import type { MappedResource } from '../mapped-resource.js';
import { canonicalRule, unknownRule } from '../sg-rules.js';
import { TfPaths, listOf, type TfMapContext, type TfResource } from './context.js';

const GROUP = 'aws_security_group';
const RULE = 'aws_security_group_rule';
const VPC_INGRESS = 'aws_vpc_security_group_ingress_rule';
const VPC_EGRESS = 'aws_vpc_security_group_egress_rule';

function single(ctx: TfMapContext, resource: TfResource): MappedResource {
  return {
    origin: 'terraform',
    file: ctx.file,
    sourceId: resource.address,
    sourceType: resource.type,
    type: 'aws.ec2.security-group',
    synthetic: false,
    sourcePath: [resource.address],
    variants: [],
    mayBeAbsent: false,
    truncated: false,
  };
}

/**
 * Terraform removes the default allow-all egress rule AWS adds to a new group, so only the rules the
 * plan declares exist (unlike CloudFormation).
 */
export function mapTfSecurityGroups(ctx: TfMapContext): MappedResource[] {
  const groups = ctx.ofType(GROUP);
  const ruleResources = [...ctx.ofType(RULE), ...ctx.ofType(VPC_INGRESS), ...ctx.ofType(VPC_EGRESS)];
  const attached = new Map<TfResource, TfResource[]>();
  const orphans = new Map<string, TfResource[]>();
  for (const rule of ruleResources) {
    const target = targetGroup(ctx, rule, groups);
    if (target) attached.set(target, [...(attached.get(target) ?? []), rule]);
    else {
      const id = rule.values.security_group_id;
      const key = typeof id === 'string' ? id : rule.address;
      orphans.set(key, [...(orphans.get(key) ?? []), rule]);
    }
  }
  const out: MappedResource[] = [];
  for (const group of groups) {
    const paths = new TfPaths();
    const rules: SgRule[] = [];
    const selfId = ctx.idOf(group);
    for (const direction of ['ingress', 'egress'] as const) {
      const blocks = group.values[direction];
      if (blocks instanceof Unresolved) {
        // Computed when the configuration has no inline block: the rules then come from rule resources.
        // Without a configuration section that cannot be told, so the rules stay unknown.
        if (group.configured.has(direction) || group.expressions === undefined) {
          paths.add(['rules', rules.length], group.address, direction);
          rules.push(unknownRule(direction, blocks.reason));
        }
        continue;
      }
      listOf(blocks).forEach((block, index) => {
        for (const rule of blockRules(ctx, direction, block, selfId, group)) {
          paths.add(['rules', rules.length], group.address, direction, index);
          rules.push(rule);
        }
      });
    }
    for (const rule of attached.get(group) ?? []) addRuleResource(ctx, rule, selfId, rules, paths);
    const name = scalarString(group.values.name);
    const vpcId = ctx.idValue(group, 'vpc_id', group.values.vpc_id, ['aws_vpc', 'aws_default_vpc']);
    const description = ctx.idValue(group, 'description', group.values.description, []);
    const config: SecurityGroupModel = {
      groupId: selfId,
      groupName: typeof name === 'string' ? name : group.address,
      ...(typeof description === 'string' ? { description } : {}),
      ...(typeof vpcId === 'string' ? { vpcId } : {}),
      ...(typeof group.values.owner_id === 'string' ? { ownerId: group.values.owner_id } : {}),
      isDefault: false,
      rules,
    };
    const resource: Resource<'aws.ec2.security-group'> = {
      type: 'aws.ec2.security-group',
      account: ctx.account,
      region: ctx.region,
      id: selfId,
      arn: ctx.arn(group),
      ...(typeof name === 'string' ? { name } : {}),
      tags: tagsOf(group.values.tags),
      config,
    };
    out.push({ ...single(ctx, group), variants: [{ resource, paths: paths.entries, when: [] }] });
  }
  for (const [key, members] of orphans) {
    const paths = new TfPaths();
    const rules: SgRule[] = [];
    for (const rule of members) addRuleResource(ctx, rule, key, rules, paths);
    const config: SecurityGroupModel = {
      groupId: key,
      groupName: key,
      description: 'a group the plan does not define; only the rules the plan adds are known',
      isDefault: false,
      rules,
    };
    const first = members[0] as TfResource;
    const resource: Resource<'aws.ec2.security-group'> = {
      type: 'aws.ec2.security-group',
      account: ctx.account,
      region: ctx.region,
      id: key,
      arn: `arn:aws:terraform:plan:${ctx.file}#${key}`,
      tags: {},
      config,
    };
    out.push({ ...single(ctx, first), sourceId: key, synthetic: true, variants: [{ resource, paths: paths.entries, when: [] }] });
  }
  return out;
}

function targetGroup(ctx: TfMapContext, rule: TfResource, groups: readonly TfResource[]): TfResource | undefined {
  const id = rule.values.security_group_id;
  if (typeof id === 'string') return groups.find((group) => group.values.id === id);
  const [target, ...others] = ctx.referenced(rule, 'security_group_id', [GROUP]);
  return others.length === 0 ? target : undefined;
}

function tagsOf(value: CfnValue | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  if (!isCfnMap(value)) return tags;
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string') Object.defineProperty(tags, key, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return tags;
}

export { tagsOf as tfTags };

function port(value: CfnValue | undefined): number | ReturnType<typeof unknownValue> | undefined {
  if (value === undefined || value === null) return undefined;
  const parsed = integerOf(value);
  return parsed === undefined ? unknownValue('port is not an integer') : uncertainOf(parsed);
}

function protocolOf(value: CfnValue | undefined): string | ReturnType<typeof unknownValue> | undefined {
  if (value instanceof Unresolved) return unknownValue(value.reason);
  const text = scalarString(value);
  return typeof text === 'string' ? text : undefined;
}

function text(value: CfnValue): ReturnType<typeof uncertainOf<string>> {
  const s = scalarString(value);
  return s === undefined ? unknownValue('not a string') : uncertainOf(s);
}

/** One inline ingress/egress block → one rule per peer (cidr_blocks, ipv6, prefix lists, groups, self). */
function blockRules(ctx: TfMapContext, direction: 'ingress' | 'egress', block: CfnValue, selfId: string, group: TfResource): SgRule[] {
  if (block instanceof Unresolved) return [unknownRule(direction, block.reason)];
  if (!isCfnMap(block)) return [];
  const peers: SgPeer[] = [];
  const each = (value: CfnValue | undefined, make: (item: CfnValue) => SgPeer) => {
    if (value instanceof Unresolved) peers.push(make(value));
    else for (const item of listOf(value)) peers.push(make(item));
  };
  each(block.cidr_blocks, (item) => ({ kind: 'ipv4', cidr: text(item) }));
  each(block.ipv6_cidr_blocks, (item) => ({ kind: 'ipv6', cidr: text(item) }));
  each(block.prefix_list_ids, (item) => ({ kind: 'prefix-list', prefixListId: text(item) }));
  each(block.security_groups, (item) => ({ kind: 'security-group', groupId: text(item) }));
  if (booleanOf(block.self) === true) peers.push({ kind: 'security-group', groupId: selfId });
  if (peers.length === 0) ctx.warn(`an ${direction} block names no peer; ignored`, group.address);
  return peers.map((peer) => rule(direction, block, peer));
}

function rule(direction: 'ingress' | 'egress', values: CfnMap, peer: SgPeer): SgRule {
  const description = scalarString(values.description);
  return canonicalRule({
    direction,
    protocol: protocolOf(values.protocol ?? values.ip_protocol),
    fromPort: port(values.from_port),
    toPort: port(values.to_port),
    peer,
    ...(typeof description === 'string' && description !== '' ? { description } : {}),
  });
}

/** aws_security_group_rule or aws_vpc_security_group_*_rule → rules of its group. */
function addRuleResource(ctx: TfMapContext, resource: TfResource, groupId: string, rules: SgRule[], paths: TfPaths): void {
  const values = resource.values;
  const direction: 'ingress' | 'egress' =
    resource.type === VPC_EGRESS ? 'egress' : resource.type === VPC_INGRESS ? 'ingress' : values.type === 'egress' ? 'egress' : 'ingress';
  if (resource.type === RULE && values.type instanceof Unresolved) ctx.warn('the rule type is unknown; read as ingress', resource.address);
  const peers: Array<{ peer: SgPeer; attribute: string }> = [];
  if (resource.type === RULE) {
    const add = (attribute: string, make: (item: CfnValue) => SgPeer) => {
      const value = values[attribute];
      if (value instanceof Unresolved) peers.push({ peer: make(value), attribute });
      else for (const item of listOf(value)) peers.push({ peer: make(item), attribute });
    };
    add('cidr_blocks', (item) => ({ kind: 'ipv4', cidr: text(item) }));
    add('ipv6_cidr_blocks', (item) => ({ kind: 'ipv6', cidr: text(item) }));
    add('prefix_list_ids', (item) => ({ kind: 'prefix-list', prefixListId: text(item) }));
    const source = values.source_security_group_id;
    if (source !== undefined && source !== null) {
      const id = ctx.idValue(resource, 'source_security_group_id', source, [GROUP]);
      peers.push({ peer: { kind: 'security-group', groupId: id === undefined ? unknownValue('not a string') : uncertainOf(id) }, attribute: 'source_security_group_id' });
    }
    if (booleanOf(values.self) === true) peers.push({ peer: { kind: 'security-group', groupId }, attribute: 'self' });
  } else {
    const single = (attribute: string, make: (item: CfnValue) => SgPeer) => {
      const value = values[attribute];
      if (value !== undefined && value !== null) peers.push({ peer: make(value), attribute });
    };
    single('cidr_ipv4', (item) => ({ kind: 'ipv4', cidr: text(item) }));
    single('cidr_ipv6', (item) => ({ kind: 'ipv6', cidr: text(item) }));
    single('prefix_list_id', (item) => ({ kind: 'prefix-list', prefixListId: text(item) }));
    const referenced = values.referenced_security_group_id;
    if (referenced !== undefined && referenced !== null) {
      const id = ctx.idValue(resource, 'referenced_security_group_id', referenced, [GROUP]);
      peers.push({ peer: { kind: 'security-group', groupId: id === undefined ? unknownValue('not a string') : uncertainOf(id) }, attribute: 'referenced_security_group_id' });
    }
  }
  if (peers.length === 0) {
    ctx.warn('a security group rule names no peer; ignored', resource.address);
    return;
  }
  for (const { peer, attribute } of peers) {
    paths.add(['rules', rules.length], resource.address);
    paths.add(['rules', rules.length, 'peer'], resource.address, attribute);
    rules.push(rule(direction, values, peer));
  }
}
