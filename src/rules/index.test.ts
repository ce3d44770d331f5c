// Meta-tests of the rule registry: ids, metadata, params and docs hold for every built-in rule.
import { describe, expect, it } from 'vitest';
import { describeRule, summarizeRules } from '../core/engine/describe.js';
import { compilePolicy } from '../core/engine/index.js';
import { MODEL_SCHEMAS } from '../core/models/index.js';
import { RESOURCE_TYPE_IDS } from '../core/resource-types.js';
import { SEVERITIES } from '../core/rule.js';
import { BUILT_IN_RULES } from './index.js';

// The action ids the remediation issue implements; a rule naming another would point at nothing.
const KNOWN_ACTIONS = [
  'revoke-security-group-rules',
  'block-s3-public-access',
  'remove-s3-public-acl-grants',
  'remove-s3-public-policy-statements',
  'set-rds-not-public',
  'remove-rds-snapshot-public-restore',
  'delete-resource',
  'enable-dynamodb-pitr',
];

// Other modules depend on these exact ids.
const EXPECTED_IDS = [
  'sg-ingress-open-all',
  'sg-ingress-open-admin',
  'sg-ingress-open-db',
  'sg-ingress-open-port',
  'sg-ingress-baseline',
  'sg-default-has-rules',
  'sg-egress-open-all',
  's3-public-acl',
  's3-public-policy',
  's3-public-access-block-off',
  'ebs-unencrypted',
  'rds-unencrypted',
  'rds-public',
  'rds-snapshot-public',
  'dynamodb-no-pitr',
  'region-not-allowed',
];

describe('built-in rule registry', () => {
  it('has exactly the released ids, each once', () => {
    expect(BUILT_IN_RULES.map((rule) => rule.id)).toEqual(EXPECTED_IDS);
  });

  describe.each(BUILT_IN_RULES.map((rule) => [rule.id, rule] as const))('%s', (_id, rule) => {
    it('has complete metadata', () => {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
      expect(rule.title.length).toBeGreaterThan(10);
      expect(SEVERITIES).toContain(rule.severity);
      expect(rule.rationale.length).toBeGreaterThan(80);
      expect(rule.resourceTypes.length).toBeGreaterThan(0);
      for (const type of rule.resourceTypes) expect(RESOURCE_TYPE_IDS).toContain(type);
      expect(rule.references.length).toBeGreaterThan(0);
      for (const url of rule.references)
        expect(url).toMatch(/^https:\/\/(docs\.aws\.amazon\.com|www\.cisecurity\.org|github\.com)\//);
      if (rule.remediation) expect(KNOWN_ACTIONS).toContain(rule.remediation.action);
    });

    it('its defaults are valid params when it is on by default', () => {
      const parsed = rule.paramsSchema.safeParse(rule.defaultParams);
      if (rule.enabledByDefault) expect(parsed.success).toBe(true);
    });

    it('ignores resources of other types', () => {
      const other = RESOURCE_TYPE_IDS.find((type) => !rule.resourceTypes.includes(type));
      if (!other) return;
      const resource = {
        type: other,
        account: '1',
        region: 'eu-west-1',
        id: 'x',
        arn: 'x',
        tags: {},
        config: {},
      } as never;
      expect(rule.check(resource, rule.defaultParams as never, { trustedAccounts: [] })).toEqual([]);
    });

    it('can be explained', () => {
      const text = describeRule(rule);
      expect(text).toContain(rule.id);
      expect(text).toContain(rule.references[0]!);
      expect(text).toContain(rule.enabledByDefault ? 'by default' : 'off by default');
    });
  });

  it('every model schema the rules read exists', () => {
    for (const rule of BUILT_IN_RULES)
      for (const type of rule.resourceTypes) expect(MODEL_SCHEMAS[type]).toBeDefined();
  });

  it('summaries reflect the policy in force', () => {
    const policy = compilePolicy({
      rules: { 'rds-public': { severity: 'critical' }, 'sg-egress-open-all': true },
    });
    const rows = summarizeRules(BUILT_IN_RULES, policy);
    expect(rows.find((row) => row.id === 'rds-public')).toMatchObject({
      severity: 'critical',
      enabled: true,
    });
    expect(rows.find((row) => row.id === 'sg-egress-open-all')?.enabled).toBe(true);
    expect(rows.find((row) => row.id === 'region-not-allowed')?.enabled).toBe(false);
  });

  it('explains the settings in force, not engine internals', () => {
    const policy = compilePolicy({
      rules: { 'sg-ingress-open-admin': { ports: [22, 2222], severity: 'critical' } },
    });
    const compiled = policy.rules.find((rule) => rule.id === 'sg-ingress-open-admin')!;
    const text = describeRule(compiled.rule, compiled);
    expect(text).toContain('ports: [22,2222]');
    expect(text).toContain('critical (default high)');
    expect(text).not.toContain('linked');
  });
});
