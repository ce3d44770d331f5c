// EC2 instance and EBS volume events to canonical changes: RunInstances, CreateVolume and their deletions.
import type { Volume } from '@aws-sdk/client-ec2';
import type { Resource } from '../../../core/resource.js';
import { instanceFromAws, type AwsInstance } from '../../../aws/resources/ec2-instance.js';
import { volumeFromAws } from '../../../aws/resources/ec2-volume.js';
import { bool, items, num, obj, str, type JsonObject } from '../record.js';
import { deletion, regionalArn, tagsOf, upsert, type EventContext, type EventMapper } from './shared.js';

/** RunInstances reports launchTime as epoch milliseconds; other records as ISO text. */
function timeOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
  return str(value);
}

function groupsOf(value: unknown): Array<{ GroupId: string | undefined }> {
  return items(value).map((group) => ({ GroupId: str(group.groupId) }));
}

/** One instancesSet item (camelCase, items-wrapped) in the SDK's Instance shape. */
function sdkInstanceOf(item: JsonObject): AwsInstance {
  return {
    InstanceId: str(item.instanceId),
    ImageId: str(item.imageId),
    State: { Name: str(obj(item.instanceState)?.name) as 'pending' | undefined },
    InstanceType: str(item.instanceType) as AwsInstance['InstanceType'],
    LaunchTime: timeOf(item.launchTime),
    VpcId: str(item.vpcId),
    SubnetId: str(item.subnetId),
    Placement: { AvailabilityZone: str(obj(item.placement)?.availabilityZone) },
    PrivateIpAddress: str(item.privateIpAddress),
    PublicIpAddress: str(item.ipAddress),
    KeyName: str(item.keyName),
    SecurityGroups: groupsOf(item.groupSet),
    NetworkInterfaces: items(item.networkInterfaceSet).map((eni) => ({
      NetworkInterfaceId: str(eni.networkInterfaceId),
      SubnetId: str(eni.subnetId),
      PrivateIpAddress: str(eni.privateIpAddress),
      Groups: groupsOf(eni.groupSet),
      Attachment: { DeviceIndex: num(obj(eni.attachment)?.deviceIndex) },
    })),
    IamInstanceProfile: { Arn: str(obj(item.iamInstanceProfile)?.arn) },
    MetadataOptions: { HttpTokens: str(obj(item.metadataOptions)?.httpTokens) as 'required' | undefined },
  };
}

const runInstances: EventMapper = (context) => {
  const tags = Object.assign({}, ...items(context.request.tagSpecificationSet).map((spec) => tagsOf(spec.tags)));
  return items(obj(context.response.instancesSet) ?? context.response.instancesSet).flatMap((item) => {
    const instanceId = str(item.instanceId);
    if (!instanceId) return [];
    const config = instanceFromAws(sdkInstanceOf(item));
    const resource: Resource<'aws.ec2.instance'> = {
      type: 'aws.ec2.instance',
      account: context.account,
      region: context.region,
      id: instanceId,
      arn: regionalArn(context, 'ec2', `instance/${instanceId}`),
      ...(typeof tags.Name === 'string' ? { name: tags.Name } : {}),
      tags,
      config,
    };
    return [upsert(context, resource, Object.keys(config), { created: true })];
  });
};

const terminateInstances: EventMapper = (context) => {
  const ids = new Set<string>();
  for (const item of items(context.response.instancesSet)) if (str(item.instanceId)) ids.add(str(item.instanceId) as string);
  for (const item of items(context.request.instancesSet)) if (str(item.instanceId)) ids.add(str(item.instanceId) as string);
  return [...ids].map((id) => deletion(context, 'aws.ec2.instance', id, regionalArn(context, 'ec2', `instance/${id}`)));
};

const createVolume: EventMapper = (context: EventContext) => {
  const response = context.response;
  const request = context.request;
  const volumeId = str(response.volumeId);
  if (!volumeId) return [];
  // The response tells the truth (EBS encryption by default encrypts a volume the request did not ask to).
  const encrypted = bool(response.encrypted) ?? (bool(request.encrypted) === true ? true : undefined);
  const volume: Volume = {
    VolumeId: volumeId,
    Size: num(response.size) ?? num(request.size),
    VolumeType: (str(response.volumeType) ?? str(request.volumeType)) as Volume['VolumeType'],
    Encrypted: encrypted,
    KmsKeyId: str(response.kmsKeyId) ?? str(request.kmsKeyId),
    AvailabilityZone: str(response.zone) ?? str(response.availabilityZone) ?? str(request.zone) ?? str(request.availabilityZone),
    State: str(response.status) as Volume['State'],
    SnapshotId: str(response.snapshotId) ?? str(request.snapshotId),
    Attachments: [],
  };
  const config = volumeFromAws(volume);
  const fields = Object.keys(config).filter((field) => field !== 'encrypted' || encrypted !== undefined);
  const tags = Object.assign({}, ...items(request.tagSpecificationSet).map((spec) => tagsOf(spec.tags)));
  const resource: Resource<'aws.ec2.volume'> = {
    type: 'aws.ec2.volume',
    account: context.account,
    region: context.region,
    id: volumeId,
    arn: regionalArn(context, 'ec2', `volume/${volumeId}`),
    ...(typeof tags.Name === 'string' ? { name: tags.Name } : {}),
    tags,
    config,
  };
  return [upsert(context, resource, fields, { created: true })];
};

const deleteVolume: EventMapper = (context) => {
  const id = str(context.request.volumeId);
  return id ? [deletion(context, 'aws.ec2.volume', id, regionalArn(context, 'ec2', `volume/${id}`))] : [];
};

export const EC2_COMPUTE_EVENTS: Readonly<Record<string, EventMapper>> = {
  RunInstances: runInstances,
  TerminateInstances: terminateInstances,
  CreateVolume: createVolume,
  DeleteVolume: deleteVolume,
};
