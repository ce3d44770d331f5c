// Rule sg-ingress-baseline: an ingress rule outside the user's baseline of allowed (protocol, ports, peers).
import * as z from 'zod';
import { triAnd, triOr, type Tri } from '../core/engine/tri.js';
import { normalizeProtocol, type SgRule } from '../core/models/security-group.js';
import { cidrContains, parseCidr, type Cidr } from '../core/net/cidr.js';
import { ALL_PORTS, parsePortRange, type PortRange } from '../core/net/ports.js';
import { defineRule } from '../core/rule.js';
import { isUnknown } from '../core/unknown.js';
import { memoByParams } from './shared/memo.js';
import { REF } from './shared/references.js';
import { portBounds, protocolClass, ruleText, SG_TYPE } from './shared/sg.js';
import { checkSgRules, type SgRuleCheck } from './shared/sg-check.js';

const entrySchema = z
  .strictObject({
    /** tcp, udp, icmp, icmpv6, all (any protocol), or an IANA number; AWS spellings ("-1", "6") work too. */
    protocol: z.union([z.string(), z.number()]).transform((value) => normalizeProtocol(value)),
    /** "443", "8000-8999" or 443; omitted means every port of the protocol. Not for icmp. */
    ports: z
      .union([z.number(), z.string()])
      .refine((value) => parsePortRange(value) !== undefined, {
        message: 'must be a port (0-65535) or a range "from-to"',
      })
      .optional(),
    /** Source CIDRs: the rule's CIDR must lie inside one of them. */
    cidrs: z
      .array(
        z
          .string()
          .refine((value) => parseCidr(value) !== undefined, { message: 'is not a CIDR (e.g. 10.0.0.0/8)' }),
      )
      .optional(),
    /** Security-group peers allowed: group ids, or "*" for any group. */
    securityGroups: z.array(z.string().min(1)).optional(),
    /** Prefix-list peers allowed: pl- ids, or "*" for any. */
    prefixLists: z.array(z.string().min(1)).optional(),
    description: z.string().optional(),
  })
  .superRefine((entry, context) => {
    if (!entry.cidrs && !entry.securityGroups && !entry.prefixLists) {
      context.addIssue({
        code: 'custom',
        message: 'name the peers it allows: cidrs, securityGroups or prefixLists',
      });
    }
    if ((entry.protocol === 'icmp' || entry.protocol === 'icmpv6') && entry.ports !== undefined) {
      context.addIssue({ code: 'custom', path: ['ports'], message: 'icmp has no ports; leave ports out' });
    }
  });

export type BaselineEntry = z.infer<typeof entrySchema>;

export interface SgIngressBaselineParams {
  readonly baseline: readonly BaselineEntry[];
}

interface CompiledEntry {
  readonly protocol: string;
  readonly ports: PortRange;
  readonly cidrs: readonly Cidr[] | undefined;
  readonly anyGroup: boolean;
  readonly groups: ReadonlySet<string>;
  readonly anyPrefixList: boolean;
  readonly prefixLists: ReadonlySet<string>;
}

function compileEntries(params: SgIngressBaselineParams): CompiledEntry[] {
  return params.baseline.map((entry) => ({
    protocol: entry.protocol,
    ports: entry.ports === undefined ? ALL_PORTS : (parsePortRange(entry.ports) ?? ALL_PORTS),
    cidrs: entry.cidrs?.map((text) => parseCidr(text)).filter((cidr): cidr is Cidr => cidr !== undefined),
    anyGroup: entry.securityGroups?.includes('*') ?? false,
    groups: new Set(entry.securityGroups ?? []),
    anyPrefixList: entry.prefixLists?.includes('*') ?? false,
    prefixLists: new Set(entry.prefixLists ?? []),
  }));
}

function protocolWithin(rule: SgRule, entry: CompiledEntry): Tri {
  if (entry.protocol === 'all') return 'yes';
  if (isUnknown(rule.protocol)) return 'maybe';
  return rule.protocol === entry.protocol ? 'yes' : 'no';
}

