// The data-holding resource types (S3, RDS, DynamoDB, CloudFormation) listed and read from moto, models asserted exactly.
import {
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand } from '@aws-sdk/client-ec2';
import {
  CreateDBInstanceCommand,
  CreateDBSnapshotCommand,
  CreateDBSubnetGroupCommand,
  DescribeDBSnapshotsCommand,
  ModifyDBSnapshotAttributeCommand,
} from '@aws-sdk/client-rds';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  ListBucketsCommand,
  PutBucketAclCommand,
  PutBucketEncryptionCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { PutPublicAccessBlockCommand as PutAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountClients } from '../../src/aws/clients/client-factory.js';
import { stackModule } from '../../src/aws/resources/cloudformation-stack.js';
import { tableModule } from '../../src/aws/resources/dynamodb-table.js';
import { dbInstanceModule } from '../../src/aws/resources/rds-db-instance.js';
import { dbSnapshotModule } from '../../src/aws/resources/rds-db-snapshot.js';
import type {
  CollectContext,
  CollectWarning,
  ResourceTypeModule,
} from '../../src/aws/resources/resource-module.js';
import { bucketModule } from '../../src/aws/resources/s3-bucket.js';
import { MODEL_SCHEMAS, type BucketModel } from '../../src/core/models/index.js';
import type { Resource } from '../../src/core/resource.js';
import type { ResourceTypeId } from '../../src/core/resource-types.js';
import { unknownValue } from '../../src/core/unknown.js';
import { startFaultProxy } from '../harness/fault-proxy.js';
import { accountClients, motoEndpoint, uniqueAccountId } from '../harness/aws.js';

/** The canonical user id moto gives every bucket owner. */
const MOTO_CANONICAL_ID = '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a';
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';

/** A fault that an AWS service really sends, for a request chosen by `match`. */
/** An S3 request on one bucket's sub-resource (path-style, as the factory addresses local endpoints). */
function s3SubResource(bucket: string, subResource: string, method = 'GET') {
  return (request: { method: string; url: string }) => {
    const url = new URL(request.url, 'http://proxy');
    return (
      request.method === method &&
      url.pathname.replace(/\/$/, '') === `/${bucket}` &&
      url.searchParams.has(subResource)
    );
  };
}

function expectValid<T extends ResourceTypeId>(resources: ReadonlyArray<Resource<T>>): void {
  for (const resource of resources)
    expect(MODEL_SCHEMAS[resource.type].parse(resource.config), resource.id).toEqual(resource.config);
}

function contextFor(
  account: string,
  region: string,
  clients: AccountClients,
  warnings: CollectWarning[],
): CollectContext {
  return { account, region, partition: 'aws', clients, warn: (warning) => warnings.push(warning) };
}

async function listAndValidate<T extends ResourceTypeId>(
  module: ResourceTypeModule<T>,
  context: CollectContext,
): Promise<Array<Resource<T>>> {
  const resources = await module.list(context);
  expectValid(resources);
  return resources;
}

const account = uniqueAccountId();
let clients: AccountClients;

beforeAll(() => {
  clients = accountClients(account);
});

