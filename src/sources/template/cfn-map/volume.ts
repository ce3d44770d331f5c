// AWS::EC2::Volume, and the attachments (AWS::EC2::VolumeAttachment, Instance Volumes) joining volumes and instances.
import type { InstanceModel, VolumeModel } from '../../../core/models/index.js';
import type { Resource } from '../../../core/resource.js';
import { unknownValue, type Uncertain } from '../../../core/unknown.js';
import { BASE_SCENARIO, type Scenario } from '../cfn-resolve.js';
import { Unresolved, booleanOf, integerOf, isCfnMap, uncertainOf, type CfnValue } from '../cfn-values.js';
import type { MappedResource } from '../mapped-resource.js';
import type { SourcePath } from '../source-path.js';
import { PathRecorder, type CfnMapContext } from './context.js';

const VOLUME = 'AWS::EC2::Volume';
const ATTACHMENT = 'AWS::EC2::VolumeAttachment';
const INSTANCE = 'AWS::EC2::Instance';

/**
 * Whether an EBS volume ends up encrypted. An explicit Encrypted: true/false decides, except that
 * the region's encryption-by-default setting, when known to be on, encrypts every new volume. Left
 * out, it depends on that setting and, for a volume from a snapshot (or an AMI's block device), on
 * the snapshot: unknown unless the caller says encryption by default is off and there is no snapshot.
 */
export function ebsEncrypted(ctx: CfnMapContext, value: CfnValue | undefined, fromSnapshot: boolean, what: string): Uncertain<boolean> {
  const byDefault = ctx.options.ebsEncryptionByDefault;
  if (byDefault === true) return true;
  const given = value === undefined || value === null ? undefined : booleanOf(value);
  if (given instanceof Unresolved) return unknownValue(`Encrypted of ${what}: ${given.reason}`);
  if (given === true) return true;
  // Asked for unencrypted: that is what it gets, unless its snapshot was encrypted (rare enough to
  // let rules call it definite).
  if (given === false) return false;
  if (value !== undefined && value !== null) return unknownValue(`Encrypted of ${what} is not a boolean`);
  if (fromSnapshot) return unknownValue(`${what}: encryption is inherited from its snapshot and the account default`);
  return byDefault === false ? false : unknownValue(`${what}: Encrypted is not set, so it depends on the region's EBS encryption-by-default setting`);
}

export interface Attachments {
  readonly byInstance: ReadonlyMap<string, InstanceModel['volumes']>;
  readonly byVolume: ReadonlyMap<string, VolumeModel['attachments']>;
}

/**
 * Volume ↔ instance joins, read in the base scenario: attachments change no security property, so
 * conditional ones are included rather than multiplying variants.
 */
export function volumeAttachments(ctx: CfnMapContext): Attachments {
  const byInstance = new Map<string, Array<InstanceModel['volumes'][number]>>();
  const byVolume = new Map<string, Array<VolumeModel['attachments'][number]>>();
  const add = (instanceId: string, volumeId: string, device: string | undefined) => {
    byInstance.set(instanceId, [...(byInstance.get(instanceId) ?? []), { volumeId, ...(device !== undefined ? { deviceName: device } : {}) }]);
    byVolume.set(volumeId, [...(byVolume.get(volumeId) ?? []), { instanceId, ...(device !== undefined ? { device } : {}) }]);
  };
  for (const attachment of ctx.ofType(ATTACHMENT)) {
    if (ctx.resolver.exists(attachment.logicalId, BASE_SCENARIO) === false) continue;
    const props = ctx.props(attachment.logicalId, BASE_SCENARIO);
    const instanceId = ctx.idOf(props.InstanceId);
    const volumeId = ctx.idOf(props.VolumeId);
    if (typeof instanceId === 'string' && typeof volumeId === 'string') add(instanceId, volumeId, ctx.knownString(props.Device));
  }
  for (const instance of ctx.ofType(INSTANCE)) {
    const volumes = ctx.props(instance.logicalId, BASE_SCENARIO).Volumes;
    if (!Array.isArray(volumes)) continue;
    for (const item of volumes as readonly CfnValue[]) {
      if (!isCfnMap(item)) continue;
      const volumeId = ctx.idOf(item.VolumeId);
      if (typeof volumeId === 'string') add(instance.logicalId, volumeId, ctx.knownString(item.Device));
    }
  }
  return { byInstance, byVolume };
}

export function mapVolumes(ctx: CfnMapContext): MappedResource[] {
  const attachments = volumeAttachments(ctx);
  const out: MappedResource[] = [];
  for (const volume of ctx.ofType(VOLUME)) {
    const id = volume.logicalId;
    const mapped = ctx.variants({
      sourceId: id,
      sourceType: VOLUME,
      type: 'aws.ec2.volume',
      sourcePath: ['Resources', id],
      synthetic: false,
      primary: id,
      members: [id],
      build: (scenario) => buildVolume(ctx, id, scenario, attachments.byVolume.get(id) ?? []),
    });
    if (mapped) out.push(mapped);
  }
  return out;
}

function buildVolume(ctx: CfnMapContext, logicalId: string, scenario: Scenario, attachments: VolumeModel['attachments']) {
  const props = ctx.props(logicalId, scenario);
  const propsPath: SourcePath = ['Resources', logicalId, 'Properties'];
  const paths = new PathRecorder();
  paths.add(['encrypted'], props.Encrypted === undefined ? ['Resources', logicalId] : ctx.keyPath(props, 'Encrypted', propsPath));
  const size = integerOf(props.Size);
  const kmsKeyId = ctx.idOf(props.KmsKeyId);
  const snapshotId = props.SnapshotId;
  const knownSnapshot = ctx.knownString(snapshotId);
  const volumeType = ctx.knownString(props.VolumeType);
  const zone = ctx.knownString(props.AvailabilityZone);
  const encrypted = ebsEncrypted(ctx, props.Encrypted, snapshotId !== undefined && snapshotId !== null, `volume ${logicalId}`);
  const config: VolumeModel = {
    volumeId: logicalId,
    ...(typeof size === 'number' ? { sizeGiB: size } : {}),
    ...(volumeType !== undefined ? { volumeType } : {}),
    encrypted: uncertainOf(encrypted),
    ...(typeof kmsKeyId === 'string' ? { kmsKeyId } : {}),
    ...(zone !== undefined ? { availabilityZone: zone } : {}),
    ...(knownSnapshot !== undefined ? { snapshotId: knownSnapshot } : {}),
    attachments: [...attachments],
  };
  const resource: Resource<'aws.ec2.volume'> = {
    type: 'aws.ec2.volume',
    account: ctx.account,
    region: ctx.region,
    id: logicalId,
    arn: ctx.arn(logicalId),
    tags: ctx.tags(props.Tags, ctx.keyPath(props, 'Tags', propsPath)),
    config,
  };
  return { resource, paths: paths.entries };
}
