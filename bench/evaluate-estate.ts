// A deterministic, realistic estate for bench/evaluate.ts: all eight types over accounts and regions, listing by listing.
import type {
  AclGrant,
  BucketModel,
  DbInstanceModel,
  DbSnapshotModel,
  InstanceModel,
  PublicAccessBlock,
  SecurityGroupModel,
  SgPeer,
  SgRule,
  StackModel,
  TableModel,
  VolumeModel,
} from '../src/core/models/index.js';
import { ALL_USERS_URI, AUTHENTICATED_USERS_URI, LOG_DELIVERY_URI } from '../src/core/models/bucket.js';
import type { AnyResource, Resource } from '../src/core/resource.js';
import type { ResourceTypeId } from '../src/core/resource-types.js';
import type { ListingScope } from '../src/store/store.js';

import { mulberry32, type Random } from '../test/support/prng.js';

export { mulberry32, type Random };

/** FNV-1a over text: one independent random stream per listing, so listings can be made in any order. */
function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * Where resources live. Most in the allowed regions; sa-east-1 plays the forgotten experiment that
 * region-not-allowed exists for (allowed: every eu and us region, and ap-southeast-2).
 */
export const REGIONS: ReadonlyArray<readonly [region: string, weight: number]> = [
  ['us-east-1', 0.34],
  ['eu-west-1', 0.24],
  ['eu-central-1', 0.14],
  ['us-west-2', 0.14],
  ['ap-southeast-2', 0.1],
  ['sa-east-1', 0.04],
];
export const ALLOWED_REGIONS: readonly string[] = ['eu', 'us', 'ap-southeast-2'];

/** A shared-services account is big, sandboxes are small: account sizes fall off like an organisation's. */
const ACCOUNT_COUNT = 24;
export const ACCOUNTS: readonly string[] = Array.from(
  { length: ACCOUNT_COUNT },
  (_, index) => `${400000000000 + index * 7919}`,
);
const ACCOUNT_WEIGHTS = normalise(ACCOUNTS.map((_, index) => 1 / (1 + index * 0.35)));

/** Share of the estate per type: volumes and groups dominate real estates, stacks and tables are few. */
export const TYPE_MIX: ReadonlyArray<readonly [ResourceTypeId, number]> = [
  ['aws.ec2.security-group', 0.26],
  ['aws.ec2.instance', 0.19],
  ['aws.ec2.volume', 0.24],
  ['aws.s3.bucket', 0.07],
  ['aws.rds.db-instance', 0.03],
  ['aws.rds.db-snapshot', 0.11],
  ['aws.dynamodb.table', 0.06],
  ['aws.cloudformation.stack', 0.04],
];

function normalise(weights: readonly number[]): number[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return weights.map((weight) => weight / total);
}

/** Splits `total` over weights exactly (largest remainder), so the estate has exactly the size asked for. */
function apportion(total: number, weights: readonly number[]): number[] {
  const exact = weights.map((weight) => weight * total);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((sum, count) => sum + count, 0);
  const order = exact
    .map((value, index) => [value - Math.floor(value), index] as const)
    .sort((a, b) => b[0] - a[0]);
  for (const [, index] of order) {
    if (left <= 0) break;
    counts[index]! += 1;
    left -= 1;
  }
  return counts;
}

/** One applyListing call: a scope and how many resources it holds in each of its regions. */
export interface ListingPlan {
  readonly scope: ListingScope;
  readonly counts: ReadonlyArray<readonly [region: string, count: number]>;
  readonly total: number;
}

/**
 * The listings that make an estate of `total` resources: one per (type, account, region), except buckets,
 * which S3 lists per account across regions (one listing whose scope names every region).
 */
