// Resource type aws.rds.db-instance: RDS DB instances (exposure, encryption, resilience) per region.
import {
  DescribeDBInstancesCommand,
  paginateDescribeDBInstances,
  type DBInstance,
} from '@aws-sdk/client-rds';
import type { DbInstanceModel } from '../../core/models/db-instance.js';
import { tagsFromList, type Resource } from '../../core/resource.js';
import { unknownValue } from '../../core/unknown.js';
import { isNotFoundError } from '../aws-errors.js';
import { allPages, callAws, compareStrings, optional } from './collect-helpers.js';
import type { CollectContext, ResourceTypeModule } from './resource-module.js';

const TYPE = 'aws.rds.db-instance';

/** The largest page DescribeDBInstances accepts. */
const PAGE_SIZE = 100;

/** Builds the canonical model from one DescribeDBInstances entry (also used by CloudTrail event code). */
export function dbInstanceFromAws(instance: DBInstance & { DBInstanceIdentifier: string }): DbInstanceModel {
  const vpcSecurityGroupIds = (instance.VpcSecurityGroups ?? [])
    .flatMap((group) => (group.VpcSecurityGroupId ? [group.VpcSecurityGroupId] : []))
    .sort(compareStrings);
  const address = instance.Endpoint?.Address;
  const port = instance.Endpoint?.Port;
  const hasEndpoint = (address !== undefined && address !== null) || (port !== undefined && port !== null);
  return {
    dbInstanceIdentifier: instance.DBInstanceIdentifier,
    ...optional('engine', instance.Engine),
    ...optional('engineVersion', instance.EngineVersion),
    ...optional('instanceClass', instance.DBInstanceClass),
    ...optional('status', instance.DBInstanceStatus),
    // Old (pre-VPC) responses omit these; absent is neither "private" nor "encrypted", so rules see unknown.
    publiclyAccessible:
      instance.PubliclyAccessible ??
      unknownValue('the DB instance record does not say whether it is publicly accessible'),
    storageEncrypted:
      instance.StorageEncrypted ??
      unknownValue('the DB instance record does not say whether its storage is encrypted'),
    ...optional('kmsKeyId', instance.KmsKeyId),
    vpcSecurityGroupIds,
    ...optional('dbSubnetGroupName', instance.DBSubnetGroup?.DBSubnetGroupName),
    ...optional('multiAz', instance.MultiAZ),
    ...optional('deletionProtection', instance.DeletionProtection),
    ...optional('backupRetentionPeriod', instance.BackupRetentionPeriod),
    ...(hasEndpoint ? { endpoint: { ...optional('address', address), ...optional('port', port) } } : {}),
    ...optional('dbClusterIdentifier', instance.DBClusterIdentifier),
  };
}

function dbInstanceArn(parts: { partition: string; region: string; account: string; id: string }): string {
  return `arn:${parts.partition}:rds:${parts.region}:${parts.account}:db:${parts.id}`;
}

function toResource(context: CollectContext, instance: DBInstance): Resource<typeof TYPE> | null {
  const id = instance.DBInstanceIdentifier;
  if (id === undefined) return null;
  return {
    type: TYPE,
    account: context.account,
    region: context.region,
    id,
    arn: instance.DBInstanceArn ?? dbInstanceArn({ ...context, id }),
    name: id,
    // DescribeDBInstances carries the tags itself (TagList), so no ListTagsForResource call per instance.
    tags: tagsFromList(instance.TagList),
    config: dbInstanceFromAws({ ...instance, DBInstanceIdentifier: id }),
  };
}

const NOT_FOUND_CODES = ['DBInstanceNotFound', 'DBInstanceNotFoundFault'];

export const dbInstanceModule: ResourceTypeModule<typeof TYPE> = {
  type: TYPE,
  service: 'rds',
  cloudFormationType: 'AWS::RDS::DBInstance',
  listingScope: 'regional',
  notFoundCodes: NOT_FOUND_CODES,
  permissions: { list: ['rds:DescribeDBInstances'], get: ['rds:DescribeDBInstances'] },

  async list(context) {
    const client = context.clients.client('rds', context.region);
    const pages = await allPages(
      context,
      context.region,
      'rds:DescribeDBInstances',
      paginateDescribeDBInstances({ client, pageSize: PAGE_SIZE }, {}),
    );
    return pages
      .flatMap((page) => page.DBInstances ?? [])
      .map((instance) => toResource(context, instance))
      .filter((resource): resource is Resource<typeof TYPE> => resource !== null)
      .sort((a, b) => compareStrings(a.id, b.id));
  },

  async get(context, id) {
    const client = context.clients.client('rds', context.region);
    try {
      const response = await callAws(context, context.region, 'rds:DescribeDBInstances', () =>
        client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })),
      );
      // RDS identifiers are case-insensitive and stored lowercase.
      const instance = response.DBInstances?.find(
        (candidate) => candidate.DBInstanceIdentifier?.toLowerCase() === id.toLowerCase(),
      );
      return instance ? toResource(context, instance) : null;
    } catch (error) {
      if (isNotFoundError(error, NOT_FOUND_CODES)) return null;
      throw error;
    }
  },

  arn: dbInstanceArn,
};
