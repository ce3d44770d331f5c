// Resource type aws.dynamodb.table: DynamoDB tables per region, with encryption at rest and point-in-time recovery.
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  ListTagsOfResourceCommand,
  paginateListTables,
  type ContinuousBackupsDescription,
  type DynamoDBClient,
  type SSEDescription,
  type Tag,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { TableModel } from '../../core/models/table.js';
import { tagsFromList, type Resource } from '../../core/resource.js';
import { isUnknown, unknownValue, type UnknownValue } from '../../core/unknown.js';
import { isNotFoundError } from '../aws-errors.js';
import {
  allPages,
  callAws,
  compareStrings,
  deniedAsUnknown,
  isoDate,
  optional,
  readOrUnknown,
} from './collect-helpers.js';
import type { CollectContext, ResourceTypeModule } from './resource-module.js';

const TYPE = 'aws.dynamodb.table';

/** The largest page ListTables accepts. */
const PAGE_SIZE = 100;

/** DescribeTable says ResourceNotFoundException for a missing table; DescribeContinuousBackups says TableNotFoundException. */
const NOT_FOUND_CODES = ['ResourceNotFoundException', 'TableNotFoundException'];

/** The alias of the KMS key AWS manages for DynamoDB in each account and region. */
const AWS_MANAGED_ALIAS = 'alias/aws/dynamodb';

/** Who manages a KMS key, as kms:DescribeKey's KeyManager reports it. */
export type KmsKeyManager = 'AWS' | 'CUSTOMER';

/** A DescribeTable result; dates may be strings when it comes from a recording or an event. */
export type AwsTable = Omit<TableDescription, 'CreationDateTime'> & {
  TableName: string;
  CreationDateTime?: Date | string | undefined;
};

/**
 * Encryption at rest. No SSEDescription, or a disabled one, is the AWS-owned key (DynamoDB always encrypts).
 * With KMS, DescribeTable names the key but not who manages it: the aws/dynamodb key and a customer key look
 * alike (both as key ARNs, on AWS and on moto). So the caller passes `kmsKeyManager` when it knows it
 * (kms:DescribeKey, or a CloudTrail request that named no key or the alias); a key named by the
 * aws/dynamodb alias is AWS-managed; anything else is unknown, so a rule wanting a customer key answers
 * "possible" instead of passing or failing on a guess.
 */
export function tableEncryptionFromAws(
  sse: SSEDescription | null | undefined,
  kmsKeyManager?: KmsKeyManager,
): TableModel['encryption'] {
  if (!sse || sse.Status === 'DISABLED' || (sse.SSEType !== 'KMS' && !sse.KMSMasterKeyArn))
    return 'AWS_OWNED';
  if (kmsKeyManager === 'AWS') return 'AWS_MANAGED';
  if (kmsKeyManager === 'CUSTOMER') return 'CUSTOMER_MANAGED';
  const key = sse.KMSMasterKeyArn ?? undefined;
  if (key === AWS_MANAGED_ALIAS || key?.endsWith(`:${AWS_MANAGED_ALIAS}`)) return 'AWS_MANAGED';
  return unknownValue(
    `KMS key ${key ?? '(unnamed)'}: AWS-managed or customer-managed is not told by DescribeTable`,
  );
}

/** PITR from DescribeContinuousBackups: on only when its status says ENABLED. */
export function pointInTimeRecoveryFromAws(
  continuousBackups: ContinuousBackupsDescription | UnknownValue | undefined,
): TableModel['pointInTimeRecovery'] {
  if (isUnknown(continuousBackups)) return continuousBackups;
  return continuousBackups?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus === 'ENABLED';
}

/** Builds the canonical model from DescribeTable and DescribeContinuousBackups (also used by CloudTrail event code). */
export function tableFromAws(
  table: AwsTable,
  continuousBackups: ContinuousBackupsDescription | UnknownValue | undefined,
  options: { kmsKeyManager?: KmsKeyManager } = {},
): TableModel {
  const sse = table.SSEDescription ?? undefined;
  return {
    tableName: table.TableName,
    ...optional('status', table.TableStatus),
    // Tables created before on-demand existed carry no BillingModeSummary: they are provisioned.
    billingMode: table.BillingModeSummary?.BillingMode ?? 'PROVISIONED',
    encryption: tableEncryptionFromAws(sse, options.kmsKeyManager),
    ...optional('kmsKeyArn', sse?.Status !== 'DISABLED' ? sse?.KMSMasterKeyArn : undefined),
    pointInTimeRecovery: pointInTimeRecoveryFromAws(continuousBackups),
    ...optional('deletionProtection', table.DeletionProtectionEnabled),
    ...optional('itemCount', table.ItemCount),
    ...optional('creationDateTime', isoDate(table.CreationDateTime)),
  };
}

