// Table-driven cases for sg-ingress-open-port, the last link of the world-ingress chain.
import { describe } from 'vitest';
import { ingress, runRuleCases, sg, U } from '../../test/support/rule-fixtures.js';
import { sgIngressOpenPort } from './sg-ingress-open-port.js';

describe('sg-ingress-open-port', () => {
  runRuleCases(sgIngressOpenPort, [
    {
      n: 'C1',
      name: 'HTTPS from the world',
      resource: sg([ingress('tcp', 443, 443, '0.0.0.0/0')]),
      expect: [],
    },
    { n: 'C2', name: 'HTTP from ::/0', resource: sg([ingress('tcp', 80, 80, '::/0')]), expect: [] },
    {
      n: 'C3',
      name: 'SSH: open-admin reports it',
      resource: sg([ingress('tcp', 22, 22, '0.0.0.0/0')]),
      expect: [],
    },
    {
      n: 'C4',
      name: 'MySQL: open-db reports it',
      resource: sg([ingress('tcp', 3306, 3306, '0.0.0.0/0')]),
      expect: [],
    },
    {
      n: 'C5',
      name: 'all traffic: open-all reports it',
      resource: sg([ingress('all', 0, 65535, '0.0.0.0/0')]),
      expect: [],
    },
    {
      n: 'C6',
      name: 'icmp from the world',
      resource: sg([ingress('icmp', -1, -1, '0.0.0.0/0')]),
      expect: [],
    },
    {
      n: 'C7',
      name: 'tcp 8080 from a private range',
      resource: sg([ingress('tcp', 8080, 8080, '192.168.0.0/16')]),
      expect: [],
    },
    {
      n: 'C8',
      name: 'allowed range 8000-8100',
      params: { allowedPorts: ['8000-8100'] },
      resource: sg([ingress('tcp', 8080, 8080, '0.0.0.0/0')]),
      expect: [],
    },
    {
      n: 'C9',
      name: 'HTTP and HTTPS as two rules',
      resource: sg([ingress('tcp', 80, 80, '0.0.0.0/0'), ingress('tcp', 443, 443, '0.0.0.0/0')]),
      expect: [],
    },
    {
      n: 'N1',
      name: 'tcp 8080 from the world',
      resource: sg([ingress('tcp', 8080, 8080, '0.0.0.0/0')]),
      expect: [{ certainty: 'definite', path: ['rules', 0] }],
    },
    {
      n: 'N2',
      name: 'tcp 80-81: 81 is not allowed',
      resource: sg([ingress('tcp', 80, 81, '0.0.0.0/0')]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N3',
      name: 'SCTP (132) from the world opens every SCTP port',
      resource: sg([ingress('132', 0, 65535, '0.0.0.0/0')]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N4',
      name: 'udp 53 from the world',
      resource: sg([ingress('udp', 53, 53, '::/0')]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N5',
      name: 'every higher rule disabled: SSH falls here',
      params: { linked: { openAll: false, adminPorts: null, dbPorts: null } },
      resource: sg([ingress('tcp', 22, 22, '0.0.0.0/0')]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N6',
      name: "admin ports configured as [2222]: 22 is now this rule's",
      params: { linked: { openAll: true, adminPorts: [2222], dbPorts: [3306] } },
      resource: sg([ingress('tcp', 22, 22, '0.0.0.0/0'), ingress('tcp', 2222, 2222, '0.0.0.0/0')]),
      expect: [{ certainty: 'definite', path: ['rules', 0] }],
    },
    {
      n: 'N7',
      name: 'tcp 80-443 as one rule exposes 81-442',
      resource: sg([ingress('tcp', 80, 443, '0.0.0.0/0')]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'P1',
      name: 'tcp 8080 from an unknown CIDR',
      resource: sg([ingress('tcp', 8080, 8080, U())]),
      expect: [{ certainty: 'possible' }],
    },
  ]);
});
