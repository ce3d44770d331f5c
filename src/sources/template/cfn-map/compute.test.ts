// Tests of instance, volume, RDS instance, DynamoDB table and nested stack mapping.
import { describe, expect, it } from 'vitest';
import { isUnknown } from '../../../core/unknown.js';
import { mapYaml } from '../../../../test/templates/support/map-yaml.js';
import { TEMPLATE_STACK_STATUS } from './stack.js';

describe('AWS::EC2::Instance', () => {
  const template = `Resources:
  WebSG: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: web}}
  Web:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-123
      InstanceType: t3.micro
      SubnetId: !Ref Subnet
      SecurityGroupIds: [!Ref WebSG, sg-extra, !GetAtt WebSG.GroupId]
      BlockDeviceMappings:
        - DeviceName: /dev/xvda
          Ebs: {VolumeSize: 20, Encrypted: true}
        - DeviceName: /dev/sdf
          Ebs: {VolumeSize: 100, Encrypted: false, DeleteOnTermination: false}
        - DeviceName: /dev/sdg
          Ebs: {VolumeSize: 1}
        - DeviceName: /dev/sdh
          VirtualName: ephemeral0
      Tags: [{Key: Name, Value: web}]
  Subnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: vpc-1, CidrBlock: 10.0.0.0/24}}
  Data:
    Type: AWS::EC2::Volume
    Properties: {Size: 10, AvailabilityZone: us-east-1a}
  Attach:
    Type: AWS::EC2::VolumeAttachment
    Properties: {InstanceId: !Ref Web, VolumeId: !Ref Data, Device: /dev/sdz}
`;

  it('maps groups (template ones by logical id), subnet, block devices and attached volumes', () => {
    const { only } = mapYaml(template);
    const web = only('Web', 'aws.ec2.instance');
    expect(web.config).toMatchObject({ instanceId: 'Web', state: 'running', imageId: 'ami-123', instanceType: 't3.micro', subnetId: 'Subnet' });
    expect(web.config.securityGroupIds).toEqual(['WebSG', 'sg-extra', 'WebSG']);
    expect(web.config.volumes).toEqual([
      { volumeId: 'Web:/dev/xvda', deviceName: '/dev/xvda', deleteOnTermination: true },
      { volumeId: 'Web:/dev/sdf', deviceName: '/dev/sdf', deleteOnTermination: false },
      { volumeId: 'Web:/dev/sdg', deviceName: '/dev/sdg', deleteOnTermination: true },
      { volumeId: 'Data', deviceName: '/dev/sdz' },
    ]);
    expect(web.tags).toEqual({ Name: 'web' });
  });

  it('each EBS block device is a volume: explicit Encrypted decides, left out it is unknown', () => {
    const { mapping } = mapYaml(template);
    const volumes = mapping.resources.filter((r) => r.type === 'aws.ec2.volume').map((r) => r.variants[0]?.resource);
    const byId = Object.fromEntries(volumes.map((v) => [v?.id, v?.config as { encrypted: unknown; attachments: unknown[] }]));
    expect(byId['Web:/dev/xvda']?.encrypted).toBe(true);
    expect(byId['Web:/dev/sdf']?.encrypted).toBe(false);
    expect(isUnknown(byId['Web:/dev/sdg']?.encrypted)).toBe(true);
    expect(byId['Web:/dev/sdh']).toBeUndefined();
    expect(byId['Web:/dev/sdf']?.attachments).toEqual([{ instanceId: 'Web', device: '/dev/sdf', deleteOnTermination: false }]);
  });

  it('uses the account default for EBS encryption when the caller knows it', () => {
    const on = mapYaml(template, { ebsEncryptionByDefault: true }).mapping.resources.filter((r) => r.type === 'aws.ec2.volume');
    expect(on.every((r) => (r.variants[0]?.resource.config as { encrypted: unknown }).encrypted === true)).toBe(true);
  });

  it('takes groups from network interfaces, inline or AWS::EC2::NetworkInterface resources', () => {
    const { only } = mapYaml(`Resources:
  Sg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: x}}
  Eni: {Type: AWS::EC2::NetworkInterface, Properties: {SubnetId: subnet-1, GroupSet: [!Ref Sg]}}
  Vm:
    Type: AWS::EC2::Instance
    Properties:
      NetworkInterfaces:
        - {NetworkInterfaceId: !Ref Eni, DeviceIndex: 0}
        - {DeviceIndex: 1, SubnetId: subnet-2, GroupSet: [sg-other], AssociatePublicIpAddress: true}
`);
    const vm = only('Vm', 'aws.ec2.instance');
    expect(vm.config.networkInterfaces).toEqual([
      { networkInterfaceId: 'Eni', subnetId: 'subnet-1', securityGroupIds: ['Sg'] },
      { networkInterfaceId: 'Vm/eth1', subnetId: 'subnet-2', securityGroupIds: ['sg-other'] },
    ]);
    expect(vm.config.securityGroupIds).toEqual(['Sg', 'sg-other']);
  });

  it('warns about security groups it cannot name, rather than inventing ids', () => {
    const { only, mapping } = mapYaml('Resources:\n  I:\n    Type: AWS::EC2::Instance\n    Properties:\n      SecurityGroupIds: [!ImportValue shared-sg]\n');
    expect(only('I', 'aws.ec2.instance').config.securityGroupIds).toEqual([]);
    expect(mapping.warnings.some((w) => /security group in SecurityGroupIds of I is unknown/.test(w.message))).toBe(true);
  });
});

