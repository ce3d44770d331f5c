// DynamoDB table and CloudFormation stack events to canonical changes: creation (for region rules) and deletion.
import type { Resource } from '../../../core/resource.js';
import { stackFromAws } from '../../../aws/resources/cloudformation-stack.js';
import { tableFromAws, type AwsTable, type KmsKeyManager } from '../../../aws/resources/dynamodb-table.js';
import { bool, obj, str } from '../record.js';
import { deletion, notShown, regionalArn, toSdkShape, unresolved, upsert, type EventMapper } from './shared.js';

/**
 * CreateTable: point-in-time recovery is never part of the call (it is set by UpdateContinuousBackups,
 * which IaC tools send seconds later), so it is unknown here rather than "off": judging it now would
 * alert on every new table.
 */
const createTable: EventMapper = (context) => {
  const description = obj(context.response.tableDescription);
  const name = str(description?.tableName) ?? str(context.request.tableName);
  if (!name) return unresolved(context, 'the record names no table');
  const sdk = (description ? toSdkShape(description) : { TableName: name }) as AwsTable;
  const created = sdk.CreationDateTime;
  // Console-written dates ("Jul 10, 2023, 12:00:00 PM") are kept only if they read as dates.
  const table: AwsTable = { ...sdk, TableName: name, CreationDateTime: typeof created === 'string' && Number.isNaN(Date.parse(created)) ? undefined : created };
  const spec = obj(context.request.sSESpecification);
  // Asking for KMS without naming a key (or naming the AWS alias) means the AWS-managed key.
  const manager: KmsKeyManager | undefined =
    spec && bool(spec.enabled) !== false && !str(spec.kMSMasterKeyId) ? 'AWS' : undefined;
  const config = tableFromAws(table, notShown(context, 'point-in-time recovery'), manager ? { kmsKeyManager: manager } : {});
  const resource: Resource<'aws.dynamodb.table'> = {
    type: 'aws.dynamodb.table',
    account: context.account,
    region: context.region,
    id: name,
    arn: str(description?.tableArn) ?? regionalArn(context, 'dynamodb', `table/${name}`),
    name,
    tags: {},
    config,
  };
  return [upsert(context, resource, Object.keys(config).filter((field) => field !== 'pointInTimeRecovery'), { created: true })];
};

const deleteTable: EventMapper = (context) => {
  const name = str(context.request.tableName);
  return name ? [deletion(context, 'aws.dynamodb.table', name, regionalArn(context, 'dynamodb', `table/${name}`))] : [];
};

const createStack: EventMapper = (context) => {
  const name = str(context.request.stackName);
  if (!name) return unresolved(context, 'the record names no stack');
  const stackId = str(context.response.stackId) ?? regionalArn(context, 'cloudformation', `stack/${name}/*`);
  const roleArn = str(context.request.roleARN);
  const protection = bool(context.request.enableTerminationProtection);
  const config = stackFromAws({
    StackName: name,
    StackId: stackId,
    StackStatus: 'CREATE_IN_PROGRESS',
    ...(roleArn ? { RoleARN: roleArn } : {}),
    ...(protection !== undefined ? { EnableTerminationProtection: protection } : {}),
    ...(context.record.eventTime ? { CreationTime: context.record.eventTime } : {}),
  });
  const resource: Resource<'aws.cloudformation.stack'> = {
    type: 'aws.cloudformation.stack',
    account: context.account,
    region: context.region,
    id: name,
    arn: stackId,
    name,
    tags: {},
    config,
  };
  return [upsert(context, resource, Object.keys(config), { created: true })];
};

const deleteStack: EventMapper = (context) => {
  const name = str(context.request.stackName);
  if (!name) return [];
  // DeleteStack accepts a stack id (an ARN) as the name; the resource id is the stack's name.
  const id = name.startsWith('arn:') ? (name.split('/')[1] ?? name) : name;
  return [deletion(context, 'aws.cloudformation.stack', id, name.startsWith('arn:') ? name : regionalArn(context, 'cloudformation', `stack/${id}/*`))];
};

export const TABLE_AND_STACK_EVENTS: Readonly<Record<string, EventMapper>> = {
  CreateTable: createTable,
  DeleteTable: deleteTable,
  CreateStack: createStack,
  DeleteStack: deleteStack,
};
