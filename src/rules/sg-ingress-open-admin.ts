// Rule sg-ingress-open-admin: SSH, RDP (or other configured admin ports) reachable from the internet.
import * as z from 'zod';
import { defineRule } from '../core/rule.js';
import { REF } from './shared/references.js';
import {
  DEFAULT_ADMIN_PORTS,
  exposedPorts,
  matchPorts,
  peerText,
  portListSchema,
  portName,
  RULE_OPEN_ADMIN,
  ruleText,
  SG_TYPE,
  tierLink,
  type SgTierLink,
} from './shared/sg.js';
import { memoByParams } from './shared/memo.js';
import { checkSgRules, tierSkip, type SgRuleCheck } from './shared/sg-check.js';

export interface SgIngressOpenAdminParams {
  readonly ports: readonly number[];
  /** Set by the engine from the other sg-ingress-open-* rules; not a leuko.yaml key. */
  readonly linked?: SgTierLink;
}

const checkOf = memoByParams((params: SgIngressOpenAdminParams): SgRuleCheck => ({
  direction: 'ingress',
  skip: tierSkip('admin', params.linked),
  match: (rule) => matchPorts(rule, params.ports),
  message: (rule, tri) => {
    const ports = exposedPorts(rule, params.ports).map(portName).join(', ');
    return tri === 'yes'
      ? `${ruleText(rule)} opens ${ports} to ${peerText(rule.peer)}`
      : `${ruleText(rule)} may open an admin port (${params.ports.map(portName).join(', ')}) to the internet: part of it is unknown`;
  },
  details: (rule) => ({ ports: exposedPorts(rule, params.ports) }),
}));

export const sgIngressOpenAdmin = defineRule<SgIngressOpenAdminParams>({
  id: RULE_OPEN_ADMIN,
  title: 'Security group allows remote administration (SSH/RDP) from the internet',
  severity: 'high',
  resourceTypes: [SG_TYPE],
  rationale:
    'SSH and RDP open to 0.0.0.0/0 or ::/0 are scanned and brute-forced within minutes of exposure. A port range ' +
    'that includes an admin port counts (0-1024 covers 22), as does an all-protocol rule. Use Session Manager, a ' +
    'VPN or a narrow source range instead. Second in the chain open-all, open-admin, open-db, open-port.',
  references: [
    `${REF.hubEc2}#ec2-13`,
    `${REF.hubEc2}#ec2-14`,
    `${REF.hubEc2}#ec2-53`,
    `${REF.hubEc2}#ec2-54`,
    REF.cisAws,
  ],
  remediation: {
    action: 'revoke-security-group-rules',
    description: 'Revoke the rule; reach instances through SSM Session Manager or from a known CIDR.',
  },
  enabledByDefault: true,
  paramsSchema: z.strictObject({
    ports: portListSchema.min(1, 'list at least one port (to turn the rule off, set enabled: false)'),
  }),
  defaultParams: { ports: DEFAULT_ADMIN_PORTS },
  linkParams: (params, paramsOf) => ({ ...params, linked: tierLink(paramsOf) }),
  check(resource, params) {
    return checkSgRules(resource, checkOf(params));
  },
});
