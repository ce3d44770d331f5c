// Terraform aws_instance (and its block devices as volumes), aws_ebs_volume, aws_db_instance, aws_dynamodb_table.
import type { DbInstanceModel, InstanceModel, TableModel, VolumeModel } from '../../../core/models/index.js';
import type { AnyResource } from '../../../core/resource.js';
import type { ResourceTypeId } from '../../../core/resource-types.js';
import { unknownValue, type Uncertain } from '../../../core/unknown.js';
import { Unresolved, booleanOf, integerOf, isCfnMap, scalarString, uncertainOf, type CfnValue } from '../cfn-values.js';
import type { MappedResource } from '../mapped-resource.js';
import type { SourcePath } from '../source-path.js';
import { TfPaths, firstBlock, hasExpression, listOf, type TfMapContext, type TfResource } from './context.js';
import { tfTags } from './security-group.js';

const SG_TYPES = ['aws_security_group'];

function mapped(ctx: TfMapContext, source: TfResource, type: ResourceTypeId, resource: AnyResource, paths: TfPaths, sourcePath: SourcePath = [source.address]): MappedResource {
  return {
    origin: 'terraform',
    file: ctx.file,
    sourceId: sourcePath.length > 1 ? `${source.address}.${sourcePath.slice(1).join('.')}` : source.address,
    sourceType: source.type,
    type,
    synthetic: false,
    sourcePath,
    variants: [{ resource, paths: paths.entries, when: [] }],
    mayBeAbsent: false,
    truncated: false,
  };
}

function known(value: CfnValue | undefined): string | undefined {
  const text = scalarString(value);
  return typeof text === 'string' && text !== '' ? text : undefined;
}

/** `{ key: value }`, or nothing when the value is absent, for optional model fields. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  // A computed key widens to an index signature; the mapped type says what it is.
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

/** Security group ids of a list attribute: known ids, or the groups the configuration references. */
function groupIds(ctx: TfMapContext, resource: TfResource, attribute: string): string[] {
  const value = resource.values[attribute];
  if (value instanceof Unresolved) {
    const referenced = ctx.referenced(resource, attribute, SG_TYPES).map((group) => ctx.idOf(group));
    if (referenced.length === 0 && resource.configured.has(attribute)) {
      ctx.warn(`${attribute} is known only after apply and references no planned group; left out of the model`, resource.address);
    }
    return referenced;
  }
  const ids: string[] = [];
  for (const item of listOf(value)) {
    if (typeof item === 'string') ids.push(item);
    else ctx.warn(`a security group in ${attribute} is known only after apply; left out of the model`, resource.address);
  }
  return ids;
}

function boolOrUnknown(value: CfnValue | undefined, what: string): Uncertain<boolean> | undefined {
  if (value === undefined || value === null) return undefined;
  const parsed = booleanOf(value);
  return parsed === undefined ? unknownValue(`${what} is not a boolean`) : uncertainOf(parsed);
}