export function planEstate(total: number): ListingPlan[] {
  const byType = apportion(
    total,
    TYPE_MIX.map(([, share]) => share),
  );
  const plans: ListingPlan[] = [];
  TYPE_MIX.forEach(([type], typeIndex) => {
    const byAccount = apportion(byType[typeIndex]!, ACCOUNT_WEIGHTS);
    ACCOUNTS.forEach((account, accountIndex) => {
      const byRegion = apportion(
        byAccount[accountIndex]!,
        REGIONS.map(([, weight]) => weight),
      ).map((count, regionIndex) => [REGIONS[regionIndex]![0], count] as const);
      if (type === 'aws.s3.bucket') {
        const counts = byRegion.filter(([, count]) => count > 0);
        const sum = counts.reduce((acc, [, count]) => acc + count, 0);
        if (sum > 0)
          plans.push({
            scope: { type, account, region: REGIONS.map(([region]) => region) },
            counts,
            total: sum,
          });
        return;
      }
      for (const [region, count] of byRegion)
        if (count > 0)
          plans.push({ scope: { type, account, region }, counts: [[region, count]], total: count });
    });
  });
  return plans;
}

// ---------------------------------------------------------------------------------------------------
// Resources

interface Maker {
  readonly random: Random;
  readonly account: string;
  readonly region: string;
  readonly index: number;
}

const ENVS = ['prod', 'prod', 'staging', 'dev', 'dev', 'test'] as const;
const TEAMS = [
  'payments',
  'search',
  'identity',
  'data',
  'platform',
  'mobile',
  'growth',
  'ml',
  'edge',
  'billing',
];

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function hex(random: Random, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += Math.floor(random() * 16).toString(16);
  return text;
}

function chance(random: Random, probability: number): boolean {
  return random() < probability;
}

function isoBetween(random: Random, fromYear: number, toYear: number): string {
  const from = Date.UTC(fromYear, 0, 1);
  const to = Date.UTC(toYear, 0, 1);
  return new Date(from + Math.floor(random() * (to - from))).toISOString();
}

/** Tags as organisations tag: Name, env, team, cost centre, often the CloudFormation stack. */
function tagsOf(m: Maker, name: string): Record<string, string> {
  const env = pick(m.random, ENVS);
  const team = pick(m.random, TEAMS);
  const tags: Record<string, string> = {
    Name: name,
    env,
    team,
    'cost-center': `cc-${1000 + Math.floor(m.random() * 40)}`,
  };
  if (chance(m.random, 0.45)) {
    tags['aws:cloudformation:stack-name'] = `${team}-${env}-${Math.floor(m.random() * 30)}`;
    tags['aws:cloudformation:logical-id'] = `Resource${Math.floor(m.random() * 12)}`;
  }
  if (chance(m.random, 0.2)) tags.owner = `${team}@example.com`;
  return tags;
}

function arnOf(service: string, m: Maker, resource: string): string {
  return `arn:aws:${service}:${m.region}:${m.account}:${resource}`;
}

function cidrPeer(cidr: string): SgPeer {
  return cidr.includes(':') ? { kind: 'ipv6', cidr } : { kind: 'ipv4', cidr };
}

function sgRule(
  m: Maker,
  direction: SgRule['direction'],
  protocol: string,
  from: number,
  to: number,
  peer: SgPeer,
): SgRule {
  const rule: SgRule = {
    ruleId: `sgr-${hex(m.random, 17)}`,
    direction,
    protocol,
    fromPort: from,
    toPort: to,
    peer,
  };
  return chance(m.random, 0.35)
    ? { ...rule, description: pick(m.random, ['web', 'office', 'vpn', 'app tier', 'monitoring', 'bastion']) }
    : rule;
}

const INTERNAL = ['10.0.0.0/8', '10.20.0.0/16', '172.16.0.0/12', '192.168.10.0/24', '10.128.4.0/22'];
const OFFICE = ['203.0.113.0/24', '198.51.100.17/32', '192.0.2.0/26'];
const APP_PORTS: ReadonlyArray<readonly [number, number]> = [
  [8080, 8080],
  [8443, 8443],
  [9090, 9100],
  [3000, 3000],
  [5000, 5010],
];
const DB_PORTS = [5432, 3306, 6379, 27017, 9200, 1433];

