// Exceptions: selectors (resource id, ARN, account, tag), the tag convention, expiry, validation paths.
import { describe, expect, it } from 'vitest';
import { ACCOUNT, ingress, sg } from '../../../test/support/rule-fixtures.js';
import type { Resource } from '../resource.js';
import { compilePolicy, evaluate, expiryInstant, policyConfigSchema } from './index.js';

const openSsh = (extra: Parameters<typeof sg>[2] = {}) =>
  sg([ingress('tcp', 22, 22, '0.0.0.0/0')], {}, extra);
const statusOf = (exceptions: unknown[], resource: Resource = openSsh(), now = '2025-03-01T12:00:00Z') => {
  const [candidate] = evaluate([resource], compilePolicy({ exceptions }), { now }).candidates;
  return candidate;
};
const because = 'Bastion host behind a NACL; SEC-123';

describe('exceptions', () => {
  it('by resource id: the finding stays, as justified, with the reason', () => {
    const candidate = statusOf([
      { rules: ['sg-ingress-open-admin'], resourceId: 'sg-0123456789abcdef0', justification: because },
    ]);
    expect(candidate?.status).toBe('justified');
    expect(candidate?.justification).toEqual({ reason: because, source: 'exceptions[0]' });
  });

  it('by resource id glob, by ARN glob, by account', () => {
    expect(statusOf([{ rules: '*', resourceId: 'sg-0123*', justification: because }])?.status).toBe(
      'justified',
    );
    expect(
      statusOf([{ rules: '*', arn: `arn:aws:test:*:${ACCOUNT}:*`, justification: because }])?.status,
    ).toBe('justified');
    expect(statusOf([{ rules: '*', account: ACCOUNT, justification: because }])?.status).toBe('justified');
    expect(statusOf([{ rules: '*', account: '999999999999', justification: because }])?.status).toBe('open');
  });

  it('only the listed rules', () => {
    expect(
      statusOf([{ rules: ['rds-public'], resourceId: 'sg-0123456789abcdef0', justification: because }])
        ?.status,
    ).toBe('open');
  });

  it('all given selectors must match', () => {
    expect(
      statusOf([{ rules: '*', account: ACCOUNT, region: 'us-east-1', justification: because }])?.status,
    ).toBe('open');
    expect(
      statusOf([{ rules: '*', account: ACCOUNT, resourceType: 'sg', justification: because }])?.status,
    ).toBe('justified');
  });

  it('by tag key=value', () => {
    const exceptions = [
      { rules: '*', tag: 'env=sandbox', justification: 'Sandbox accounts are wiped nightly' },
    ];
    expect(statusOf(exceptions, openSsh({ tags: { env: 'sandbox' } }))?.status).toBe('justified');
    expect(statusOf(exceptions, openSsh({ tags: { env: 'prod' } }))?.status).toBe('open');
  });

  it('the leuko:exempt tag convention: the value lists rule ids, a -reason tag adds context', () => {
    const exceptions = [{ tag: 'leuko:exempt', justification: 'Owners may exempt by tag; reviewed monthly' }];
    const tagged = openSsh({
      tags: { 'leuko:exempt': 'rds-public, sg-ingress-open-admin', 'leuko:exempt-reason': 'jump host' },
    });
    const candidate = statusOf(exceptions, tagged);
    expect(candidate?.status).toBe('justified');
    expect(candidate?.justification).toEqual({
      reason: 'Owners may exempt by tag; reviewed monthly (resource says: jump host)',
      source: 'exceptions[0] (tag leuko:exempt)',
    });
    expect(statusOf(exceptions, openSsh({ tags: { 'leuko:exempt': 'rds-public' } }))?.status).toBe('open');
    expect(statusOf(exceptions, openSsh({ tags: { 'leuko:exempt': '*' } }))?.status).toBe('justified');
  });

  it('the tag alone does nothing unless leuko.yaml opts in', () => {
    expect(statusOf([], openSsh({ tags: { 'leuko:exempt': 'sg-ingress-open-admin' } }))?.status).toBe('open');
  });

  it('expires: a date applies through that day (UTC), then the finding is open again and says why', () => {
    const exceptions = [
      { rules: '*', resourceId: 'sg-0123456789abcdef0', justification: because, expires: '2025-03-01' },
    ];
    expect(statusOf(exceptions, openSsh(), '2025-03-01T23:59:59Z')?.status).toBe('justified');
    const after = statusOf(exceptions, openSsh(), '2025-03-02T00:00:00Z');
    expect(after?.status).toBe('open');
    expect(after?.details).toMatchObject({
      expiredExceptions: [{ source: 'exceptions[0]', expires: '2025-03-01' }],
    });
  });

  it('a later unexpired exception still applies after an earlier one expired', () => {
    const exceptions = [
      { rules: '*', resourceId: 'sg-*', justification: 'old', expires: '2024-01-01' },
      { rules: '*', resourceId: 'sg-*', justification: 'renewed', expires: '2026-01-01T00:00:00Z' },
    ];
    expect(statusOf(exceptions)?.justification?.reason).toBe('renewed');
  });

  it('expiryInstant', () => {
    expect(expiryInstant('2025-02-29')).toBeUndefined();
    expect(expiryInstant('2024-02-29')).toBe(Date.UTC(2024, 2, 1));
    expect(expiryInstant('2025-01-01T10:00:00+02:00')).toBe(Date.UTC(2025, 0, 1, 8));
    expect(expiryInstant('tomorrow')).toBeUndefined();
  });
});

