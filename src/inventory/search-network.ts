// Security Monkey's search by IP/CIDR: security-group rules whose peer contains or overlaps a network,
// across every stored account and region.
import type { SgRule } from '../core/models/security-group.js';
import { cidrContains, cidrOverlaps, parseCidr, type Cidr } from '../core/net/index.js';
import { UsageError } from '../core/errors.js';
import { isUnknown } from '../core/unknown.js';
import type { Store } from '../store/store.js';

export type SearchDirection = 'ingress' | 'egress' | 'both';

export interface NetworkMatch {
  readonly account: string;
  readonly region: string;
  readonly groupId: string;
  readonly groupName: string;
  readonly vpcId?: string;
  readonly rule: SgRule;
  /** 'contains': the rule's peer covers the whole searched network; 'overlaps': only part of it. */
  readonly relation: 'contains' | 'overlaps';
}

export function parseSearchNetwork(input: { cidr?: string; ip?: string }): Cidr {
  if ((input.cidr === undefined) === (input.ip === undefined)) throw new UsageError('give exactly one of --cidr or --ip');
  const text = input.cidr ?? input.ip ?? '';
  if (input.ip !== undefined && text.includes('/')) throw new UsageError(`--ip takes an address, not a CIDR: "${text}"`);
  const network = parseCidr(text);
  if (!network) throw new UsageError(`"${text}" is not a valid ${input.ip !== undefined ? 'IP address' : 'CIDR'}`);
  return network;
}

export async function searchSecurityGroupRules(
  store: Store,
  network: Cidr,
  options: { direction?: SearchDirection; accounts?: readonly string[]; regions?: readonly string[] } = {},
): Promise<NetworkMatch[]> {
  const direction = options.direction ?? 'both';
  const matches: NetworkMatch[] = [];
  for await (const stored of store.iterateResources({
    types: ['aws.ec2.security-group'],
    ...(options.accounts ? { accounts: options.accounts } : {}),
    ...(options.regions ? { regions: options.regions } : {}),
  })) {
    const { resource } = stored;
    if (resource.type !== 'aws.ec2.security-group') continue;
    for (const rule of resource.config.rules) {
      if (direction !== 'both' && rule.direction !== direction) continue;
      if (rule.peer.kind !== 'ipv4' && rule.peer.kind !== 'ipv6') continue;
      if (isUnknown(rule.peer.cidr)) continue;
      const peer = parseCidr(rule.peer.cidr);
      if (!peer || !cidrOverlaps(peer, network)) continue;
      matches.push({
        account: resource.account,
        region: resource.region,
        groupId: resource.config.groupId,
        groupName: resource.config.groupName,
        ...(resource.config.vpcId ? { vpcId: resource.config.vpcId } : {}),
        rule,
        relation: cidrContains(peer, network) ? 'contains' : 'overlaps',
      });
    }
  }
  return matches;
}
