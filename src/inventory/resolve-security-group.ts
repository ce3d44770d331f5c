// Security-group id to name (Security Monkey's sg-id lookup), from the stored inventory.
import { NotFoundError } from '../core/errors.js';
import type { Store } from '../store/store.js';

export interface ResolvedSecurityGroup {
  readonly groupId: string;
  readonly name: string;
  readonly description?: string;
  readonly vpcId?: string;
  readonly account: string;
  readonly region: string;
  readonly arn: string;
  readonly deletedAt?: string;
}

export async function resolveSecurityGroups(store: Store, groupId: string): Promise<ResolvedSecurityGroup[]> {
  const matches = (await store.findResources(groupId)).filter((match) => match.resource.type === 'aws.ec2.security-group');
  if (matches.length === 0) throw new NotFoundError(`no security group ${groupId} in the store (run \`leuko scan\` first?)`);
  return matches.map(({ resource, deletedAt }) => {
    if (resource.type !== 'aws.ec2.security-group') throw new Error('unreachable');
    return {
      groupId: resource.config.groupId,
      name: resource.config.groupName,
      ...(resource.config.description ? { description: resource.config.description } : {}),
      ...(resource.config.vpcId ? { vpcId: resource.config.vpcId } : {}),
      account: resource.account,
      region: resource.region,
      arn: resource.arn,
      ...(deletedAt ? { deletedAt } : {}),
    };
  });
}
