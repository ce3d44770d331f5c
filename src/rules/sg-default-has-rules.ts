// Rule sg-default-has-rules: a VPC's default security group has inbound or outbound rules.
import { defineRule } from '../core/rule.js';
import { emptyParamsSchema, type EmptyParams } from './shared/empty-params.js';
import { isType, NO_VIOLATIONS } from './shared/narrow.js';
import { REF } from './shared/references.js';
import { SG_TYPE } from './shared/sg.js';

export const sgDefaultHasRules = defineRule<EmptyParams>({
  id: 'sg-default-has-rules',
  title: "VPC's default security group has rules",
  severity: 'low',
  resourceTypes: [SG_TYPE],
  rationale:
    'Resources launched without an explicit security group land in the default group. If it allows any traffic ' +
    '(AWS creates it with all-from-itself inbound and all-outbound), such resources silently get network access ' +
    'nobody designed. CIS recommends the default group restrict all traffic so every group in use is deliberate. ' +
    'One finding per group (part "default-group-rules"), listing the rules.',
  references: [`${REF.hubEc2}#ec2-2`, REF.defaultSg, REF.cisAws],
  remediation: {
    action: 'revoke-security-group-rules',
    description:
      'Revoke every rule of the default group; move resources that use it to purpose-made groups first.',
  },
  enabledByDefault: true,
  paramsSchema: emptyParamsSchema,
  defaultParams: {},
  check(resource) {
    if (!isType(resource, SG_TYPE)) return NO_VIOLATIONS;
    const group = resource.config;
    if (!group.isDefault || group.rules.length === 0) return NO_VIOLATIONS;
    const inbound = group.rules.filter((rule) => rule.direction === 'ingress').length;
    const outbound = group.rules.length - inbound;
    return [
      {
        part: 'default-group-rules',
        certainty: 'definite',
        message: `default security group ${group.groupId}${group.vpcId ? ` of ${group.vpcId}` : ''} has ${inbound} inbound and ${outbound} outbound rule${outbound === 1 ? '' : 's'}`,
        path: ['rules'],
        details: {
          inbound,
          outbound,
          ruleIds: group.rules.flatMap((rule) => (rule.ruleId ? [rule.ruleId] : [])),
        },
      },
    ];
  },
});
