// Rule sg-egress-open-all: a security group allows all outbound traffic to the internet (off by default).
import { certaintyOf } from '../core/engine/tri.js';
import { defineRule } from '../core/rule.js';
import { emptyParamsSchema, type EmptyParams } from './shared/empty-params.js';
import { REF } from './shared/references.js';
import { peerText, protocolClass, ruleText, SG_TYPE, worldPeer } from './shared/sg.js';
import { checkSgRules, type SgRuleCheck } from './shared/sg-check.js';

const CHECK: SgRuleCheck = {
  direction: 'egress',
  match: (rule) => {
    const kind = protocolClass(rule.protocol);
    if (kind !== 'all' && kind !== 'unknown') return 'no';
    const world = worldPeer(rule.peer);
    if (world === 'no') return 'no';
    return kind === 'unknown' ? 'maybe' : world;
  },
  message: (rule, tri) =>
    certaintyOf(tri) === 'definite'
      ? `${ruleText(rule)} allows all outbound traffic to ${peerText(rule.peer)}`
      : `${ruleText(rule)} may allow all outbound traffic to the internet: part of it is unknown`,
};

export const sgEgressOpenAll = defineRule<EmptyParams>({
  id: 'sg-egress-open-all',
  title: 'Security group allows all outbound traffic to the internet',
  severity: 'low',
  resourceTypes: [SG_TYPE],
  rationale:
    'Unrestricted egress lets a compromised workload reach command-and-control servers and exfiltrate data over any ' +
    'port. AWS adds exactly this rule to every new security group, so it is off by default: turn it on where egress ' +
    'is meant to be controlled (enabled: true).',
  references: [REF.sgRules, REF.sgGuide],
  remediation: {
    action: 'revoke-security-group-rules',
    description: 'Replace the allow-all egress rule with the destinations and ports the workload needs.',
  },
  enabledByDefault: false,
  paramsSchema: emptyParamsSchema,
  defaultParams: {},
  check(resource) {
    return checkSgRules(resource, CHECK);
  },
});
