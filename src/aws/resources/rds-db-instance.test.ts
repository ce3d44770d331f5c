// Unit tests of the DB instance mapping: a hand-made instance and real recorded DescribeDBInstances responses.
import { readFileSync } from 'node:fs';
import type { DBInstance } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/harness/corpus.js';
import { placeboRecordings, readPlacebo } from '../../../test/harness/placebo.js';
import { dbInstanceSchema, type DbInstanceModel } from '../../core/models/db-instance.js';
import { isUnknown } from '../../core/unknown.js';
import { isNotFoundError } from '../aws-errors.js';
import { dbInstanceFromAws, dbInstanceModule } from './rds-db-instance.js';

function valid(model: DbInstanceModel): DbInstanceModel {
  // parse() drops keys the schema does not know, so equality also proves there are none.
  expect(dbInstanceSchema.parse(model)).toEqual(model);
  return model;
}

function map(instance: DBInstance): DbInstanceModel {
  if (!instance.DBInstanceIdentifier) throw new Error('record without DBInstanceIdentifier');
  return valid(dbInstanceFromAws({ ...instance, DBInstanceIdentifier: instance.DBInstanceIdentifier }));
}

describe('dbInstanceFromAws', () => {
  it('maps exposure, encryption, network and resilience, security groups sorted', () => {
    expect(
      map({
        DBInstanceIdentifier: 'orders',
        Engine: 'postgres',
        EngineVersion: '16.3',
        DBInstanceClass: 'db.r6g.large',
        DBInstanceStatus: 'available',
        PubliclyAccessible: true,
        StorageEncrypted: true,
        KmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        VpcSecurityGroups: [
          { VpcSecurityGroupId: 'sg-0f00000000000000b', Status: 'active' },
          { VpcSecurityGroupId: 'sg-0a00000000000000a', Status: 'active' },
        ],
        DBSubnetGroup: { DBSubnetGroupName: 'private', VpcId: 'vpc-0123456789abcdef0' },
        MultiAZ: true,
        DeletionProtection: true,
        BackupRetentionPeriod: 14,
        Endpoint: {
          Address: 'orders.abcdefghijkl.eu-west-1.rds.amazonaws.com',
          Port: 5432,
          HostedZoneId: 'Z29XKXDKYMONMX',
        },
        DBClusterIdentifier: 'orders-cluster',
        TagList: [{ Key: 'team', Value: 'payments' }],
      }),
    ).toEqual({
      dbInstanceIdentifier: 'orders',
      engine: 'postgres',
      engineVersion: '16.3',
      instanceClass: 'db.r6g.large',
      status: 'available',
      publiclyAccessible: true,
      storageEncrypted: true,
      kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      vpcSecurityGroupIds: ['sg-0a00000000000000a', 'sg-0f00000000000000b'],
      dbSubnetGroupName: 'private',
      multiAz: true,
      deletionProtection: true,
      backupRetentionPeriod: 14,
      endpoint: { address: 'orders.abcdefghijkl.eu-west-1.rds.amazonaws.com', port: 5432 },
      dbClusterIdentifier: 'orders-cluster',
    });
  });

  it('reads a record that does not say whether it is public or encrypted as unknown, not as private or plain', () => {
    const model = map({ DBInstanceIdentifier: 'creating', DBInstanceStatus: 'creating' });
    expect(isUnknown(model.publiclyAccessible)).toBe(true);
    expect(isUnknown(model.storageEncrypted)).toBe(true);
    expect(model).toEqual({
      dbInstanceIdentifier: 'creating',
      status: 'creating',
      publiclyAccessible: model.publiclyAccessible,
      storageEncrypted: model.storageEncrypted,
      vpcSecurityGroupIds: [],
    });
  });
});

describe('dbInstanceModule', () => {
  it('declares its IAM actions, not-found codes and ARN form', () => {
    expect(dbInstanceModule.permissions).toEqual({
      list: ['rds:DescribeDBInstances'],
      get: ['rds:DescribeDBInstances'],
    });
    expect(dbInstanceModule.notFoundCodes).toContain('DBInstanceNotFound');
    expect(
      dbInstanceModule.arn({ partition: 'aws', region: 'eu-west-1', account: '111122223333', id: 'orders' }),
    ).toBe('arn:aws:rds:eu-west-1:111122223333:db:orders');
  });
});

