// Plants a small AWS estate with the problems leuko exists to find, into moto (for `leuko demo` and tests).
import { CreateStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  RunInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import {
  CreateDBInstanceCommand,
  CreateDBSnapshotCommand,
  ModifyDBSnapshotAttributeCommand,
} from '@aws-sdk/client-rds';
import {
  CreateBucketCommand,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import type { AccountClients } from '../aws/clients/client-factory.js';

export interface PlantedEstate {
  readonly account: string;
  readonly securityGroups: Record<string, string>;
  readonly instances: string[];
  readonly volumes: string[];
  readonly buckets: string[];
  readonly dbInstances: string[];
  readonly dbSnapshots: string[];
  readonly tables: string[];
  readonly stacks: string[];
}

async function firstImage(ec2: EC2Client): Promise<string> {
  const images = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
  const id = images.Images?.find((image) => image.ImageId)?.ImageId;
  if (!id) throw new Error('moto returned no AMI');
  return id;
}

async function createGroup(ec2: EC2Client, vpcId: string, name: string, ingress: Array<{ port: number; cidr: string }>) {
  const group = await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: `${name} (leuko demo)`, VpcId: vpcId }));
  const groupId = group.GroupId ?? '';
  if (ingress.length > 0) {
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: ingress.map(({ port, cidr }) => ({
          IpProtocol: 'tcp',
          FromPort: port,
          ToPort: port,
          IpRanges: [{ CidrIp: cidr, Description: `port ${port}` }],
        })),
      }),
    );
  }
  return groupId;
}

const STACK_TEMPLATE = JSON.stringify({
  AWSTemplateFormatVersion: '2010-09-09',
  Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'leuko-demo-topic' } } },
});

/**
 * The demo estate: a web tier done right and wrong in eu-west-1, a forgotten test box in us-east-1
 * (outside an EU-only policy), a public bucket, a public RDS database and snapshot, an unprotected table.
 */
export async function plantDemoEstate(clients: AccountClients, account: string): Promise<PlantedEstate> {
  const home = 'eu-west-1';
  const stray = 'us-east-1';
  const ec2 = clients.client('ec2', home);
  const strayEc2 = clients.client('ec2', stray);

  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
  const vpcId = vpc.Vpc?.VpcId ?? '';
  const securityGroups: Record<string, string> = {
    web: await createGroup(ec2, vpcId, 'web', [
      { port: 443, cidr: '0.0.0.0/0' },
      { port: 80, cidr: '0.0.0.0/0' },
    ]),
    bastion: await createGroup(ec2, vpcId, 'bastion', [{ port: 22, cidr: '0.0.0.0/0' }]),
    database: await createGroup(ec2, vpcId, 'database', [{ port: 5432, cidr: '0.0.0.0/0' }]),
    internal: await createGroup(ec2, vpcId, 'internal', [{ port: 8080, cidr: '10.20.0.0/16' }]),
  };

  const image = await firstImage(ec2);
  const web = await ec2.send(
    new RunInstancesCommand({
      ImageId: image,
      MinCount: 1,
      MaxCount: 1,
      InstanceType: 't3.micro',
      SecurityGroupIds: [securityGroups.web ?? ''],
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web-1' }] }],
    }),
  );
  const strayInstance = await strayEc2.send(
    new RunInstancesCommand({
      ImageId: await firstImage(strayEc2),
      MinCount: 1,
      MaxCount: 1,
      InstanceType: 't3.large',
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'forgotten-test-box' }] }],
    }),
  );
  const instances = [...(web.Instances ?? []), ...(strayInstance.Instances ?? [])].map((i) => i.InstanceId ?? '');

  const plainVolume = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${home}a`, Size: 20, Encrypted: false }));
  const encryptedVolume = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${home}a`, Size: 20, Encrypted: true }));
  await ec2.send(new CreateTagsCommand({ Resources: [plainVolume.VolumeId ?? ''], Tags: [{ Key: 'Name', Value: 'scratch' }] }));
  const volumes = [plainVolume.VolumeId ?? '', encryptedVolume.VolumeId ?? ''];

  const s3 = clients.client('s3', home);
  const bucketName = (suffix: string) => `leuko-demo-${account}-${suffix}`;
  const buckets = [bucketName('public-assets'), bucketName('open-policy'), bucketName('private-logs')];
  for (const name of buckets) {
    await s3.send(
      new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: home as BucketLocationConstraint } }),
    );
  }
  await s3.send(new PutBucketAclCommand({ Bucket: buckets[0], ACL: 'public-read' }));
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: buckets[1],
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${buckets[1]}/*` }],
      }),
    }),
  );
  await s3.send(
    new PutPublicAccessBlockCommand({
      Bucket: buckets[2],
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    }),
  );

  const rds = clients.client('rds', home);
  await rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: 'orders-db',
      DBInstanceClass: 'db.t3.micro',
      Engine: 'postgres',
      AllocatedStorage: 20,
      MasterUsername: 'admin',
      MasterUserPassword: 'not-a-real-password-1',
      PubliclyAccessible: true,
      StorageEncrypted: false,
      VpcSecurityGroupIds: [securityGroups.database ?? ''],
    }),
  );
  await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders-db', DBSnapshotIdentifier: 'orders-db-before-migration' }));
  await rds.send(
    new ModifyDBSnapshotAttributeCommand({
      DBSnapshotIdentifier: 'orders-db-before-migration',
      AttributeName: 'restore',
      ValuesToAdd: ['all'],
    }),
  );

  const dynamodb = clients.client('dynamodb', home);
  await dynamodb.send(
    new CreateTableCommand({
      TableName: 'sessions',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }),
  );

  const cloudformation: CloudFormationClient = clients.client('cloudformation', stray);
  await cloudformation.send(new CreateStackCommand({ StackName: 'leuko-demo-stray-stack', TemplateBody: STACK_TEMPLATE }));

  return {
    account,
    securityGroups,
    instances,
    volumes,
    buckets,
    dbInstances: ['orders-db'],
    dbSnapshots: ['orders-db-before-migration'],
    tables: ['sessions'],
    stacks: ['leuko-demo-stray-stack'],
  };
}
