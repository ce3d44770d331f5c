// Table-driven cases for rds-snapshot-public.
import { describe } from 'vitest';
import { dbSnapshot, runRuleCases, U } from '../../test/support/rule-fixtures.js';
import { rdsSnapshotPublic } from './rds-snapshot-public.js';

describe('rds-snapshot-public', () => {
  runRuleCases(rdsSnapshotPublic, [
    { n: 'C1', name: 'not shared', resource: dbSnapshot([]), expect: [] },
    { n: 'C2', name: 'shared with one account', resource: dbSnapshot(['444455556666']), expect: [] },
    {
      n: 'N1',
      name: 'restore=all',
      resource: dbSnapshot(['all']),
      expect: [{ certainty: 'definite', part: 'restore:all', path: ['restoreAccounts', 0] }],
    },
    {
      n: 'N2',
      name: 'an account and all',
      resource: dbSnapshot(['444455556666', 'all']),
      expect: [{ certainty: 'definite', path: ['restoreAccounts', 1] }],
    },
    {
      n: 'P1',
      name: 'attributes unreadable',
      resource: dbSnapshot(U('AccessDenied')),
      expect: [{ certainty: 'possible' }],
    },
  ]);
});
