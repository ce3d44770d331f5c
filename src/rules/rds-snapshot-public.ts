// Rule rds-snapshot-public: an RDS DB snapshot can be restored by any AWS account (restore attribute "all").
import { defineRule } from '../core/rule.js';
import { isUnknown } from '../core/unknown.js';
import { emptyParamsSchema, type EmptyParams } from './shared/empty-params.js';
import { isType, NO_VIOLATIONS } from './shared/narrow.js';
import { REF } from './shared/references.js';

export const rdsSnapshotPublic = defineRule<EmptyParams>({
  id: 'rds-snapshot-public',
  title: 'RDS DB snapshot is public',
  severity: 'critical',
  resourceTypes: ['aws.rds.db-snapshot'],
  rationale:
    'A manual snapshot whose "restore" attribute contains "all" can be copied and restored by every AWS account: ' +
    'a full copy of the database, published. Attackers enumerate public snapshots continuously. ' +
    '(Encrypted snapshots cannot be made public, but a shared unencrypted one is the whole database.)',
  references: [REF.rdsShareSnapshot, `${REF.hubRds}#rds-1`],
  remediation: {
    action: 'remove-rds-snapshot-public-restore',
    description:
      'Remove "all" from the snapshot\'s restore attribute (ModifyDBSnapshotAttribute ValuesToRemove=all).',
  },
  enabledByDefault: true,
  paramsSchema: emptyParamsSchema,
  defaultParams: {},
  check(resource) {
    if (!isType(resource, 'aws.rds.db-snapshot')) return NO_VIOLATIONS;
    const snapshot = resource.config;
    const accounts = snapshot.restoreAccounts;
    if (isUnknown(accounts)) {
      return [
        {
          part: 'restore:all',
          certainty: 'possible',
          message: `DB snapshot ${snapshot.dbSnapshotIdentifier}: restore permissions unknown (${accounts.reason})`,
          path: ['restoreAccounts'],
        },
      ];
    }
    const index = accounts.findIndex((account) => account.toLowerCase() === 'all');
    if (index === -1) return NO_VIOLATIONS;
    return [
      {
        part: 'restore:all',
        certainty: 'definite',
        message: `DB snapshot ${snapshot.dbSnapshotIdentifier} can be restored by any AWS account (restore=all)`,
        path: ['restoreAccounts', index],
      },
    ];
  },
});
