// delete-resource on moto, for all eight types found in a region outside the allowed list; undo says plainly it cannot restore.
import { CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateSecurityGroupCommand,
  CreateVolumeCommand,
  DescribeSecurityGroupsCommand,
} from '@aws-sdk/client-ec2';
import { CreateDBSnapshotCommand, DescribeDBSnapshotsCommand } from '@aws-sdk/client-rds';
import {
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  HeadBucketCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { deleteResource } from '../../src/aws/actions/delete-resource.js';
import { isPlan } from '../../src/core/action.js';
import type { ResourceTypeId } from '../../src/core/resource-types.js';
import { regionNotAllowed } from '../../src/rules/index.js';
import { accountClients, uniqueAccountId } from '../harness/aws.js';
import {
  defaultVpcId,
  expectJournaledFirst,
  expectPlan,
  plantBucket,
  plantDbInstance,
  plantInstance,
  read,
  testContext,
} from './support.js';

const account = uniqueAccountId();
const clients = accountClients(account);
/** Outside the allowed regions below, as a forgotten test estate or a miner would be. */
const region = 'ap-southeast-2';
const params = { allowedRegions: ['eu'] };

/** Finding → plan → apply → gone → verify → apply again → undo refuses plainly. */
async function deleteAndCheck(type: ResourceTypeId, id: string): Promise<string> {
  const resource = await read(clients, account, region, type, id);
  const violations = regionNotAllowed.check(resource, params, { trustedAccounts: [] });
  expect(violations).toHaveLength(1);
  const plan = expectPlan(deleteResource.plan({ resource, violations, findingId: 'f-0123456789abcdef' }));
  expect(plan.destructive).toBe(true);
  expect(plan.reversible).toBe(false);
  const ctx = testContext(clients);
  expect((await deleteResource.apply(plan, ctx)).status).toBe('applied');
  const entry = expectJournaledFirst(ctx.entries);
  expect(entry.before).toMatchObject({ config: resource.config });
  expect(await deleteResource.verify(plan, ctx)).toBe(true);
  expect((await deleteResource.apply(plan, testContext(clients))).status).toBe('already-done');
  const undo = await deleteResource.revert(entry as never, ctx);
  expect(undo.status).toBe('irreversible');
  expect(undo.message).toMatch(new RegExp(`^cannot undo delete-resource on ${id}: `));
  return undo.message;
}

describe('delete-resource', () => {
  it('deletes a stack', async () => {
    const cfn = clients.client('cloudformation', region);
    const template = {
      Resources: {
        Group: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'stack group' } },
      },
    };
    await cfn.send(
      new CreateStackCommand({ StackName: 'stray-stack', TemplateBody: JSON.stringify(template) }),
    );
    expect(await deleteAndCheck('aws.cloudformation.stack', 'stray-stack')).toMatch(
      /deploy the template again/,
    );
  });

  it('terminates an instance', async () => {
    const { instanceId } = await plantInstance(clients, region, 'stray');
    expect(await deleteAndCheck('aws.ec2.instance', instanceId)).toMatch(/cannot bring it back/);
  });

  it('deletes a detached volume, and refuses an attached one', async () => {
    const ec2 = clients.client('ec2', region);
    const volume = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${region}a`, Size: 4 }));
    await deleteAndCheck('aws.ec2.volume', volume.VolumeId!);

    const { instanceId } = await plantInstance(clients, region, 'holder');
    const instance = await read(clients, account, region, 'aws.ec2.instance', instanceId);
    const attached = await read(
      clients,
      account,
      region,
      'aws.ec2.volume',
      instance.config.volumes[0]!.volumeId,
    );
    expect(deleteResource.plan({ resource: attached, violations: [] })).toMatchObject({
      reason: 'not-applicable',
    });
  });

  it('deletes a DB instance with a final snapshot', async () => {
    await plantDbInstance(clients, region, 'stray-db');
    const message = await deleteAndCheck('aws.rds.db-instance', 'stray-db');
    const snapshots = await clients
      .client('rds', region)
      .send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'leuko-final-stray-db-0123456789ab' }));
    expect(snapshots.DBSnapshots?.[0]?.DBInstanceIdentifier).toBe('stray-db');
    expect(message).toMatch(/final snapshot leuko-final-stray-db-0123456789ab/);
  });

  it('refuses a DB instance with deletion protection', async () => {
    await plantDbInstance(clients, region, 'guarded-db', { deletionProtection: true });
    const resource = await read(clients, account, region, 'aws.rds.db-instance', 'guarded-db');
    expect(deleteResource.plan({ resource, violations: [] })).toMatchObject({ reason: 'aws-protected' });
  });

  it('deletes a DB snapshot', async () => {
    await plantDbInstance(clients, region, 'snap-source', { publiclyAccessible: false });
    await clients.client('rds', region).send(
      new CreateDBSnapshotCommand({
        DBInstanceIdentifier: 'snap-source',
        DBSnapshotIdentifier: 'stray-snap',
      }),
    );
    await deleteAndCheck('aws.rds.db-snapshot', 'stray-snap');
  });

  it('deletes a table', async () => {
    await clients.client('dynamodb', region).send(
      new CreateTableCommand({
        TableName: 'stray-table',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await deleteAndCheck('aws.dynamodb.table', 'stray-table');
  });

  it('empties a versioned bucket (every version, delete marker and upload) and deletes it', async () => {
    const name = `leuko-stray-${account}`;
    await plantBucket(clients, name, region);
    const s3 = clients.client('s3', region);
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    for (const body of ['one', 'two', 'three'])
      await s3.send(new PutObjectCommand({ Bucket: name, Key: 'a.txt', Body: body }));
    await s3.send(new PutObjectCommand({ Bucket: name, Key: 'b.txt', Body: 'b' }));
    await s3.send(new DeleteObjectCommand({ Bucket: name, Key: 'b.txt' }));
    await s3.send(new CreateMultipartUploadCommand({ Bucket: name, Key: 'big.bin' }));
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: name }));
    expect(listed.Versions).toHaveLength(4);
    expect(listed.DeleteMarkers).toHaveLength(1);

    const resource = await read(clients, account, region, 'aws.s3.bucket', name);
    const plan = expectPlan(deleteResource.plan({ resource, violations: [{ part: 'region' }] }));
    const ctx = testContext(clients);
    const outcome = await deleteResource.apply(plan, ctx);
    expect(outcome.after).toEqual({ objectVersions: 4, deleteMarkers: 1, uploadsAborted: 1 });
    await expect(s3.send(new HeadBucketCommand({ Bucket: name }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
    expect(await deleteResource.verify(plan, ctx)).toBe(true);
    expect((await deleteResource.apply(plan, testContext(clients))).status).toBe('already-done');
    expect((await deleteResource.revert(ctx.entries.at(-1) as never, ctx)).message).toMatch(
      /every object version/,
    );
  });

  it('refuses a bucket tagged leuko:protect', async () => {
    const name = `leuko-keep-${account}`;
    await plantBucket(clients, name, region, { 'leuko:protect': 'archive' });
    const resource = await read(clients, account, region, 'aws.s3.bucket', name);
    const result = deleteResource.plan({ resource, violations: [{ part: 'region' }] });
    expect(isPlan(result)).toBe(false);
    expect(result).toMatchObject({ reason: 'protected' });
  });

  it('deletes a security group, and refuses the default group', async () => {
    const ec2 = clients.client('ec2', region);
    const vpcId = await defaultVpcId(ec2);
    const group = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'stray-group', Description: 'stray', VpcId: vpcId }),
    );
    await deleteAndCheck('aws.ec2.security-group', group.GroupId!);

    const defaults = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'group-name', Values: ['default'] },
          { Name: 'vpc-id', Values: [vpcId] },
        ],
      }),
    );
    const resource = await read(
      clients,
      account,
      region,
      'aws.ec2.security-group',
      defaults.SecurityGroups![0]!.GroupId!,
    );
    expect(deleteResource.plan({ resource, violations: [] })).toMatchObject({ reason: 'not-applicable' });
  });
});
