// AWS::RDS::DBInstance, with the defaults RDS applies: public access by subnet reachability, inherited encryption.
import type { DbInstanceModel } from '../../../core/models/index.js';
import type { Resource } from '../../../core/resource.js';
import { unknownValue, type Uncertain } from '../../../core/unknown.js';
import type { Scenario } from '../cfn-resolve.js';
import { Unresolved, booleanOf, integerOf, isCfnMap, scalarString, uncertainOf, type CfnMap, type CfnValue } from '../cfn-values.js';
import type { MappedResource } from '../mapped-resource.js';
import type { SourcePath } from '../source-path.js';
import { PathRecorder, type CfnMapContext } from './context.js';
import { groupIds } from './instance.js';

const DB_INSTANCE = 'AWS::RDS::DBInstance';
const DB_CLUSTER = 'AWS::RDS::DBCluster';
const SUBNET_GROUP = 'AWS::RDS::DBSubnetGroup';
const SUBNET = 'AWS::EC2::Subnet';
const VPC = 'AWS::EC2::VPC';
const GATEWAY_ATTACHMENT = 'AWS::EC2::VPCGatewayAttachment';

export function mapDbInstances(ctx: CfnMapContext): MappedResource[] {
  const out: MappedResource[] = [];
  for (const db of ctx.ofType(DB_INSTANCE)) {
    const id = db.logicalId;
    const mapped = ctx.variants({
      sourceId: id,
      sourceType: DB_INSTANCE,
      type: 'aws.rds.db-instance',
      sourcePath: ['Resources', id],
      synthetic: false,
      primary: id,
      members: [id],
      build: (scenario) => buildDbInstance(ctx, id, scenario),
    });
    if (mapped) out.push(mapped);
  }
  return out;
}

/** The template resource of `type` a value names (Ref X / Fn::GetAtt X.*), if any. */
function targetOfType(ctx: CfnMapContext, value: CfnValue | undefined, type: string): string | undefined {
  return value instanceof Unresolved && value.target && ctx.typeOf(value.target.logicalId) === type ? value.target.logicalId : undefined;
}

function buildDbInstance(ctx: CfnMapContext, logicalId: string, scenario: Scenario) {
  const props = ctx.props(logicalId, scenario);
  const resourcePath: SourcePath = ['Resources', logicalId];
  const propsPath: SourcePath = [...resourcePath, 'Properties'];
  const at = (key: string) => (props[key] === undefined ? resourcePath : ctx.keyPath(props, key, propsPath));
  const paths = new PathRecorder();
  paths.add(['publiclyAccessible'], at('PubliclyAccessible'));
  paths.add(['storageEncrypted'], at('StorageEncrypted'));
  paths.add(['vpcSecurityGroupIds'], at('VPCSecurityGroups'));

  const identifier = ctx.knownString(props.DBInstanceIdentifier);
  const kmsKeyId = ctx.idOf(props.KmsKeyId);
  const subnetGroup = ctx.idOf(props.DBSubnetGroupName);
  const cluster = ctx.idOf(props.DBClusterIdentifier);
  const multiAz = booleanOf(props.MultiAZ);
  const deletionProtection = booleanOf(props.DeletionProtection);
  const retention = integerOf(props.BackupRetentionPeriod);
  const port = integerOf(props.Port);
  const text = (key: string) => ctx.knownString(props[key]);
  const config: DbInstanceModel = {
    dbInstanceIdentifier: identifier ?? logicalId,
    ...(text('Engine') !== undefined ? { engine: text('Engine') } : {}),
    ...(text('EngineVersion') !== undefined ? { engineVersion: text('EngineVersion') } : {}),
    ...(text('DBInstanceClass') !== undefined ? { instanceClass: text('DBInstanceClass') } : {}),
    publiclyAccessible: publiclyAccessible(ctx, props, scenario),
    storageEncrypted: storageEncrypted(ctx, logicalId, props, scenario, 0),
    ...(typeof kmsKeyId === 'string' ? { kmsKeyId } : {}),
    vpcSecurityGroupIds: groupIds(ctx, props.VPCSecurityGroups, at('VPCSecurityGroups'), `VPCSecurityGroups of ${logicalId}`),
    ...(typeof subnetGroup === 'string' ? { dbSubnetGroupName: subnetGroup } : {}),
    ...(typeof multiAz === 'boolean' ? { multiAz } : {}),
    ...(typeof deletionProtection === 'boolean' ? { deletionProtection } : {}),
    ...(typeof retention === 'number' ? { backupRetentionPeriod: retention } : {}),
    ...(typeof port === 'number' ? { endpoint: { port } } : {}),
    ...(typeof cluster === 'string' ? { dbClusterIdentifier: cluster } : {}),
  };
  const resource: Resource<'aws.rds.db-instance'> = {
    type: 'aws.rds.db-instance',
    account: ctx.account,
    region: ctx.region,
    id: identifier ?? logicalId,
    arn: ctx.arn(logicalId),
    ...(identifier !== undefined ? { name: identifier } : {}),
    tags: ctx.tags(props.Tags, at('Tags')),
    config,
  };
  return { resource, paths: paths.entries };
}

