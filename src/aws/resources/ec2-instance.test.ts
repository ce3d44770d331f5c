// Unit tests of the instance mapping, on hand-made records and on real recorded DescribeInstances responses.
import { readFileSync } from 'node:fs';
import type { DescribeInstancesResult } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { instanceSchema, type InstanceModel } from '../../core/models/instance.js';
import { corpusPath } from '../../../test/harness/corpus.js';
import { placeboRecordings, readPlacebo } from '../../../test/harness/placebo.js';
import { instanceFromAws, instanceModule, type AwsInstance } from './ec2-instance.js';

function valid(model: InstanceModel): InstanceModel {
  // parse() drops keys the schema does not know, so equality also proves there are none.
  expect(instanceSchema.parse(model)).toEqual(model);
  return model;
}

/** Recorded responses are JSON (dates as strings or revived Dates); the mapper takes either. */
function instancesOf(data: unknown): AwsInstance[] {
  return ((data as DescribeInstancesResult).Reservations ?? []).flatMap(
    (reservation) => reservation.Instances ?? [],
  );
}

function byId(instances: readonly AwsInstance[], id: string): AwsInstance {
  const found = instances.find((instance) => instance.InstanceId === id);
  if (!found) throw new Error(`no instance ${id} in the recording`);
  return found;
}

describe('instanceFromAws', () => {
  it('maps a full record, sorting interfaces by device index and volumes by device', () => {
    const model = valid(
      instanceFromAws({
        InstanceId: 'i-0123456789abcdef0',
        State: { Code: 16, Name: 'running' },
        ImageId: 'ami-0abc',
        InstanceType: 't3.micro',
        LaunchTime: new Date('2024-05-01T12:00:00Z'),
        VpcId: 'vpc-1',
        SubnetId: 'subnet-1',
        Placement: { AvailabilityZone: 'eu-west-1a' },
        PrivateIpAddress: '10.0.0.5',
        PublicIpAddress: '203.0.113.5',
        KeyName: '',
        SecurityGroups: [{ GroupId: 'sg-b' }, { GroupId: 'sg-a' }],
        NetworkInterfaces: [
          {
            NetworkInterfaceId: 'eni-2',
            SubnetId: 'subnet-2',
            PrivateIpAddress: '10.0.1.5',
            Attachment: { DeviceIndex: 1 },
            Groups: [{ GroupId: 'sg-c' }],
          },
          {
            NetworkInterfaceId: 'eni-1',
            SubnetId: 'subnet-1',
            PrivateIpAddress: '10.0.0.5',
            Association: { PublicIp: '203.0.113.5' },
            Attachment: { DeviceIndex: 0 },
            Groups: [{ GroupId: 'sg-b' }, { GroupId: 'sg-a' }],
          },
        ],
        BlockDeviceMappings: [
          { DeviceName: '/dev/sdb', Ebs: { VolumeId: 'vol-2', DeleteOnTermination: false } },
          { DeviceName: '/dev/sdc' },
          { DeviceName: '/dev/sda1', Ebs: { VolumeId: 'vol-1', DeleteOnTermination: true } },
        ],
        IamInstanceProfile: { Arn: 'arn:aws:iam::111122223333:instance-profile/web', Id: 'AIPA' },
        MetadataOptions: { HttpTokens: 'required' },
      }),
    );
    expect(model).toEqual({
      instanceId: 'i-0123456789abcdef0',
      state: 'running',
      imageId: 'ami-0abc',
      instanceType: 't3.micro',
      launchTime: '2024-05-01T12:00:00.000Z',
      vpcId: 'vpc-1',
      subnetId: 'subnet-1',
      availabilityZone: 'eu-west-1a',
      privateIpAddress: '10.0.0.5',
      publicIpAddress: '203.0.113.5',
      // The secondary interface's group exposes the instance too.
      securityGroupIds: ['sg-a', 'sg-b', 'sg-c'],
      networkInterfaces: [
        {
          networkInterfaceId: 'eni-1',
          subnetId: 'subnet-1',
          privateIpAddress: '10.0.0.5',
          publicIpAddress: '203.0.113.5',
          securityGroupIds: ['sg-a', 'sg-b'],
        },
        {
          networkInterfaceId: 'eni-2',
          subnetId: 'subnet-2',
          privateIpAddress: '10.0.1.5',
          securityGroupIds: ['sg-c'],
        },
      ],
      volumes: [
        { volumeId: 'vol-1', deviceName: '/dev/sda1', deleteOnTermination: true },
        { volumeId: 'vol-2', deviceName: '/dev/sdb', deleteOnTermination: false },
      ],
      iamInstanceProfileArn: 'arn:aws:iam::111122223333:instance-profile/web',
      metadataHttpTokens: 'required',
    });
    expect('keyName' in model).toBe(false);
  });

  it('takes launch times as strings too (recorded responses, events)', () => {
    expect(
      instanceFromAws({ InstanceId: 'i-1', State: { Name: 'stopped' }, LaunchTime: '2012-10-16T20:00:13Z' })
        .launchTime,
    ).toBe('2012-10-16T20:00:13.000Z');
  });

  it('refuses a record without an instance id', () => {
    expect(() => instanceFromAws({ State: { Name: 'running' } })).toThrow(InputError);
  });
});

