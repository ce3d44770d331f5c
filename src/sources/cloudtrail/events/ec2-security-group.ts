// Security-group events to canonical changes: the rules an event adds or edits, with their AWS rule ids.
import type { IpPermission, SecurityGroupRule } from '@aws-sdk/client-ec2';
import type { SecurityGroupModel, SgRule } from '../../../core/models/security-group.js';
import type { Resource } from '../../../core/resource.js';
import { rulesFromPermissions, ruleFromAws } from '../../../aws/resources/ec2-security-group.js';
import { bool, isObject, items, num, str, type JsonObject } from '../record.js';
import { deletion, regionalArn, tagsOf, unresolved, unwrap, upsert, type EventContext, type EventMapper } from './shared.js';

const TYPE = 'aws.ec2.security-group';

function sgArn(context: EventContext, groupId: string): string {
  return regionalArn(context, 'ec2', `security-group/${groupId}`);
}

/** One securityGroupRuleSet item (the response of Authorize*) in the SDK's SecurityGroupRule shape. */
function sdkRuleOf(item: JsonObject, egressDefault: boolean | undefined): SecurityGroupRule {
  const referenced = isObject(item.referencedGroupInfo) ? item.referencedGroupInfo : undefined;
  const isEgress = bool(item.isEgress) ?? egressDefault;
  return {
    SecurityGroupRuleId: str(item.securityGroupRuleId),
    GroupId: str(item.groupId),
    IsEgress: isEgress,
    IpProtocol: str(item.ipProtocol) ?? (typeof item.ipProtocol === 'number' ? String(item.ipProtocol) : undefined),
    FromPort: num(item.fromPort),
    ToPort: num(item.toPort),
    CidrIpv4: str(item.cidrIpv4),
    CidrIpv6: str(item.cidrIpv6),
    PrefixListId: str(item.prefixListId),
    ReferencedGroupInfo: referenced
      ? { GroupId: str(referenced.groupId), UserId: str(referenced.userId) }
      : str(item.referencedGroupId)
        ? { GroupId: str(item.referencedGroupId) }
        : undefined,
    Description: str(item.description),
  };
}

/** One ipPermissions item (the request of Authorize*) in the SDK's IpPermission shape. */
function sdkPermissionOf(item: JsonObject): IpPermission {
  return {
    IpProtocol: str(item.ipProtocol) ?? (typeof item.ipProtocol === 'number' ? String(item.ipProtocol) : undefined),
    FromPort: num(item.fromPort),
    ToPort: num(item.toPort),
    IpRanges: items(item.ipRanges).map((range) => ({ CidrIp: str(range.cidrIp), Description: str(range.description) })),
    Ipv6Ranges: items(item.ipv6Ranges).map((range) => ({ CidrIpv6: str(range.cidrIpv6), Description: str(range.description) })),
    UserIdGroupPairs: items(item.groups).map((pair) => ({
      GroupId: str(pair.groupId),
      GroupName: str(pair.groupName),
      UserId: str(pair.userId),
      Description: str(pair.description),
    })),
    PrefixListIds: items(item.prefixListIds).map((list) => ({ PrefixListId: str(list.prefixListId), Description: str(list.description) })),
  };
}

/**
 * The rules an Authorize* call added. The response's securityGroupRuleSet is preferred: it has one rule
 * per peer with its sgr- id, so the finding's part (the rule id) is the one a scan reports for the same
 * rule. Older records have no rule set; then the request's ipPermissions (and the legacy top-level
 * cidrIp/ipProtocol/fromPort/toPort form) give content-keyed rules.
 */
function addedRules(context: EventContext, direction: 'ingress' | 'egress'): SgRule[] {
  const ruleSet = items(context.response.securityGroupRuleSet);
  if (ruleSet.length > 0) {
    const rules: SgRule[] = [];
    let complete = true;
    for (const item of ruleSet) {
      try {
        rules.push(ruleFromAws(sdkRuleOf(item, direction === 'egress')));
      } catch {
        complete = false;
      }
    }
    if (complete) return rules;
  }
  const permissions = items(context.request.ipPermissions).map(sdkPermissionOf);
  const legacyCidr = str(context.request.cidrIp);
  if (legacyCidr || str(context.request.ipProtocol)) {
    permissions.push({
      IpProtocol: str(context.request.ipProtocol) ?? '-1',
      FromPort: num(context.request.fromPort),
      ToPort: num(context.request.toPort),
      IpRanges: legacyCidr ? [{ CidrIp: legacyCidr }] : [],
      UserIdGroupPairs: str(context.request.sourceSecurityGroupName) || str(context.request.sourceSecurityGroupId)
        ? [{
            GroupId: str(context.request.sourceSecurityGroupId),
            GroupName: str(context.request.sourceSecurityGroupName),
            UserId: str(context.request.sourceSecurityGroupOwnerId),
          }]
        : [],
    });
  }
  return rulesFromPermissions(permissions, direction);
}

