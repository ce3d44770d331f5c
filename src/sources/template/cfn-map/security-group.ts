// AWS::EC2::SecurityGroup with its inline rules plus the SecurityGroupIngress/Egress resources attached to it.
import type { SecurityGroupModel, SgPeer, SgRule } from '../../../core/models/index.js';
import type { Resource } from '../../../core/resource.js';
import { unknownValue } from '../../../core/unknown.js';
import { BASE_SCENARIO, type Scenario } from '../cfn-resolve.js';
import { Unresolved, integerOf, isCfnMap, scalarString, uncertainOf, type CfnMap, type CfnValue } from '../cfn-values.js';
import type { MappedResource } from '../mapped-resource.js';
import { canonicalRule, defaultEgressRule, unknownRule } from '../sg-rules.js';
import type { SourcePath } from '../source-path.js';
import { PathRecorder, type CfnMapContext } from './context.js';

const GROUP = 'AWS::EC2::SecurityGroup';
const INGRESS = 'AWS::EC2::SecurityGroupIngress';
const EGRESS = 'AWS::EC2::SecurityGroupEgress';

type Target =
  | { readonly kind: 'template'; readonly logicalId: string }
  | { readonly kind: 'external'; readonly key: string; readonly byName: boolean }
  | { readonly kind: 'unknown'; readonly reason: string };

/** Peer properties, in the order CloudFormation documents them, with the peer kind each makes. */
const INGRESS_PEERS = ['CidrIp', 'CidrIpv6', 'SourceSecurityGroupId', 'SourceSecurityGroupName', 'SourcePrefixListId'] as const;
const EGRESS_PEERS = ['CidrIp', 'CidrIpv6', 'DestinationSecurityGroupId', 'DestinationPrefixListId'] as const;

export function mapSecurityGroups(ctx: CfnMapContext): MappedResource[] {
  const groups = ctx.ofType(GROUP);
  const standalone = [...ctx.ofType(INGRESS), ...ctx.ofType(EGRESS)];
  const groupIds = new Set(groups.map((group) => group.logicalId));
  const out: MappedResource[] = [];

  // Which groups each standalone rule may belong to (static), and where it goes when it names none.
  const candidates = new Map<string, Set<string>>();
  const synthetic = new Map<string, { key: string; byName: boolean; members: string[] }>();
  for (const rule of standalone) {
    const refs = new Set<string>();
    for (const prop of ['GroupId', 'GroupName']) {
      for (const id of ctx.resolver.referencedResources(rule.properties[prop])) if (groupIds.has(id)) refs.add(id);
    }
    // A rule whose condition is known false never exists: it attaches nowhere.
    if (ctx.resolver.exists(rule.logicalId, BASE_SCENARIO) === false) continue;
    const base = targetOf(ctx, rule.logicalId, BASE_SCENARIO);
    if (base.kind === 'template') refs.add(base.logicalId);
    candidates.set(rule.logicalId, refs);
    if (base.kind !== 'template') {
      // Rules naming the same unknown (one import, one parameter) name the same group.
      const key = base.kind === 'external' ? `${base.byName ? 'name' : 'id'}:${base.key}` : `unknown:${base.reason}`;
      const entry = synthetic.get(key) ?? { key: base.kind === 'external' ? base.key : rule.logicalId, byName: base.kind === 'external' && base.byName, members: [] };
      entry.members.push(rule.logicalId);
      synthetic.set(key, entry);
    }
  }

  for (const group of groups) {
    const members = standalone.filter((rule) => candidates.get(rule.logicalId)?.has(group.logicalId)).map((rule) => rule.logicalId);
    const mapped = ctx.variants({
      sourceId: group.logicalId,
      sourceType: GROUP,
      type: 'aws.ec2.security-group',
      sourcePath: ['Resources', group.logicalId],
      synthetic: false,
      primary: group.logicalId,
      members: [group.logicalId, ...members],
      build: (scenario) => buildGroup(ctx, group.logicalId, members, scenario),
    });
    if (mapped) out.push(mapped);
  }

  for (const { key, byName, members } of synthetic.values()) {
    const first = members[0] as string;
    const mapped = ctx.variants({
      sourceId: key,
      sourceType: ctx.typeOf(first) ?? INGRESS,
      type: 'aws.ec2.security-group',
      sourcePath: ['Resources', first],
      synthetic: true,
      members,
      build: (scenario) => buildSyntheticGroup(ctx, key, byName, members, scenario),
    });
    if (mapped) out.push(mapped);
  }
  return out;
}

/** The group a standalone rule attaches to, in a scenario. */
function targetOf(ctx: CfnMapContext, logicalId: string, scenario: Scenario): Target {
  const props = ctx.props(logicalId, scenario);
  const groupId = props.GroupId;
  const groupName = props.GroupName;
  for (const value of [groupId, groupName]) {
    if (value instanceof Unresolved && value.target && ctx.typeOf(value.target.logicalId) === GROUP) {
      return { kind: 'template', logicalId: value.target.logicalId };
    }
  }
  const id = scalarString(groupId);
  if (typeof id === 'string') return { kind: 'external', key: id, byName: false };
  const name = scalarString(groupName);
  if (typeof name === 'string') {
    const named = ctx.ofType(GROUP).find((group) => scalarString(ctx.props(group.logicalId, scenario).GroupName) === name);
    return named ? { kind: 'template', logicalId: named.logicalId } : { kind: 'external', key: name, byName: true };
  }
  const unknown = [groupId, groupName].find((value): value is Unresolved => value instanceof Unresolved);
  return { kind: 'unknown', reason: unknown?.reason ?? 'the rule names no GroupId or GroupName' };
}