function securityGroup(m: Maker): Resource<'aws.ec2.security-group'> {
  const r = m.random;
  const groupId = `sg-${hex(r, 17)}`;
  const vpcId = `vpc-${hex(r, 8)}`;
  const isDefault = chance(r, 0.04);
  const rules: SgRule[] = [];
  const groupPeer = (): SgPeer =>
    chance(r, 0.1)
      ? { kind: 'security-group', groupId: `sg-${hex(r, 17)}`, userId: pick(r, ACCOUNTS) }
      : { kind: 'security-group', groupId: `sg-${hex(r, 17)}` };
  if (isDefault) {
    // AWS's default rules: all from the group itself, all out. A remediated default group has none.
    if (chance(r, 0.65)) {
      rules.push(sgRule(m, 'ingress', 'all', 0, 65535, { kind: 'security-group', groupId }));
      rules.push(sgRule(m, 'egress', 'all', 0, 65535, cidrPeer('0.0.0.0/0')));
    }
  } else {
    const role = r();
    if (role < 0.3) {
      // A web tier: 443 (and often 80) from the world, v4 and sometimes v6.
      rules.push(sgRule(m, 'ingress', 'tcp', 443, 443, cidrPeer('0.0.0.0/0')));
      if (chance(r, 0.6)) rules.push(sgRule(m, 'ingress', 'tcp', 80, 80, cidrPeer('0.0.0.0/0')));
      if (chance(r, 0.3)) rules.push(sgRule(m, 'ingress', 'tcp', 443, 443, cidrPeer('::/0')));
    } else if (role < 0.55) {
      // An app tier: app ports from the load balancer's group and the VPC.
      const [from, to] = pick(r, APP_PORTS);
      rules.push(sgRule(m, 'ingress', 'tcp', from, to, groupPeer()));
      rules.push(sgRule(m, 'ingress', 'tcp', from, to, cidrPeer(pick(r, INTERNAL))));
    } else if (role < 0.75) {
      // A database tier: its port from the app groups.
      const port = pick(r, DB_PORTS);
      for (let i = 0, n = 1 + Math.floor(r() * 3); i < n; i++)
        rules.push(sgRule(m, 'ingress', 'tcp', port, port, groupPeer()));
    } else {
      // Everything else: a few internal and office ranges, a prefix list.
      for (let i = 0, n = 1 + Math.floor(r() * 4); i < n; i++) {
        const [from, to] = pick(r, APP_PORTS);
        rules.push(
          sgRule(m, 'ingress', pick(r, ['tcp', 'tcp', 'udp']), from, to, cidrPeer(pick(r, INTERNAL))),
        );
      }
      if (chance(r, 0.3))
        rules.push(
          sgRule(m, 'ingress', 'tcp', 443, 443, { kind: 'prefix-list', prefixListId: `pl-${hex(r, 8)}` }),
        );
    }
    // Administration from the office or VPN, and ICMP from inside.
    if (chance(r, 0.5))
      rules.push(sgRule(m, 'ingress', 'tcp', 22, 22, cidrPeer(pick(r, [...OFFICE, ...INTERNAL]))));
    if (chance(r, 0.2)) rules.push(sgRule(m, 'ingress', 'icmp', -1, -1, cidrPeer(pick(r, INTERNAL))));
    // The mistakes leuko is for, at rates seen in real estates.
    const mistake = r();
    if (mistake < 0.025) rules.push(sgRule(m, 'ingress', 'tcp', 22, 22, cidrPeer('0.0.0.0/0')));
    else if (mistake < 0.03) rules.push(sgRule(m, 'ingress', 'tcp', 3389, 3389, cidrPeer('0.0.0.0/0')));
    else if (mistake < 0.04) {
      const port = pick(r, DB_PORTS);
      rules.push(sgRule(m, 'ingress', 'tcp', port, port, cidrPeer('0.0.0.0/0')));
    } else if (mistake < 0.07)
      rules.push(sgRule(m, 'ingress', 'tcp', 8080, 8080, cidrPeer(pick(r, ['0.0.0.0/0', '::/0']))));
    else if (mistake < 0.075) rules.push(sgRule(m, 'ingress', 'all', 0, 65535, cidrPeer('0.0.0.0/0')));
    else if (mistake < 0.078) rules.push(sgRule(m, 'ingress', 'tcp', 0, 65535, cidrPeer('0.0.0.0/0')));
    // AWS adds allow-all egress to every new group; a few teams narrowed it.
    if (chance(r, 0.9)) rules.push(sgRule(m, 'egress', 'all', 0, 65535, cidrPeer('0.0.0.0/0')));
    else rules.push(sgRule(m, 'egress', 'tcp', 443, 443, cidrPeer('0.0.0.0/0')));
    if (chance(r, 0.15)) rules.push(sgRule(m, 'egress', 'all', 0, 65535, cidrPeer('::/0')));
  }
  const groupName = isDefault
    ? 'default'
    : `${pick(r, TEAMS)}-${pick(r, ['web', 'app', 'db', 'cache', 'batch', 'lb'])}-${m.index}`;
  const config: SecurityGroupModel = {
    groupId,
    groupName,
    description: isDefault ? 'default VPC security group' : `${groupName} security group`,
    vpcId,
    ownerId: m.account,
    isDefault,
    rules,
  };
  return {
    type: 'aws.ec2.security-group',
    account: m.account,
    region: m.region,
    id: groupId,
    arn: arnOf('ec2', m, `security-group/${groupId}`),
    name: groupName,
    tags: isDefault ? {} : tagsOf(m, groupName),
    config,
  };
}

