// RDS events to canonical changes: DB instances created or modified, snapshot restore permissions, deletions.
import type { DBInstance, DBSnapshotAttributesResult } from '@aws-sdk/client-rds';
import type { DbInstanceModel } from '../../../core/models/db-instance.js';
import type { Resource } from '../../../core/resource.js';
import { dbInstanceFromAws } from '../../../aws/resources/rds-db-instance.js';
import { dbSnapshotFromAws, restoreAccountsFromAws } from '../../../aws/resources/rds-db-snapshot.js';
import { bool, num, obj, str } from '../record.js';
import { deletion, notShown, regionalArn, toSdkShape, unresolved, upsert, type EventMapper } from './shared.js';

const DB_TYPE = 'aws.rds.db-instance';

const createDbInstance: EventMapper = (context) => {
  const response = context.response;
  const id = str(response.dBInstanceIdentifier) ?? str(context.request.dBInstanceIdentifier);
  if (!id) return unresolved(context, 'the record names no DB instance');
  const sdk = toSdkShape(response) as DBInstance;
  const request = context.request;
  // An older record without responseElements still shows what was asked for.
  const merged: DBInstance & { DBInstanceIdentifier: string } = {
    ...sdk,
    DBInstanceIdentifier: id,
    PubliclyAccessible: sdk.PubliclyAccessible ?? bool(request.publiclyAccessible),
    StorageEncrypted: sdk.StorageEncrypted ?? bool(request.storageEncrypted),
    Engine: sdk.Engine ?? str(request.engine),
  };
  const config = dbInstanceFromAws(merged);
  const fields = Object.keys(config).filter(
    (field) =>
      (field !== 'publiclyAccessible' || merged.PubliclyAccessible !== undefined) &&
      (field !== 'storageEncrypted' || merged.StorageEncrypted !== undefined),
  );
  const resource: Resource<typeof DB_TYPE> = {
    type: DB_TYPE,
    account: context.account,
    region: context.region,
    id,
    arn: str(response.dBInstanceArn) ?? regionalArn(context, 'rds', `db:${id}`),
    name: id,
    tags: {},
    config,
  };
  return [upsert(context, resource, fields, { created: true })];
};

/**
 * ModifyDBInstance: the request says what changes (the response shows the instance before pending
 * modifications apply), so only requested fields are known.
 */
const modifyDbInstance: EventMapper = (context) => {
  const request = context.request;
  const id = str(request.dBInstanceIdentifier);
  if (!id) return unresolved(context, 'the record names no DB instance');
  const publiclyAccessible = bool(request.publiclyAccessible);
  const groups = Array.isArray(request.vpcSecurityGroupIds) ? request.vpcSecurityGroupIds.flatMap((group) => (typeof group === 'string' ? [group] : [])) : undefined;
  const deletionProtection = bool(request.deletionProtection);
  const multiAz = bool(request.multiAZ);
  const backupRetentionPeriod = num(request.backupRetentionPeriod);
  const config: DbInstanceModel = {
    dbInstanceIdentifier: id,
    publiclyAccessible: publiclyAccessible ?? notShown(context, 'public accessibility'),
    storageEncrypted: notShown(context, 'storage encryption'),
    vpcSecurityGroupIds: groups ? [...groups].sort() : [],
    ...(deletionProtection !== undefined ? { deletionProtection } : {}),
    ...(multiAz !== undefined ? { multiAz } : {}),
    ...(backupRetentionPeriod !== undefined ? { backupRetentionPeriod } : {}),
  };
  const fields = ['dbInstanceIdentifier'];
  if (publiclyAccessible !== undefined) fields.push('publiclyAccessible');
  if (groups) fields.push('vpcSecurityGroupIds');
  if (deletionProtection !== undefined) fields.push('deletionProtection');
  if (multiAz !== undefined) fields.push('multiAz');
  if (backupRetentionPeriod !== undefined) fields.push('backupRetentionPeriod');
  const resource: Resource<typeof DB_TYPE> = {
    type: DB_TYPE,
    account: context.account,
    region: context.region,
    id,
    arn: str(context.response.dBInstanceArn) ?? regionalArn(context, 'rds', `db:${id}`),
    name: id,
    tags: {},
    config,
  };
  return [upsert(context, resource, fields)];
};

const deleteDbInstance: EventMapper = (context) => {
  const id = str(context.request.dBInstanceIdentifier);
  return id ? [deletion(context, DB_TYPE, id, regionalArn(context, 'rds', `db:${id}`))] : [];
};

/**
 * ModifyDBSnapshotAttribute: the response lists the attribute's values after the change, so the restore
 * list is fully known; without a response, the values added are a known part of it.
 */
const modifySnapshotAttribute: EventMapper = (context) => {
  const request = context.request;
  const id = str(request.dBSnapshotIdentifier);
  if (!id) return unresolved(context, 'the record names no DB snapshot');
  const attribute = str(request.attributeName);
  if (attribute !== undefined && attribute !== 'restore') return [];
  const result = obj(context.response.dBSnapshotAttributesResult) ?? (Array.isArray(context.response.dBSnapshotAttributes) ? context.response : undefined);
  const added = Array.isArray(request.valuesToAdd) ? request.valuesToAdd.filter((value): value is string => typeof value === 'string') : [];
  const restoreAccounts = result ? restoreAccountsFromAws(toSdkShape(result) as DBSnapshotAttributesResult) : added;
  const config = dbSnapshotFromAws({ DBSnapshotIdentifier: id }, restoreAccounts);
  const resource: Resource<'aws.rds.db-snapshot'> = {
    type: 'aws.rds.db-snapshot',
    account: context.account,
    region: context.region,
    id,
    arn: regionalArn(context, 'rds', `snapshot:${id}`),
    name: id,
    tags: {},
    config,
  };
  return [upsert(context, resource, ['dbSnapshotIdentifier', 'restoreAccounts'])];
};

export const RDS_EVENTS: Readonly<Record<string, EventMapper>> = {
  CreateDBInstance: createDbInstance,
  ModifyDBInstance: modifyDbInstance,
  DeleteDBInstance: deleteDbInstance,
  ModifyDBSnapshotAttribute: modifySnapshotAttribute,
};

