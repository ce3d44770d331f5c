// Rule dynamodb-no-pitr: a DynamoDB table has point-in-time recovery off.
import { defineRule } from '../core/rule.js';
import { emptyParamsSchema, type EmptyParams } from './shared/empty-params.js';
import { flagViolation } from './shared/flag-rule.js';
import { isType, NO_VIOLATIONS } from './shared/narrow.js';
import { REF } from './shared/references.js';

export const dynamodbNoPitr = defineRule<EmptyParams>({
  id: 'dynamodb-no-pitr',
  title: 'DynamoDB table has point-in-time recovery off',
  severity: 'low',
  resourceTypes: ['aws.dynamodb.table'],
  rationale:
    'Without point-in-time recovery, a bad deploy, a buggy batch job or a ransomware-style overwrite cannot be ' +
    'rolled back: on-demand backups only restore to when they were taken. PITR keeps 35 days of per-second restore points.',
  references: [REF.dynamodbPitr, `${REF.hubDynamodb}#dynamodb-2`],
  remediation: {
    action: 'enable-dynamodb-pitr',
    description: 'Turn on point-in-time recovery (UpdateContinuousBackups); no downtime.',
  },
  enabledByDefault: true,
  paramsSchema: emptyParamsSchema,
  defaultParams: {},
  check(resource) {
    if (!isType(resource, 'aws.dynamodb.table')) return NO_VIOLATIONS;
    const table = resource.config;
    return flagViolation(table.pointInTimeRecovery, false, {
      part: 'point-in-time-recovery',
      path: ['pointInTimeRecovery'],
      message: `table ${table.tableName} has point-in-time recovery off`,
      unknownMessage: `table ${table.tableName}: point-in-time recovery unknown`,
    });
  },
});