describe('AWS::EC2::Volume', () => {
  it('Encrypted given, left out (account default unknown), from a snapshot, and with the default known off', () => {
    const template = `Resources:
  A: {Type: AWS::EC2::Volume, Properties: {Size: 1, Encrypted: true, KmsKeyId: !Ref Key}}
  B: {Type: AWS::EC2::Volume, Properties: {Size: 1}}
  C: {Type: AWS::EC2::Volume, Properties: {SnapshotId: snap-1}}
  Key: {Type: AWS::KMS::Key}
`;
    const { only } = mapYaml(template);
    expect(only('A', 'aws.ec2.volume').config).toMatchObject({ encrypted: true, kmsKeyId: 'Key', sizeGiB: 1 });
    expect(isUnknown(only('B', 'aws.ec2.volume').config.encrypted)).toBe(true);
    expect(isUnknown(only('C', 'aws.ec2.volume').config.encrypted)).toBe(true);
    const off = mapYaml(template, { ebsEncryptionByDefault: false });
    expect(off.only('B', 'aws.ec2.volume').config.encrypted).toBe(false);
    expect(isUnknown(off.only('C', 'aws.ec2.volume').config.encrypted)).toBe(true);
  });
});

describe('AWS::RDS::DBInstance', () => {
  const network = `  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  SubnetA: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}}
  SubnetB: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}}
  Subnets: {Type: AWS::RDS::DBSubnetGroup, Properties: {DBSubnetGroupDescription: x, SubnetIds: [!Ref SubnetA, !Ref SubnetB]}}
`;
  const igw = `  Igw: {Type: AWS::EC2::InternetGateway}
  IgwAttach: {Type: AWS::EC2::VPCGatewayAttachment, Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}}
`;
  const db = (properties: string) => `  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      DBInstanceClass: db.t3.micro\n${properties}`;

  it('explicit PubliclyAccessible and StorageEncrypted are taken as written', () => {
    const { only } = mapYaml(`Resources:\n${db('      PubliclyAccessible: "true"\n      StorageEncrypted: false\n      VPCSecurityGroups: [!Ref DbSG]\n      Port: 5432\n')}  DbSG: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: db}}\n`);
    const config = only('Db', 'aws.rds.db-instance').config;
    expect(config).toMatchObject({ dbInstanceIdentifier: 'Db', engine: 'postgres', publiclyAccessible: true, storageEncrypted: false, vpcSecurityGroupIds: ['DbSG'], endpoint: { port: 5432 } });
  });

  it('PubliclyAccessible left out: RDS decides by the subnets’ VPC having an internet gateway', () => {
    const publicVpc = mapYaml(`Resources:\n${network}${igw}${db('      DBSubnetGroupName: !Ref Subnets\n')}`).only('Db', 'aws.rds.db-instance');
    expect(publicVpc.config.publiclyAccessible).toBe(true);
    const privateVpc = mapYaml(`Resources:\n${network}${db('      DBSubnetGroupName: !Ref Subnets\n')}`).only('Db', 'aws.rds.db-instance');
    expect(privateVpc.config.publiclyAccessible).toBe(false);
    const defaultVpc = mapYaml(`Resources:\n${db('')}`).only('Db', 'aws.rds.db-instance');
    expect(defaultVpc.config.publiclyAccessible).toMatchObject({ $unknown: true, reason: expect.stringMatching(/default VPC/) });
    const external = mapYaml(`Resources:\n${db('      DBSubnetGroupName: existing-group\n')}`).only('Db', 'aws.rds.db-instance');
    expect(isUnknown(external.config.publiclyAccessible)).toBe(true);
  });

  it('StorageEncrypted left out: false for a new instance, inherited from snapshot, source or cluster', () => {
    const plain = mapYaml(`Resources:\n${db('')}`).only('Db', 'aws.rds.db-instance');
    expect(plain.config.storageEncrypted).toBe(false);
    const restored = mapYaml(`Resources:\n${db('      DBSnapshotIdentifier: snap\n      StorageEncrypted: false\n')}`).only('Db', 'aws.rds.db-instance');
    expect(isUnknown(restored.config.storageEncrypted)).toBe(true);
    const replica = mapYaml(`Resources:\n${db('      StorageEncrypted: true\n')}  Replica:\n    Type: AWS::RDS::DBInstance\n    Properties: {SourceDBInstanceIdentifier: !Ref Db, DBInstanceClass: db.t3.micro}\n`).only('Replica', 'aws.rds.db-instance');
    expect(replica.config.storageEncrypted).toBe(true);
    const aurora = (cluster: string) =>
      mapYaml(`Resources:\n  Cluster: {Type: AWS::RDS::DBCluster, Properties: {Engine: aurora-postgresql${cluster}}}\n${db('      DBClusterIdentifier: !Ref Cluster\n')}`).only('Db', 'aws.rds.db-instance').config.storageEncrypted;
    expect(aurora(', StorageEncrypted: true')).toBe(true);
    expect(aurora('')).toBe(false);
    expect(aurora(', EngineMode: serverless')).toBe(true);
    expect(isUnknown(aurora(', SnapshotIdentifier: snap'))).toBe(true);
    const externalCluster = mapYaml(`Resources:\n${db('      DBClusterIdentifier: existing\n')}`).only('Db', 'aws.rds.db-instance');
    expect(isUnknown(externalCluster.config.storageEncrypted)).toBe(true);
  });
});

describe('AWS::DynamoDB::Table', () => {
  const table = (properties: string) => `Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: orders\n${properties}  Key: {Type: AWS::KMS::Key}\n`;

  it.each([
    ['', 'AWS_OWNED', false],
    ['      SSESpecification: {SSEEnabled: false}\n', 'AWS_OWNED', false],
    ['      SSESpecification: {SSEEnabled: true}\n', 'AWS_MANAGED', false],
    ['      SSESpecification: {SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: !Ref Key}\n      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}\n', 'CUSTOMER_MANAGED', true],
  ])('%s', (properties, encryption, pitr) => {
    const resource = mapYaml(table(properties)).only('T', 'aws.dynamodb.table');
    expect(resource.id).toBe('orders');
    expect(resource.config).toMatchObject({ tableName: 'orders', encryption, pointInTimeRecovery: pitr });
  });
});

describe('AWS::CloudFormation::Stack', () => {
  it('maps nested stacks with a status that is no CloudFormation status', () => {
    const stack = mapYaml('Resources:\n  Net:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: https://example.com/net.yaml}\n').only('Net', 'aws.cloudformation.stack');
    expect(stack.config).toMatchObject({ stackName: 'Net', status: TEMPLATE_STACK_STATUS });
  });
});
