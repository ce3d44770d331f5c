// Resource type aws.ec2.instance: lists instances (terminated ones count as gone) and maps them to the canonical model.
import {
  DescribeInstancesCommand,
  paginateDescribeInstances,
  type Instance,
  type InstanceNetworkInterface,
} from '@aws-sdk/client-ec2';
import { InputError } from '../../core/errors.js';
import type { InstanceModel } from '../../core/models/instance.js';
import { tagsFromList, type Resource } from '../../core/resource.js';
import { isNotFoundError } from '../aws-errors.js';
import { allPages, callAws, compareStrings, isoDate } from './collect-helpers.js';
import type { CollectContext, ResourceTypeModule } from './resource-module.js';

const TYPE = 'aws.ec2.instance';

/** The largest page DescribeInstances accepts. */
const MAX_PAGE_SIZE = 1000;

const DESCRIBE_INSTANCES = 'ec2:DescribeInstances';

const NOT_FOUND_CODES = ['InvalidInstanceID.NotFound'] as const;

/**
 * Terminated instances stay visible in DescribeInstances for about an hour and then vanish. Treating them
 * as gone at once lets the store mark them deleted when they are terminated, not an hour later.
 */
const GONE_STATE = 'terminated';

/** An instance as the SDK returns it, or as recorded (botocore JSON, events), where dates are strings. */
export type AwsInstance = Omit<Instance, 'LaunchTime'> & { readonly LaunchTime?: Date | string | undefined };

/** AWS sends "" for some absent strings; a model must not differ by source for "nothing". */
function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** Drops absent optional fields, so the model's JSON is the same whichever source left them out. */
function withoutUndefined<T extends object>(value: T): T {
  // A loop, not Object.fromEntries over filtered entries (an array per field): it runs for every instance an
  // event or a scan maps. Same keys in the same order.
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const field = (value as Record<string, unknown>)[key];
    if (field !== undefined) kept[key] = field;
  }
  return kept as T;
}

function sortedUnique(values: ReadonlyArray<string | undefined>): string[] {
  const present = values.filter((value): value is string => value !== undefined && value !== '');
  return [...new Set(present)].sort(compareStrings);
}

function indexOrLast(value: number | undefined): number {
  return value ?? Number.MAX_SAFE_INTEGER;
}

/** Network card, then device index (0 is the primary interface), then id: AWS's own order is not stable. */
function compareInterfaces(a: InstanceNetworkInterface, b: InstanceNetworkInterface): number {
  return (
    indexOrLast(a.Attachment?.NetworkCardIndex) - indexOrLast(b.Attachment?.NetworkCardIndex) ||
    indexOrLast(a.Attachment?.DeviceIndex) - indexOrLast(b.Attachment?.DeviceIndex) ||
    compareStrings(a.NetworkInterfaceId ?? '', b.NetworkInterfaceId ?? '')
  );
}

