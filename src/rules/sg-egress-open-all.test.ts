// Table-driven cases for sg-egress-open-all.
import { describe } from 'vitest';
import { egress, ingress, runRuleCases, sg, U } from '../../test/support/rule-fixtures.js';
import { sgEgressOpenAll } from './sg-egress-open-all.js';

describe('sg-egress-open-all', () => {
  runRuleCases(sgEgressOpenAll, [
    {
      n: 'C1',
      name: 'HTTPS egress to the world',
      resource: sg([egress('tcp', 443, 443, '0.0.0.0/0')]),
      expect: [],
    },
    {
      n: 'C2',
      name: 'all egress to a private range',
      resource: sg([egress('all', 0, 65535, '10.0.0.0/8')]),
      expect: [],
    },
    {
      n: 'C3',
      name: 'all ingress from the world is not egress',
      resource: sg([ingress('all', 0, 65535, '0.0.0.0/0')]),
      expect: [],
    },
    {
      n: 'N1',
      name: 'the default allow-all egress rule',
      resource: sg([egress('all', 0, 65535, '0.0.0.0/0')]),
      expect: [{ certainty: 'definite', path: ['rules', 0] }],
    },
    {
      n: 'N2',
      name: 'all egress to ::/0',
      resource: sg([egress('all', 0, 65535, '::/0')]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'P1',
      name: 'unknown protocol to the world',
      resource: sg([egress(U(), 0, 65535, '0.0.0.0/0')]),
      expect: [{ certainty: 'possible' }],
    },
    {
      n: 'P2',
      name: 'all egress to an unknown CIDR',
      resource: sg([egress('all', 0, 65535, U())]),
      expect: [{ certainty: 'possible' }],
    },
  ]);
});
