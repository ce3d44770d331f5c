// Resource type aws.ec2.volume: lists EBS volumes (encryption, attachments) and maps them to the canonical model.
import { DescribeVolumesCommand, paginateDescribeVolumes, type Volume } from '@aws-sdk/client-ec2';
import { InputError } from '../../core/errors.js';
import type { VolumeModel } from '../../core/models/volume.js';
import { tagsFromList, type Resource } from '../../core/resource.js';
import { unknownValue } from '../../core/unknown.js';
import { isNotFoundError } from '../aws-errors.js';
import { allPages, callAws, compareStrings } from './collect-helpers.js';
import type { CollectContext, ResourceTypeModule } from './resource-module.js';

const TYPE = 'aws.ec2.volume';

/** The largest page DescribeVolumes accepts. */
const MAX_PAGE_SIZE = 1000;

const DESCRIBE_VOLUMES = 'ec2:DescribeVolumes';

const NOT_FOUND_CODES = ['InvalidVolume.NotFound'] as const;

/** A deleted volume can still be listed for a short while; like a terminated instance, it is gone. */
const GONE_STATE = 'deleted';

/** AWS sends "" for some absent strings (SnapshotId of a blank volume); "nothing" must look the same from every source. */
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

/** The canonical model of one volume (from DescribeVolumes, CreateVolume or a recorded response). */
export function volumeFromAws(volume: Volume): VolumeModel {
  if (!volume.VolumeId) throw new InputError('a volume record without VolumeId', DESCRIBE_VOLUMES);
  const attachments = (volume.Attachments ?? [])
    .filter((attachment) => attachment.InstanceId)
    .map((attachment) =>
      withoutUndefined({
        instanceId: attachment.InstanceId ?? '',
        device: nonEmpty(attachment.Device),
        state: nonEmpty(attachment.State),
        deleteOnTermination: attachment.DeleteOnTermination,
      }),
    )
    .sort(
      (a, b) => compareStrings(a.instanceId, b.instanceId) || compareStrings(a.device ?? '', b.device ?? ''),
    );
  return withoutUndefined({
    volumeId: volume.VolumeId,
    sizeGiB: volume.Size,
    volumeType: nonEmpty(volume.VolumeType),
    // AWS always says; a partial record that does not must not read as "unencrypted".
    encrypted: volume.Encrypted ?? unknownValue('the volume record does not say whether it is encrypted'),
    kmsKeyId: nonEmpty(volume.KmsKeyId),
    availabilityZone: nonEmpty(volume.AvailabilityZone),
    state: nonEmpty(volume.State),
    snapshotId: nonEmpty(volume.SnapshotId),
    attachments,
  });
}

function volumeArn(parts: { partition: string; region: string; account: string; id: string }): string {
  return `arn:${parts.partition}:ec2:${parts.region}:${parts.account}:volume/${parts.id}`;
}

function toResource(context: CollectContext, volume: Volume): Resource<typeof TYPE> {
  const config = volumeFromAws(volume);
  const tags = tagsFromList(volume.Tags);
  return {
    type: TYPE,
    account: context.account,
    region: context.region,
    id: config.volumeId,
    arn: volumeArn({
      partition: context.partition,
      region: context.region,
      account: context.account,
      id: config.volumeId,
    }),
    ...(tags.Name ? { name: tags.Name } : {}),
    tags,
    config,
  };
}

function isGone(volume: Volume): boolean {
  return volume.State === GONE_STATE;
}

export interface VolumeModuleOptions {
  /** Items per page (AWS accepts 5..1000); the default, the maximum, keeps the call count lowest. */
  readonly pageSize?: number;
}

export function createVolumeModule(options: VolumeModuleOptions = {}): ResourceTypeModule<typeof TYPE> {
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE;
  return {
    type: TYPE,
    service: 'ec2',
    cloudFormationType: 'AWS::EC2::Volume',
    listingScope: 'regional',
    notFoundCodes: NOT_FOUND_CODES,
    permissions: { list: [DESCRIBE_VOLUMES], get: [DESCRIBE_VOLUMES] },

    async list(context) {
      const ec2 = context.clients.client('ec2', context.region);
      const pages = await allPages(
        context,
        context.region,
        DESCRIBE_VOLUMES,
        paginateDescribeVolumes({ client: ec2, pageSize }, {}),
      );
      return pages
        .flatMap((page) => page.Volumes ?? [])
        .filter((volume) => !isGone(volume))
        .map((volume) => toResource(context, volume))
        .sort((a, b) => compareStrings(a.id, b.id));
    },

    async get(context, id) {
      const ec2 = context.clients.client('ec2', context.region);
      try {
        // No MaxResults: AWS refuses it together with VolumeIds.
        const output = await callAws(context, context.region, DESCRIBE_VOLUMES, () =>
          ec2.send(new DescribeVolumesCommand({ VolumeIds: [id] })),
        );
        const volume = output.Volumes?.find((candidate) => candidate.VolumeId === id);
        return volume && !isGone(volume) ? toResource(context, volume) : null;
      } catch (error) {
        if (isNotFoundError(error, NOT_FOUND_CODES)) return null;
        throw error;
      }
    },

    arn: volumeArn,
  };
}

export const volumeModule = createVolumeModule();