function instance(m: Maker): Resource<'aws.ec2.instance'> {
  const r = m.random;
  const instanceId = `i-${hex(r, 17)}`;
  const az = `${m.region}${pick(r, ['a', 'b', 'c'])}`;
  const subnetId = `subnet-${hex(r, 17)}`;
  const groups = Array.from({ length: 1 + Math.floor(r() * 3) }, () => `sg-${hex(r, 17)}`);
  const privateIp = `10.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`;
  const publicIp = chance(r, 0.2)
    ? `52.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`
    : undefined;
  const volumes = Array.from({ length: 1 + Math.floor(r() * 2) }, (_, i) => ({
    volumeId: `vol-${hex(r, 17)}`,
    deviceName: i === 0 ? '/dev/xvda' : `/dev/sd${String.fromCharCode(102 + i)}`,
    deleteOnTermination: i === 0,
  }));
  const name = `${pick(r, TEAMS)}-${pick(r, ['api', 'worker', 'bastion', 'batch', 'web'])}-${m.index}`;
  const config: InstanceModel = {
    instanceId,
    state: chance(r, 0.82) ? 'running' : 'stopped',
    imageId: `ami-${hex(r, 17)}`,
    instanceType: pick(r, ['t3.micro', 't3.large', 'm6i.large', 'm6i.2xlarge', 'c6g.xlarge', 'r6i.large']),
    launchTime: isoBetween(r, 2021, 2025),
    vpcId: `vpc-${hex(r, 8)}`,
    subnetId,
    availabilityZone: az,
    privateIpAddress: privateIp,
    ...(publicIp ? { publicIpAddress: publicIp } : {}),
    ...(chance(r, 0.4) ? { keyName: `${pick(r, TEAMS)}-key` } : {}),
    securityGroupIds: groups,
    networkInterfaces: [
      {
        networkInterfaceId: `eni-${hex(r, 17)}`,
        subnetId,
        privateIpAddress: privateIp,
        ...(publicIp ? { publicIpAddress: publicIp } : {}),
        securityGroupIds: groups,
      },
    ],
    volumes,
    ...(chance(r, 0.7)
      ? { iamInstanceProfileArn: `arn:aws:iam::${m.account}:instance-profile/${pick(r, TEAMS)}-role` }
      : {}),
    metadataHttpTokens: chance(r, 0.7) ? 'required' : 'optional',
  };
  return {
    type: 'aws.ec2.instance',
    account: m.account,
    region: m.region,
    id: instanceId,
    arn: arnOf('ec2', m, `instance/${instanceId}`),
    name,
    tags: tagsOf(m, name),
    config,
  };
}

