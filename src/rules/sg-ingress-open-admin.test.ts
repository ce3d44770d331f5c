// Table-driven cases for sg-ingress-open-admin, including its place in the open-all > admin > db > port chain.
import { describe } from 'vitest';
import { DEFAULT_DB_PORTS } from './shared/sg.js';
import { ingress, runRuleCases, sg, U } from '../../test/support/rule-fixtures.js';
import { sgIngressOpenAdmin } from './sg-ingress-open-admin.js';

describe('sg-ingress-open-admin', () => {
  runRuleCases(sgIngressOpenAdmin, [
    {
      n: 'C1',
      name: 'SSH from a private range',
      resource: sg([ingress('tcp', 22, 22, '10.0.0.0/8')]),
      expect: [],
    },
    {
      n: 'C2',
      name: 'HTTPS from the world',
      resource: sg([ingress('tcp', 443, 443, '0.0.0.0/0')]),
      expect: [],
    },
    {
      n: 'C3',
      name: 'all traffic from the world is reported by open-all',
      resource: sg([ingress('all', 0, 65535, '0.0.0.0/0')]),
      expect: [],
    },
    {
      n: 'C4',
      name: 'tcp 0-65535 from the world is reported by open-all',
      resource: sg([ingress('tcp', 0, 65535, '0.0.0.0/0')]),
      expect: [],
    },
    {
      n: 'C5',
      name: 'SSH from a security group',
      resource: sg([ingress('tcp', 22, 22, { kind: 'security-group', groupId: 'sg-2' })]),
      expect: [],
    },
    {
      n: 'C6',
      name: 'SSH from one address',
      resource: sg([ingress('tcp', 22, 22, '203.0.113.7/32')]),
      expect: [],
    },
    { n: 'C7', name: 'icmp from the world', resource: sg([ingress('icmp', 8, -1, '0.0.0.0/0')]), expect: [] },
    {
      n: 'C8',
      name: 'SSH from a prefix list',
      resource: sg([ingress('tcp', 22, 22, { kind: 'prefix-list', prefixListId: 'pl-1' })]),
      expect: [],
    },
    {
      n: 'C9',
      name: 'unknown protocol: open-all (possible) takes it',
      resource: sg([ingress(U(), 22, 22, '0.0.0.0/0')]),
      expect: [],
    },
    {
      n: 'C10',
      name: 'both ports unknown: open-all (possible) takes it',
      resource: sg([ingress('tcp', U(), U(), '0.0.0.0/0')]),
      expect: [],
    },
    {
      n: 'C11',
      name: 'tcp 23-3388 covers neither admin port',
      resource: sg([ingress('tcp', 23, 3388, '0.0.0.0/0')]),
      expect: [],
    },
    {
      n: 'N1',
      name: 'SSH from 0.0.0.0/0',
      resource: sg([ingress('tcp', 22, 22, '0.0.0.0/0', { ruleId: 'sgr-ssh' })]),
      expect: [{ certainty: 'definite', part: 'sgr-ssh', path: ['rules', 0] }],
    },
    {
      n: 'N2',
      name: 'RDP from ::/0',
      resource: sg([ingress('tcp', 3389, 3389, '::/0')]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N3',
      name: 'a range including 22 (0-1024)',
      resource: sg([ingress('tcp', 0, 1024, '0.0.0.0/0')]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N4',
      name: 'RDP over udp',
      resource: sg([ingress('udp', 3389, 3389, '0.0.0.0/0')]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N5',
      name: 'configured port 2222',
      params: { ports: [2222] },
      resource: sg([ingress('tcp', 2222, 2222, '0.0.0.0/0')]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N6',
      name: 'no rule id: canonical part',
      resource: sg([ingress('tcp', 22, 22, '0.0.0.0/0')]),
      expect: [{ certainty: 'definite', part: 'ingress|tcp|22-22|ipv4:0.0.0.0/0' }],
    },
    {
      n: 'N7',
      name: 'open-all disabled: all traffic falls to this rule',
      params: { linked: { openAll: false, adminPorts: null, dbPorts: DEFAULT_DB_PORTS } },
      resource: sg([ingress('all', 0, 65535, '0.0.0.0/0')]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N8',
      name: 'two rules, one open',
      resource: sg([ingress('tcp', 22, 22, '10.0.0.0/8'), ingress('tcp', 3389, 3389, '0.0.0.0/0')]),
      expect: [{ certainty: 'definite', path: ['rules', 1] }],
    },
    {
      n: 'P1',
      name: 'SSH from an unknown CIDR',
      resource: sg([ingress('tcp', 22, 22, U('parameter AllowedCidr'))]),
      expect: [{ certainty: 'possible' }],
    },
    {
      n: 'P2',
      name: 'tcp 20 to an unknown port from the world',
      resource: sg([ingress('tcp', 20, U(), '0.0.0.0/0')]),
      expect: [{ certainty: 'possible' }],
    },
    {
      n: 'P3',
      name: 'an unknown start up to 22 covers 22 for sure',
      resource: sg([ingress('tcp', U(), 22, '0.0.0.0/0')]),
      expect: [{ certainty: 'definite' }],
    },
  ]);
});