describe('aws.s3.bucket on moto', () => {
  const warnings: CollectWarning[] = [];
  const names = {
    public: `leuko-${account}-public`,
    eu: `leuko-${account}-eu`,
    blocked: `leuko-${account}-blocked`,
  };
  const creationDates = new Map<string, string>();
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'PublicRead',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${names.eu}/*`,
      },
    ],
  };
  const kmsKey = `arn:aws:kms:eu-west-1:${account}:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`;
  const accountBlock = {
    blockPublicAcls: true,
    ignorePublicAcls: false,
    blockPublicPolicy: true,
    restrictPublicBuckets: false,
  };

  const expected = (block: typeof accountBlock | null): Record<string, BucketModel> => ({
    [names.blocked]: {
      name: names.blocked,
      region: 'us-west-2',
      creationDate: creationDates.get(names.blocked) as string,
      acl: {
        ownerId: MOTO_CANONICAL_ID,
        grants: [{ grantee: { kind: 'canonical-user', id: MOTO_CANONICAL_ID }, permission: 'FULL_CONTROL' }],
      },
      policy: null,
      publicAccessBlock: {
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: true,
        restrictPublicBuckets: true,
      },
      accountPublicAccessBlock: block,
      // AWS reports BucketKeyEnabled false when it was never set; moto does the same.
      encryption: { rules: [{ algorithm: 'AES256', bucketKeyEnabled: false }] },
      versioning: 'Off',
    },
    [names.eu]: {
      name: names.eu,
      region: 'eu-west-1',
      creationDate: creationDates.get(names.eu) as string,
      acl: {
        ownerId: MOTO_CANONICAL_ID,
        grants: [{ grantee: { kind: 'canonical-user', id: MOTO_CANONICAL_ID }, permission: 'FULL_CONTROL' }],
      },
      objectOwnership: 'BucketOwnerEnforced',
      policy,
      publicAccessBlock: null,
      accountPublicAccessBlock: block,
      encryption: { rules: [{ algorithm: 'aws:kms', kmsKeyId: kmsKey, bucketKeyEnabled: true }] },
      versioning: 'Suspended',
    },
    [names.public]: {
      name: names.public,
      region: 'us-east-1',
      creationDate: creationDates.get(names.public) as string,
      acl: {
        ownerId: MOTO_CANONICAL_ID,
        // Sorted: canonical users before groups, whatever order AWS wrote them in.
        grants: [
          { grantee: { kind: 'canonical-user', id: MOTO_CANONICAL_ID }, permission: 'FULL_CONTROL' },
          { grantee: { kind: 'group', uri: ALL_USERS }, permission: 'READ' },
        ],
      },
      objectOwnership: 'ObjectWriter',
      policy: null,
      publicAccessBlock: null,
      accountPublicAccessBlock: block,
      encryption: null,
      versioning: 'Enabled',
    },
  });

  beforeAll(async () => {
    const east = clients.client('s3', 'us-east-1');
    await east.send(new CreateBucketCommand({ Bucket: names.public, ObjectOwnership: 'ObjectWriter' }));
    await east.send(new PutBucketAclCommand({ Bucket: names.public, ACL: 'public-read' }));
    await east.send(
      new PutBucketVersioningCommand({
        Bucket: names.public,
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    await east.send(
      new PutBucketTaggingCommand({
        Bucket: names.public,
        Tagging: {
          TagSet: [
            { Key: 'team', Value: 'data' },
            { Key: 'env', Value: 'test' },
          ],
        },
      }),
    );

    const eu = clients.client('s3', 'eu-west-1');
    await eu.send(
      new CreateBucketCommand({
        Bucket: names.eu,
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    await eu.send(new PutBucketPolicyCommand({ Bucket: names.eu, Policy: JSON.stringify(policy) }));
    await eu.send(
      new PutBucketEncryptionCommand({
        Bucket: names.eu,
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: kmsKey },
              BucketKeyEnabled: true,
            },
          ],
        },
      }),
    );
    await eu.send(
      new PutBucketVersioningCommand({ Bucket: names.eu, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    await eu.send(
      new PutBucketVersioningCommand({ Bucket: names.eu, VersioningConfiguration: { Status: 'Suspended' } }),
    );
    await eu.send(
      new PutBucketOwnershipControlsCommand({
        Bucket: names.eu,
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      }),
    );

    const west = clients.client('s3', 'us-west-2');
    await west.send(
      new CreateBucketCommand({
        Bucket: names.blocked,
        CreateBucketConfiguration: { LocationConstraint: 'us-west-2' },
      }),
    );
    await west.send(
      new PutPublicAccessBlockCommand({
        Bucket: names.blocked,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
    await west.send(
      new PutBucketEncryptionCommand({
        Bucket: names.blocked,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      }),
    );

    const listed = await east.send(new ListBucketsCommand({}));
    for (const bucket of listed.Buckets ?? [])
      if (bucket.Name && bucket.CreationDate)
        creationDates.set(bucket.Name, bucket.CreationDate.toISOString());
  });

  it('gets one bucket by name, in its own region, before the account has a public access block', async () => {
    const bucket = await bucketModule.get(contextFor(account, 'us-east-1', clients, warnings), names.public);
    expect(bucket).toEqual({
      type: 'aws.s3.bucket',
      account,
      region: 'us-east-1',
      id: names.public,
      arn: `arn:aws:s3:::${names.public}`,
      name: names.public,
      tags: { env: 'test', team: 'data' },
      config: expected(null)[names.public],
    });
    expectValid(bucket ? [bucket] : []);
    expect(warnings).toEqual([]);
  });

  it('answers null for a bucket that does not exist', async () => {
    expect(
      await bucketModule.get(contextFor(account, 'us-east-1', clients, warnings), `leuko-${account}-missing`),
    ).toBeNull();
  });

  it('lists every bucket of the account from one region, each with its own region and the account block', async () => {
    await clients.client('s3control', 'us-east-1').send(
      new PutAccountPublicAccessBlockCommand({
        AccountId: account,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: false,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: false,
        },
      }),
    );
    const before = clients.stats.byOperation.get('s3control:GetPublicAccessBlock') ?? 0;
    const buckets = await listAndValidate(bucketModule, contextFor(account, 'us-east-1', clients, warnings));
    const models = expected(accountBlock);
    expect(buckets.map((bucket) => bucket.id)).toEqual([names.blocked, names.eu, names.public]);
    for (const bucket of buckets) {
      expect(bucket.config).toEqual(models[bucket.id]);
      expect(bucket.region).toBe(bucket.config.region);
      expect(bucket.arn).toBe(`arn:aws:s3:::${bucket.id}`);
    }
    expect(buckets.find((bucket) => bucket.id === names.eu)?.tags).toEqual({});
    // One account-level read per listing, not one per bucket.
    expect((clients.stats.byOperation.get('s3control:GetPublicAccessBlock') ?? 0) - before).toBe(1);
    expect(warnings).toEqual([]);
  });

  it('drops a bucket once it is deleted', async () => {
    const doomed = `leuko-${account}-doomed`;
    const east = clients.client('s3', 'us-east-1');
    await east.send(new CreateBucketCommand({ Bucket: doomed }));
    const context = contextFor(account, 'us-east-1', clients, warnings);
    expect((await bucketModule.list(context)).map((bucket) => bucket.id)).toContain(doomed);
    await east.send(new DeleteBucketCommand({ Bucket: doomed }));
    expect((await bucketModule.list(context)).map((bucket) => bucket.id)).not.toContain(doomed);
    expect(await bucketModule.get(context, doomed)).toBeNull();
  });

  describe('through a proxy that injects AWS errors', () => {
    let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
    let proxied: AccountClients;

    beforeAll(async () => {
      proxy = await startFaultProxy(motoEndpoint());
      proxied = accountClients(account, proxy.endpoint);
    });
    afterAll(async () => {
      await proxy.close();
    });

    it('reads a denied part as unknown, with a warning, never as absent', async () => {
      const denied: CollectWarning[] = [];
      proxy.setRules([{
          match: s3SubResource(names.eu, 'policy'),
          code: 'AccessDenied',
          status: 403,
        },
        {
          match: s3SubResource(names.eu, 'publicAccessBlock'),
          code: 'AccessDenied',
          status: 403,
        },
        {
          match: (request) => request.url.includes('/configuration/publicAccessBlock'),
          code: 'AccessDenied',
          status: 403,
        },
      ]);
      const buckets = await listAndValidate(bucketModule, contextFor(account, 'us-east-1', proxied, denied));
      const eu = buckets.find((bucket) => bucket.id === names.eu);
      const accountUnknown = unknownValue('s3:GetAccountPublicAccessBlock denied');
      const bucketUnknown = unknownValue('s3:GetBucketPublicAccessBlock denied');
      expect(eu?.config).toEqual({
        ...expected(null)[names.eu],
        policy: unknownValue('s3:GetBucketPolicy denied'),
        publicAccessBlock: {
          blockPublicAcls: bucketUnknown,
          ignorePublicAcls: bucketUnknown,
          blockPublicPolicy: bucketUnknown,
          restrictPublicBuckets: bucketUnknown,
        },
        accountPublicAccessBlock: {
          blockPublicAcls: accountUnknown,
          ignorePublicAcls: accountUnknown,
          blockPublicPolicy: accountUnknown,
          restrictPublicBuckets: accountUnknown,
        },
      });
      expect(denied.map((warning) => [warning.operation, warning.resourceId, warning.code]).sort()).toEqual([
        ['s3:GetAccountPublicAccessBlock', `account ${account}`, 'AccessDenied'],
        ['s3:GetBucketPolicy', names.eu, 'AccessDenied'],
        ['s3:GetBucketPublicAccessBlock', names.eu, 'AccessDenied'],
      ]);
    });

    it('drops a bucket that AWS says is gone between ListBuckets and its reads', async () => {
      proxy.setRules([{
        match: s3SubResource(names.blocked, 'acl'),
        code: 'NoSuchBucket',
        status: 404,
      }]);
      const quiet: CollectWarning[] = [];
      const buckets = await bucketModule.list(contextFor(account, 'us-east-1', proxied, quiet));
      expect(buckets.map((bucket) => bucket.id)).toEqual([names.eu, names.public]);
      expect(quiet).toEqual([]);
    });

    it('fails the listing when a bucket location is denied, since skipping it would read as deleted', async () => {
      proxy.setRules([{
        match: s3SubResource(names.eu, 'location'),
        code: 'AccessDenied',
        status: 403,
      }]);
      await expect(bucketModule.list(contextFor(account, 'us-east-1', proxied, []))).rejects.toMatchObject({
        name: 'AccessDenied',
        $leukoOperation: 's3:GetBucketLocation',
      });
    });

    it('fails the listing on any other error, naming the call, rather than skipping the bucket', async () => {
      proxy.setRules([{
        match: s3SubResource(names.public, 'versioning'),
        code: 'InternalError',
        status: 500,
      }]);
      // The fault answers every retry too, as a persistent failure would.
      await expect(bucketModule.list(contextFor(account, 'us-east-1', proxied, []))).rejects.toMatchObject({
        $leukoOperation: 's3:GetBucketVersioning',
      });
    });
  });
});

describe('aws.rds.db-instance and aws.rds.db-snapshot on moto', () => {
  const region = 'eu-west-1';
  const warnings: CollectWarning[] = [];
  const kmsKey = `arn:aws:kms:${region}:${account}:key/6d8e9f10-1a2b-3c4d-5e6f-708192a3b4c5`;
  let groupIds: [string, string];
  /** Snapshot create times and automated snapshot ids, as moto made them. */
  const snapshotTimes = new Map<string, string>();
  const automated = new Map<string, string>();

  beforeAll(async () => {
    const ec2 = clients.client('ec2', region);
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
    const vpcId = vpc.Vpc?.VpcId as string;
    const subnets = await Promise.all(
      ['a', 'b'].map((zone, index) =>
        ec2.send(
          new CreateSubnetCommand({
            VpcId: vpcId,
            CidrBlock: `10.20.${index}.0/24`,
            AvailabilityZone: `${region}${zone}`,
          }),
        ),
      ),
    );
    const a = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'db-a', Description: 'db a', VpcId: vpcId }),
    );
    const b = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'db-b', Description: 'db b', VpcId: vpcId }),
    );
    groupIds = [a.GroupId as string, b.GroupId as string].sort() as [string, string];

    const rds = clients.client('rds', region);
    await rds.send(
      new CreateDBSubnetGroupCommand({
        DBSubnetGroupName: 'private-db',
        DBSubnetGroupDescription: 'private subnets',
        SubnetIds: subnets.map((subnet) => subnet.Subnet?.SubnetId as string),
      }),
    );
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'public-plain',
        Engine: 'postgres',
        EngineVersion: '16.3',
        DBInstanceClass: 'db.t3.micro',
        AllocatedStorage: 20,
        MasterUsername: 'admin1',
        MasterUserPassword: 'not-a-secret-1',
        PubliclyAccessible: true,
        StorageEncrypted: false,
        // Reversed, to show the model sorts them.
        VpcSecurityGroupIds: [groupIds[1], groupIds[0]],
        BackupRetentionPeriod: 0,
        Tags: [{ Key: 'team', Value: 'payments' }],
      }),
    );
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'private-encrypted',
        Engine: 'mysql',
        EngineVersion: '8.0.35',
        DBInstanceClass: 'db.m5.large',
        AllocatedStorage: 50,
        MasterUsername: 'admin1',
        MasterUserPassword: 'not-a-secret-1',
        PubliclyAccessible: false,
        StorageEncrypted: true,
        KmsKeyId: kmsKey,
        VpcSecurityGroupIds: [groupIds[0]],
        DBSubnetGroupName: 'private-db',
        MultiAZ: true,
        DeletionProtection: true,
        BackupRetentionPeriod: 7,
      }),
    );
    await rds.send(
      new CreateDBSnapshotCommand({
        DBInstanceIdentifier: 'public-plain',
        DBSnapshotIdentifier: 'public-snap',
      }),
    );
    await rds.send(
      new ModifyDBSnapshotAttributeCommand({
        DBSnapshotIdentifier: 'public-snap',
        AttributeName: 'restore',
        ValuesToAdd: ['all'],
      }),
    );
    await rds.send(
      new CreateDBSnapshotCommand({
        DBInstanceIdentifier: 'private-encrypted',
        DBSnapshotIdentifier: 'shared-snap',
        Tags: [{ Key: 'keep', Value: 'yes' }],
      }),
    );
    await rds.send(
      new ModifyDBSnapshotAttributeCommand({
        DBSnapshotIdentifier: 'shared-snap',
        AttributeName: 'restore',
        ValuesToAdd: ['444455556666', '111122223333'],
      }),
    );
    const snapshots = await rds.send(new DescribeDBSnapshotsCommand({}));
    for (const snapshot of snapshots.DBSnapshots ?? []) {
      const id = snapshot.DBSnapshotIdentifier as string;
      snapshotTimes.set(id, (snapshot.SnapshotCreateTime as Date).toISOString());
      if (snapshot.SnapshotType === 'automated') automated.set(snapshot.DBInstanceIdentifier as string, id);
    }
  });

  const publicPlain = () => ({
    type: 'aws.rds.db-instance' as const,
    account,
    region,
    id: 'public-plain',
    arn: `arn:aws:rds:${region}:${account}:db:public-plain`,
    name: 'public-plain',
    tags: { team: 'payments' },
    config: {
      dbInstanceIdentifier: 'public-plain',
      engine: 'postgres',
      engineVersion: '16.3',
      instanceClass: 'db.t3.micro',
      status: 'available',
      publiclyAccessible: true,
      storageEncrypted: false,
      vpcSecurityGroupIds: groupIds,
      multiAz: false,
      deletionProtection: false,
      backupRetentionPeriod: 0,
      endpoint: { address: `public-plain.aaaaaaaaaa.${region}.rds.amazonaws.com`, port: 5432 },
    },
  });

  it('lists DB instances with exposure, encryption, network and resilience settings', async () => {
    const instances = await listAndValidate(dbInstanceModule, contextFor(account, region, clients, warnings));
    expect(instances).toEqual([
      {
        type: 'aws.rds.db-instance',
        account,
        region,
        id: 'private-encrypted',
        arn: `arn:aws:rds:${region}:${account}:db:private-encrypted`,
        name: 'private-encrypted',
        tags: {},
        config: {
          dbInstanceIdentifier: 'private-encrypted',
          engine: 'mysql',
          engineVersion: '8.0.35',
          instanceClass: 'db.m5.large',
          status: 'available',
          publiclyAccessible: false,
          storageEncrypted: true,
          kmsKeyId: kmsKey,
          vpcSecurityGroupIds: [groupIds[0]],
          dbSubnetGroupName: 'private-db',
          multiAz: true,
          deletionProtection: true,
          backupRetentionPeriod: 7,
          endpoint: { address: `private-encrypted.aaaaaaaaaa.${region}.rds.amazonaws.com`, port: 3306 },
        },
      },
      publicPlain(),
    ]);
    expect(warnings).toEqual([]);
  });

  it('gets one DB instance by id (any case), and null for a missing one', async () => {
    const context = contextFor(account, region, clients, warnings);
    expect(await dbInstanceModule.get(context, 'public-plain')).toEqual(publicPlain());
    expect(await dbInstanceModule.get(context, 'PUBLIC-PLAIN')).toEqual(publicPlain());
    expect(await dbInstanceModule.get(context, 'no-such-db')).toBeNull();
    // Another region of the same account has none of them.
    expect(await dbInstanceModule.list(contextFor(account, 'us-west-1', clients, warnings))).toEqual([]);
  });

  it('lists manual and automated snapshots, reading restore attributes of manual ones only', async () => {
    const before = clients.stats.byOperation.get('rds:DescribeDBSnapshotAttributes') ?? 0;
    const snapshots = await listAndValidate(dbSnapshotModule, contextFor(account, region, clients, warnings));
    const snapshot = (
      id: string,
      instance: string,
      config: Record<string, unknown>,
      tags: Record<string, string> = {},
    ) => ({
      type: 'aws.rds.db-snapshot',
      account,
      region,
      id,
      arn: `arn:aws:rds:${region}:${account}:snapshot:${id}`,
      name: id,
      tags,
      config: {
        dbSnapshotIdentifier: id,
        dbInstanceIdentifier: instance,
        status: 'available',
        snapshotCreateTime: snapshotTimes.get(id),
        ...config,
      },
    });
    const automatedPrivate = automated.get('private-encrypted') as string;
    const automatedPublic = automated.get('public-plain') as string;
    expect(snapshots).toEqual(
      [
        snapshot('public-snap', 'public-plain', {
          snapshotType: 'manual',
          engine: 'postgres',
          encrypted: false,
          restoreAccounts: ['all'],
        }),
        snapshot(automatedPrivate, 'private-encrypted', {
          snapshotType: 'automated',
          engine: 'mysql',
          encrypted: true,
          kmsKeyId: kmsKey,
          restoreAccounts: [],
        }),
        snapshot(automatedPublic, 'public-plain', {
          snapshotType: 'automated',
          engine: 'postgres',
          encrypted: false,
          restoreAccounts: [],
        }),
        snapshot(
          'shared-snap',
          'private-encrypted',
          {
            snapshotType: 'manual',
            engine: 'mysql',
            encrypted: true,
            kmsKeyId: kmsKey,
            restoreAccounts: ['111122223333', '444455556666'],
          },
          { keep: 'yes' },
        ),
      ].sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    // One attributes call per manual snapshot; automated ones cannot be shared, so none for them.
    expect((clients.stats.byOperation.get('rds:DescribeDBSnapshotAttributes') ?? 0) - before).toBe(2);
    expect(warnings).toEqual([]);
  });

  it('gets one snapshot by id, and null for a missing one', async () => {
    const context = contextFor(account, region, clients, warnings);
    const snapshot = await dbSnapshotModule.get(context, 'public-snap');
    expect(snapshot?.config.restoreAccounts).toEqual(['all']);
    expect(snapshot?.arn).toBe(`arn:aws:rds:${region}:${account}:snapshot:public-snap`);
    expect(await dbSnapshotModule.get(context, 'no-such-snapshot')).toBeNull();
  });

  describe('through a proxy that injects AWS errors', () => {
    let proxy: Awaited<ReturnType<typeof startFaultProxy>>;

    beforeAll(async () => {
      proxy = await startFaultProxy(motoEndpoint());
    });
    afterAll(async () => {
      await proxy.close();
    });

    it('reads denied restore attributes as unknown, with a warning', async () => {
      proxy.setRules([{
        match: (request) =>
          request.body.includes('Action=DescribeDBSnapshotAttributes') &&
          request.body.includes('DBSnapshotIdentifier=shared-snap'),
        code: 'AccessDenied',
        status: 403,
      }]);
      const denied: CollectWarning[] = [];
      const snapshots = await dbSnapshotModule.list(
        contextFor(account, region, accountClients(account, proxy.endpoint), denied),
      );
      expect(snapshots.find((snapshot) => snapshot.id === 'shared-snap')?.config.restoreAccounts).toEqual(
        unknownValue('rds:DescribeDBSnapshotAttributes denied'),
      );
      expect(snapshots.find((snapshot) => snapshot.id === 'public-snap')?.config.restoreAccounts).toEqual([
        'all',
      ]);
      expect(denied).toEqual([
        {
          type: 'aws.rds.db-snapshot',
          account,
          region,
          resourceId: 'shared-snap',
          operation: 'rds:DescribeDBSnapshotAttributes',
          code: 'AccessDenied',
          message: 'rds:DescribeDBSnapshotAttributes denied on shared-snap; that part of it is unknown',
        },
      ]);
    });

    it('drops a snapshot deleted between the listing and its attributes', async () => {
      proxy.setRules([{
        match: (request) =>
          request.body.includes('Action=DescribeDBSnapshotAttributes') &&
          request.body.includes('DBSnapshotIdentifier=public-snap'),
        code: 'DBSnapshotNotFound',
        status: 404,
      }]);
      const snapshots = await dbSnapshotModule.list(
        contextFor(account, region, accountClients(account, proxy.endpoint), []),
      );
      expect(snapshots.map((snapshot) => snapshot.id)).not.toContain('public-snap');
      expect(snapshots.map((snapshot) => snapshot.id)).toContain('shared-snap');
    });
  });
});

