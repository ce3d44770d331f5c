// Builds canonical security-group rules from template values, shared by CloudFormation and Terraform.
import { normalizePortRange, normalizeProtocol, type SgPeer, type SgRule } from '../../core/models/index.js';
import { isUnknown, unknownValue, type UnknownValue } from '../../core/unknown.js';

export interface RuleInput {
  readonly direction: 'ingress' | 'egress';
  /** As written: "-1", "tcp", 6, "6"…; undefined when absent. */
  readonly protocol: string | number | UnknownValue | undefined;
  readonly fromPort: number | UnknownValue | undefined;
  readonly toPort: number | UnknownValue | undefined;
  readonly peer: SgPeer;
  readonly description?: string;
}

/**
 * One canonical rule. Known protocol and ports are normalised as AWS reports them (all protocols →
 * 0..65535, tcp/udp with -1 or no ports → every port); what is unknown stays unknown.
 */
export function canonicalRule(input: RuleInput): SgRule {
  const { direction, peer, description } = input;
  const make = (protocol: SgRule['protocol'], fromPort: SgRule['fromPort'], toPort: SgRule['toPort']): SgRule => ({
    direction,
    protocol,
    fromPort,
    toPort,
    peer,
    ...(description === undefined ? {} : { description }),
  });
  if (input.protocol === undefined || isUnknown(input.protocol)) {
    const missing = unknownValue('the port range depends on the unknown protocol');
    return make(input.protocol ?? unknownValue('no IpProtocol given'), input.fromPort ?? missing, input.toPort ?? missing);
  }
  const protocol = normalizeProtocol(input.protocol);
  if (protocol === 'all') return make(protocol, 0, 65535);
  if (isUnknown(input.fromPort) || isUnknown(input.toPort)) {
    const missing = unknownValue('the other end of the port range is unknown');
    return make(protocol, input.fromPort ?? missing, input.toPort ?? missing);
  }
  const range = normalizePortRange(protocol, input.fromPort, input.toPort);
  return make(protocol, range.fromPort, range.toPort);
}

/** Stands for rules the source defines in a way leuko cannot read: every part unknown. */
export function unknownRule(direction: 'ingress' | 'egress', reason: string): SgRule {
  const unknown = unknownValue(reason);
  return {
    direction,
    protocol: unknown,
    fromPort: unknown,
    toPort: unknown,
    peer: { kind: 'ipv4', cidr: unknown },
    description: `unknown rules: ${reason}`,
  };
}

/**
 * The egress rule AWS adds to every new VPC security group (allow all IPv4 traffic out). CloudFormation
 * removes it only when the group's own SecurityGroupEgress lists rules; Terraform always removes it.
 * An IPv6 twin (::/0) exists only in VPCs with an IPv6 block, which a template alone cannot tell, so
 * it is not modelled.
 */
export function defaultEgressRule(): SgRule {
  return {
    direction: 'egress',
    protocol: 'all',
    fromPort: 0,
    toPort: 65535,
    peer: { kind: 'ipv4', cidr: '0.0.0.0/0' },
    description: 'default egress rule AWS adds to a new security group',
  };
}
