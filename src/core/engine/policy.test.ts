// Rule configuration through leuko.yaml's `rules:` key: enable, disable, severity, params, links, errors with paths.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { ingress, sg } from '../../../test/support/rule-fixtures.js';
import { compilePolicy, evaluate, policyConfigSchema } from './index.js';

function issuesOf(input: unknown) {
  const result = policyConfigSchema.safeParse(input);
  expect(result.success).toBe(false);
  return result.error!.issues.map((issue) => ({ path: issue.path, message: issue.message }));
}

const ruleIdsFor = (
  policy: ReturnType<typeof compilePolicy>,
  resource = sg([ingress('tcp', 22, 22, '0.0.0.0/0')]),
) => evaluate([resource], policy).candidates.map((candidate) => candidate.ruleId);

describe('rule configuration', () => {
  it('defaults: off-by-default rules stay off, the rest are on', () => {
    const policy = compilePolicy();
    expect([...policy.disabled].sort()).toEqual([
      'region-not-allowed',
      'sg-egress-open-all',
      'sg-ingress-baseline',
    ]);
    expect(policy.rules.map((rule) => rule.id)).toContain('sg-ingress-open-admin');
    expect(policy.byType.get('aws.ec2.security-group')?.map((rule) => rule.id)).toEqual([
      'sg-ingress-open-all',
      'sg-ingress-open-admin',
      'sg-ingress-open-db',
      'sg-ingress-open-port',
      'sg-default-has-rules',
    ]);
  });

  it('enabled: false turns a rule off; true (or the shorthand) turns one on', () => {
    expect(
      ruleIdsFor(
        compilePolicy({
          rules: { 'sg-ingress-open-admin': { enabled: false }, 'sg-ingress-open-port': false },
        }),
      ),
    ).toEqual([]);
    const egressOpen = sg([{ ...ingress('all', 0, 65535, '0.0.0.0/0'), direction: 'egress' }]);
    expect(ruleIdsFor(compilePolicy({ rules: { 'sg-egress-open-all': true } }), egressOpen)).toEqual([
      'sg-egress-open-all',
    ]);
    expect(
      ruleIdsFor(compilePolicy({ rules: { 'sg-egress-open-all': { enabled: true } } }), egressOpen),
    ).toEqual(['sg-egress-open-all']);
  });

  it('disabling a higher rule of the chain hands its rules down instead of hiding them', () => {
    expect(ruleIdsFor(compilePolicy({ rules: { 'sg-ingress-open-admin': false } }))).toEqual([
      'sg-ingress-open-port',
    ]);
    const all = sg([ingress('all', 0, 65535, '0.0.0.0/0')]);
    expect(ruleIdsFor(compilePolicy({ rules: { 'sg-ingress-open-all': false } }), all)).toEqual([
      'sg-ingress-open-admin',
    ]);
  });

  it('configured admin ports move the boundary with open-port, without double reports', () => {
    const policy = compilePolicy({ rules: { 'sg-ingress-open-admin': { ports: [2222] } } });
    const group = sg([ingress('tcp', 2222, 2222, '0.0.0.0/0'), ingress('tcp', 22, 22, '0.0.0.0/0')]);
    const found = evaluate([group], policy).candidates.map((candidate) => [candidate.ruleId, candidate.path]);
    expect(found).toEqual([
      ['sg-ingress-open-admin', ['rules', 0]],
      ['sg-ingress-open-port', ['rules', 1]],
    ]);
  });

  it('severity overrides the rule default', () => {
    const policy = compilePolicy({ rules: { 'sg-ingress-open-admin': { severity: 'critical' } } });
    expect(evaluate([sg([ingress('tcp', 22, 22, '0.0.0.0/0')])], policy).candidates[0]?.severity).toBe(
      'critical',
    );
  });

  it('remediation mode is stored with the rule and carried to candidates', () => {
    const policy = compilePolicy({ rules: { 'sg-ingress-open-admin': { remediation: 'dry-run' } } });
    expect(policy.rules.find((rule) => rule.id === 'sg-ingress-open-admin')?.remediation).toBe('dry-run');
    expect(evaluate([sg([ingress('tcp', 22, 22, '0.0.0.0/0')])], policy).candidates[0]?.remediation).toEqual({
      action: 'revoke-security-group-rules',
      mode: 'dry-run',
    });
  });

  it('setting a required param enables an off-by-default rule', () => {
    const policy = compilePolicy({ rules: { 'region-not-allowed': { allowedRegions: ['eu'] } } });
    expect(policy.disabled).not.toContain('region-not-allowed');
    const usGroup = { ...sg([]), region: 'us-east-1' };
    expect(ruleIdsFor(policy, usGroup)).toEqual(['region-not-allowed']);
    const stillOff = compilePolicy({
      rules: { 'region-not-allowed': { enabled: false, allowedRegions: ['eu'] } },
    });
    expect(stillOff.disabled).toContain('region-not-allowed');
  });

  it('params are validated once and shared by every resource', () => {
    const policy = compilePolicy({
      rules: { 'sg-ingress-open-port': { allowedPorts: [80, 443, '8000-8100'] } },
    });
    const compiled = policy.rules.find((rule) => rule.id === 'sg-ingress-open-port');
    expect(compiled?.params).toMatchObject({ allowedPorts: [80, 443, '8000-8100'] });
  });
});

