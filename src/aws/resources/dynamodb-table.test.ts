// Unit tests of the DynamoDB table mapping: encryption decisions, PITR, and Panther's table snapshots.
import { readFileSync } from 'node:fs';
import type { SSEDescription, TableDescription } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/harness/corpus.js';
import { tableSchema, type TableModel } from '../../core/models/table.js';
import { isUnknown, unknownValue } from '../../core/unknown.js';
import {
  pointInTimeRecoveryFromAws,
  tableEncryptionFromAws,
  tableFromAws,
  tableModule,
} from './dynamodb-table.js';

function valid(model: TableModel): TableModel {
  // parse() drops keys the schema does not know, so equality also proves there are none.
  expect(tableSchema.parse(model)).toEqual(model);
  return model;
}

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('tableEncryptionFromAws', () => {
  it.each<[string, SSEDescription | undefined, 'AWS' | 'CUSTOMER' | undefined, TableModel['encryption']]>([
    ['no SSEDescription: the AWS-owned key', undefined, undefined, 'AWS_OWNED'],
    ['SSE disabled: back to the AWS-owned key', { Status: 'DISABLED' }, undefined, 'AWS_OWNED'],
    [
      'KMS, KMS says AWS manages the key',
      { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: KEY },
      'AWS',
      'AWS_MANAGED',
    ],
    [
      'KMS, KMS says the customer manages it',
      { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: KEY },
      'CUSTOMER',
      'CUSTOMER_MANAGED',
    ],
    [
      'KMS named by the aws/dynamodb alias',
      { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: 'alias/aws/dynamodb' },
      undefined,
      'AWS_MANAGED',
    ],
    [
      'KMS named by the alias ARN',
      {
        Status: 'UPDATING',
        SSEType: 'KMS',
        KMSMasterKeyArn: 'arn:aws:kms:eu-west-1:111122223333:alias/aws/dynamodb',
      },
      undefined,
      'AWS_MANAGED',
    ],
    [
      'KMS key ARN with nobody saying who manages it: unknown',
      { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: KEY },
      undefined,
      unknownValue(`KMS key ${KEY}: AWS-managed or customer-managed is not told by DescribeTable`),
    ],
  ])('%s', (_name, sse, manager, expected) => {
    expect(tableEncryptionFromAws(sse, manager)).toEqual(expected);
  });
});

describe('pointInTimeRecoveryFromAws', () => {
  it('is on only when DescribeContinuousBackups says ENABLED; denied stays unknown', () => {
    expect(
      pointInTimeRecoveryFromAws({
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED' },
      }),
    ).toBe(true);
    expect(
      pointInTimeRecoveryFromAws({
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
      }),
    ).toBe(false);
    expect(pointInTimeRecoveryFromAws({ ContinuousBackupsStatus: 'DISABLED' })).toBe(false);
    const denied = unknownValue('dynamodb:DescribeContinuousBackups denied');
    expect(pointInTimeRecoveryFromAws(denied)).toEqual(denied);
  });
});

describe('tableFromAws', () => {
  const table: TableDescription & { TableName: string } = {
    TableName: 'orders',
    TableStatus: 'ACTIVE',
    TableArn: 'arn:aws:dynamodb:eu-west-1:111122223333:table/orders',
    CreationDateTime: new Date('2023-02-03T04:05:06Z'),
    BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
    SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: KEY },
    DeletionProtectionEnabled: true,
    ItemCount: 1200,
  };

  it('maps a KMS-encrypted on-demand table with PITR, given who manages its key', () => {
    expect(
      valid(
        tableFromAws(
          table,
          {
            ContinuousBackupsStatus: 'ENABLED',
            PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED' },
          },
          { kmsKeyManager: 'CUSTOMER' },
        ),
      ),
    ).toEqual({
      tableName: 'orders',
      status: 'ACTIVE',
      billingMode: 'PAY_PER_REQUEST',
      encryption: 'CUSTOMER_MANAGED',
      kmsKeyArn: KEY,
      pointInTimeRecovery: true,
      deletionProtection: true,
      itemCount: 1200,
      creationDateTime: '2023-02-03T04:05:06.000Z',
    });
  });

  it('reads a table without BillingModeSummary as provisioned and without SSE as AWS-owned', () => {
    expect(
      valid(
        tableFromAws({ TableName: 'legacy', TableStatus: 'ACTIVE' }, { ContinuousBackupsStatus: 'DISABLED' }),
      ),
    ).toEqual({
      tableName: 'legacy',
      status: 'ACTIVE',
      billingMode: 'PROVISIONED',
      encryption: 'AWS_OWNED',
      pointInTimeRecovery: false,
    });
  });

  it('leaves the KMS key out once SSE is disabled', () => {
    const model = valid(
      tableFromAws({ ...table, SSEDescription: { Status: 'DISABLED', KMSMasterKeyArn: KEY } }, undefined),
    );
    expect(model.encryption).toBe('AWS_OWNED');
    expect(model).not.toHaveProperty('kmsKeyArn');
  });
});

describe('tableModule', () => {
  it('declares its IAM actions, not-found codes and ARN form', () => {
    expect(tableModule.permissions.list).toEqual([
      'dynamodb:ListTables',
      'dynamodb:DescribeTable',
      'dynamodb:DescribeContinuousBackups',
      'dynamodb:ListTagsOfResource',
    ]);
    expect(tableModule.notFoundCodes).toEqual(['ResourceNotFoundException', 'TableNotFoundException']);
    expect(
      tableModule.arn({ partition: 'aws', region: 'eu-west-1', account: '111122223333', id: 'orders' }),
    ).toBe('arn:aws:dynamodb:eu-west-1:111122223333:table/orders');
  });
});

/**
 * The corpus has no recorded DynamoDB API response; Panther's policy tests carry hand-written table
 * snapshots in DescribeTable's shape (name under `Name`, nulls for absent fields), used here for shape only.
 */
describe('tableFromAws on Panther table snapshots (corpus)', () => {
  const file = corpusPath('api-responses', 'panther-policy-resource-tests', 'policy_resource_tests.jsonl');

  it.skipIf(!file)('maps each snapshot: KMS key ARN unknown as to who manages it, nulls left out', () => {
    const tables = readFileSync(file ?? '', 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map(
        (line) => JSON.parse(line) as { log_types: string[]; resource: TableDescription & { Name: string } },
      )
      .filter((test) => test.log_types.includes('AWS.DynamoDB.Table'))
      .map((test) => test.resource);
    expect(tables.length).toBeGreaterThanOrEqual(10);
    for (const table of tables) {
      const model = valid(tableFromAws({ ...table, TableName: table.Name }, undefined));
      expect(model.tableName).toBe(table.Name);
      expect(isUnknown(model.encryption)).toBe(true);
      expect(model.kmsKeyArn).toBe(table.SSEDescription?.KMSMasterKeyArn);
      expect(model).not.toHaveProperty('deletionProtection');
    }
    // One snapshot's creation time ("2019-01-01T100:00:00Z") is not a date: kept as given, not dropped.
    expect(
      valid(
        tableFromAws({ ...tables[0], TableName: 'x' } as TableDescription & { TableName: string }, undefined),
      ).creationDateTime,
    ).toBe(tables[0]?.CreationDateTime);
  });
});
