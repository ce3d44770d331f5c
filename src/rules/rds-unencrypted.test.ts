// Table-driven cases for rds-unencrypted.
import { describe } from 'vitest';
import { dbInstance, runRuleCases, U } from '../../test/support/rule-fixtures.js';
import { rdsUnencrypted } from './rds-unencrypted.js';

describe('rds-unencrypted', () => {
  runRuleCases(rdsUnencrypted, [
    { n: 'C1', name: 'encrypted', resource: dbInstance({ storageEncrypted: true }), expect: [] },
    {
      n: 'N1',
      name: 'not encrypted',
      resource: dbInstance({ storageEncrypted: false }),
      expect: [{ certainty: 'definite', part: 'storage-encryption', path: ['storageEncrypted'] }],
    },
    {
      n: 'P1',
      name: 'unknown',
      resource: dbInstance({ storageEncrypted: U() }),
      expect: [{ certainty: 'possible' }],
    },
  ]);
});