function tableArn(parts: { partition: string; region: string; account: string; id: string }): string {
  return `arn:${parts.partition}:dynamodb:${parts.region}:${parts.account}:table/${parts.id}`;
}

async function readTags(context: CollectContext, client: DynamoDBClient, arn: string): Promise<Tag[]> {
  const tags: Tag[] = [];
  let nextToken: string | undefined;
  // ListTagsOfResource pages with NextToken but the SDK ships no paginator for it.
  do {
    const input = { ResourceArn: arn, ...(nextToken ? { NextToken: nextToken } : {}) };
    const response = await callAws(context, context.region, 'dynamodb:ListTagsOfResource', () =>
      client.send(new ListTagsOfResourceCommand(input)),
    );
    tags.push(...(response.Tags ?? []));
    nextToken = response.NextToken;
  } while (nextToken);
  return tags;
}

/** One table as a resource; null when it was deleted while being read. */
async function collectTable(context: CollectContext, name: string): Promise<Resource<typeof TYPE> | null> {
  const client = context.clients.client('dynamodb', context.region);
  const target = { type: TYPE, region: context.region, resourceId: name } as const;
  try {
    const described = await callAws(context, context.region, 'dynamodb:DescribeTable', () =>
      client.send(new DescribeTableCommand({ TableName: name })),
    );
    const table = described.Table;
    if (!table?.TableName) return null;
    const arn = table.TableArn ?? tableArn({ ...context, id: name });
    const [backups, tags] = await Promise.all([
      readOrUnknown(context, { ...target, action: 'dynamodb:DescribeContinuousBackups' }, () =>
        client.send(new DescribeContinuousBackupsCommand({ TableName: name })),
      ),
      deniedAsUnknown(context, { ...target, action: 'dynamodb:ListTagsOfResource' }, () =>
        readTags(context, client, arn),
      ),
    ]);
    return {
      type: TYPE,
      account: context.account,
      region: context.region,
      id: table.TableName,
      arn,
      name: table.TableName,
      // Unreadable tags were warned about; with none, no tag-based exception applies, which errs toward reporting,
      // and tagsUnknown keeps remediation from taking the missing leuko:protect tag for absent.
      tags: isUnknown(tags) ? {} : tagsFromList(tags),
      ...(isUnknown(tags) ? { tagsUnknown: true as const } : {}),
      config: tableFromAws(
        { ...table, TableName: table.TableName },
        isUnknown(backups) ? backups : backups.ContinuousBackupsDescription,
      ),
    };
  } catch (error) {
    if (isNotFoundError(error, NOT_FOUND_CODES)) return null;
    throw error;
  }
}

export const tableModule: ResourceTypeModule<typeof TYPE> = {
  type: TYPE,
  service: 'dynamodb',
  cloudFormationType: 'AWS::DynamoDB::Table',
  listingScope: 'regional',
  notFoundCodes: NOT_FOUND_CODES,
  permissions: {
    list: [
      'dynamodb:ListTables',
      'dynamodb:DescribeTable',
      'dynamodb:DescribeContinuousBackups',
      'dynamodb:ListTagsOfResource',
    ],
    get: ['dynamodb:DescribeTable', 'dynamodb:DescribeContinuousBackups', 'dynamodb:ListTagsOfResource'],
  },

  async list(context) {
    const client = context.clients.client('dynamodb', context.region);
    const pages = await allPages(
      context,
      context.region,
      'dynamodb:ListTables',
      paginateListTables({ client, pageSize: PAGE_SIZE }, {}),
    );
    const names = pages.flatMap((page) => page.TableNames ?? []);
    const resources = await Promise.all(names.map((name) => collectTable(context, name)));
    return resources
      .filter((resource): resource is Resource<typeof TYPE> => resource !== null)
      .sort((a, b) => compareStrings(a.id, b.id));
  },

  get(context, id) {
    return collectTable(context, id);
  },

  arn: tableArn,
};