function buildGroup(ctx: CfnMapContext, logicalId: string, members: readonly string[], scenario: Scenario) {
  const props = ctx.props(logicalId, scenario);
  const resourcePath: SourcePath = ['Resources', logicalId];
  const propsPath: SourcePath = [...resourcePath, 'Properties'];
  const rules: SgRule[] = [];
  const paths = new PathRecorder();
  addInline(ctx, 'ingress', props, 'SecurityGroupIngress', logicalId, rules, paths, propsPath);
  const egress = props.SecurityGroupEgress;
  const hasEgress = egress !== undefined && egress !== null && !(Array.isArray(egress) && egress.length === 0);
  if (hasEgress) addInline(ctx, 'egress', props, 'SecurityGroupEgress', logicalId, rules, paths, propsPath);
  else {
    paths.add(['rules', rules.length], resourcePath);
    rules.push(defaultEgressRule());
  }
  for (const member of members) {
    if (ctx.resolver.exists(member, scenario) === false) continue;
    const target = targetOf(ctx, member, scenario);
    if (target.kind === 'template' && target.logicalId === logicalId) addStandalone(ctx, member, scenario, rules, paths);
  }
  const groupName = ctx.knownString(props.GroupName);
  const vpcId = ctx.idOf(props.VpcId);
  const config: SecurityGroupModel = {
    groupId: logicalId,
    groupName: groupName ?? logicalId,
    ...(ctx.knownString(props.GroupDescription) !== undefined ? { description: ctx.knownString(props.GroupDescription) } : {}),
    ...(typeof vpcId === 'string' ? { vpcId } : {}),
    ...(ctx.options.accountId !== undefined ? { ownerId: ctx.options.accountId } : {}),
    // AWS reserves the name "default" for each VPC's own group; a template cannot create one.
    isDefault: false,
    rules,
  };
  const resource: Resource<'aws.ec2.security-group'> = {
    type: 'aws.ec2.security-group',
    account: ctx.account,
    region: ctx.region,
    id: logicalId,
    arn: ctx.arn(logicalId),
    ...(groupName !== undefined ? { name: groupName } : {}),
    tags: ctx.tags(props.Tags, [...propsPath, 'Tags']),
    config,
  };
  return { resource, paths: paths.entries };
}

function buildSyntheticGroup(ctx: CfnMapContext, key: string, byName: boolean, members: readonly string[], scenario: Scenario) {
  const rules: SgRule[] = [];
  const paths = new PathRecorder();
  for (const member of members) {
    if (ctx.resolver.exists(member, scenario) === false) continue;
    if (targetOf(ctx, member, scenario).kind === 'template') continue;
    addStandalone(ctx, member, scenario, rules, paths);
  }
  if (rules.length === 0) return undefined;
  const config: SecurityGroupModel = {
    groupId: key,
    groupName: key,
    description: 'a group the template does not define; only the rules the template adds are known',
    isDefault: byName && key === 'default',
    rules,
  };
  const resource: Resource<'aws.ec2.security-group'> = {
    type: 'aws.ec2.security-group',
    account: ctx.account,
    region: ctx.region,
    id: key,
    arn: ctx.arn(key),
    tags: {},
    config,
  };
  return { resource, paths: paths.entries };
}

function addInline(
  ctx: CfnMapContext,
  direction: 'ingress' | 'egress',
  props: CfnMap,
  key: string,
  logicalId: string,
  rules: SgRule[],
  paths: PathRecorder,
  propsPath: SourcePath,
): void {
  const value = props[key];
  const listPath = ctx.keyPath(props, key, propsPath);
  if (value === undefined || value === null) return;
  if (value instanceof Unresolved) {
    paths.add(['rules', rules.length], listPath);
    rules.push(unknownRule(direction, value.reason));
    return;
  }
  if (isCfnMap(value)) {
    // Not valid CloudFormation, but its intent is plain; evaluating it beats ignoring an open rule.
    ctx.warn(`${key} of ${logicalId} is a single mapping, not a list; read as a list of one`, listPath);
    addRule(ctx, direction, value, listPath, rules, paths);
    return;
  }
  if (!Array.isArray(value)) {
    ctx.warn(`${key} of ${logicalId} is not a list; ignored`, listPath);
    return;
  }
  const list = value as readonly CfnValue[];
  const elementPaths = ctx.elementPaths(list, listPath);
  list.forEach((entry, index) => addRule(ctx, direction, entry, elementPaths[index] ?? listPath, rules, paths));
}

