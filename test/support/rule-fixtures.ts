// Builders for canonical resources and the table runner every rule test uses (numbered cases).
import { expect, it } from 'vitest';
import type { BucketModel, PublicAccessBlock } from '../../src/core/models/bucket.js';
import type { DbInstanceModel } from '../../src/core/models/db-instance.js';
import type { DbSnapshotModel } from '../../src/core/models/db-snapshot.js';
import type { SecurityGroupModel, SgPeer, SgRule } from '../../src/core/models/security-group.js';
import type { TableModel } from '../../src/core/models/table.js';
import type { VolumeModel } from '../../src/core/models/volume.js';
import type { ModelOf } from '../../src/core/models/index.js';
import type { Resource } from '../../src/core/resource.js';
import type { ResourceTypeId } from '../../src/core/resource-types.js';
import type { Certainty, RuleContext, RuleDefinition, Violation } from '../../src/core/rule.js';
import { unknownValue, type Uncertain, type UnknownValue } from '../../src/core/unknown.js';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const CONTEXT: RuleContext = { trustedAccounts: [] };

export const U = (reason = 'template parameter'): UnknownValue => unknownValue(reason);

export function resource<T extends ResourceTypeId>(
  type: T,
  id: string,
  config: ModelOf<T>,
  extra: {
    account?: string;
    region?: string;
    tags?: Record<string, string>;
    arn?: string;
    name?: string;
  } = {},
): Resource<T> {
  const account = extra.account ?? ACCOUNT;
  const region = extra.region ?? REGION;
  return {
    type,
    account,
    region,
    id,
    arn: extra.arn ?? `arn:aws:test:${region}:${account}:${id}`,
    ...(extra.name ? { name: extra.name } : {}),
    tags: extra.tags ?? {},
    config,
  };
}

// ---- security groups ---------------------------------------------------------------------------

export function peerOf(cidr: Uncertain<string>): SgPeer {
  if (typeof cidr === 'string' && cidr.includes(':')) return { kind: 'ipv6', cidr };
  return { kind: 'ipv4', cidr };
}

export function ingress(
  protocol: Uncertain<string>,
  fromPort: Uncertain<number>,
  toPort: Uncertain<number>,
  peer: Uncertain<string> | SgPeer,
  extra: Partial<SgRule> = {},
): SgRule {
  const resolvedPeer = typeof peer === 'object' && 'kind' in peer ? peer : peerOf(peer);
  return { direction: 'ingress', protocol, fromPort, toPort, peer: resolvedPeer, ...extra };
}

export function egress(
  protocol: Uncertain<string>,
  fromPort: Uncertain<number>,
  toPort: Uncertain<number>,
  peer: Uncertain<string> | SgPeer,
): SgRule {
  return { ...ingress(protocol, fromPort, toPort, peer), direction: 'egress' };
}

export function sg(
  rules: SgRule[],
  extra: Partial<SecurityGroupModel> = {},
  resourceExtra: Parameters<typeof resource>[3] = {},
): Resource<'aws.ec2.security-group'> {
  const config: SecurityGroupModel = {
    groupId: 'sg-0123456789abcdef0',
    groupName: 'web',
    vpcId: 'vpc-1',
    isDefault: false,
    rules,
    ...extra,
  };
  return resource('aws.ec2.security-group', config.groupId, config, resourceExtra);
}

// ---- buckets -------------------------------------------------------------------------------------

export const BLOCK_ALL: PublicAccessBlock = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};
export const BLOCK_NONE: PublicAccessBlock = {
  blockPublicAcls: false,
  ignorePublicAcls: false,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
};

export function bucket(
  extra: Partial<BucketModel> = {},
  resourceExtra: Parameters<typeof resource>[3] = {},
): Resource<'aws.s3.bucket'> {
  const config: BucketModel = {
    name: 'data-bucket',
    region: REGION,
    acl: {
      ownerId: 'owner',
      grants: [{ grantee: { kind: 'canonical-user', id: 'owner' }, permission: 'FULL_CONTROL' }],
    },
    policy: null,
    publicAccessBlock: BLOCK_ALL,
    accountPublicAccessBlock: null,
    encryption: { rules: [{ algorithm: 'AES256' }] },
    versioning: 'Enabled',
    ...extra,
  };
  return resource('aws.s3.bucket', config.name, config, {
    arn: `arn:aws:s3:::${config.name}`,
    ...resourceExtra,
  });
}

export function policyOf(...statements: unknown[]): unknown {
  return { Version: '2012-10-17', Statement: statements };
}

// ---- the rest ------------------------------------------------------------------------------------

export function volume(encrypted: Uncertain<boolean>): Resource<'aws.ec2.volume'> {
  const config: VolumeModel = { volumeId: 'vol-1', encrypted, attachments: [] };
  return resource('aws.ec2.volume', 'vol-1', config);
}

export function dbInstance(extra: Partial<DbInstanceModel> = {}): Resource<'aws.rds.db-instance'> {
  const config: DbInstanceModel = {
    dbInstanceIdentifier: 'db-1',
    publiclyAccessible: false,
    storageEncrypted: true,
    vpcSecurityGroupIds: [],
    ...extra,
  };
  return resource('aws.rds.db-instance', config.dbInstanceIdentifier, config);
}

export function dbSnapshot(restoreAccounts: Uncertain<string[]>): Resource<'aws.rds.db-snapshot'> {
  const config: DbSnapshotModel = { dbSnapshotIdentifier: 'snap-1', encrypted: false, restoreAccounts };
  return resource('aws.rds.db-snapshot', 'snap-1', config);
}

export function table(pointInTimeRecovery: Uncertain<boolean>): Resource<'aws.dynamodb.table'> {
  const config: TableModel = { tableName: 'orders', encryption: 'AWS_OWNED', pointInTimeRecovery };
  return resource('aws.dynamodb.table', 'orders', config);
}

// ---- the table runner ----------------------------------------------------------------------------

export interface ExpectedViolation {
  readonly part?: string;
  readonly certainty: Certainty;
  readonly path?: ReadonlyArray<string | number>;
}

export interface RuleCase<P> {
  /** Numbered like cdk-nag's tests: "C1" compliant, "N1" non-compliant, "P1" possible. */
  readonly n: string;
  readonly name: string;
  readonly resource: Resource;
  readonly params?: Partial<P>;
  readonly context?: RuleContext;
  /** [] for compliant. */
  readonly expect: readonly ExpectedViolation[];
}

export function checkWith<P>(
  rule: RuleDefinition<P>,
  target: Resource,
  params?: Partial<P>,
  context: RuleContext = CONTEXT,
): Violation[] {
  const merged = { ...(rule.defaultParams as object), ...(params ?? {}) } as P;
  return rule.check(target, merged, context);
}

/** One `it` per case; asserts the violations' certainty (and part and path where given), in order. */
export function runRuleCases<P>(rule: RuleDefinition<P>, cases: ReadonlyArray<RuleCase<P>>): void {
  for (const testCase of cases) {
    it(`${testCase.n}: ${testCase.name}`, () => {
      const violations = checkWith(rule, testCase.resource, testCase.params, testCase.context);
      expect(violations.map((violation) => violation.certainty)).toEqual(
        testCase.expect.map((item) => item.certainty),
      );
      testCase.expect.forEach((expected, index) => {
        const actual = violations[index]!;
        if (expected.part !== undefined) expect(actual.part).toBe(expected.part);
        if (expected.path !== undefined) expect(actual.path).toEqual(expected.path);
        expect(actual.message.length).toBeGreaterThan(0);
      });
    });
  }
}
