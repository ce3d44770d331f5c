// Table-driven cases for sg-default-has-rules.
import { describe, expect, it } from 'vitest';
import { checkWith, egress, ingress, runRuleCases, sg } from '../../test/support/rule-fixtures.js';
import { sgDefaultHasRules } from './sg-default-has-rules.js';

const awsDefaultRules = [
  ingress('all', 0, 65535, { kind: 'security-group', groupId: 'sg-0123456789abcdef0' }, { ruleId: 'sgr-in' }),
  { ...egress('all', 0, 65535, '0.0.0.0/0'), ruleId: 'sgr-out' },
];

describe('sg-default-has-rules', () => {
  runRuleCases(sgDefaultHasRules, [
    {
      n: 'C1',
      name: 'default group without rules',
      resource: sg([], { isDefault: true, groupName: 'default' }),
      expect: [],
    },
    { n: 'C2', name: 'a non-default group with rules', resource: sg(awsDefaultRules), expect: [] },
    {
      n: 'N1',
      name: 'default group as AWS creates it',
      resource: sg(awsDefaultRules, { isDefault: true, groupName: 'default' }),
      expect: [{ certainty: 'definite', part: 'default-group-rules', path: ['rules'] }],
    },
    {
      n: 'N2',
      name: 'default group with only an egress rule',
      resource: sg([egress('tcp', 443, 443, '0.0.0.0/0')], { isDefault: true }),
      expect: [{ certainty: 'definite' }],
    },
  ]);

  it('counts inbound and outbound rules and lists their ids', () => {
    const [violation] = checkWith(sgDefaultHasRules, sg(awsDefaultRules, { isDefault: true }));
    expect(violation?.details).toEqual({ inbound: 1, outbound: 1, ruleIds: ['sgr-in', 'sgr-out'] });
  });
});
