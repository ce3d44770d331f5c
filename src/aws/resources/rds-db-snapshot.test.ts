// Unit tests of the DB snapshot mapping: restore attributes and real recorded DescribeDBSnapshots responses.
import type { DBSnapshot } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/harness/corpus.js';
import { placeboRecordings, readPlacebo } from '../../../test/harness/placebo.js';
import { dbSnapshotSchema, type DbSnapshotModel } from '../../core/models/db-snapshot.js';
import { unknownValue } from '../../core/unknown.js';
import {
  dbSnapshotFromAws,
  dbSnapshotModule,
  restoreAccountsFromAws,
  type AwsDbSnapshot,
} from './rds-db-snapshot.js';

function valid(model: DbSnapshotModel): DbSnapshotModel {
  // parse() drops keys the schema does not know, so equality also proves there are none.
  expect(dbSnapshotSchema.parse(model)).toEqual(model);
  return model;
}

function withId(snapshot: DBSnapshot): AwsDbSnapshot {
  if (!snapshot.DBSnapshotIdentifier) throw new Error('record without DBSnapshotIdentifier');
  return { ...snapshot, DBSnapshotIdentifier: snapshot.DBSnapshotIdentifier };
}

describe('restoreAccountsFromAws', () => {
  // The DescribeDBSnapshotAttributes shape from the RDS API reference; the corpus holds no recording of it.
  it('reads the restore attribute only, sorted and without duplicates', () => {
    expect(
      restoreAccountsFromAws({
        DBSnapshotIdentifier: 'manual-snapshot-1',
        DBSnapshotAttributes: [
          { AttributeName: 'restore', AttributeValues: ['444455556666', '111122223333', '444455556666'] },
          { AttributeName: 'other', AttributeValues: ['all'] },
        ],
      }),
    ).toEqual(['111122223333', '444455556666']);
    expect(
      restoreAccountsFromAws({
        DBSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: ['all'] }],
      }),
    ).toEqual(['all']);
    expect(
      restoreAccountsFromAws({ DBSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: [] }] }),
    ).toEqual([]);
    expect(restoreAccountsFromAws(undefined)).toEqual([]);
  });
});

describe('dbSnapshotFromAws', () => {
  it('maps a public manual snapshot', () => {
    expect(
      valid(
        dbSnapshotFromAws(
          {
            DBSnapshotIdentifier: 'nightly',
            DBInstanceIdentifier: 'orders',
            SnapshotType: 'manual',
            Status: 'available',
            Engine: 'postgres',
            Encrypted: false,
            SnapshotCreateTime: new Date('2024-05-01T02:00:00Z'),
          },
          ['all'],
        ),
      ),
    ).toEqual({
      dbSnapshotIdentifier: 'nightly',
      dbInstanceIdentifier: 'orders',
      snapshotType: 'manual',
      status: 'available',
      engine: 'postgres',
      encrypted: false,
      snapshotCreateTime: '2024-05-01T02:00:00.000Z',
      restoreAccounts: ['all'],
    });
  });

  it('keeps unreadable restore accounts and an unreported encryption unknown', () => {
    const denied = unknownValue('rds:DescribeDBSnapshotAttributes denied');
    const model = valid(dbSnapshotFromAws({ DBSnapshotIdentifier: 'copying' }, denied));
    expect(model).toEqual({
      dbSnapshotIdentifier: 'copying',
      encrypted: unknownValue('the DB snapshot record does not say whether it is encrypted'),
      restoreAccounts: denied,
    });
  });

  it('sorts restore accounts given in any order', () => {
    expect(
      dbSnapshotFromAws({ DBSnapshotIdentifier: 's', Encrypted: true }, ['9', '1', '5']).restoreAccounts,
    ).toEqual(['1', '5', '9']);
  });
});

describe('dbSnapshotModule', () => {
  it('declares its IAM actions, not-found codes and ARN form', () => {
    expect(dbSnapshotModule.permissions.list).toEqual([
      'rds:DescribeDBSnapshots',
      'rds:DescribeDBSnapshotAttributes',
    ]);
    expect(dbSnapshotModule.notFoundCodes).toContain('DBSnapshotNotFound');
    expect(
      dbSnapshotModule.arn({
        partition: 'aws',
        region: 'us-east-1',
        account: '111122223333',
        id: 'rds:orders-2024-05-01-02-00',
      }),
    ).toBe('arn:aws:rds:us-east-1:111122223333:snapshot:rds:orders-2024-05-01-02-00');
  });
});

describe('dbSnapshotFromAws on Cloud Custodian placebo recordings (corpus)', () => {
  const dir = corpusPath('api-responses', 'cloud-custodian-placebo');

  it.skipIf(!dir)('maps a recorded manual and automated snapshot pair', () => {
    const recording = readPlacebo(`${dir ?? ''}/test_rds_snapshot/rds.DescribeDBSnapshots_1.json`);
    const [manual, automated] = (recording.data as { DBSnapshots: DBSnapshot[] }).DBSnapshots.map(withId);
    // The recording has no attributes call; the restore accounts stand for what it would return.
    expect(valid(dbSnapshotFromAws(manual as AwsDbSnapshot, ['all']))).toEqual({
      dbSnapshotIdentifier: 'backup-c7n-snapshot-test-2017-12-11-14-09',
      dbInstanceIdentifier: 'c7n-snapshot-test',
      snapshotType: 'manual',
      status: 'available',
      engine: 'mysql',
      encrypted: false,
      snapshotCreateTime: '2017-12-11T19:10:27.365Z',
      restoreAccounts: ['all'],
    });
    expect(valid(dbSnapshotFromAws(automated as AwsDbSnapshot, []))).toEqual({
      dbSnapshotIdentifier: 'rds:c7n-snapshot-test-2017-12-11-19-01',
      dbInstanceIdentifier: 'c7n-snapshot-test',
      snapshotType: 'automated',
      status: 'available',
      engine: 'mysql',
      encrypted: false,
      snapshotCreateTime: '2017-12-11T19:04:42.217Z',
      restoreAccounts: [],
    });
  });

  it.skipIf(!dir)('maps every recorded DescribeDBSnapshots response to a valid model', () => {
    let count = 0;
    for (const recording of placeboRecordings(dir ?? '', 'rds.DescribeDBSnapshots')) {
      for (const snapshot of (recording.data as { DBSnapshots?: DBSnapshot[] }).DBSnapshots ?? []) {
        const model = valid(dbSnapshotFromAws(withId(snapshot), []));
        count += 1;
        expect(model.encrypted, recording.file).toBe(snapshot.Encrypted);
        expect(model.kmsKeyId, recording.file).toBe(snapshot.KmsKeyId ?? undefined);
      }
    }
    expect(count).toBeGreaterThanOrEqual(10);
  });
});
