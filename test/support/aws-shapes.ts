// Test-only mappers from recorded AWS shapes (botocore-parsed API responses, Panther resource snapshots) to
// leuko's canonical models. Not shipped: the real mappers live in src/aws; these exist so rule tests can
// run on real recorded data without depending on code other modules are still writing.
import type { AclGrant, BucketModel, PublicAccessBlock } from '../../src/core/models/bucket.js';
import type { DbInstanceModel } from '../../src/core/models/db-instance.js';
import type { DbSnapshotModel } from '../../src/core/models/db-snapshot.js';
import {
  normalizePortRange,
  normalizeProtocol,
  type SecurityGroupModel,
  type SgPeer,
  type SgRule,
} from '../../src/core/models/security-group.js';
import type { VolumeModel } from '../../src/core/models/volume.js';
import type { Resource } from '../../src/core/resource.js';
import { unknownValue } from '../../src/core/unknown.js';

export type Json = Record<string, unknown>;

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const numberOrNull = (value: unknown): number | null => (typeof value === 'number' ? value : null);

// ---- security groups (DescribeSecurityGroups' nested IpPermissions; Panther uses the same shape) ----

function permissionsToRules(permissions: unknown, direction: 'ingress' | 'egress'): SgRule[] {
  const rules: SgRule[] = [];
  for (const permission of list(permissions)) {
    const protocol = normalizeProtocol(text(permission.IpProtocol) ?? String(permission.IpProtocol ?? '-1'));
    const ports = normalizePortRange(
      protocol,
      numberOrNull(permission.FromPort),
      numberOrNull(permission.ToPort),
    );
    const add = (peer: SgPeer) =>
      rules.push({ direction, protocol, fromPort: ports.fromPort, toPort: ports.toPort, peer });
    for (const range of list(permission.IpRanges))
      add({ kind: 'ipv4', cidr: text(range.CidrIp) ?? unknownValue('no CidrIp') });
    for (const range of list(permission.Ipv6Ranges))
      add({ kind: 'ipv6', cidr: text(range.CidrIpv6) ?? unknownValue('no CidrIpv6') });
    for (const pair of list(permission.UserIdGroupPairs)) {
      add({
        kind: 'security-group',
        groupId: text(pair.GroupId) ?? unknownValue('no GroupId'),
        ...(text(pair.UserId) ? { userId: text(pair.UserId)! } : {}),
      });
    }
    for (const prefix of list(permission.PrefixListIds))
      add({ kind: 'prefix-list', prefixListId: text(prefix.PrefixListId) ?? unknownValue('no id') });
  }
  return rules;
}

export function securityGroupResource(
  group: Json,
  where: { account?: string; region?: string } = {},
): Resource<'aws.ec2.security-group'> {
  const groupId = text(group.GroupId) ?? 'sg-unknown';
  const config: SecurityGroupModel = {
    groupId,
    groupName: text(group.GroupName) ?? '',
    ...(text(group.Description) ? { description: text(group.Description)! } : {}),
    ...(text(group.VpcId) ? { vpcId: text(group.VpcId)! } : {}),
    ...(text(group.OwnerId) ? { ownerId: text(group.OwnerId)! } : {}),
    isDefault: group.GroupName === 'default',
    rules: [
      ...permissionsToRules(group.IpPermissions, 'ingress'),
      ...permissionsToRules(group.IpPermissionsEgress, 'egress'),
    ],
  };
  const account = where.account ?? text(group.OwnerId) ?? '123456789012';
  const region = where.region ?? 'us-east-1';
  return {
    type: 'aws.ec2.security-group',
    account,
    region,
    id: groupId,
    arn: `arn:aws:ec2:${region}:${account}:security-group/${groupId}`,
    tags: {},
    config,
  };
}

// ---- S3 -------------------------------------------------------------------------------------------

/** GetBucketAcl Grants (or Panther's Grants) to canonical grants; the URI decides a group grantee. */
export function grantsFromApi(grants: unknown): AclGrant[] {
  return list(grants).map((grant) => {
    const grantee = (grant.Grantee ?? {}) as Json;
    const permission = text(grant.Permission) ?? '';
    // Panther's fixtures label group grantees "CanonicalUser" but give the group URI: the URI is what S3 reads.
    if (text(grantee.URI)) return { grantee: { kind: 'group', uri: text(grantee.URI)! }, permission };
    if (text(grantee.EmailAddress))
      return { grantee: { kind: 'email', email: text(grantee.EmailAddress)! }, permission };
    return { grantee: { kind: 'canonical-user', id: text(grantee.ID) ?? '' }, permission };
  });
}

