// Table-driven cases for sg-ingress-open-db.
import { describe } from 'vitest';
import { ingress, runRuleCases, sg, U } from '../../test/support/rule-fixtures.js';
import { sgIngressOpenDb } from './sg-ingress-open-db.js';

describe('sg-ingress-open-db', () => {
  runRuleCases(sgIngressOpenDb, [
    {
      n: 'C1',
      name: 'MySQL from a private range',
      resource: sg([ingress('tcp', 3306, 3306, '10.0.0.0/8')]),
      expect: [],
    },
    {
      n: 'C2',
      name: 'MySQL from the app security group',
      resource: sg([ingress('tcp', 3306, 3306, { kind: 'security-group', groupId: 'sg-app' })]),
      expect: [],
    },
    {
      n: 'C3',
      name: 'tcp 0-1024 holds no database port',
      resource: sg([ingress('tcp', 0, 1024, '0.0.0.0/0')]),
      expect: [],
    },
    {
      n: 'C4',
      name: 'tcp 1-5000 touches SSH: open-admin reports it',
      resource: sg([ingress('tcp', 1, 5000, '0.0.0.0/0')]),
      expect: [],
    },
    {
      n: 'C5',
      name: 'all traffic: open-all reports it',
      resource: sg([ingress('all', 0, 65535, '::/0')]),
      expect: [],
    },
    {
      n: 'N1',
      name: 'MySQL from the world',
      resource: sg([ingress('tcp', 3306, 3306, '0.0.0.0/0')]),
      expect: [{ certainty: 'definite', path: ['rules', 0] }],
    },
    {
      n: 'N2',
      name: 'Cassandra CQL from ::/0',
      resource: sg([ingress('tcp', 9042, 9042, '::/0')]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N3',
      name: 'a range covering PostgreSQL and Redshift is one finding',
      resource: sg([ingress('tcp', 5000, 6000, '0.0.0.0/0')]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N4',
      name: 'Redis',
      resource: sg([ingress('tcp', 6379, 6379, '0.0.0.0/0')]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N5',
      name: 'tcp 3390-65534 from the world (past RDP, not every port)',
      resource: sg([ingress('tcp', 3390, 65534, '0.0.0.0/0')]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'C6',
      name: 'tcp 1024-65534 touches RDP 3389: open-admin reports it',
      resource: sg([ingress('tcp', 1024, 65534, '0.0.0.0/0')]),
      expect: [],
    },
    {
      n: 'N6',
      name: 'configured port 8888',
      params: { ports: [8888] },
      resource: sg([ingress('tcp', 8888, 8888, '0.0.0.0/0')]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N7',
      name: 'admin rule disabled: 1-5000 falls here',
      params: { linked: { openAll: true, adminPorts: null, dbPorts: null } },
      resource: sg([ingress('tcp', 1, 5000, '0.0.0.0/0')]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'P1',
      name: 'PostgreSQL from an unknown CIDR',
      resource: sg([ingress('tcp', 5432, 5432, U())]),
      expect: [{ certainty: 'possible' }],
    },
  ]);
});
