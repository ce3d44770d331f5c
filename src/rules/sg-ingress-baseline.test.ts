// Table-driven cases for sg-ingress-baseline (allow-listing ingress rules).
import { describe } from 'vitest';
import { egress, ingress, runRuleCases, sg, U } from '../../test/support/rule-fixtures.js';
import { sgIngressBaseline, type SgIngressBaselineParams } from './sg-ingress-baseline.js';

const baseline: SgIngressBaselineParams = {
  baseline: [
    { protocol: 'tcp', ports: 443, cidrs: ['0.0.0.0/0', '::/0'] },
    { protocol: 'tcp', ports: '22', cidrs: ['10.0.0.0/8'] },
    { protocol: 'all', securityGroups: ['*'] },
    { protocol: 'icmp', cidrs: ['10.0.0.0/8'] },
  ],
};

describe('sg-ingress-baseline', () => {
  runRuleCases(sgIngressBaseline, [
    {
      n: 'C1',
      name: 'HTTPS from the world is in the baseline',
      params: baseline,
      resource: sg([ingress('tcp', 443, 443, '0.0.0.0/0')]),
      expect: [],
    },
    {
      n: 'C2',
      name: 'SSH from inside 10/8',
      params: baseline,
      resource: sg([ingress('tcp', 22, 22, '10.1.0.0/16')]),
      expect: [],
    },
    {
      n: 'C3',
      name: 'anything from a security group',
      params: baseline,
      resource: sg([ingress('all', 0, 65535, { kind: 'security-group', groupId: 'sg-9' })]),
      expect: [],
    },
    {
      n: 'C4',
      name: 'egress is not judged',
      params: baseline,
      resource: sg([egress('all', 0, 65535, '0.0.0.0/0')]),
      expect: [],
    },
    {
      n: 'C5',
      name: 'icmp from 10/8',
      params: baseline,
      resource: sg([ingress('icmp', 8, 0, '10.2.3.4/32')]),
      expect: [],
    },
    {
      n: 'C6',
      name: 'no baseline configured: nothing reported',
      resource: sg([ingress('tcp', 22, 22, '0.0.0.0/0')]),
      expect: [],
    },
    {
      n: 'N1',
      name: 'SSH from the world',
      params: baseline,
      resource: sg([ingress('tcp', 22, 22, '0.0.0.0/0', { ruleId: 'sgr-x' })]),
      expect: [{ certainty: 'definite', part: 'sgr-x', path: ['rules', 0] }],
    },
    {
      n: 'N2',
      name: 'SSH from a range wider than 10/8',
      params: baseline,
      resource: sg([ingress('tcp', 22, 22, '10.0.0.0/7')]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N3',
      name: 'ports 22-23 exceed the entry',
      params: baseline,
      resource: sg([ingress('tcp', 22, 23, '10.0.0.0/8')]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N4',
      name: 'udp 443 is another protocol',
      params: baseline,
      resource: sg([ingress('udp', 443, 443, '0.0.0.0/0')]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N5',
      name: 'a prefix list no entry allows',
      params: baseline,
      resource: sg([ingress('tcp', 443, 443, { kind: 'prefix-list', prefixListId: 'pl-1' })]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N6',
      name: 'all traffic from 10/8',
      params: baseline,
      resource: sg([ingress('all', 0, 65535, '10.0.0.0/8')]),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'P1',
      name: 'SSH from an unknown CIDR',
      params: baseline,
      resource: sg([ingress('tcp', 22, 22, U())]),
      expect: [{ certainty: 'possible' }],
    },
    {
      n: 'P2',
      name: 'unknown protocol on 443 from the world',
      params: baseline,
      resource: sg([ingress(U(), 443, 443, '0.0.0.0/0')]),
      expect: [{ certainty: 'possible' }],
    },
  ]);
});