function groupResource(context: EventContext, groupId: string, model: Omit<SecurityGroupModel, 'groupId'>): Resource<typeof TYPE> {
  return {
    type: TYPE,
    account: context.account,
    region: context.region,
    id: groupId,
    arn: sgArn(context, groupId),
    ...(model.groupName !== groupId ? { name: model.groupName } : {}),
    tags: {},
    config: { groupId, ...model },
  };
}

function authorize(direction: 'ingress' | 'egress'): EventMapper {
  return (context) => {
    const ruleSet = items(context.response.securityGroupRuleSet);
    const groupId = str(context.request.groupId) ?? str(ruleSet[0]?.groupId);
    const groupName = str(context.request.groupName);
    if (!groupId) return unresolved(context, `the record names the group only by name (${groupName ?? 'none'})`);
    const rules = addedRules(context, direction);
    const fields = ['groupId', 'rules'];
    if (groupName) fields.push('groupName', 'isDefault');
    const resource = groupResource(context, groupId, {
      // Placeholder when the event does not name the group; 'groupName' is then not among the fields.
      groupName: groupName ?? groupId,
      isDefault: groupName === 'default',
      ...(str(ruleSet[0]?.groupOwnerId) ? { ownerId: str(ruleSet[0]?.groupOwnerId) } : {}),
      rules,
    });
    return [upsert(context, resource, fields)];
  };
}

/**
 * ModifySecurityGroupRules edits rules in place by sgr- id. The record gives each rule's new content but
 * not its direction, so the rule is judged as ingress (the direction the world-open rules care about)
 * and every finding is "possible" until the re-read says which it is.
 */
const modifyRules: EventMapper = (context) => {
  const body = isObject(context.request.ModifySecurityGroupRulesRequest) ? context.request.ModifySecurityGroupRulesRequest : context.request;
  const groupId = str(unwrap(body.GroupId)) ?? str(unwrap(body.groupId));
  if (!groupId) return unresolved(context, 'the record does not name the group');
  const entries = [body.SecurityGroupRule, body.securityGroupRule, body.SecurityGroupRules].flatMap((value) =>
    Array.isArray(value) ? value : value === undefined ? [] : [value],
  );
  const rules: SgRule[] = [];
  for (const entry of entries) {
    if (!isObject(entry)) continue;
    const ruleId = str(unwrap(entry.SecurityGroupRuleId));
    const inner = isObject(entry.SecurityGroupRule) ? entry.SecurityGroupRule : undefined;
    if (!ruleId || !inner) continue;
    try {
      rules.push(
        ruleFromAws({
          SecurityGroupRuleId: ruleId,
          GroupId: groupId,
          IsEgress: false,
          IpProtocol: str(unwrap(inner.IpProtocol)),
          FromPort: num(unwrap(inner.FromPort)),
          ToPort: num(unwrap(inner.ToPort)),
          CidrIpv4: str(unwrap(inner.CidrIpv4)),
          CidrIpv6: str(unwrap(inner.CidrIpv6)),
          PrefixListId: str(unwrap(inner.PrefixListId)),
          ...(str(unwrap(inner.ReferencedGroupId)) ? { ReferencedGroupInfo: { GroupId: str(unwrap(inner.ReferencedGroupId)) } } : {}),
          Description: str(unwrap(inner.Description)),
        }),
      );
    } catch {
      // A rule with no peer named: nothing to judge for it; the re-read brings it.
    }
  }
  const resource = groupResource(context, groupId, { groupName: groupId, isDefault: false, rules });
  return [upsert(context, resource, ['groupId', 'rules'], { uncertainty: 'ModifySecurityGroupRules does not say whether the rule is ingress or egress' })];
};

const createGroup: EventMapper = (context) => {
  const groupId = str(context.response.groupId);
  const groupName = str(context.request.groupName);
  if (!groupId) return unresolved(context, 'the response carries no groupId');
  const description = str(context.request.groupDescription);
  const vpcId = str(context.request.vpcId);
  const specs = context.request.tagSpecificationSet;
  const tags = Object.assign({}, ...items(specs).map((spec) => tagsOf(spec.tags)));
  const resource: Resource<typeof TYPE> = {
    ...groupResource(context, groupId, {
      groupName: groupName ?? groupId,
      ...(description ? { description } : {}),
      ...(vpcId ? { vpcId } : {}),
      // AWS refuses to create a group named "default"; the VPC's default group is never created by a call.
      isDefault: false,
      // AWS adds an allow-all egress rule to a new VPC group, which this record does not show.
      rules: [],
    }),
    tags,
  };
  return [upsert(context, resource, ['groupId', 'groupName', 'description', 'vpcId', 'isDefault'], { created: true })];
};

const deleteGroup: EventMapper = (context) => {
  const groupId = str(context.request.groupId);
  if (!groupId) return unresolved(context, 'the record names the group only by name');
  return [deletion(context, TYPE, groupId, sgArn(context, groupId))];
};

export const SECURITY_GROUP_EVENTS: Readonly<Record<string, EventMapper>> = {
  AuthorizeSecurityGroupIngress: authorize('ingress'),
  AuthorizeSecurityGroupEgress: authorize('egress'),
  ModifySecurityGroupRules: modifyRules,
  CreateSecurityGroup: createGroup,
  DeleteSecurityGroup: deleteGroup,
};
