// Table-driven cases for sg-ingress-open-all.
import { describe } from 'vitest';
import { egress, ingress, runRuleCases, sg, U } from '../../test/support/rule-fixtures.js';
import { sgIngressOpenAll } from './sg-ingress-open-all.js';

describe('sg-ingress-open-all', () => {
  runRuleCases(sgIngressOpenAll, [
    { n: 'C1', name: 'no rules', resource: sg([]), expect: [] },
    {
      n: 'C2',
      name: 'tcp 443 from the world is not all traffic',
      resource: sg([ingress('tcp', 443, 443, '0.0.0.0/0')]),
      expect: [],
    },
    {
      n: 'C3',
      name: 'all traffic from a private range',
      resource: sg([ingress('all', 0, 65535, '10.0.0.0/8')]),
      expect: [],
    },
    {
      n: 'C4',
      name: 'all traffic from a security group',
      resource: sg([ingress('all', 0, 65535, { kind: 'security-group', groupId: 'sg-1' })]),
      expect: [],
    },
    {
      n: 'C5',
      name: 'icmp from the world',
      resource: sg([ingress('icmp', -1, -1, '0.0.0.0/0')]),
      expect: [],
    },
    {
      n: 'C6',
      name: 'egress to the world is not ingress',
      resource: sg([egress('all', 0, 65535, '0.0.0.0/0')]),
      expect: [],
    },
    {
      n: 'C7',
      name: 'tcp 0-65534 is not every port',
      resource: sg([ingress('tcp', 0, 65534, '0.0.0.0/0')]),
      expect: [],
    },
    {
      n: 'C8',
      name: 'tcp 22 with an unknown CIDR is open-admin business',
      resource: sg([ingress('tcp', 22, 22, U())]),
      expect: [],
    },
    {
      n: 'N1',
      name: 'all traffic from 0.0.0.0/0, part = AWS rule id',
      resource: sg([ingress('all', 0, 65535, '0.0.0.0/0', { ruleId: 'sgr-1' })]),
      expect: [{ certainty: 'definite', part: 'sgr-1', path: ['rules', 0] }],
    },
    {
      n: 'N2',
      name: 'all traffic from ::/0',
      resource: sg([ingress('all', 0, 65535, '::/0')]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N3',
      name: 'tcp 0-65535 from the world',
      resource: sg([ingress('tcp', 0, 65535, '0.0.0.0/0')]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N4',
      name: 'udp every port from ::/0',
      resource: sg([ingress('udp', 0, 65535, '::/0')]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N5',
      name: 'without a rule id the part is the canonical key',
      resource: sg([ingress('tcp', 443, 443, '10.0.0.0/8'), ingress('all', 0, 65535, '0.0.0.0/0')]),
      expect: [{ certainty: 'definite', part: 'ingress|all|0-65535|ipv4:0.0.0.0/0', path: ['rules', 1] }],
    },
    {
      n: 'N6',
      name: 'a /0 spelled oddly is still the world',
      resource: sg([ingress('all', 0, 65535, '1.2.3.4/0')]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'P1',
      name: 'all traffic from an unknown CIDR',
      resource: sg([ingress('all', 0, 65535, U('parameter SourceCidr'))]),
      expect: [{ certainty: 'possible', part: 'ingress|all|0-65535|ipv4:?(parameter SourceCidr)' }],
    },
    {
      n: 'P2',
      name: 'unknown protocol from the world (could be -1)',
      resource: sg([ingress(U(), 22, 22, '0.0.0.0/0')]),
      expect: [{ certainty: 'possible' }],
    },
    {
      n: 'P3',
      name: 'tcp from 0 to an unknown port',
      resource: sg([ingress('tcp', 0, U(), '0.0.0.0/0')]),
      expect: [{ certainty: 'possible' }],
    },
  ]);
});