describe('configuration errors carry exact paths', () => {
  it('unknown rule id, with a suggestion and the known ids', () => {
    const [issue] = issuesOf({ rules: { 'sg-ingres-open-admin': { enabled: false } } });
    expect(issue?.path).toEqual(['rules', 'sg-ingres-open-admin']);
    expect(issue?.message).toContain('Did you mean "sg-ingress-open-admin"');
    expect(issue?.message).toContain('rds-snapshot-public');
  });

  it('enabling a rule that needs a param without it', () => {
    expect(issuesOf({ rules: { 'region-not-allowed': { enabled: true } } })).toEqual([
      {
        path: ['rules', 'region-not-allowed', 'allowedRegions'],
        message: expect.stringContaining('list at least one region'),
      },
    ]);
  });

  it('a bad param value points at the element', () => {
    expect(issuesOf({ rules: { 'sg-ingress-open-admin': { ports: [22, 70000] } } })[0]?.path).toEqual([
      'rules',
      'sg-ingress-open-admin',
      'ports',
      1,
    ]);
    expect(
      issuesOf({ rules: { 'region-not-allowed': { allowedRegions: ['eu', 'europe'] } } })[0]?.path,
    ).toEqual(['rules', 'region-not-allowed', 'allowedRegions', 1]);
  });

  it('an unknown param key names it and the settings that exist', () => {
    const [issue] = issuesOf({ rules: { 'sg-ingress-open-admin': { prots: [22] } } });
    expect(issue?.path).toEqual(['rules', 'sg-ingress-open-admin', 'prots']);
    expect(issue?.message).toContain('enabled, severity, remediation, allowDestructive, ports');
  });

  it('engine-linked params cannot be set from leuko.yaml', () => {
    expect(issuesOf({ rules: { 'sg-ingress-open-admin': { linked: { openAll: false } } } })[0]?.path).toEqual(
      ['rules', 'sg-ingress-open-admin', 'linked'],
    );
  });

  it('common keys are checked', () => {
    expect(issuesOf({ rules: { 'rds-public': { severity: 'urgent' } } })[0]?.path).toEqual([
      'rules',
      'rds-public',
      'severity',
    ]);
    expect(issuesOf({ rules: { 'rds-public': { remediation: 'yes' } } })[0]?.path).toEqual([
      'rules',
      'rds-public',
      'remediation',
    ]);
    expect(issuesOf({ rules: { 'rds-public': { allowDestructive: 'yes' } } })[0]?.path).toEqual([
      'rules',
      'rds-public',
      'allowDestructive',
    ]);
    expect(issuesOf({ rules: { 'rds-public': { enabled: 'no' } } })[0]?.path).toEqual([
      'rules',
      'rds-public',
      'enabled',
    ]);
    expect(issuesOf({ rules: { 'rds-public': 'off' } })[0]?.path).toEqual(['rules', 'rds-public']);
  });

  it('baseline entries are validated where they are written', () => {
    const issues = issuesOf({
      rules: {
        'sg-ingress-baseline': {
          baseline: [
            { protocol: 'tcp', ports: '22' },
            { protocol: 'icmp', ports: 8, cidrs: ['10.0.0.0/8'] },
            { protocol: 'tcp', cidrs: ['10.0.0.0/33'] },
          ],
        },
      },
    });
    expect(issues.map((issue) => issue.path)).toEqual([
      ['rules', 'sg-ingress-baseline', 'baseline', 0],
      ['rules', 'sg-ingress-baseline', 'baseline', 1, 'ports'],
      ['rules', 'sg-ingress-baseline', 'baseline', 2, 'cidrs', 0],
    ]);
  });

  it('trustedAccounts must be account ids', () => {
    expect(issuesOf({ trustedAccounts: ['123456789012', '12345'] })[0]?.path).toEqual(['trustedAccounts', 1]);
  });

  it('compilePolicy throws a ConfigError with the key path', () => {
    expect(() => compilePolicy({ rules: { nope: {} } })).toThrow(ConfigError);
    try {
      compilePolicy({ rules: { 'sg-ingress-open-admin': { ports: 'x' } } });
    } catch (error) {
      expect((error as ConfigError).key).toBe('rules.sg-ingress-open-admin.ports');
    }
  });

  it('keys other than the four policy keys are ignored, so the whole leuko.yaml object can be passed', () => {
    expect(
      policyConfigSchema.safeParse({ regions: ['eu-west-1'], store: { path: 'x' }, rules: {} }).success,
    ).toBe(true);
  });
});