/**
 * PubliclyAccessible, or RDS's default when it is left out: public exactly when the subnets of the
 * DB subnet group are in a VPC with an internet gateway attached (without a subnet group: the default
 * VPC, which a template cannot see). Worked out when the template defines the whole chain.
 */
function publiclyAccessible(ctx: CfnMapContext, props: CfnMap, scenario: Scenario): Uncertain<boolean> {
  const given = props.PubliclyAccessible;
  if (given !== undefined && given !== null) {
    const value = booleanOf(given);
    return value === undefined ? unknownValue('PubliclyAccessible is not a boolean') : uncertainOf(value);
  }
  const depends = (what: string) => unknownValue(`PubliclyAccessible is not set: RDS makes the instance public if ${what} has an internet gateway`);
  if (props.DBSubnetGroupName === undefined || props.DBSubnetGroupName === null) return depends('the default VPC');
  const group = targetOfType(ctx, props.DBSubnetGroupName, SUBNET_GROUP);
  if (group === undefined) return depends('the VPC of the DB subnet group');
  const subnets = ctx.props(group, scenario).SubnetIds;
  if (!Array.isArray(subnets) || subnets.length === 0) return depends(`the VPC of subnet group ${group}`);
  const vpcs = new Set<string>();
  for (const subnet of subnets as readonly CfnValue[]) {
    const subnetId = targetOfType(ctx, subnet, SUBNET);
    const vpc = subnetId === undefined ? undefined : targetOfType(ctx, ctx.props(subnetId, scenario).VpcId, VPC);
    if (vpc === undefined) return depends(`the VPC of subnet group ${group}`);
    vpcs.add(vpc);
  }
  const [vpc, ...others] = [...vpcs];
  if (vpc === undefined || others.length > 0) return depends(`the VPC of subnet group ${group}`);
  let unknown = false;
  for (const attachment of ctx.ofType(GATEWAY_ATTACHMENT)) {
    const attachmentProps = ctx.props(attachment.logicalId, scenario);
    if (targetOfType(ctx, attachmentProps.VpcId, VPC) !== vpc) continue;
    if (attachmentProps.InternetGatewayId === undefined || attachmentProps.InternetGatewayId === null) continue;
    const exists = ctx.resolver.exists(attachment.logicalId, scenario);
    if (exists === true) return true;
    if (exists instanceof Unresolved) unknown = true;
  }
  return unknown ? depends(`VPC ${vpc}`) : false;
}

/**
 * StorageEncrypted, or what RDS does without it: false for a new instance, but inherited from the
 * snapshot (DBSnapshotIdentifier), the source instance (read replica) or the Aurora cluster.
 */
function storageEncrypted(ctx: CfnMapContext, logicalId: string, props: CfnMap, scenario: Scenario, depth: number): Uncertain<boolean> {
  if (props.DBSnapshotIdentifier !== undefined && props.DBSnapshotIdentifier !== null) {
    return unknownValue(`${logicalId} is restored from a snapshot and inherits its encryption`);
  }
  for (const key of ['SourceDBInstanceAutomatedBackupsArn', 'SourceDbiResourceId']) {
    if (props[key] !== undefined && props[key] !== null) return unknownValue(`${logicalId} is restored from a backup and inherits its encryption`);
  }
  if (props.DBClusterIdentifier !== undefined && props.DBClusterIdentifier !== null) {
    const cluster = targetOfType(ctx, props.DBClusterIdentifier, DB_CLUSTER);
    return cluster === undefined
      ? unknownValue(`${logicalId} belongs to a DB cluster outside the template, which decides its encryption`)
      : clusterEncrypted(ctx, cluster, scenario);
  }
  if (props.SourceDBInstanceIdentifier !== undefined && props.SourceDBInstanceIdentifier !== null) {
    const source = targetOfType(ctx, props.SourceDBInstanceIdentifier, DB_INSTANCE);
    if (source === undefined || depth > 8) return unknownValue(`${logicalId} is a read replica and inherits the encryption of its source`);
    return storageEncrypted(ctx, source, ctx.props(source, scenario), scenario, depth + 1);
  }
  const given = props.StorageEncrypted;
  if (given === undefined || given === null) return false;
  const value = booleanOf(given);
  return value === undefined ? unknownValue('StorageEncrypted is not a boolean') : uncertainOf(value);
}

function clusterEncrypted(ctx: CfnMapContext, cluster: string, scenario: Scenario): Uncertain<boolean> {
  const props = ctx.props(cluster, scenario);
  const value = props.StorageEncrypted === undefined || props.StorageEncrypted === null ? undefined : booleanOf(props.StorageEncrypted);
  if (value instanceof Unresolved) return unknownValue(`StorageEncrypted of ${cluster}: ${value.reason}`);
  if (value === true) return true;
  const inherited = ['SnapshotIdentifier', 'SourceDBClusterIdentifier'].some((key) => props[key] !== undefined && props[key] !== null);
  if (inherited) return unknownValue(`cluster ${cluster} is restored or cloned and inherits its encryption`);
  // Aurora Serverless v1 clusters are always encrypted.
  if (scalarString(props.EngineMode) === 'serverless') return true;
  if (value === undefined && isCfnMap(props) && props.StorageEncrypted !== undefined && props.StorageEncrypted !== null) {
    return unknownValue(`StorageEncrypted of ${cluster} is not a boolean`);
  }
  return false;
}