describe('aws.dynamodb.table on moto', () => {
  const region = 'us-west-2';
  const warnings: CollectWarning[] = [];
  const created = new Map<string, string>();

  beforeAll(async () => {
    const dynamodb = clients.client('dynamodb', region);
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'orders',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        // KMS without a key id: DynamoDB uses the aws/dynamodb key.
        SSESpecification: { Enabled: true, SSEType: 'KMS' },
        DeletionProtectionEnabled: true,
        Tags: [{ Key: 'data', Value: 'pii' }],
      }),
    );
    await dynamodb.send(
      new UpdateContinuousBackupsCommand({
        TableName: 'orders',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    );
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'sessions',
        AttributeDefinitions: [{ AttributeName: 'sid', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'sid', KeyType: 'HASH' }],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      }),
    );
    for (const name of ['orders', 'sessions']) {
      const described = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
      created.set(name, (described.Table?.CreationDateTime as Date).toISOString());
      if (name === 'orders')
        created.set('orders-key', described.Table?.SSEDescription?.KMSMasterKeyArn as string);
    }
  });

  const orders = () => ({
    type: 'aws.dynamodb.table' as const,
    account,
    region,
    id: 'orders',
    arn: `arn:aws:dynamodb:${region}:${account}:table/orders`,
    name: 'orders',
    tags: { data: 'pii' },
    config: {
      tableName: 'orders',
      status: 'ACTIVE',
      billingMode: 'PAY_PER_REQUEST',
      // DescribeTable cannot tell the aws/dynamodb key from a customer key (see tableEncryptionFromAws).
      encryption: unknownValue(
        `KMS key ${created.get('orders-key')}: AWS-managed or customer-managed is not told by DescribeTable`,
      ),
      kmsKeyArn: created.get('orders-key'),
      pointInTimeRecovery: true,
      deletionProtection: true,
      itemCount: 0,
      creationDateTime: created.get('orders'),
    },
  });

  it('lists tables with encryption, point-in-time recovery and tags', async () => {
    const tables = await listAndValidate(tableModule, contextFor(account, region, clients, warnings));
    expect(created.get('orders-key')).toMatch(new RegExp(`^arn:aws:kms:${region}:${account}:key/`));
    expect(tables).toEqual([
      orders(),
      {
        type: 'aws.dynamodb.table',
        account,
        region,
        id: 'sessions',
        arn: `arn:aws:dynamodb:${region}:${account}:table/sessions`,
        name: 'sessions',
        tags: {},
        config: {
          tableName: 'sessions',
          status: 'ACTIVE',
          billingMode: 'PROVISIONED',
          encryption: 'AWS_OWNED',
          pointInTimeRecovery: false,
          deletionProtection: false,
          itemCount: 0,
          creationDateTime: created.get('sessions'),
        },
      },
    ]);
    expect(warnings).toEqual([]);
  });

  it('gets one table by name; null once it is deleted or when it never existed', async () => {
    const context = contextFor(account, region, clients, warnings);
    expect(await tableModule.get(context, 'orders')).toEqual(orders());
    expect(await tableModule.get(context, 'no-such-table')).toBeNull();
    const dynamodb = clients.client('dynamodb', region);
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'doomed',
        AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    expect((await tableModule.get(context, 'doomed'))?.id).toBe('doomed');
    await dynamodb.send(new DeleteTableCommand({ TableName: 'doomed' }));
    expect(await tableModule.get(context, 'doomed')).toBeNull();
    expect((await tableModule.list(context)).map((table) => table.id)).toEqual(['orders', 'sessions']);
  });

  it('follows every ListTables page (at most 100 names a page)', async () => {
    const busy = 'ap-southeast-2';
    const dynamodb = clients.client('dynamodb', busy);
    const names = Array.from({ length: 101 }, (_, index) => `t-${String(index).padStart(3, '0')}`);
    for (let start = 0; start < names.length; start += 20) {
      await Promise.all(
        names.slice(start, start + 20).map((name) =>
          dynamodb.send(
            new CreateTableCommand({
              TableName: name,
              AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }],
              KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }],
              BillingMode: 'PAY_PER_REQUEST',
            }),
          ),
        ),
      );
    }
    const before = clients.stats.byOperation.get('dynamodb:ListTables') ?? 0;
    const tables = await tableModule.list(contextFor(account, busy, clients, warnings));
    expect(tables.map((table) => table.id)).toEqual(names);
    expect((clients.stats.byOperation.get('dynamodb:ListTables') ?? 0) - before).toBe(2);
  });

  describe('through a proxy that injects AWS errors', () => {
    let proxy: Awaited<ReturnType<typeof startFaultProxy>>;

    beforeAll(async () => {
      proxy = await startFaultProxy(motoEndpoint());
    });
    afterAll(async () => {
      await proxy.close();
    });

    it('reads denied point-in-time recovery as unknown and denied tags as none but marked unknown, with warnings', async () => {
      proxy.setRules([{
          match: (request) =>
            request.target.endsWith('.DescribeContinuousBackups') && request.body.includes('"orders"'),
          code: 'AccessDeniedException',
          status: 400,
        },
        {
          match: (request) => request.target.endsWith('.ListTagsOfResource'),
          code: 'AccessDeniedException',
          status: 400,
        },
      ]);
      const denied: CollectWarning[] = [];
      const tables = await tableModule.list(
        contextFor(account, region, accountClients(account, proxy.endpoint), denied),
      );
      expect(tables.find((table) => table.id === 'orders')).toEqual({
        ...orders(),
        tags: {},
        // Rules see no tags; remediation refuses, since a leuko:protect tag may be among those it could not read.
        tagsUnknown: true,
        config: {
          ...orders().config,
          pointInTimeRecovery: unknownValue('dynamodb:DescribeContinuousBackups denied'),
        },
      });
      expect(tables.find((table) => table.id === 'sessions')?.config.pointInTimeRecovery).toBe(false);
      expect(denied.map((warning) => `${warning.operation} ${warning.resourceId}`).sort()).toEqual([
        'dynamodb:DescribeContinuousBackups orders',
        'dynamodb:ListTagsOfResource orders',
        'dynamodb:ListTagsOfResource sessions',
      ]);
    });
  });
});

