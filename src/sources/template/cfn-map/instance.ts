// AWS::EC2::Instance, and the EBS volumes its BlockDeviceMappings create (each one an aws.ec2.volume).
import type { InstanceModel, VolumeModel } from '../../../core/models/index.js';
import type { Resource } from '../../../core/resource.js';
import type { Scenario } from '../cfn-resolve.js';
import { Unresolved, booleanOf, integerOf, isCfnMap, type CfnMap, type CfnValue } from '../cfn-values.js';
import type { MappedResource } from '../mapped-resource.js';
import type { SourcePath } from '../source-path.js';
import { PathRecorder, type CfnMapContext } from './context.js';
import { ebsEncrypted, volumeAttachments } from './volume.js';

const INSTANCE = 'AWS::EC2::Instance';
const NETWORK_INTERFACE = 'AWS::EC2::NetworkInterface';

export function mapInstances(ctx: CfnMapContext): MappedResource[] {
  const out: MappedResource[] = [];
  const attachments = volumeAttachments(ctx);
  for (const instance of ctx.ofType(INSTANCE)) {
    const id = instance.logicalId;
    const mapped = ctx.variants({
      sourceId: id,
      sourceType: INSTANCE,
      type: 'aws.ec2.instance',
      sourcePath: ['Resources', id],
      synthetic: false,
      primary: id,
      members: [id],
      build: (scenario) => buildInstance(ctx, id, scenario, attachments.byInstance.get(id) ?? []),
    });
    if (mapped) out.push(mapped);
    out.push(...blockDeviceVolumes(ctx, id));
  }
  return out;
}

/** Security group ids from a list property; unknown entries cannot be held by the model and are reported. */
export function groupIds(ctx: CfnMapContext, value: CfnValue | undefined, path: SourcePath, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    ctx.warn(`${what} is unknown (${value instanceof Unresolved ? value.reason : 'not a list'}); left out of the model`, path);
    return [];
  }
  const ids: string[] = [];
  for (const item of value as readonly CfnValue[]) {
    const id = ctx.idOf(item);
    if (typeof id === 'string') ids.push(id);
    else ctx.warn(`a security group in ${what} is unknown (${id?.reason ?? 'not a string'}); left out of the model`, path);
  }
  return ids;
}

