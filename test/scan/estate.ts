// A small multi-region estate of every resource type, for the scan integration tests.
import { CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVolumeCommand,
  DescribeImagesCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { CreateDBInstanceCommand, CreateDBSnapshotCommand } from '@aws-sdk/client-rds';
import { CreateBucketCommand, type BucketLocationConstraint } from '@aws-sdk/client-s3';
import type { AccountClients } from '../../src/aws/clients/client-factory.js';

export interface RegionEstate {
  region: string;
  groupId: string;
  openGroupId: string;
  instanceId: string;
  volumeId: string;
  bucket: string;
  dbInstance: string;
  dbSnapshot: string;
  table: string;
  stack: string;
}

export async function plantRegion(clients: AccountClients, account: string, region: string): Promise<RegionEstate> {
  const ec2 = clients.client('ec2', region);
  const group = await ec2.send(new CreateSecurityGroupCommand({ GroupName: `app-${region}`, Description: 'app tier' }));
  const open = await ec2.send(new CreateSecurityGroupCommand({ GroupName: `edge-${region}`, Description: 'edge tier' }));
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: open.GroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }),
  );
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: group.GroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: '10.1.0.0/16' }] }],
    }),
  );
  const images = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
  const run = await ec2.send(
    new RunInstancesCommand({
      ImageId: images.Images?.[0]?.ImageId,
      MinCount: 1,
      MaxCount: 1,
      SecurityGroupIds: [group.GroupId ?? ''],
    }),
  );
  const volume = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${region}a`, Size: 8 }));
  const bucket = `estate-${account}-${region}`;
  await clients.client('s3', region).send(
    new CreateBucketCommand({
      Bucket: bucket,
      ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
    }),
  );
  const rds = clients.client('rds', region);
  const dbInstance = `db-${region}`;
  await rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: dbInstance,
      DBInstanceClass: 'db.t3.micro',
      Engine: 'mysql',
      AllocatedStorage: 20,
      MasterUsername: 'admin',
      MasterUserPassword: 'password-123456',
    }),
  );
  const dbSnapshot = `${dbInstance}-snap`;
  await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: dbInstance, DBSnapshotIdentifier: dbSnapshot }));
  const table = `table-${region}`;
  await clients.client('dynamodb', region).send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }),
  );
  const stack = `stack-${region}`;
  await clients.client('cloudformation', region).send(
    new CreateStackCommand({
      StackName: stack,
      TemplateBody: JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } } }),
    }),
  );
  return {
    region,
    groupId: group.GroupId ?? '',
    openGroupId: open.GroupId ?? '',
    instanceId: run.Instances?.[0]?.InstanceId ?? '',
    volumeId: volume.VolumeId ?? '',
    bucket,
    dbInstance,
    dbSnapshot,
    table,
    stack,
  };
}
