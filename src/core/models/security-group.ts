// Canonical model of an EC2 security group: its rules flattened to one peer each.
import * as z from 'zod';
import { uncertain } from '../unknown.js';

/**
 * Protocol as leuko names it: 'all' (AWS "-1"), 'tcp', 'udp', 'icmp', 'icmpv6', or the IANA number as a
 * string for anything else. Sources normalise with `normalizeProtocol`.
 */
export const sgProtocolSchema = uncertain(z.string());

export const sgPeerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ipv4'), cidr: uncertain(z.string()) }),
  z.object({ kind: z.literal('ipv6'), cidr: uncertain(z.string()) }),
  z.object({
    kind: z.literal('security-group'),
    groupId: uncertain(z.string()),
    /** Owning account of the peer group, where AWS reports it (cross-account references). */
    userId: z.string().optional(),
  }),
  z.object({ kind: z.literal('prefix-list'), prefixListId: uncertain(z.string()) }),
]);

export const sgRuleSchema = z.object({
  /** sgr-… id from AWS; absent for rules built from templates. */
  ruleId: z.string().optional(),
  direction: z.enum(['ingress', 'egress']),
  protocol: sgProtocolSchema,
  /**
   * Port range, inclusive. For 'all' and for tcp/udp with no range, 0..65535. For icmp, fromPort is the
   * ICMP type and toPort the code (-1 = any), as AWS reports them.
   */
  fromPort: uncertain(z.number().int()),
  toPort: uncertain(z.number().int()),
  peer: sgPeerSchema,
  description: z.string().optional(),
});

export const securityGroupSchema = z.object({
  groupId: z.string(),
  groupName: z.string(),
  description: z.string().optional(),
  vpcId: z.string().optional(),
  ownerId: z.string().optional(),
  /** The VPC's default group (name "default"), which AWS creates and which cannot be deleted. */
  isDefault: z.boolean(),
  rules: z.array(sgRuleSchema),
});

export type SgPeer = z.infer<typeof sgPeerSchema>;
export type SgRule = z.infer<typeof sgRuleSchema>;
export type SecurityGroupModel = z.infer<typeof securityGroupSchema>;

const PROTOCOL_NAMES: Readonly<Record<string, string>> = {
  '-1': 'all',
  all: 'all',
  '6': 'tcp',
  tcp: 'tcp',
  '17': 'udp',
  udp: 'udp',
  '1': 'icmp',
  icmp: 'icmp',
  '58': 'icmpv6',
  icmpv6: 'icmpv6',
};

/** Maps AWS and CloudFormation spellings ("-1", "6", "TCP") to leuko's protocol names. */
export function normalizeProtocol(protocol: string | number): string {
  const key = String(protocol).trim().toLowerCase();
  return PROTOCOL_NAMES[key] ?? key;
}

/**
 * Canonical port range for a protocol: all-protocol and unspecified tcp/udp ranges mean every port.
 * AWS reports -1/-1 (or nothing) for "all ports".
 */
export function normalizePortRange(
  protocol: string,
  fromPort: number | undefined | null,
  toPort: number | undefined | null,
): { fromPort: number; toPort: number } {
  if (protocol === 'all') return { fromPort: 0, toPort: 65535 };
  if (protocol === 'icmp' || protocol === 'icmpv6') return { fromPort: fromPort ?? -1, toPort: toPort ?? -1 };
  if (fromPort === undefined || fromPort === null || fromPort === -1) return { fromPort: 0, toPort: 65535 };
  return { fromPort, toPort: toPort === undefined || toPort === null || toPort === -1 ? fromPort : toPort };
}
