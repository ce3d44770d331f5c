// Shared helpers for the action tests: an action context with an in-memory journal, and planting helpers.
import { DescribeVpcsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { expect } from 'vitest';
import type { ActionContext } from '../../src/aws/actions/action-runtime.js';
import type { AccountClients } from '../../src/aws/clients/client-factory.js';
import { resourceModule } from '../../src/aws/resources/registry.js';
import { isPlan, type ActionPlan, type JournalEntry, type PlanResult } from '../../src/core/action.js';
import type { Resource } from '../../src/core/resource.js';
import type { ResourceTypeId } from '../../src/core/resource-types.js';

export interface TestContext extends ActionContext {
  readonly entries: JournalEntry[];
}

/** An action context whose journal keeps entries in memory, with fast polling for moto. */
export function testContext(clients: AccountClients, taskId = 'task-1'): TestContext {
  const entries: JournalEntry[] = [];
  return {
    clients,
    taskId,
    entries,
    journal: (entry) => {
      entries.push(entry);
    },
    wait: { intervalMs: 50, timeoutMs: 20_000 },
  };
}

/** The canonical resource, read the way a scan reads it. */
export async function read<T extends ResourceTypeId>(
  clients: AccountClients,
  account: string,
  region: string,
  type: T,
  id: string,
): Promise<Resource<T>> {
  const resource = await resourceModule(type).get(
    { account, region, partition: 'aws', clients, warn: () => undefined },
    id,
  );
  if (!resource) throw new Error(`${type} ${id} not found`);
  return resource;
}

export function expectPlan<S>(result: PlanResult<S>): ActionPlan<S> {
  if (!isPlan(result)) throw new Error(`expected a plan, got a refusal: ${result.message}`);
  return result;
}

/** Journal-first: the pending entry (with the before-state) precedes the outcome, under the same id. */
export function expectJournaledFirst(entries: readonly JournalEntry[]): JournalEntry {
  const first = entries[0];
  const last = entries[entries.length - 1];
  expect(first?.result.status).toBe('pending');
  expect(last?.id).toBe(first?.id);
  expect(last?.result.status).toBe('applied');
  return last!;
}

export async function defaultVpcId(ec2: EC2Client): Promise<string> {
  const output = await ec2.send(
    new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }),
  );
  const vpcId = output.Vpcs?.[0]?.VpcId;
  if (!vpcId) throw new Error('moto has no default VPC');
  return vpcId;
}

/** A bucket in `region` with ACLs enabled and no public access block, as older buckets are. */
export async function plantBucket(
  clients: AccountClients,
  name: string,
  region: string,
  tags: Record<string, string> = {},
): Promise<void> {
  const { CreateBucketCommand, DeletePublicAccessBlockCommand, PutBucketTaggingCommand } =
    await import('@aws-sdk/client-s3');
  const s3 = clients.client('s3', region);
  await s3.send(
    new CreateBucketCommand({
      Bucket: name,
      ObjectOwnership: 'ObjectWriter',
      ...(region === 'us-east-1'
        ? {}
        : { CreateBucketConfiguration: { LocationConstraint: region as 'eu-west-1' } }),
    }),
  );
  await s3.send(new DeletePublicAccessBlockCommand({ Bucket: name }));
  const tagSet = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  if (tagSet.length)
    await s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: tagSet } }));
}

/** A small RDS instance (public unless told otherwise), as moto creates it at once. */
export async function plantDbInstance(
  clients: AccountClients,
  region: string,
  id: string,
  options: { publiclyAccessible?: boolean; tags?: Record<string, string>; deletionProtection?: boolean } = {},
): Promise<void> {
  const { CreateDBInstanceCommand } = await import('@aws-sdk/client-rds');
  await clients.client('rds', region).send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: id,
      Engine: 'postgres',
      EngineVersion: '16.3',
      DBInstanceClass: 'db.t3.micro',
      AllocatedStorage: 20,
      MasterUsername: 'admin1',
      MasterUserPassword: 'not-a-secret-1',
      PubliclyAccessible: options.publiclyAccessible ?? true,
      BackupRetentionPeriod: 0,
      ...(options.deletionProtection ? { DeletionProtection: true } : {}),
      Tags: Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
}

/** A running instance in the default VPC with a data volume besides its root volume, in a group of its own. */
export async function plantInstance(
  clients: AccountClients,
  region: string,
  name: string,
  tags: Record<string, string> = {},
): Promise<{ instanceId: string; groupId: string; vpcId: string }> {
  const {
    AttachVolumeCommand,
    CreateSecurityGroupCommand,
    CreateVolumeCommand,
    DescribeImagesCommand,
    RunInstancesCommand,
  } = await import('@aws-sdk/client-ec2');
  const ec2 = clients.client('ec2', region);
  const vpcId = await defaultVpcId(ec2);
  const group = await ec2.send(
    new CreateSecurityGroupCommand({ GroupName: `${name}-sg`, Description: name, VpcId: vpcId }),
  );
  const images = await ec2.send(
    new DescribeImagesCommand({
      Owners: ['amazon'],
      Filters: [{ Name: 'name', Values: ['amzn2-ami-hvm-*'] }],
    }),
  );
  const imageId = images.Images?.[0]?.ImageId;
  if (!imageId) throw new Error('moto lists no AMI');
  const run = await ec2.send(
    new RunInstancesCommand({
      ImageId: imageId,
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      SecurityGroupIds: [group.GroupId!],
      TagSpecifications: [
        {
          ResourceType: 'instance',
          Tags: Object.entries({ Name: name, ...tags }).map(([Key, Value]) => ({ Key, Value })),
        },
      ],
    }),
  );
  const instanceId = run.Instances?.[0]?.InstanceId;
  if (!instanceId) throw new Error('moto started no instance');
  // A data volume besides the root volume: evidence must cover every attached volume, not just the root.
  const zone = run.Instances?.[0]?.Placement?.AvailabilityZone ?? `${region}a`;
  const volume = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: zone, Size: 8 }));
  await ec2.send(
    new AttachVolumeCommand({ InstanceId: instanceId, VolumeId: volume.VolumeId!, Device: '/dev/sdf' }),
  );
  return { instanceId, groupId: group.GroupId!, vpcId };
}

/** Snapshots tagged as evidence for `tag`. */
export async function evidenceSnapshots(clients: AccountClients, region: string, tag: string) {
  const { DescribeSnapshotsCommand } = await import('@aws-sdk/client-ec2');
  const output = await clients.client('ec2', region).send(
    new DescribeSnapshotsCommand({
      OwnerIds: ['self'],
      Filters: [{ Name: 'tag:leuko:finding', Values: [tag] }],
    }),
  );
  return output.Snapshots ?? [];
}