function addStandalone(ctx: CfnMapContext, logicalId: string, scenario: Scenario, rules: SgRule[], paths: PathRecorder): void {
  const direction = ctx.typeOf(logicalId) === EGRESS ? 'egress' : 'ingress';
  addRule(ctx, direction, ctx.props(logicalId, scenario), ['Resources', logicalId, 'Properties'], rules, paths);
}

/** One rule entry (inline element or standalone resource's properties) → canonical rules, one per peer. */
function addRule(
  ctx: CfnMapContext,
  direction: 'ingress' | 'egress',
  entry: CfnValue,
  entryPath: SourcePath,
  rules: SgRule[],
  paths: PathRecorder,
): void {
  if (entry instanceof Unresolved) {
    paths.add(['rules', rules.length], entryPath);
    rules.push(unknownRule(direction, entry.reason));
    return;
  }
  if (!isCfnMap(entry)) {
    ctx.warn('a security group rule is not a mapping; ignored', entryPath);
    return;
  }
  const at = ctx.pathOf(entry, entryPath);
  const peers = peersOf(ctx, direction, entry);
  if (peers.length === 0) {
    ctx.warn('a security group rule names no peer (CidrIp, CidrIpv6, a security group or a prefix list); ignored', at);
    return;
  }
  if (peers.length > 1) ctx.warn('a security group rule names more than one peer; each is modelled as a rule', at);
  const protocolValue = entry.IpProtocol;
  const protocol = protocolValue instanceof Unresolved ? unknownValue(protocolValue.reason) : (scalarString(protocolValue) as string | undefined);
  const port = (key: 'FromPort' | 'ToPort') => {
    const value = entry[key];
    if (value === undefined || value === null) return undefined;
    const parsed = integerOf(value);
    if (parsed === undefined) {
      ctx.warn(`${key} is not an integer`, [...at, key]);
      return unknownValue(`${key} is not an integer`);
    }
    return uncertainOf(parsed);
  };
  const description = ctx.knownString(entry.Description);
  for (const { peer, key } of peers) {
    const index = rules.length;
    rules.push(
      canonicalRule({
        direction,
        protocol,
        fromPort: port('FromPort'),
        toPort: port('ToPort'),
        peer,
        ...(description !== undefined ? { description } : {}),
      }),
    );
    paths.add(['rules', index], at);
    paths.add(['rules', index, 'peer'], [...at, key]);
    if (entry.IpProtocol !== undefined) paths.add(['rules', index, 'protocol'], [...at, 'IpProtocol']);
    if (entry.FromPort !== undefined) paths.add(['rules', index, 'fromPort'], [...at, 'FromPort']);
    if (entry.ToPort !== undefined) paths.add(['rules', index, 'toPort'], [...at, 'ToPort']);
  }
}

function peersOf(ctx: CfnMapContext, direction: 'ingress' | 'egress', entry: CfnMap): Array<{ peer: SgPeer; key: string }> {
  const peers: Array<{ peer: SgPeer; key: string }> = [];
  for (const key of direction === 'ingress' ? INGRESS_PEERS : EGRESS_PEERS) {
    const value = entry[key];
    if (value === undefined || value === null) continue;
    const text = (v: CfnValue) => {
      const s = scalarString(v);
      return s === undefined ? unknownValue(`${key} is not a string`) : uncertainOf(s);
    };
    switch (key) {
      case 'CidrIp':
        peers.push({ key, peer: { kind: 'ipv4', cidr: text(value) } });
        break;
      case 'CidrIpv6':
        peers.push({ key, peer: { kind: 'ipv6', cidr: text(value) } });
        break;
      case 'SourcePrefixListId':
      case 'DestinationPrefixListId':
        peers.push({ key, peer: { kind: 'prefix-list', prefixListId: uncertainOf(ctx.idOf(value) ?? unknownValue(`${key} is not a string`)) } });
        break;
      case 'SourceSecurityGroupName': {
        // By name: a group of this template (its logical id is its id here), else an id leuko cannot know.
        const name = scalarString(value);
        const named =
          value instanceof Unresolved && value.target
            ? value.target.logicalId
            : typeof name === 'string'
              ? ctx.ofType(GROUP).find((group) => scalarString(ctx.resolver.properties(group.logicalId, BASE_SCENARIO).GroupName) === name)?.logicalId
              : undefined;
        const groupId = named ?? unknownValue(typeof name === 'string' ? `the id of the security group named ${name}` : (name?.reason ?? 'unknown group name'));
        peers.push({ key, peer: { kind: 'security-group', groupId, ...ownerOf(ctx, entry) } });
        break;
      }
      default: {
        const id = ctx.idOf(value);
        peers.push({ key, peer: { kind: 'security-group', groupId: id === undefined ? unknownValue(`${key} is not a string`) : uncertainOf(id), ...ownerOf(ctx, entry) } });
      }
    }
  }
  return peers;
}

function ownerOf(ctx: CfnMapContext, entry: CfnMap): { userId?: string } {
  const owner = ctx.knownString(entry.SourceSecurityGroupOwnerId);
  return owner === undefined ? {} : { userId: owner };
}