export function mapTfInstances(ctx: TfMapContext): MappedResource[] {
  const out: MappedResource[] = [];
  for (const instance of ctx.ofType('aws_instance')) {
    const values = instance.values;
    const id = ctx.idOf(instance);
    const paths = new TfPaths();
    const volumes: InstanceModel['volumes'] = [];
    const blockDevices: Array<{ attribute: string; index: number; block: Record<string, CfnValue> }> = [];
    for (const attribute of ['root_block_device', 'ebs_block_device']) {
      listOf(values[attribute]).forEach((block, index) => {
        if (isCfnMap(block)) blockDevices.push({ attribute, index, block: block as Record<string, CfnValue> });
      });
    }
    for (const { attribute, index, block } of blockDevices) {
      const device = known(block.device_name) ?? (attribute === 'root_block_device' ? 'root' : `${attribute}[${index}]`);
      const volumeId = known(block.volume_id) ?? `${id}:${device}`;
      const deleteOnTermination = booleanOf(block.delete_on_termination);
      volumes.push({ volumeId, deviceName: device, ...(typeof deleteOnTermination === 'boolean' ? { deleteOnTermination } : {}) });
      paths.add(['volumes', volumes.length - 1], instance.address, attribute, index);
      // Each block device is also an EBS volume; unset encryption is computed (AMI, account default).
      const volumePaths = new TfPaths();
      volumePaths.add(['encrypted'], instance.address, attribute, index, 'encrypted');
      const encrypted = boolOrUnknown(block.encrypted, 'encrypted') ?? unknownValue('encrypted is not set: it depends on the AMI and the account default');
      const size = integerOf(block.volume_size);
      const kmsKey = known(block.kms_key_id);
      const volumeType = known(block.volume_type);
      const snapshotId = known(block.snapshot_id);
      const config: VolumeModel = {
        volumeId,
        ...(typeof size === 'number' ? { sizeGiB: size } : {}),
        ...optional('volumeType', volumeType),
        encrypted,
        ...optional('kmsKeyId', kmsKey),
        ...optional('snapshotId', snapshotId),
        attachments: [{ instanceId: id, device, ...(typeof deleteOnTermination === 'boolean' ? { deleteOnTermination } : {}) }],
      };
      out.push(
        mapped(
          ctx,
          instance,
          'aws.ec2.volume',
          { type: 'aws.ec2.volume', account: ctx.account, region: ctx.region, id: volumeId, arn: `arn:aws:terraform:plan:${ctx.file}#${instance.address}.${attribute}[${index}]`, tags: tfTags(block.tags), config },
          volumePaths,
          [instance.address, attribute, index],
        ),
      );
    }
    const networkInterfaces: InstanceModel['networkInterfaces'] = listOf(values.network_interface)
      .filter(isCfnMap)
      .map((block, index) => ({
        networkInterfaceId: known(block.network_interface_id) ?? `${id}/eth${integerOf(block.device_index) ?? index}`,
        securityGroupIds: [],
      }));
    paths.add(['securityGroupIds'], instance.address, 'vpc_security_group_ids');
    const tokens = known(firstBlock(values.metadata_options)?.http_tokens);
    const config: InstanceModel = {
      instanceId: id,
      state: known(values.instance_state) ?? 'running',
      ...optional('imageId', known(values.ami)),
      ...optional('instanceType', known(values.instance_type)),
      ...optional('subnetId', known(values.subnet_id)),
      ...optional('availabilityZone', known(values.availability_zone)),
      ...optional('privateIpAddress', known(values.private_ip)),
      ...optional('publicIpAddress', known(values.public_ip)),
      ...optional('keyName', known(values.key_name)),
      ...optional('metadataHttpTokens', tokens),
      securityGroupIds: [...groupIds(ctx, instance, 'vpc_security_group_ids'), ...groupIds(ctx, instance, 'security_groups')],
      networkInterfaces,
      volumes,
    };
    const resource: AnyResource = { type: 'aws.ec2.instance', account: ctx.account, region: ctx.region, id, arn: ctx.arn(instance), tags: tfTags(values.tags), config };
    out.push(mapped(ctx, instance, 'aws.ec2.instance', resource, paths));
  }
  for (const volume of ctx.ofType('aws_ebs_volume')) {
    const values = volume.values;
    const id = ctx.idOf(volume);
    const paths = new TfPaths();
    paths.add(['encrypted'], volume.address, 'encrypted');
    const size = integerOf(values.size);
    const config: VolumeModel = {
      volumeId: id,
      ...(typeof size === 'number' ? { sizeGiB: size } : {}),
      ...optional('volumeType', known(values.type)),
      encrypted: boolOrUnknown(values.encrypted, 'encrypted') ?? unknownValue('encrypted is not set: it depends on the snapshot and the account default'),
      ...optional('kmsKeyId', known(values.kms_key_id)),
      ...optional('availabilityZone', known(values.availability_zone)),
      ...optional('snapshotId', known(values.snapshot_id)),
      attachments: [],
    };
    out.push(mapped(ctx, volume, 'aws.ec2.volume', { type: 'aws.ec2.volume', account: ctx.account, region: ctx.region, id, arn: ctx.arn(volume), tags: tfTags(values.tags), config }, paths));
  }
  return out;
}

