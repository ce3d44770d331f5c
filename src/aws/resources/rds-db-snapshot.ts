// Resource type aws.rds.db-snapshot: RDS DB snapshots per region, with who may restore them (public or shared).
import {
  DescribeDBSnapshotAttributesCommand,
  DescribeDBSnapshotsCommand,
  paginateDescribeDBSnapshots,
  type DBSnapshot,
  type DBSnapshotAttributesResult,
} from '@aws-sdk/client-rds';
import type { DbSnapshotModel } from '../../core/models/db-snapshot.js';
import { tagsFromList, type Resource } from '../../core/resource.js';
import { isUnknown, unknownValue, type UnknownValue } from '../../core/unknown.js';
import { isNotFoundError } from '../aws-errors.js';
import { allPages, callAws, compareStrings, isoDate, optional, readOrUnknown } from './collect-helpers.js';
import type { CollectContext, ResourceTypeModule } from './resource-module.js';

const TYPE = 'aws.rds.db-snapshot';

/** The largest page DescribeDBSnapshots accepts. */
const PAGE_SIZE = 100;

const NOT_FOUND_CODES = ['DBSnapshotNotFound', 'DBSnapshotNotFoundFault'];

/** A DescribeDBSnapshots entry; dates may be strings when it comes from a recording or an event. */
export type AwsDbSnapshot = Omit<DBSnapshot, 'SnapshotCreateTime'> & {
  DBSnapshotIdentifier: string;
  SnapshotCreateTime?: Date | string | undefined;
};

/** The `restore` attribute's values (account ids, or 'all' for public), sorted. */
export function restoreAccountsFromAws(result: DBSnapshotAttributesResult | undefined): string[] {
  const restore =
    result?.DBSnapshotAttributes?.filter((attribute) => attribute.AttributeName === 'restore') ?? [];
  return [...new Set(restore.flatMap((attribute) => attribute.AttributeValues ?? []))].sort(compareStrings);
}

/**
 * Builds the canonical model from one DescribeDBSnapshots entry and the snapshot's restore accounts
 * (also used by CloudTrail event code, e.g. ModifyDBSnapshotAttribute).
 */
export function dbSnapshotFromAws(
  snapshot: AwsDbSnapshot,
  restoreAccounts: readonly string[] | UnknownValue,
): DbSnapshotModel {
  return {
    dbSnapshotIdentifier: snapshot.DBSnapshotIdentifier,
    ...optional('dbInstanceIdentifier', snapshot.DBInstanceIdentifier),
    ...optional('snapshotType', snapshot.SnapshotType),
    ...optional('status', snapshot.Status),
    ...optional('engine', snapshot.Engine),
    encrypted:
      snapshot.Encrypted ?? unknownValue('the DB snapshot record does not say whether it is encrypted'),
    ...optional('kmsKeyId', snapshot.KmsKeyId),
    ...optional('snapshotCreateTime', isoDate(snapshot.SnapshotCreateTime)),
    restoreAccounts: isUnknown(restoreAccounts) ? restoreAccounts : [...restoreAccounts].sort(compareStrings),
  };
}

function dbSnapshotArn(parts: { partition: string; region: string; account: string; id: string }): string {
  return `arn:${parts.partition}:rds:${parts.region}:${parts.account}:snapshot:${parts.id}`;
}

/** The snapshot as a resource; null when it was deleted before its attributes could be read. */
async function collectSnapshot(
  context: CollectContext,
  snapshot: DBSnapshot,
): Promise<Resource<typeof TYPE> | null> {
  const id = snapshot.DBSnapshotIdentifier;
  if (id === undefined) return null;
  let restoreAccounts: string[] | UnknownValue;
  if (snapshot.SnapshotType === 'automated') {
    // AWS refuses to share automated snapshots (they must be copied first), so there is nothing to read.
    restoreAccounts = [];
  } else {
    const client = context.clients.client('rds', context.region);
    try {
      const response = await readOrUnknown(
        context,
        { type: TYPE, region: context.region, resourceId: id, action: 'rds:DescribeDBSnapshotAttributes' },
        () => client.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: id })),
      );
      restoreAccounts = isUnknown(response)
        ? response
        : restoreAccountsFromAws(response.DBSnapshotAttributesResult);
    } catch (error) {
      if (isNotFoundError(error, NOT_FOUND_CODES)) return null;
      throw error;
    }
  }
  return {
    type: TYPE,
    account: context.account,
    region: context.region,
    id,
    arn: snapshot.DBSnapshotArn ?? dbSnapshotArn({ ...context, id }),
    name: id,
    // DescribeDBSnapshots carries the tags itself (TagList), so no ListTagsForResource call per snapshot.
    tags: tagsFromList(snapshot.TagList),
    config: dbSnapshotFromAws({ ...snapshot, DBSnapshotIdentifier: id }, restoreAccounts),
  };
}

export const dbSnapshotModule: ResourceTypeModule<typeof TYPE> = {
  type: TYPE,
  service: 'rds',
  cloudFormationType: 'AWS::RDS::DBSnapshot',
  listingScope: 'regional',
  notFoundCodes: NOT_FOUND_CODES,
  permissions: {
    list: ['rds:DescribeDBSnapshots', 'rds:DescribeDBSnapshotAttributes'],
    get: ['rds:DescribeDBSnapshots', 'rds:DescribeDBSnapshotAttributes'],
  },

  async list(context) {
    const client = context.clients.client('rds', context.region);
    // The default listing is this account's own snapshots, manual and automated, without those others share with it.
    const pages = await allPages(
      context,
      context.region,
      'rds:DescribeDBSnapshots',
      paginateDescribeDBSnapshots({ client, pageSize: PAGE_SIZE }, {}),
    );
    const resources = await Promise.all(
      pages.flatMap((page) => page.DBSnapshots ?? []).map((snapshot) => collectSnapshot(context, snapshot)),
    );
    return resources
      .filter((resource): resource is Resource<typeof TYPE> => resource !== null)
      .sort((a, b) => compareStrings(a.id, b.id));
  },

  async get(context, id) {
    const client = context.clients.client('rds', context.region);
    let snapshots: DBSnapshot[];
    try {
      const response = await callAws(context, context.region, 'rds:DescribeDBSnapshots', () =>
        client.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: id })),
      );
      snapshots = response.DBSnapshots ?? [];
    } catch (error) {
      if (isNotFoundError(error, NOT_FOUND_CODES)) return null;
      throw error;
    }
    const snapshot = snapshots.find(
      (candidate) => candidate.DBSnapshotIdentifier?.toLowerCase() === id.toLowerCase(),
    );
    return snapshot ? collectSnapshot(context, snapshot) : null;
  },

  arn: dbSnapshotArn,
};