function buildInstance(ctx: CfnMapContext, logicalId: string, scenario: Scenario, attached: InstanceModel['volumes']) {
  const props = ctx.props(logicalId, scenario);
  const propsPath: SourcePath = ['Resources', logicalId, 'Properties'];
  const at = (key: string) => ctx.keyPath(props, key, propsPath);
  const paths = new PathRecorder();
  const securityGroupIds = [
    ...groupIds(ctx, props.SecurityGroupIds, at('SecurityGroupIds'), `SecurityGroupIds of ${logicalId}`),
    ...groupIds(ctx, props.SecurityGroups, at('SecurityGroups'), `SecurityGroups of ${logicalId}`),
  ];
  if (props.SecurityGroupIds !== undefined) paths.add(['securityGroupIds'], at('SecurityGroupIds'));
  else if (props.SecurityGroups !== undefined) paths.add(['securityGroupIds'], at('SecurityGroups'));

  const networkInterfaces: InstanceModel['networkInterfaces'] = [];
  const interfaces = props.NetworkInterfaces;
  if (Array.isArray(interfaces)) {
    const list = interfaces as readonly CfnValue[];
    const elementPaths = ctx.elementPaths(list, at('NetworkInterfaces'));
    list.forEach((item, index) => {
      if (!isCfnMap(item)) return;
      const device = integerOf(item.DeviceIndex);
      const eniId = ctx.idOf(item.NetworkInterfaceId);
      // An interface of the template (AWS::EC2::NetworkInterface) carries its own subnet and groups.
      const eniResource = item.NetworkInterfaceId instanceof Unresolved ? item.NetworkInterfaceId.target?.logicalId : undefined;
      const eni = eniResource !== undefined && ctx.typeOf(eniResource) === NETWORK_INTERFACE ? ctx.props(eniResource, scenario) : item;
      const eniPath = eni === item ? (elementPaths[index] ?? at('NetworkInterfaces')) : ['Resources', eniResource ?? logicalId, 'Properties'];
      const subnetId = ctx.idOf(eni.SubnetId);
      const privateIp = ctx.knownString(eni.PrivateIpAddress);
      const groups = groupIds(ctx, eni.GroupSet, eniPath, `GroupSet of ${eniResource ?? logicalId}`);
      networkInterfaces.push({
        networkInterfaceId: typeof eniId === 'string' ? eniId : `${logicalId}/eth${typeof device === 'number' ? device : index}`,
        ...(typeof subnetId === 'string' ? { subnetId } : {}),
        ...(privateIp !== undefined ? { privateIpAddress: privateIp } : {}),
        securityGroupIds: groups,
      });
      paths.add(['networkInterfaces', networkInterfaces.length - 1], elementPaths[index]);
      // AWS reports an instance's groups as those of all its interfaces.
      for (const group of groups) if (!securityGroupIds.includes(group)) securityGroupIds.push(group);
    });
  }

  const volumes: InstanceModel['volumes'] = [];
  const mappings = props.BlockDeviceMappings;
  if (Array.isArray(mappings)) {
    const list = mappings as readonly CfnValue[];
    const elementPaths = ctx.elementPaths(list, at('BlockDeviceMappings'));
    list.forEach((item, index) => {
      if (!isCfnMap(item) || !isCfnMap(item.Ebs)) return;
      const device = ctx.knownString(item.DeviceName);
      const deleteOnTermination = booleanOf(item.Ebs.DeleteOnTermination);
      volumes.push({
        volumeId: blockVolumeId(logicalId, device, index),
        ...(device !== undefined ? { deviceName: device } : {}),
        // CloudFormation's default for block device mappings is to delete the volume with the instance.
        deleteOnTermination: typeof deleteOnTermination === 'boolean' ? deleteOnTermination : true,
      });
      paths.add(['volumes', volumes.length - 1], elementPaths[index]);
    });
  }
  for (const volume of attached) volumes.push(volume);

  const subnetId = ctx.idOf(props.SubnetId);
  const optional = (key: keyof InstanceModel, value: string | undefined) => (value === undefined ? {} : { [key]: value });
  const config: InstanceModel = {
    instanceId: logicalId,
    // The state the template asks for once deployed.
    state: 'running',
    ...optional('imageId', ctx.knownString(props.ImageId)),
    ...optional('instanceType', ctx.knownString(props.InstanceType)),
    ...optional('subnetId', typeof subnetId === 'string' ? subnetId : undefined),
    ...optional('availabilityZone', ctx.knownString(props.AvailabilityZone)),
    ...optional('privateIpAddress', ctx.knownString(props.PrivateIpAddress)),
    ...optional('keyName', ctx.knownString(props.KeyName)),
    securityGroupIds,
    networkInterfaces,
    volumes,
  };
  const resource: Resource<'aws.ec2.instance'> = {
    type: 'aws.ec2.instance',
    account: ctx.account,
    region: ctx.region,
    id: logicalId,
    arn: ctx.arn(logicalId),
    tags: ctx.tags(props.Tags, at('Tags')),
    config,
  };
  return { resource, paths: paths.entries };
}

function blockVolumeId(logicalId: string, device: string | undefined, index: number): string {
  return `${logicalId}:${device ?? `block-device-${index}`}`;
}

/**
 * One aws.ec2.volume per EBS block device mapping. A mapping is identified by where it is written in
 * the template (so Fn::If around one entry makes that volume conditional, not a renamed one).
 */