function volume(m: Maker): Resource<'aws.ec2.volume'> {
  const r = m.random;
  const volumeId = `vol-${hex(r, 17)}`;
  const encrypted = chance(r, 0.93);
  const attached = chance(r, 0.85);
  const config: VolumeModel = {
    volumeId,
    sizeGiB: pick(r, [8, 20, 30, 50, 100, 200, 500, 1000]),
    volumeType: pick(r, ['gp3', 'gp3', 'gp2', 'io2', 'st1']),
    encrypted,
    ...(encrypted
      ? {
          kmsKeyId: `arn:aws:kms:${m.region}:${m.account}:key/${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)}`,
        }
      : {}),
    availabilityZone: `${m.region}${pick(r, ['a', 'b', 'c'])}`,
    state: attached ? 'in-use' : 'available',
    ...(chance(r, 0.6) ? { snapshotId: `snap-${hex(r, 17)}` } : {}),
    attachments: attached
      ? [
          {
            instanceId: `i-${hex(r, 17)}`,
            device: '/dev/xvda',
            state: 'attached',
            deleteOnTermination: chance(r, 0.8),
          },
        ]
      : [],
  };
  return {
    type: 'aws.ec2.volume',
    account: m.account,
    region: m.region,
    id: volumeId,
    arn: arnOf('ec2', m, `volume/${volumeId}`),
    tags: chance(r, 0.7) ? tagsOf(m, volumeId) : {},
    config,
  };
}

const BLOCK_ALL: PublicAccessBlock = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};
const BLOCK_NONE: PublicAccessBlock = {
  blockPublicAcls: false,
  ignorePublicAcls: false,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
};
const BLOCK_ACLS_ONLY: PublicAccessBlock = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
};