describe('instanceModule', () => {
  it('declares its IAM actions, CloudFormation type, not-found code and ARN form', () => {
    expect(instanceModule.permissions).toEqual({
      list: ['ec2:DescribeInstances'],
      get: ['ec2:DescribeInstances'],
    });
    expect(instanceModule.cloudFormationType).toBe('AWS::EC2::Instance');
    expect(instanceModule.notFoundCodes).toEqual(['InvalidInstanceID.NotFound']);
    expect(
      instanceModule.arn({ partition: 'aws', region: 'us-east-1', account: '111122223333', id: 'i-1' }),
    ).toBe('arn:aws:ec2:us-east-1:111122223333:instance/i-1');
  });
});

describe('instanceFromAws on botocore-parsed DescribeInstances (corpus)', () => {
  const file = corpusPath('api-responses', 'botocore-response-parsing', 'ec2-describe-instances.json');

  it.skipIf(!file)('maps a stopped EC2-Classic instance and a running one', () => {
    const instances = instancesOf(JSON.parse(readFileSync(file ?? '', 'utf8')));
    expect(valid(instanceFromAws(byId(instances, 'i-fde9cece')))).toEqual({
      instanceId: 'i-fde9cece',
      state: 'stopped',
      imageId: 'ami-30fe7300',
      instanceType: 'm1.small',
      launchTime: '2012-10-16T20:00:13.000Z',
      availabilityZone: 'us-west-2a',
      keyName: 'aws',
      securityGroupIds: ['sg-4e970e7e'],
      networkInterfaces: [],
      volumes: [{ volumeId: 'vol-bc71579a', deviceName: '/dev/sda1', deleteOnTermination: true }],
    });
    expect(valid(instanceFromAws(byId(instances, 'i-78f1b94a')))).toMatchObject({
      state: 'running',
      privateIpAddress: '10.253.17.74',
      publicIpAddress: '54.245.16.142',
      securityGroupIds: ['sg-72334242'],
    });
  });
});

