// Rule rds-unencrypted: an RDS DB instance's storage is not encrypted at rest.
import { defineRule } from '../core/rule.js';
import { emptyParamsSchema, type EmptyParams } from './shared/empty-params.js';
import { flagViolation } from './shared/flag-rule.js';
import { isType, NO_VIOLATIONS } from './shared/narrow.js';
import { REF } from './shared/references.js';

export const rdsUnencrypted = defineRule<EmptyParams>({
  id: 'rds-unencrypted',
  title: 'RDS DB instance storage is not encrypted',
  severity: 'medium',
  resourceTypes: ['aws.rds.db-instance'],
  rationale:
    'Unencrypted DB storage leaves data, automated backups, read replicas and snapshots readable to anyone who ' +
    'obtains a copy. RDS cannot encrypt an existing instance in place, so it must be caught at creation (templates) ' +
    'or migrated through an encrypted snapshot copy. ' +
    'Fix: copy a snapshot with encryption, restore from it and cut over (no in-place action exists, so none is automated).',
  references: [REF.rdsEncryption, `${REF.hubRds}#rds-3`, REF.cisAws],
  enabledByDefault: true,
  paramsSchema: emptyParamsSchema,
  defaultParams: {},
  check(resource) {
    if (!isType(resource, 'aws.rds.db-instance')) return NO_VIOLATIONS;
    const db = resource.config;
    return flagViolation(db.storageEncrypted, false, {
      part: 'storage-encryption',
      path: ['storageEncrypted'],
      message: `DB instance ${db.dbInstanceIdentifier} storage is not encrypted`,
      unknownMessage: `DB instance ${db.dbInstanceIdentifier}: storage encryption unknown`,
    });
  },
});
