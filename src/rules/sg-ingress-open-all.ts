// Rule sg-ingress-open-all: a security group admits every protocol, or every tcp/udp port, from the internet.
import { defineRule } from '../core/rule.js';
import { emptyParamsSchema, type EmptyParams } from './shared/empty-params.js';
import { REF } from './shared/references.js';
import { matchOpenAll, peerText, RULE_OPEN_ALL, ruleText, SG_TYPE, trafficText } from './shared/sg.js';
import { checkSgRules, type SgRuleCheck } from './shared/sg-check.js';

export type SgIngressOpenAllParams = EmptyParams;

const CHECK: SgRuleCheck = {
  direction: 'ingress',
  match: matchOpenAll,
  message: (rule, tri) =>
    tri === 'yes'
      ? `${ruleText(rule)} allows ${trafficText(rule)} from ${peerText(rule.peer)}`
      : `${ruleText(rule)} may allow all traffic from the internet: part of it is unknown`,
};

export const sgIngressOpenAll = defineRule<SgIngressOpenAllParams>({
  id: RULE_OPEN_ALL,
  title: 'Security group allows all traffic from the internet',
  severity: 'critical',
  resourceTypes: [SG_TYPE],
  rationale:
    'An ingress rule from 0.0.0.0/0 or ::/0 on all protocols (IpProtocol -1) or on every tcp/udp port (0-65535) ' +
    'exposes every service on every attached network interface, including ones nobody meant to publish. ' +
    'First in the chain open-all, open-admin, open-db, open-port: a security-group rule reported here is not ' +
    'reported again by the others.',
  references: [REF.sgRules, `${REF.hubEc2}#ec2-18`, `${REF.hubEc2}#ec2-19`, REF.cisAws],
  remediation: {
    action: 'revoke-security-group-rules',
    description: 'Revoke the rule, then allow only the ports and source ranges the workload needs.',
  },
  enabledByDefault: true,
  paramsSchema: emptyParamsSchema,
  defaultParams: {},
  check(resource) {
    return checkSgRules(resource, CHECK);
  },
});