describe('dbInstanceFromAws on the botocore response-parsing fixture (corpus)', () => {
  const file = corpusPath('api-responses', 'botocore-response-parsing', 'rds-describe-db-instances.json');

  it.skipIf(!file)(
    'maps a 2011 instance, whose response predates PubliclyAccessible and StorageEncrypted, with those unknown',
    () => {
      const response = JSON.parse(readFileSync(file ?? '', 'utf8')) as { DBInstances: DBInstance[] };
      const [instance] = response.DBInstances;
      const model = map(instance as DBInstance);
      expect(model).toEqual({
        dbInstanceIdentifier: 'simcoprod01',
        engine: 'mysql',
        engineVersion: '5.1.50',
        instanceClass: 'db.m1.large',
        status: 'available',
        publiclyAccessible: {
          $unknown: true,
          reason: 'the DB instance record does not say whether it is publicly accessible',
        },
        storageEncrypted: {
          $unknown: true,
          reason: 'the DB instance record does not say whether its storage is encrypted',
        },
        vpcSecurityGroupIds: [],
        multiAz: false,
        backupRetentionPeriod: 1,
        endpoint: { address: 'simcoprod01.cu7u2t4uz396.us-east-1.rds.amazonaws.com', port: 3306 },
      });
    },
  );
});

describe('dbInstanceFromAws on Cloud Custodian placebo recordings (corpus)', () => {
  const dir = corpusPath('api-responses', 'cloud-custodian-placebo');

  it.skipIf(!dir)('maps a recorded Aurora cluster member (null KMS key left out)', () => {
    const recording = readPlacebo(
      `${dir ?? ''}/test_rds_delete_aurora_filter/rds.DescribeDBInstances_1.json`,
    );
    const [instance] = (recording.data as { DBInstances: DBInstance[] }).DBInstances;
    expect(map(instance as DBInstance)).toEqual({
      dbInstanceIdentifier: 'aurora-test-instance',
      engine: 'aurora-mysql',
      engineVersion: '8.0.mysql_aurora.3.08.2',
      instanceClass: 'db.t3.medium',
      status: 'available',
      publiclyAccessible: false,
      storageEncrypted: false,
      vpcSecurityGroupIds: ['sg-047fc9367152944a4'],
      dbSubnetGroupName: 'aurora-test-subnet-group',
      multiAz: false,
      deletionProtection: false,
      backupRetentionPeriod: 1,
      endpoint: { address: 'aurora-test-instance.c1saggy6at26.us-east-1.rds.amazonaws.com', port: 3306 },
      dbClusterIdentifier: 'aurora-test-cluster',
    });
  });

  it.skipIf(!dir)('maps a recorded public, encrypted instance', () => {
    const recording = readPlacebo(
      `${dir ?? ''}/test_rds_aws_managed_kms_keys/rds.DescribeDBInstances_1.json`,
    );
    const bluelobster = (recording.data as { DBInstances: DBInstance[] }).DBInstances.find(
      (instance) => instance.DBInstanceIdentifier === 'bluelobster',
    );
    const model = map(bluelobster as DBInstance);
    expect(model.publiclyAccessible).toBe(true);
    expect(model.storageEncrypted).toBe(true);
    expect(model.kmsKeyId).toBe(
      'arn:aws:kms:us-west-2:644160558196:key/1ec621db-4406-4cb9-8e85-812386071791',
    );
    expect(model.vpcSecurityGroupIds).toEqual(['sg-f9cc4d9f']);
    expect(model.dbSubnetGroupName).toBe('default');
  });

  it.skipIf(!dir)('maps every recorded DescribeDBInstances response to a valid, sorted model', () => {
    const recordings = placeboRecordings(dir ?? '', 'rds.DescribeDBInstances').filter(
      (recording) => recording.statusCode === 200,
    );
    let count = 0;
    for (const recording of recordings) {
      for (const instance of (recording.data as { DBInstances?: DBInstance[] }).DBInstances ?? []) {
        const model = map(instance);
        count += 1;
        expect(model.vpcSecurityGroupIds, recording.file).toEqual([...model.vpcSecurityGroupIds].sort());
        expect(model.publiclyAccessible, recording.file).toEqual(
          instance.PubliclyAccessible ?? model.publiclyAccessible,
        );
        if (instance.PubliclyAccessible === undefined)
          expect(isUnknown(model.publiclyAccessible), recording.file).toBe(true);
      }
    }
    expect(count).toBeGreaterThanOrEqual(100);
  });

  it.skipIf(!dir)('reads the recorded DBInstanceNotFound as gone', () => {
    const missing = placeboRecordings(dir ?? '', 'rds.DescribeDBInstances').find(
      (recording) => recording.statusCode === 404,
    );
    const error = (missing?.data as { Error: { Code: string } }).Error;
    expect(error.Code).toBe('DBInstanceNotFound');
    expect(isNotFoundError(error, dbInstanceModule.notFoundCodes)).toBe(true);
  });
});