describe('exception validation', () => {
  const issuesOf = (exception: unknown) =>
    policyConfigSchema
      .safeParse({ exceptions: [exception] })
      .error?.issues.map((issue) => [issue.path, issue.message]) ?? [];

  it('justification is required', () => {
    expect(issuesOf({ rules: '*', resourceId: 'sg-1' })).toEqual([
      [['exceptions', 0, 'justification'], expect.stringContaining('required')],
    ]);
    expect(issuesOf({ rules: '*', resourceId: 'sg-1', justification: '  ' })[0]?.[0]).toEqual([
      'exceptions',
      0,
      'justification',
    ]);
  });
  it('unknown rule ids point at the entry', () => {
    expect(
      issuesOf({ rules: ['rds-public', 'rds-pubic'], resourceId: 'db-1', justification: because })[0]?.[0],
    ).toEqual(['exceptions', 0, 'rules', 1]);
  });
  it('a selector is required', () => {
    expect(issuesOf({ rules: '*', justification: because })[0]?.[1]).toContain(
      'resourceId, arn, account or tag',
    );
  });
  it('rules is required unless a tag key names them', () => {
    expect(issuesOf({ resourceId: 'sg-1', justification: because })[0]?.[0]).toEqual([
      'exceptions',
      0,
      'rules',
    ]);
    expect(issuesOf({ tag: 'env=dev', justification: because })[0]?.[0]).toEqual(['exceptions', 0, 'rules']);
    expect(issuesOf({ tag: 'leuko:exempt', justification: because })).toEqual([]);
  });
  it('bad dates, accounts and keys', () => {
    expect(
      issuesOf({ rules: '*', resourceId: 'x', justification: because, expires: '31/12/2025' })[0]?.[0],
    ).toEqual(['exceptions', 0, 'expires']);
    expect(issuesOf({ rules: '*', account: '123', justification: because })[0]?.[0]).toEqual([
      'exceptions',
      0,
      'account',
    ]);
    expect(issuesOf({ rules: '*', resourceId: 'x', justification: because, reason: 'x' })[0]?.[0]).toEqual([
      'exceptions',
      0,
      'reason',
    ]);
  });
  it('exceptions may name custom rules', () => {
    const customRule = {
      id: 'my-rule',
      title: 'T',
      severity: 'low',
      resourceType: 'sg',
      filter: { key: 'tags.a', op: 'absent' },
    };
    expect(
      policyConfigSchema.safeParse({
        customRules: [customRule],
        exceptions: [{ rules: ['my-rule'], resourceId: 'x', justification: because }],
      }).success,
    ).toBe(true);
  });
});

describe('exceptions without a clock', () => {
  it('an exception with an expiry is not honoured when evaluate is not told the time', () => {
    const policy = compilePolicy({
      exceptions: [{ rules: '*', resourceId: 'sg-*', justification: 'ok', expires: '2999-01-01' }],
    });
    expect(evaluate([openSsh()], policy).candidates[0]?.status).toBe('open');
    const forever = compilePolicy({ exceptions: [{ rules: '*', resourceId: 'sg-*', justification: 'ok' }] });
    expect(evaluate([openSsh()], forever).candidates[0]?.status).toBe('justified');
  });
});