describe('instanceFromAws on Cloud Custodian placebo recordings (corpus)', () => {
  const dir = corpusPath('api-responses', 'cloud-custodian-placebo');

  it.skipIf(!dir)('maps an instance profile and IMDSv2-only metadata options', () => {
    const instances = instancesOf(
      readPlacebo(`${dir}/test_ec2_ssm_inventory_filter/ec2.DescribeInstances_1.json`).data,
    );
    expect(valid(instanceFromAws(byId(instances, 'i-069d5df3524c95b06')))).toEqual({
      instanceId: 'i-069d5df3524c95b06',
      state: 'running',
      imageId: 'ami-01b799c439fd5516a',
      instanceType: 't2.medium',
      launchTime: '2024-07-01T16:40:19.000Z',
      vpcId: 'vpc-08bbc74c36b8a08dd',
      subnetId: 'subnet-0897a33a30b9945ed',
      availabilityZone: 'us-east-1a',
      privateIpAddress: '10.146.96.43',
      keyName: 'sas-ssh-key',
      securityGroupIds: ['sg-0738e8b46f1c2c79d'],
      networkInterfaces: [
        {
          networkInterfaceId: 'eni-065036808124b42f6',
          subnetId: 'subnet-0897a33a30b9945ed',
          privateIpAddress: '10.146.96.43',
          securityGroupIds: ['sg-0738e8b46f1c2c79d'],
        },
      ],
      volumes: [{ volumeId: 'vol-0a476d462fe10a377', deviceName: '/dev/xvda', deleteOnTermination: true }],
      iamInstanceProfileArn:
        'arn:aws:iam::644160558196:instance-profile/CSO-InstanceProfile-For-EC2-SSM-Mgmt',
      metadataHttpTokens: 'required',
    });
  });

  it.skipIf(!dir)(
    'counts the groups of a secondary interface, which AWS leaves out of the instance-level list',
    () => {
      const instances = instancesOf(
        readPlacebo(`${dir}/ec2_security_group_filter_multi_enis/ec2.DescribeInstances_1.json`).data,
      );
      const raw = byId(instances, 'i-0a3bdbed1708220a1');
      expect(raw.SecurityGroups?.map((group) => group.GroupId)).toEqual(['sg-08866faa10e9a51ef']);
      expect(valid(instanceFromAws(raw))).toEqual({
        instanceId: 'i-0a3bdbed1708220a1',
        state: 'running',
        imageId: 'ami-0d239dc99a14a05ff',
        instanceType: 't2.micro',
        launchTime: '2023-10-31T10:35:08.000Z',
        vpcId: 'vpc-0e6611fce3ecb0f0f',
        subnetId: 'subnet-08d70664677d2d011',
        availabilityZone: 'us-east-1a',
        privateIpAddress: '10.0.2.155',
        securityGroupIds: ['sg-08866faa10e9a51ef', 'sg-09dd9760660103a06'],
        networkInterfaces: [
          // Recorded secondary-first; the primary (device index 0) comes first in the model.
          {
            networkInterfaceId: 'eni-085f554b90f031062',
            subnetId: 'subnet-08d70664677d2d011',
            privateIpAddress: '10.0.2.155',
            securityGroupIds: ['sg-08866faa10e9a51ef'],
          },
          {
            networkInterfaceId: 'eni-00c2433e49682f0c3',
            subnetId: 'subnet-0afcfaf701c6a1c4c',
            privateIpAddress: '10.0.1.115',
            securityGroupIds: ['sg-09dd9760660103a06'],
          },
        ],
        volumes: [{ volumeId: 'vol-009c6aed4793667ff', deviceName: '/dev/xvda', deleteOnTermination: true }],
        metadataHttpTokens: 'optional',
      });
    },
  );

  it.skipIf(!dir)('marks the state of a partial record (no State) as unknown', () => {
    const [partial] = instancesOf(
      readPlacebo(`${dir}/test_copy_related_resource_tag_empty/ec2.DescribeInstances_1.json`).data,
    );
    expect(valid(instanceFromAws(partial ?? {}))).toEqual({
      instanceId: 'i-0f94b4d7343149de3',
      state: 'unknown',
      securityGroupIds: [],
      networkInterfaces: [{ networkInterfaceId: 'eni-0e1324ba169ed7b2f', securityGroupIds: [] }],
      volumes: [],
    });
  });

  it.skipIf(!dir)('maps every recorded DescribeInstances response to a valid model', () => {
    const recordings = placeboRecordings(dir ?? '', 'ec2.DescribeInstances').filter(
      (recording) => recording.statusCode === 200,
    );
    expect(recordings.length).toBeGreaterThan(100);
    let count = 0;
    for (const recording of recordings) {
      for (const instance of instancesOf(recording.data)) {
        const model = valid(instanceFromAws(instance));
        expect(model.instanceId, recording.file).toBe(instance.InstanceId);
        expect(model.volumes.length, recording.file).toBe(
          (instance.BlockDeviceMappings ?? []).filter((mapping) => mapping.Ebs).length,
        );
        count += 1;
      }
    }
    expect(count).toBeGreaterThan(150);
  });
});