export function mapTfDbInstances(ctx: TfMapContext): MappedResource[] {
  return ctx.ofType('aws_db_instance').map((db) => {
    const values = db.values;
    const identifier = known(values.identifier);
    const id = identifier ?? db.address;
    const paths = new TfPaths();
    paths.add(['publiclyAccessible'], db.address, 'publicly_accessible');
    paths.add(['storageEncrypted'], db.address, 'storage_encrypted');
    paths.add(['vpcSecurityGroupIds'], db.address, 'vpc_security_group_ids');
    // The provider sends publicly_accessible=false unless set, so the RDS default never applies.
    const publiclyAccessible = boolOrUnknown(values.publicly_accessible, 'publicly_accessible') ?? false;
    const inherited = ['snapshot_identifier', 'replicate_source_db'].find((key) => values[key] !== undefined && values[key] !== null && values[key] !== '');
    const storageEncrypted: Uncertain<boolean> = inherited
      ? unknownValue(`${inherited} is set: the encryption is inherited`)
      : (boolOrUnknown(values.storage_encrypted, 'storage_encrypted') ?? false);
    const port = integerOf(values.port);
    const retention = integerOf(values.backup_retention_period);
    const multiAz = booleanOf(values.multi_az);
    const deletionProtection = booleanOf(values.deletion_protection);
    const config: DbInstanceModel = {
      dbInstanceIdentifier: id,
      ...optional('engine', known(values.engine)),
      ...optional('engineVersion', known(values.engine_version)),
      ...optional('instanceClass', known(values.instance_class)),
      publiclyAccessible,
      storageEncrypted,
      ...optional('kmsKeyId', known(values.kms_key_id)),
      vpcSecurityGroupIds: groupIds(ctx, db, 'vpc_security_group_ids'),
      ...optional('dbSubnetGroupName', known(values.db_subnet_group_name)),
      ...optional('multiAz', typeof multiAz === 'boolean' ? multiAz : undefined),
      ...optional('deletionProtection', typeof deletionProtection === 'boolean' ? deletionProtection : undefined),
      ...optional('backupRetentionPeriod', typeof retention === 'number' ? retention : undefined),
      ...(typeof port === 'number' ? { endpoint: { port } } : {}),
    };
    const resource: AnyResource = {
      type: 'aws.rds.db-instance',
      account: ctx.account,
      region: ctx.region,
      id,
      arn: ctx.arn(db),
      ...(identifier !== undefined ? { name: identifier } : {}),
      tags: tfTags(values.tags),
      config,
    };
    return mapped(ctx, db, 'aws.rds.db-instance', resource, paths);
  });
}

export function mapTfTables(ctx: TfMapContext): MappedResource[] {
  return ctx.ofType('aws_dynamodb_table').map((table) => {
    const values = table.values;
    const name = known(values.name);
    const id = name ?? table.address;
    const paths = new TfPaths();
    paths.add(['encryption'], table.address, 'server_side_encryption');
    paths.add(['pointInTimeRecovery'], table.address, 'point_in_time_recovery');
    const sse = firstBlock(values.server_side_encryption);
    let encryption: TableModel['encryption'] = 'AWS_OWNED';
    let kmsKeyArn: string | undefined;
    if (values.server_side_encryption instanceof Unresolved) encryption = unknownValue(values.server_side_encryption.reason);
    else if (sse) {
      const enabled = booleanOf(sse.enabled);
      if (enabled instanceof Unresolved) encryption = unknownValue(enabled.reason);
      else if (enabled === true) {
        // Enabled without a key, Terraform computes kms_key_arn (the AWS managed key): only a key the
        // configuration sets is a customer key.
        kmsKeyArn = known(sse.kms_key_arn);
        const customer = table.expressions === undefined ? kmsKeyArn !== undefined : hasExpression(table, ['server_side_encryption', 0, 'kms_key_arn']);
        encryption = customer ? 'CUSTOMER_MANAGED' : 'AWS_MANAGED';
      }
    }
    const pitrBlock = values.point_in_time_recovery;
    const pitr = pitrBlock instanceof Unresolved ? unknownValue(pitrBlock.reason) : (boolOrUnknown(firstBlock(pitrBlock)?.enabled, 'point_in_time_recovery.enabled') ?? false);
    const deletionProtection = booleanOf(values.deletion_protection_enabled);
    const config: TableModel = {
      tableName: id,
      billingMode: known(values.billing_mode) ?? 'PROVISIONED',
      encryption,
      ...optional('kmsKeyArn', kmsKeyArn),
      pointInTimeRecovery: pitr,
      ...optional('deletionProtection', typeof deletionProtection === 'boolean' ? deletionProtection : undefined),
    };
    const resource: AnyResource = {
      type: 'aws.dynamodb.table',
      account: ctx.account,
      region: ctx.region,
      id,
      arn: ctx.arn(table),
      ...(name !== undefined ? { name } : {}),
      tags: tfTags(values.tags),
      config,
    };
    return mapped(ctx, table, 'aws.dynamodb.table', resource, paths);
  });
}