/** Bucket policies as they are found: TLS-only denies, service and partner grants, VPC-endpoint reads, a few public reads. */
function bucketPolicy(m: Maker, name: string): unknown {
  const r = m.random;
  const resource = [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`];
  const statements: unknown[] = [
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: resource,
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ];
  const kind = r();
  if (kind < 0.3)
    statements.push({
      Sid: 'AllowLogDelivery',
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${name}/*`,
      Condition: { StringEquals: { 'aws:SourceAccount': m.account } },
    });
  else if (kind < 0.55)
    statements.push({
      Sid: 'AllowFromVpce',
      Effect: 'Allow',
      Principal: '*',
      Action: ['s3:GetObject', 's3:ListBucket'],
      Resource: resource,
      Condition: { StringEquals: { 'aws:SourceVpce': `vpce-${hex(r, 17)}` } },
    });
  else if (kind < 0.8)
    statements.push({
      Sid: 'AllowPartner',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${pick(r, ACCOUNTS)}:root` },
      Action: ['s3:GetObject'],
      Resource: `arn:aws:s3:::${name}/*`,
    });
  else if (kind < 0.95)
    statements.push({
      Sid: 'AllowOrg',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${name}/*`,
      Condition: { StringEquals: { 'aws:PrincipalOrgID': `o-${hex(r, 10)}` } },
    });
  else
    statements.push({
      Sid: 'PublicRead',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${name}/*`,
    });
  return { Version: '2012-10-17', Statement: statements };
}

function bucket(m: Maker, accountBlock: PublicAccessBlock | null): Resource<'aws.s3.bucket'> {
  const r = m.random;
  const name = `${pick(r, TEAMS)}-${pick(r, ['logs', 'assets', 'data', 'backups', 'artifacts', 'exports'])}-${m.account}-${m.index}`;
  const ownerId = hex(r, 64);
  const grants: AclGrant[] = [
    { grantee: { kind: 'canonical-user', id: ownerId, displayName: 'owner' }, permission: 'FULL_CONTROL' },
  ];
  const ownership = pick(r, [
    'BucketOwnerEnforced',
    'BucketOwnerEnforced',
    'BucketOwnerEnforced',
    'BucketOwnerPreferred',
    'ObjectWriter',
  ]);
  if (ownership !== 'BucketOwnerEnforced') {
    const acl = r();
    if (acl < 0.1)
      grants.push(
        { grantee: { kind: 'group', uri: LOG_DELIVERY_URI }, permission: 'WRITE' },
        { grantee: { kind: 'group', uri: LOG_DELIVERY_URI }, permission: 'READ_ACP' },
      );
    else if (acl < 0.14) grants.push({ grantee: { kind: 'group', uri: ALL_USERS_URI }, permission: 'READ' });
    else if (acl < 0.15)
      grants.push({ grantee: { kind: 'group', uri: AUTHENTICATED_USERS_URI }, permission: 'READ' });
  }
  const block = r();
  const config: BucketModel = {
    name,
    region: m.region,
    creationDate: isoBetween(r, 2015, 2025),
    acl: { ownerId, grants },
    objectOwnership: ownership,
    policy: chance(r, 0.45) ? bucketPolicy(m, name) : null,
    publicAccessBlock:
      block < 0.78 ? BLOCK_ALL : block < 0.88 ? null : block < 0.95 ? BLOCK_ACLS_ONLY : BLOCK_NONE,
    accountPublicAccessBlock: accountBlock,
    encryption: chance(r, 0.7)
      ? { rules: [{ algorithm: 'AES256', bucketKeyEnabled: false }] }
      : {
          rules: [
            {
              algorithm: 'aws:kms',
              kmsKeyId: `arn:aws:kms:${m.region}:${m.account}:key/${hex(r, 8)}-${hex(r, 4)}`,
              bucketKeyEnabled: true,
            },
          ],
        },
    versioning: pick(r, ['Enabled', 'Enabled', 'Suspended', 'Off']),
  };
  return {
    type: 'aws.s3.bucket',
    account: m.account,
    region: m.region,
    id: name,
    arn: `arn:aws:s3:::${name}`,
    name,
    tags: chance(r, 0.8) ? tagsOf(m, name) : {},
    config,
  };
}

function dbInstance(m: Maker): Resource<'aws.rds.db-instance'> {
  const r = m.random;
  const id = `${pick(r, TEAMS)}-${pick(r, ['orders', 'users', 'ledger', 'events', 'catalog'])}-${m.index}`;
  const engine = pick(r, [
    'postgres',
    'postgres',
    'mysql',
    'aurora-postgresql',
    'aurora-mysql',
    'sqlserver-se',
  ]);
  const encrypted = chance(r, 0.94);
  const config: DbInstanceModel = {
    dbInstanceIdentifier: id,
    engine,
    engineVersion: pick(r, ['15.4', '16.2', '8.0.35', '14.9']),
    instanceClass: pick(r, ['db.t3.medium', 'db.r6g.large', 'db.m6i.xlarge']),
    status: 'available',
    publiclyAccessible: chance(r, 0.03),
    storageEncrypted: encrypted,
    ...(encrypted ? { kmsKeyId: `arn:aws:kms:${m.region}:${m.account}:key/${hex(r, 8)}` } : {}),
    vpcSecurityGroupIds: [`sg-${hex(r, 17)}`],
    dbSubnetGroupName: `${id}-subnets`,
    multiAz: chance(r, 0.5),
    deletionProtection: chance(r, 0.6),
    backupRetentionPeriod: pick(r, [1, 7, 14, 35]),
    endpoint: {
      address: `${id}.${hex(r, 12)}.${m.region}.rds.amazonaws.com`,
      port: engine.includes('postgres') ? 5432 : 3306,
    },
  };
  return {
    type: 'aws.rds.db-instance',
    account: m.account,
    region: m.region,
    id,
    arn: arnOf('rds', m, `db:${id}`),
    tags: tagsOf(m, id),
    config,
  };
}

function dbSnapshot(m: Maker): Resource<'aws.rds.db-snapshot'> {
  const r = m.random;
  const instanceId = `${pick(r, TEAMS)}-${pick(r, ['orders', 'users', 'ledger', 'events', 'catalog'])}-${Math.floor(r() * 5000)}`;
  const manual = chance(r, 0.3);
  const created = isoBetween(r, 2023, 2025);
  const id = manual
    ? `${instanceId}-manual-${m.index}`
    : `rds:${instanceId}-${created.slice(0, 10)}-${m.index}`;
  const encrypted = chance(r, 0.9);
  const share = r();
  const config: DbSnapshotModel = {
    dbSnapshotIdentifier: id,
    dbInstanceIdentifier: instanceId,
    snapshotType: manual ? 'manual' : 'automated',
    status: 'available',
    engine: pick(r, ['postgres', 'mysql']),
    encrypted,
    ...(encrypted ? { kmsKeyId: `arn:aws:kms:${m.region}:${m.account}:key/${hex(r, 8)}` } : {}),
    snapshotCreateTime: created,
    restoreAccounts: !manual || share < 0.9 ? [] : share < 0.985 ? [pick(r, ACCOUNTS)] : ['all'],
  };
  return {
    type: 'aws.rds.db-snapshot',
    account: m.account,
    region: m.region,
    id,
    arn: arnOf('rds', m, `snapshot:${id}`),
    tags: chance(r, 0.5) ? tagsOf(m, id) : {},
    config,
  };
}

function table(m: Maker): Resource<'aws.dynamodb.table'> {
  const r = m.random;
  const tableName = `${pick(r, TEAMS)}-${pick(r, ['sessions', 'orders', 'events', 'locks', 'profiles'])}-${m.index}`;
  const encryption = pick(r, ['AWS_OWNED', 'AWS_OWNED', 'AWS_MANAGED', 'CUSTOMER_MANAGED'] as const);
  const config: TableModel = {
    tableName,
    status: 'ACTIVE',
    billingMode: pick(r, ['PAY_PER_REQUEST', 'PROVISIONED']),
    encryption,
    ...(encryption === 'CUSTOMER_MANAGED'
      ? { kmsKeyArn: `arn:aws:kms:${m.region}:${m.account}:key/${hex(r, 8)}` }
      : {}),
    pointInTimeRecovery: chance(r, 0.68),
    deletionProtection: chance(r, 0.4),
    itemCount: Math.floor(r() * 10_000_000),
    creationDateTime: isoBetween(r, 2019, 2025),
  };
  return {
    type: 'aws.dynamodb.table',
    account: m.account,
    region: m.region,
    id: tableName,
    arn: arnOf('dynamodb', m, `table/${tableName}`),
    tags: tagsOf(m, tableName),
    config,
  };
}

function stack(m: Maker): Resource<'aws.cloudformation.stack'> {
  const r = m.random;
  const stackName = `${pick(r, TEAMS)}-${pick(r, ENVS)}-${pick(r, ['network', 'service', 'pipeline', 'data'])}-${m.index}`;
  const stackId = arnOf(
    'cloudformation',
    m,
    `stack/${stackName}/${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)}`,
  );
  const config: StackModel = {
    stackName,
    stackId,
    status: pick(r, ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE']),
    description: `${stackName} (managed by the platform pipeline)`,
    creationTime: isoBetween(r, 2019, 2024),
    ...(chance(r, 0.7) ? { lastUpdatedTime: isoBetween(r, 2024, 2025) } : {}),
    terminationProtection: chance(r, 0.3),
    ...(chance(r, 0.5) ? { roleArn: `arn:aws:iam::${m.account}:role/cfn-deployer` } : {}),
  };
  return {
    type: 'aws.cloudformation.stack',
    account: m.account,
    region: m.region,
    id: stackName,
    arn: stackId,
    tags: tagsOf(m, stackName),
    config,
  };
}

/** The account-wide S3 block: about half the accounts have turned it on. */
function accountBlockOf(seed: number, account: string): PublicAccessBlock | null {
  return mulberry32(seedOf(`${seed}|account-block|${account}`))() < 0.5 ? BLOCK_ALL : null;
}

/** The resources of one listing; the same seed and plan always give the same resources. */
export function makeListing(seed: number, plan: ListingPlan): AnyResource[] {
  const { type, account } = plan.scope;
  const out: AnyResource[] = [];
  for (const [region, count] of plan.counts) {
    const random = mulberry32(seedOf(`${seed}|${type}|${account}|${region}`));
    for (let index = 0; index < count; index++) {
      const m: Maker = { random, account, region, index };
      switch (type) {
        case 'aws.ec2.security-group':
          out.push(securityGroup(m));
          break;
        case 'aws.ec2.instance':
          out.push(instance(m));
          break;
        case 'aws.ec2.volume':
          out.push(volume(m));
          break;
        case 'aws.s3.bucket':
          out.push(bucket(m, accountBlockOf(seed, account)));
          break;
        case 'aws.rds.db-instance':
          out.push(dbInstance(m));
          break;
        case 'aws.rds.db-snapshot':
          out.push(dbSnapshot(m));
          break;
        case 'aws.dynamodb.table':
          out.push(table(m));
          break;
        case 'aws.cloudformation.stack':
          out.push(stack(m));
          break;
      }
    }
  }
  return out;
}
