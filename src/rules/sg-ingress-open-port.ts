// Rule sg-ingress-open-port: any other port reachable from the internet (80 and 443 allowed by default).
import * as z from 'zod';
import { normalizeRanges, parsePortRange, type PortRange } from '../core/net/ports.js';
import { defineRule } from '../core/rule.js';
import { memoByParams } from './shared/memo.js';
import { REF } from './shared/references.js';
import {
  matchOtherPorts,
  peerText,
  RULE_OPEN_PORT,
  ruleText,
  SG_TYPE,
  tierLink,
  trafficText,
  type SgTierLink,
} from './shared/sg.js';
import { checkSgRules, tierSkip, type SgRuleCheck } from './shared/sg-check.js';

export interface SgIngressOpenPortParams {
  /** Ports the internet may reach: numbers or "from-to" ranges. */
  readonly allowedPorts: ReadonlyArray<number | string>;
  /** Set by the engine from the other sg-ingress-open-* rules; not a leuko.yaml key. */
  readonly linked?: SgTierLink;
}

const portOrRangeSchema = z
  .union([z.number(), z.string()])
  .refine((value) => parsePortRange(value) !== undefined, {
    message: 'must be a port (0-65535) or a range "from-to"',
  });

const checkOf = memoByParams((params: SgIngressOpenPortParams): SgRuleCheck => {
  const allowed = normalizeRanges(
    params.allowedPorts
      .map((value) => parsePortRange(value))
      .filter((range): range is PortRange => range !== undefined),
  );
  return {
    direction: 'ingress',
    skip: tierSkip('port', params.linked),
    match: (rule) => matchOtherPorts(rule, allowed),
    message: (rule, tri) =>
      tri === 'yes'
        ? `${ruleText(rule)} opens ${trafficText(rule)} to ${peerText(rule.peer)}`
        : `${ruleText(rule)} may open a port to the internet: part of it is unknown`,
  };
});

export const sgIngressOpenPort = defineRule<SgIngressOpenPortParams>({
  id: RULE_OPEN_PORT,
  title: 'Security group allows a non-web port from the internet',
  severity: 'medium',
  resourceTypes: [SG_TYPE],
  rationale:
    'Every port open to 0.0.0.0/0 or ::/0 is attack surface; web ports (80, 443 by default, see allowedPorts) are ' +
    'usually intended, others rarely are. Last in the chain open-all, open-admin, open-db, open-port: it reports ' +
    'only security-group rules that touch none of the admin or database ports of the enabled rules before it, ' +
    'so one rule is reported once. Disabling an earlier rule hands its ports down here rather than hiding them.',
  references: [`${REF.hubEc2}#ec2-18`, REF.sgRules],
  remediation: {
    action: 'revoke-security-group-rules',
    description: 'Revoke the rule or narrow its source; put public services behind a load balancer.',
  },
  enabledByDefault: true,
  paramsSchema: z.strictObject({ allowedPorts: z.array(portOrRangeSchema) }),
  defaultParams: { allowedPorts: [80, 443] },
  linkParams: (params, paramsOf) => ({ ...params, linked: tierLink(paramsOf) }),
  check(resource, params) {
    return checkSgRules(resource, checkOf(params));
  },
});
