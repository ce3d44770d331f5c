// Table-driven cases for rds-public.
import { describe } from 'vitest';
import { dbInstance, runRuleCases, U } from '../../test/support/rule-fixtures.js';
import { rdsPublic } from './rds-public.js';

describe('rds-public', () => {
  runRuleCases(rdsPublic, [
    { n: 'C1', name: 'private', resource: dbInstance({ publiclyAccessible: false }), expect: [] },
    {
      n: 'N1',
      name: 'publicly accessible',
      resource: dbInstance({ publiclyAccessible: true }),
      expect: [{ certainty: 'definite', part: 'publicly-accessible', path: ['publiclyAccessible'] }],
    },
    {
      n: 'P1',
      name: 'unknown',
      resource: dbInstance({ publiclyAccessible: U() }),
      expect: [{ certainty: 'possible' }],
    },
  ]);
});
