// Tests for the --json report: fixed key order, optional fields absent (not null), summary counts.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/finding.js';
import { renderJson, toJsonReport } from './json.js';

const base: Finding = {
  id: 'f-1',
  ruleId: 's3-bucket-public-read',
  severity: 'critical',
  certainty: 'possible',
  status: 'open',
  resource: {
    type: 'aws.s3.bucket',
    account: '111122223333',
    region: 'us-east-1',
    id: 'logs',
    arn: 'arn:aws:s3:::logs',
  },
  part: 'acl:AllUsers:READ',
  message: 'Bucket grants READ to AllUsers',
  firstSeen: '2025-01-01T00:00:00.000Z',
  lastSeen: '2025-01-02T00:00:00.000Z',
};

// Built in a scrambled order on purpose: the output order must not depend on it.
const full: Finding = {
  details: { zeta: 1, alpha: { b: 2, a: 1 } },
  eventId: 'ev-1',
  actor: { eventName: 'PutBucketAcl', arn: 'arn:aws:iam::111122223333:user/alice', sourceIp: '203.0.113.9' },
  justification: { source: 'tag:leuko:justify', expires: '2026-01-01', reason: 'public website' },
  resolvedAt: '2025-01-03T00:00:00.000Z',
  ...base,
  status: 'justified',
  resource: {
    name: 'logs-bucket',
    arn: 'arn:aws:s3:::logs',
    id: 'logs',
    region: 'us-east-1',
    account: '111122223333',
    type: 'aws.s3.bucket',
  },
};

describe('renderJson', () => {
  it('puts top-level keys in a fixed order', () => {
    const report = JSON.parse(
      renderJson({ findings: [full], generatedAt: '2025-02-01T00:00:00Z' }),
    ) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(['generatedAt', 'summary', 'findings']);
  });

  it('orders finding keys the same whatever order they were built in', () => {
    const [out] = toJsonReport({ findings: [full], generatedAt: 'x' }).findings;
    expect(Object.keys(out ?? {})).toEqual([
      'id',
      'ruleId',
      'severity',
      'certainty',
      'status',
      'resource',
      'part',
      'message',
      'firstSeen',
      'lastSeen',
      'resolvedAt',
      'justification',
      'actor',
      'eventId',
      'details',
    ]);
    expect(Object.keys(out?.resource ?? {})).toEqual(['type', 'account', 'region', 'id', 'arn', 'name']);
    expect(Object.keys(out?.justification ?? {})).toEqual(['reason', 'expires', 'source']);
    expect(Object.keys(out?.actor ?? {})).toEqual(['arn', 'sourceIp', 'eventName']);
    expect(JSON.stringify(out?.details)).toBe('{"alpha":{"a":1,"b":2},"zeta":1}');
  });

  it('leaves optional fields out rather than writing null', () => {
    const text = renderJson({ findings: [base], generatedAt: 'x' });
    for (const key of ['resolvedAt', 'justification', 'actor', 'eventId', 'details', 'name', 'null'])
      expect(text).not.toContain(`"${key}"`);
  });

  it('counts by severity and status', () => {
    const findings: Finding[] = [base, full, { ...base, id: 'f-3', severity: 'low', status: 'resolved' }];
    expect(toJsonReport({ findings, generatedAt: 'x' }).summary).toEqual({
      total: 3,
      bySeverity: { critical: 2, high: 0, medium: 0, low: 1, info: 0 },
      byStatus: { open: 1, justified: 1, resolved: 1 },
    });
  });

  it('renders an empty report', () => {
    expect(JSON.parse(renderJson({ findings: [], generatedAt: '2025-02-01T00:00:00Z' }))).toEqual({
      generatedAt: '2025-02-01T00:00:00Z',
      summary: {
        total: 0,
        bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
        byStatus: { open: 0, justified: 0, resolved: 0 },
      },
      findings: [],
    });
  });

  it('is byte-identical for the same input', () => {
    const input = { findings: [full, base], generatedAt: 'x' };
    expect(renderJson(input)).toBe(renderJson(input));
  });
});
