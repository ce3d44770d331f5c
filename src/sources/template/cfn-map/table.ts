// AWS::DynamoDB::Table: encryption at rest (always on; which key) and point-in-time recovery.
import type { TableModel } from '../../../core/models/index.js';
import type { Resource } from '../../../core/resource.js';
import { unknownValue } from '../../../core/unknown.js';
import type { Scenario } from '../cfn-resolve.js';
import { Unresolved, booleanOf, isCfnMap, scalarString, uncertainOf, type CfnValue } from '../cfn-values.js';
import type { MappedResource } from '../mapped-resource.js';
import type { SourcePath } from '../source-path.js';
import { PathRecorder, type CfnMapContext } from './context.js';

const TABLE = 'AWS::DynamoDB::Table';

export function mapTables(ctx: CfnMapContext): MappedResource[] {
  const out: MappedResource[] = [];
  for (const table of ctx.ofType(TABLE)) {
    const id = table.logicalId;
    const mapped = ctx.variants({
      sourceId: id,
      sourceType: TABLE,
      type: 'aws.dynamodb.table',
      sourcePath: ['Resources', id],
      synthetic: false,
      primary: id,
      members: [id],
      build: (scenario) => buildTable(ctx, id, scenario),
    });
    if (mapped) out.push(mapped);
  }
  return out;
}

/**
 * DynamoDB always encrypts: with an AWS owned key unless SSEEnabled is true, then with the AWS
 * managed key (aws/dynamodb) or the customer key named in KMSMasterKeyId.
 */
function encryptionOf(value: CfnValue | undefined): { encryption: TableModel['encryption']; kmsKeyArn?: string } {
  if (value === undefined || value === null) return { encryption: 'AWS_OWNED' };
  if (value instanceof Unresolved || !isCfnMap(value)) return { encryption: unknownValue(`SSESpecification: ${value instanceof Unresolved ? value.reason : 'not a mapping'}`) };
  const enabled = value.SSEEnabled === undefined || value.SSEEnabled === null ? false : booleanOf(value.SSEEnabled);
  if (enabled instanceof Unresolved) return { encryption: unknownValue(`SSEEnabled: ${enabled.reason}`) };
  if (enabled === undefined) return { encryption: unknownValue('SSEEnabled is not a boolean') };
  if (!enabled) return { encryption: 'AWS_OWNED' };
  const key = value.KMSMasterKeyId;
  if (key === undefined || key === null) return { encryption: 'AWS_MANAGED' };
  const keyText = scalarString(key);
  if (keyText === 'alias/aws/dynamodb') return { encryption: 'AWS_MANAGED' };
  // A key from a Ref or GetAtt is a customer key all the same.
  return { encryption: 'CUSTOMER_MANAGED', ...(typeof keyText === 'string' ? { kmsKeyArn: keyText } : {}) };
}

function buildTable(ctx: CfnMapContext, logicalId: string, scenario: Scenario) {
  const props = ctx.props(logicalId, scenario);
  const resourcePath: SourcePath = ['Resources', logicalId];
  const propsPath: SourcePath = [...resourcePath, 'Properties'];
  const at = (key: string) => (props[key] === undefined ? resourcePath : ctx.keyPath(props, key, propsPath));
  const paths = new PathRecorder();
  paths.add(['encryption'], at('SSESpecification'));
  paths.add(['pointInTimeRecovery'], at('PointInTimeRecoverySpecification'));
  const name = ctx.knownString(props.TableName);
  const { encryption, kmsKeyArn } = encryptionOf(props.SSESpecification);
  const pitr = props.PointInTimeRecoverySpecification;
  let pointInTimeRecovery: TableModel['pointInTimeRecovery'];
  if (pitr === undefined || pitr === null) pointInTimeRecovery = false;
  else if (pitr instanceof Unresolved) pointInTimeRecovery = unknownValue(`PointInTimeRecoverySpecification: ${pitr.reason}`);
  else {
    const enabled = isCfnMap(pitr) ? pitr.PointInTimeRecoveryEnabled : undefined;
    const value = enabled === undefined || enabled === null ? false : booleanOf(enabled);
    pointInTimeRecovery = value === undefined ? unknownValue('PointInTimeRecoveryEnabled is not a boolean') : uncertainOf(value);
  }
  const deletionProtection = booleanOf(props.DeletionProtectionEnabled);
  const billingMode = ctx.knownString(props.BillingMode);
  const config: TableModel = {
    tableName: name ?? logicalId,
    billingMode: billingMode ?? 'PROVISIONED',
    encryption: uncertainOf(encryption),
    ...(kmsKeyArn !== undefined ? { kmsKeyArn } : {}),
    pointInTimeRecovery,
    ...(typeof deletionProtection === 'boolean' ? { deletionProtection } : {}),
  };
  const resource: Resource<'aws.dynamodb.table'> = {
    type: 'aws.dynamodb.table',
    account: ctx.account,
    region: ctx.region,
    id: name ?? logicalId,
    arn: ctx.arn(logicalId),
    ...(name !== undefined ? { name } : {}),
    tags: ctx.tags(props.Tags, at('Tags')),
    config,
  };
  return { resource, paths: paths.entries };
}
