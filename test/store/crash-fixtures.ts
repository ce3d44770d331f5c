// Listings for the crash test: every resource of listing N carries `generation: N`, so a scope caught
// half-way through a listing would show two generations at once.
import type { Resource } from '../../src/core/resource.js';
import type { ListingScope } from '../../src/store/store.js';

export const CRASH_ACCOUNT = '123456789012';
export const CRASH_SCOPES: readonly ListingScope[] = ['us-east-1', 'us-west-2', 'eu-west-1'].map(
  (region) => ({
    type: 'aws.ec2.security-group',
    account: CRASH_ACCOUNT,
    region,
  }),
);
export const RESOURCES_PER_SCOPE = 1500;

/** Which resources listing `generation` contains: a different fifth is missing each time, so every
 * listing deletes some resources and brings others back. */
export function isListed(index: number, generation: number): boolean {
  return (index + generation) % 5 !== 0;
}

export function listedIds(generation: number): string[] {
  const ids: string[] = [];
  for (let index = 0; index < RESOURCES_PER_SCOPE; index += 1)
    if (isListed(index, generation)) ids.push(groupId(index));
  return ids.sort();
}

function groupId(index: number): string {
  return `sg-${index.toString(16).padStart(17, '0')}`;
}

export function crashListing(
  scope: ListingScope,
  generation: number,
): Array<Resource<'aws.ec2.security-group'>> {
  const region = typeof scope.region === 'string' ? scope.region : (scope.region[0] ?? 'us-east-1');
  const out: Array<Resource<'aws.ec2.security-group'>> = [];
  for (let index = 0; index < RESOURCES_PER_SCOPE; index += 1) {
    if (!isListed(index, generation)) continue;
    const id = groupId(index);
    out.push({
      type: 'aws.ec2.security-group',
      account: scope.account,
      region,
      id,
      arn: `arn:aws:ec2:${region}:${scope.account}:security-group/${id}`,
      name: `crash-${index}`,
      tags: { generation: String(generation), Name: `crash-${index}` },
      config: {
        groupId: id,
        groupName: `crash-${index}`,
        description: 'a listing large enough that a kill lands inside its transaction',
        vpcId: 'vpc-0123456789abcdef0',
        isDefault: false,
        rules: Array.from({ length: 6 }, (_, rule) => ({
          ruleId: `sgr-${index}-${rule}`,
          direction: 'ingress' as const,
          protocol: 'tcp',
          fromPort: 1000 + rule,
          toPort: 1000 + rule,
          peer: { kind: 'ipv4' as const, cidr: `10.${rule}.${generation % 256}.0/24` },
          description: `generation ${generation} rule ${rule}`,
        })),
      },
    });
  }
  return out;
}
