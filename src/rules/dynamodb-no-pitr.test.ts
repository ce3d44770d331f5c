// Table-driven cases for dynamodb-no-pitr.
import { describe } from 'vitest';
import { runRuleCases, table, U } from '../../test/support/rule-fixtures.js';
import { dynamodbNoPitr } from './dynamodb-no-pitr.js';

describe('dynamodb-no-pitr', () => {
  runRuleCases(dynamodbNoPitr, [
    { n: 'C1', name: 'PITR on', resource: table(true), expect: [] },
    {
      n: 'N1',
      name: 'PITR off',
      resource: table(false),
      expect: [{ certainty: 'definite', part: 'point-in-time-recovery', path: ['pointInTimeRecovery'] }],
    },
    { n: 'P1', name: 'unknown', resource: table(U()), expect: [{ certainty: 'possible' }] },
  ]);
});