function blockDeviceVolumes(ctx: CfnMapContext, logicalId: string): MappedResource[] {
  const propsPath: SourcePath = ['Resources', logicalId, 'Properties'];
  const slots = (scenario: Scenario): Map<string, { entry: CfnMap; path: SourcePath; index: number }> => {
    const found = new Map<string, { entry: CfnMap; path: SourcePath; index: number }>();
    const props = ctx.props(logicalId, scenario);
    const list = props.BlockDeviceMappings;
    if (!Array.isArray(list)) return found;
    const items = list as readonly CfnValue[];
    const elementPaths = ctx.elementPaths(items, ctx.keyPath(props, 'BlockDeviceMappings', propsPath));
    items.forEach((entry, index) => {
      const path = elementPaths[index];
      if (isCfnMap(entry) && isCfnMap(entry.Ebs) && path) found.set(path.join('\u0000'), { entry, path, index });
    });
    return found;
  };
  // Every entry any scenario has (an entry behind an unknown Fn::If exists only in some).
  const keys: string[] = [];
  for (const scenario of ctx.scenarioPlan([logicalId]).scenarios) {
    for (const key of slots(scenario).keys()) if (!keys.includes(key)) keys.push(key);
  }
  const out: MappedResource[] = [];
  for (const key of keys) {
    const mapped = ctx.variants({
      sourceId: `${logicalId}.${key.split('\u0000').slice(3).join('.')}`,
      sourceType: INSTANCE,
      type: 'aws.ec2.volume',
      sourcePath: ['Resources', logicalId, 'Properties', 'BlockDeviceMappings'],
      synthetic: false,
      primary: logicalId,
      members: [logicalId],
      build: (scenario) => {
        const slot = slots(scenario).get(key);
        return slot ? buildBlockVolume(ctx, logicalId, slot.entry, slot.path, slot.index) : undefined;
      },
    });
    if (mapped) out.push(mapped);
  }
  return out;
}

function buildBlockVolume(ctx: CfnMapContext, instanceId: string, entry: CfnMap, path: SourcePath, index: number) {
  const ebs = entry.Ebs as CfnMap;
  const device = ctx.knownString(entry.DeviceName);
  const volumeId = blockVolumeId(instanceId, device, index);
  // The entry's own path, not its slot in the list: an entry chosen by Fn::If sits inside the If.
  const ebsPath = ctx.pathOf(ebs, [...ctx.pathOf(entry, path), 'Ebs']);
  const paths = new PathRecorder();
  paths.add([], path);
  paths.add(['encrypted'], ebs.Encrypted === undefined ? ebsPath : [...ebsPath, 'Encrypted']);
  const size = integerOf(ebs.VolumeSize);
  const kmsKeyId = ctx.idOf(ebs.KmsKeyId);
  const snapshotId = ctx.knownString(ebs.SnapshotId);
  const volumeType = ctx.knownString(ebs.VolumeType);
  const deleteOnTermination = booleanOf(ebs.DeleteOnTermination);
  const config: VolumeModel = {
    volumeId,
    ...(typeof size === 'number' ? { sizeGiB: size } : {}),
    ...(volumeType !== undefined ? { volumeType } : {}),
    // A block device may come from the AMI's snapshot, whose encryption a template cannot see.
    encrypted: ebsEncrypted(ctx, ebs.Encrypted, true, `block device ${device ?? index} of ${instanceId}`),
    ...(typeof kmsKeyId === 'string' ? { kmsKeyId } : {}),
    ...(snapshotId !== undefined ? { snapshotId } : {}),
    attachments: [
      {
        instanceId,
        ...(device !== undefined ? { device } : {}),
        deleteOnTermination: typeof deleteOnTermination === 'boolean' ? deleteOnTermination : true,
      },
    ],
  };
  const resource: Resource<'aws.ec2.volume'> = {
    type: 'aws.ec2.volume',
    account: ctx.account,
    region: ctx.region,
    id: volumeId,
    arn: ctx.arn(volumeId),
    tags: {},
    config,
  };
  return { resource, paths: paths.entries };
}