/** The canonical model of one instance (from DescribeInstances, RunInstances or a recorded response). */
export function instanceFromAws(instance: AwsInstance): InstanceModel {
  if (!instance.InstanceId) throw new InputError('an instance record without InstanceId', DESCRIBE_INSTANCES);
  const interfaces = [...(instance.NetworkInterfaces ?? [])]
    .filter((eni) => eni.NetworkInterfaceId)
    .sort(compareInterfaces)
    .map((eni) =>
      withoutUndefined({
        networkInterfaceId: eni.NetworkInterfaceId ?? '',
        subnetId: nonEmpty(eni.SubnetId),
        privateIpAddress: nonEmpty(eni.PrivateIpAddress),
        publicIpAddress: nonEmpty(eni.Association?.PublicIp),
        securityGroupIds: sortedUnique((eni.Groups ?? []).map((group) => group.GroupId)),
      }),
    );
  const volumes = (instance.BlockDeviceMappings ?? [])
    .filter((mapping) => mapping.Ebs?.VolumeId)
    .map((mapping) =>
      withoutUndefined({
        volumeId: mapping.Ebs?.VolumeId ?? '',
        deviceName: nonEmpty(mapping.DeviceName),
        deleteOnTermination: mapping.Ebs?.DeleteOnTermination,
      }),
    )
    .sort(
      (a, b) =>
        compareStrings(a.deviceName ?? '', b.deviceName ?? '') || compareStrings(a.volumeId, b.volumeId),
    );
  return withoutUndefined({
    instanceId: instance.InstanceId,
    // Real responses always carry State; a partial record (some recordings and events) does not.
    state: instance.State?.Name ?? 'unknown',
    imageId: nonEmpty(instance.ImageId),
    instanceType: nonEmpty(instance.InstanceType),
    launchTime: isoDate(instance.LaunchTime),
    vpcId: nonEmpty(instance.VpcId),
    subnetId: nonEmpty(instance.SubnetId),
    availabilityZone: nonEmpty(instance.Placement?.AvailabilityZone),
    privateIpAddress: nonEmpty(instance.PrivateIpAddress),
    publicIpAddress: nonEmpty(instance.PublicIpAddress),
    keyName: nonEmpty(instance.KeyName),
    // Every group on any interface exposes the instance; the instance-level list names the primary
    // interface's only, so rules get the union here and the per-interface detail below.
    securityGroupIds: sortedUnique([
      ...(instance.SecurityGroups ?? []).map((group) => group.GroupId),
      ...interfaces.flatMap((eni) => eni.securityGroupIds),
    ]),
    networkInterfaces: interfaces,
    volumes,
    iamInstanceProfileArn: nonEmpty(instance.IamInstanceProfile?.Arn),
    metadataHttpTokens: nonEmpty(instance.MetadataOptions?.HttpTokens),
  });
}

function instanceArn(parts: { partition: string; region: string; account: string; id: string }): string {
  return `arn:${parts.partition}:ec2:${parts.region}:${parts.account}:instance/${parts.id}`;
}

function toResource(context: CollectContext, instance: Instance): Resource<typeof TYPE> {
  const config = instanceFromAws(instance);
  const tags = tagsFromList(instance.Tags);
  return {
    type: TYPE,
    account: context.account,
    region: context.region,
    id: config.instanceId,
    arn: instanceArn({
      partition: context.partition,
      region: context.region,
      account: context.account,
      id: config.instanceId,
    }),
    ...(tags.Name ? { name: tags.Name } : {}),
    tags,
    config,
  };
}

function isGone(instance: Instance): boolean {
  return instance.State?.Name === GONE_STATE;
}

export interface InstanceModuleOptions {
  /** Items per page (AWS accepts 5..1000); the default, the maximum, keeps the call count lowest. */
  readonly pageSize?: number;
}

export function createInstanceModule(options: InstanceModuleOptions = {}): ResourceTypeModule<typeof TYPE> {
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE;
  return {
    type: TYPE,
    service: 'ec2',
    cloudFormationType: 'AWS::EC2::Instance',
    listingScope: 'regional',
    notFoundCodes: NOT_FOUND_CODES,
    permissions: { list: [DESCRIBE_INSTANCES], get: [DESCRIBE_INSTANCES] },

    async list(context) {
      const ec2 = context.clients.client('ec2', context.region);
      // Filtering terminated instances here rather than with an instance-state-name filter, so a state
      // AWS adds later is listed rather than silently dropped.
      const pages = await allPages(
        context,
        context.region,
        DESCRIBE_INSTANCES,
        paginateDescribeInstances({ client: ec2, pageSize }, {}),
      );
      return pages
        .flatMap((page) => (page.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []))
        .filter((instance) => !isGone(instance))
        .map((instance) => toResource(context, instance))
        .sort((a, b) => compareStrings(a.id, b.id));
    },

    async get(context, id) {
      const ec2 = context.clients.client('ec2', context.region);
      try {
        // No MaxResults: AWS refuses it together with InstanceIds.
        const output = await callAws(context, context.region, DESCRIBE_INSTANCES, () =>
          ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] })),
        );
        const instance = (output.Reservations ?? [])
          .flatMap((reservation) => reservation.Instances ?? [])
          .find((candidate) => candidate.InstanceId === id);
        return instance && !isGone(instance) ? toResource(context, instance) : null;
      } catch (error) {
        if (isNotFoundError(error, NOT_FOUND_CODES)) return null;
        throw error;
      }
    },

    arn: instanceArn,
  };
}

export const instanceModule = createInstanceModule();
