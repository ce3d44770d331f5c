// Table-driven cases for ebs-unencrypted.
import { describe } from 'vitest';
import { runRuleCases, U, volume } from '../../test/support/rule-fixtures.js';
import { ebsUnencrypted } from './ebs-unencrypted.js';

describe('ebs-unencrypted', () => {
  runRuleCases(ebsUnencrypted, [
    { n: 'C1', name: 'encrypted', resource: volume(true), expect: [] },
    {
      n: 'N1',
      name: 'not encrypted',
      resource: volume(false),
      expect: [{ certainty: 'definite', part: 'encryption', path: ['encrypted'] }],
    },
    {
      n: 'P1',
      name: 'encryption from a template condition',
      resource: volume(U('Fn::If on UseEncryption')),
      expect: [{ certainty: 'possible' }],
    },
  ]);
});
