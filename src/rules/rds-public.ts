// Rule rds-public: an RDS DB instance is publicly accessible (has a public endpoint).
import { defineRule } from '../core/rule.js';
import { emptyParamsSchema, type EmptyParams } from './shared/empty-params.js';
import { flagViolation } from './shared/flag-rule.js';
import { isType, NO_VIOLATIONS } from './shared/narrow.js';
import { REF } from './shared/references.js';

export const rdsPublic = defineRule<EmptyParams>({
  id: 'rds-public',
  title: 'RDS DB instance is publicly accessible',
  severity: 'high',
  resourceTypes: ['aws.rds.db-instance'],
  rationale:
    'PubliclyAccessible gives the instance a DNS name that resolves to a public IP; one permissive security-group ' +
    'rule later, the database faces the internet. Databases belong in private subnets, reached from the application tier.',
  references: [REF.rdsPublic, `${REF.hubRds}#rds-2`, REF.cisAws],
  remediation: {
    action: 'set-rds-not-public',
    description: 'Modify the instance with PubliclyAccessible=false (applied immediately, brief DNS change).',
  },
  enabledByDefault: true,
  paramsSchema: emptyParamsSchema,
  defaultParams: {},
  check(resource) {
    if (!isType(resource, 'aws.rds.db-instance')) return NO_VIOLATIONS;
    const db = resource.config;
    return flagViolation(db.publiclyAccessible, true, {
      part: 'publicly-accessible',
      path: ['publiclyAccessible'],
      message: `DB instance ${db.dbInstanceIdentifier} is publicly accessible`,
      unknownMessage: `DB instance ${db.dbInstanceIdentifier}: public accessibility unknown`,
    });
  },
});