function portsWithin(rule: SgRule, entry: CompiledEntry): Tri {
  const kind = protocolClass(rule.protocol);
  // icmp type/code and non-port protocols: the protocol match decides.
  if (kind === 'icmp' || kind === 'other') return 'yes';
  if (kind === 'all') return entry.ports.from <= 0 && entry.ports.to >= 65535 ? 'yes' : 'no';
  const { from, to } = portBounds(rule);
  if (from !== undefined && from < entry.ports.from) return 'no';
  if (to !== undefined && to > entry.ports.to) return 'no';
  return from === undefined || to === undefined || kind === 'unknown' ? 'maybe' : 'yes';
}

function peerWithin(rule: SgRule, entry: CompiledEntry): Tri {
  const peer = rule.peer;
  switch (peer.kind) {
    case 'ipv4':
    case 'ipv6': {
      if (!entry.cidrs) return 'no';
      if (isUnknown(peer.cidr)) return entry.cidrs.length > 0 ? 'maybe' : 'no';
      const cidr = parseCidr(peer.cidr);
      if (!cidr) return 'no';
      return entry.cidrs.some((allowed) => cidrContains(allowed, cidr)) ? 'yes' : 'no';
    }
    case 'security-group':
      if (entry.anyGroup) return 'yes';
      if (isUnknown(peer.groupId)) return entry.groups.size > 0 ? 'maybe' : 'no';
      return entry.groups.has(peer.groupId) ? 'yes' : 'no';
    case 'prefix-list':
      if (entry.anyPrefixList) return 'yes';
      if (isUnknown(peer.prefixListId)) return entry.prefixLists.size > 0 ? 'maybe' : 'no';
      return entry.prefixLists.has(peer.prefixListId) ? 'yes' : 'no';
  }
}

/** 'yes' when the rule is outside every entry; 'maybe' when an unknown value could put it inside one. */
function outsideBaseline(rule: SgRule, entries: readonly CompiledEntry[]): Tri {
  let within: Tri = 'no';
  for (const entry of entries) {
    within = triOr(
      within,
      triAnd(protocolWithin(rule, entry), triAnd(portsWithin(rule, entry), peerWithin(rule, entry))),
    );
    if (within === 'yes') return 'no';
  }
  return within === 'maybe' ? 'maybe' : 'yes';
}

// An empty baseline means "not configured", not "deny all": the engine refuses to enable it that way.
const checkOf = memoByParams((params: SgIngressBaselineParams): SgRuleCheck | undefined => {
  const entries = compileEntries(params);
  if (entries.length === 0) return undefined;
  return {
    direction: 'ingress',
    match: (rule) => outsideBaseline(rule, entries),
    message: (rule, tri) =>
      tri === 'yes'
        ? `${ruleText(rule)} is outside the ingress baseline`
        : `${ruleText(rule)} may be outside the ingress baseline: part of it is unknown`,
  };
});

export const sgIngressBaseline = defineRule<SgIngressBaselineParams>({
  id: 'sg-ingress-baseline',
  title: 'Security group ingress rule outside the approved baseline',
  severity: 'medium',
  resourceTypes: [SG_TYPE],
  rationale:
    'Allow-listing (InfraSecOps): instead of hunting for known-bad rules, every ingress rule must match an approved ' +
    'baseline entry (protocol, port range, source CIDRs or peer groups); anything else is drift. A rule is inside an ' +
    'entry when its protocol matches (entry "all" matches any), its port range lies inside the entry\'s, and its ' +
    "peer lies inside one of the entry's CIDRs or is a listed group or prefix list. Off until a baseline is set.",
  references: [REF.sgRules, REF.sgGuide],
  remediation: {
    action: 'revoke-security-group-rules',
    description: 'Revoke the rule, or add an entry to the baseline if the rule is approved.',
  },
  enabledByDefault: false,
  paramsSchema: z.strictObject({
    baseline: z.array(entrySchema).min(1, 'list at least one baseline entry to enable this rule'),
  }),
  defaultParams: { baseline: [] },
  check(resource, params) {
    const check = checkOf(params);
    return check ? checkSgRules(resource, check) : [];
  },
});