export function blockFromApi(block: unknown): PublicAccessBlock | null {
  if (typeof block !== 'object' || block === null) return null;
  const flags = block as Json;
  return {
    blockPublicAcls: flags.BlockPublicAcls === true,
    ignorePublicAcls: flags.IgnorePublicAcls === true,
    blockPublicPolicy: flags.BlockPublicPolicy === true,
    restrictPublicBuckets: flags.RestrictPublicBuckets === true,
  };
}

export function bucketResource(
  name: string,
  parts: Partial<BucketModel>,
  where: { account?: string; region?: string } = {},
): Resource<'aws.s3.bucket'> {
  const region = where.region ?? parts.region ?? 'us-east-1';
  const config: BucketModel = {
    name,
    region,
    acl: { grants: [] },
    policy: null,
    publicAccessBlock: null,
    accountPublicAccessBlock: null,
    encryption: null,
    versioning: 'Off',
    ...parts,
  };
  return {
    type: 'aws.s3.bucket',
    account: where.account ?? '123456789012',
    region,
    id: name,
    arn: `arn:aws:s3:::${name}`,
    tags: {},
    config,
  };
}

/** A Panther AWS.S3.Bucket snapshot; a null field is what the snapshot could not tell (unknown). */
export function pantherBucket(resource: Json): Resource<'aws.s3.bucket'> {
  const name = text(resource.Name) ?? 'bucket';
  return bucketResource(
    name,
    {
      region: text(resource.Region) ?? text(resource.Location) ?? 'us-east-1',
      acl:
        resource.Grants === null || resource.Grants === undefined
          ? unknownValue('snapshot has no Grants')
          : { grants: grantsFromApi(resource.Grants) },
      policy: text(resource.Policy) ?? null,
      publicAccessBlock: blockFromApi(resource.PublicAccessBlockConfiguration),
    },
    { account: text(resource.AccountId) ?? '123456789012' },
  );
}

// ---- RDS and EBS ----------------------------------------------------------------------------------

export function pantherDbInstance(resource: Json): Resource<'aws.rds.db-instance'> {
  const id = text(resource.DBInstanceIdentifier) ?? 'db';
  const config: DbInstanceModel = {
    dbInstanceIdentifier: id,
    ...(text(resource.Engine) ? { engine: text(resource.Engine)! } : {}),
    publiclyAccessible: resource.PubliclyAccessible === true,
    storageEncrypted: resource.StorageEncrypted === true,
    ...(text(resource.KmsKeyId) ? { kmsKeyId: text(resource.KmsKeyId)! } : {}),
    vpcSecurityGroupIds: list(resource.VpcSecurityGroups).flatMap((group) =>
      text(group.VpcSecurityGroupId) ? [text(group.VpcSecurityGroupId)!] : [],
    ),
  };
  return {
    type: 'aws.rds.db-instance',
    account: '123456789012',
    region: 'us-west-2',
    id,
    arn: text(resource.DBInstanceArn) ?? id,
    tags: {},
    config,
  };
}

/** Panther attaches DescribeDBSnapshotAttributes results to the instance; each becomes a snapshot model. */
export function pantherDbSnapshots(resource: Json): Array<Resource<'aws.rds.db-snapshot'>> {
  return list(resource.SnapshotAttributes).map((snapshot) => {
    const id = text(snapshot.DBSnapshotIdentifier) ?? 'snapshot';
    const restore = list(snapshot.DBSnapshotAttributes).find(
      (attribute) => attribute.AttributeName === 'restore',
    );
    const values = restore?.AttributeValues;
    // Panther's fixtures carry one value as a bare string; AWS always returns a list.
    const restoreAccounts =
      typeof values === 'string' ? [values] : Array.isArray(values) ? values.map(String) : [];
    const config: DbSnapshotModel = { dbSnapshotIdentifier: id, encrypted: false, restoreAccounts };
    return {
      type: 'aws.rds.db-snapshot',
      account: '123456789012',
      region: 'us-west-2',
      id,
      arn: id,
      tags: {},
      config,
    };
  });
}

export function pantherVolume(resource: Json): Resource<'aws.ec2.volume'> {
  const id = text(resource.VolumeId) ?? text(resource.Id) ?? 'vol';
  const config: VolumeModel = { volumeId: id, encrypted: resource.Encrypted === true, attachments: [] };
  return {
    type: 'aws.ec2.volume',
    account: '123456789012',
    region: text(resource.Region) ?? 'us-west-2',
    id,
    arn: id,
    tags: {},
    config,
  };
}