describe('aws.cloudformation.stack on moto', () => {
  const region = 'eu-central-1';
  const warnings: CollectWarning[] = [];
  // moto creates stacks from templates; a wait-condition handle keeps the stack free of other resources.
  const template = JSON.stringify({
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'leuko test stack',
    Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } },
  });
  let stackId: string;
  let goneId: string;
  let createdAt: string;

  beforeAll(async () => {
    const cloudformation = clients.client('cloudformation', region);
    const created = await cloudformation.send(
      new CreateStackCommand({
        StackName: 'network',
        TemplateBody: template,
        EnableTerminationProtection: true,
        RoleARN: `arn:aws:iam::${account}:role/cfn-deployer`,
        Tags: [{ Key: 'owner', Value: 'platform' }],
      }),
    );
    stackId = created.StackId as string;
    const gone = await cloudformation.send(
      new CreateStackCommand({ StackName: 'retired', TemplateBody: template }),
    );
    goneId = gone.StackId as string;
    await cloudformation.send(new DeleteStackCommand({ StackName: 'retired' }));
    const described = await cloudformation.send(new DescribeStacksCommand({ StackName: 'network' }));
    createdAt = (described.Stacks?.[0]?.CreationTime as Date).toISOString();
  });

  const network = () => ({
    type: 'aws.cloudformation.stack' as const,
    account,
    region,
    id: 'network',
    arn: stackId,
    name: 'network',
    tags: { owner: 'platform' },
    config: {
      stackName: 'network',
      stackId,
      status: 'CREATE_COMPLETE',
      description: 'leuko test stack',
      creationTime: createdAt,
      terminationProtection: true,
      roleArn: `arn:aws:iam::${account}:role/cfn-deployer`,
    },
  });

  it('lists live stacks; a deleted one is gone', async () => {
    const stacks = await listAndValidate(stackModule, contextFor(account, region, clients, warnings));
    expect(stackId).toMatch(new RegExp(`^arn:aws:cloudformation:${region}:${account}:stack/network/`));
    expect(stacks).toEqual([network()]);
    expect(warnings).toEqual([]);
  });

  it('gets one stack by name; null for a missing or deleted one', async () => {
    const context = contextFor(account, region, clients, warnings);
    expect(await stackModule.get(context, 'network')).toEqual(network());
    expect(await stackModule.get(context, 'no-such-stack')).toBeNull();
    expect(await stackModule.get(context, 'retired')).toBeNull();
    // By stack id AWS still answers for a deleted stack, with DELETE_COMPLETE.
    expect(await stackModule.get(context, goneId)).toBeNull();
  });
});
