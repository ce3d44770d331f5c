// Tests for the helpers every report format shares: summary counts, display order, partition, truncation.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/finding.js';
import { compareForDisplay, epochMs, partitionOf, summarize, truncate } from './report-input.js';

function finding(
  id: string,
  severity: Finding['severity'],
  status: Finding['status'],
  account = '111111111111',
): Finding {
  return {
    id,
    ruleId: 'ec2-security-group-open-ingress',
    severity,
    certainty: 'definite',
    status,
    resource: {
      type: 'aws.ec2.security-group',
      account,
      region: 'us-east-1',
      id: `sg-${id}`,
      arn: `arn:aws:ec2:us-east-1:${account}:security-group/sg-${id}`,
    },
    part: 'ingress:tcp:22:0.0.0.0/0',
    message: 'SSH open to the world',
    firstSeen: '2025-01-01T00:00:00Z',
    lastSeen: '2025-01-02T00:00:00Z',
  };
}

describe('summarize', () => {
  it('counts every severity and status, zeros included', () => {
    const summary = summarize([
      finding('a', 'critical', 'open'),
      finding('b', 'critical', 'resolved'),
      finding('c', 'low', 'justified'),
    ]);
    expect(summary).toEqual({
      total: 3,
      bySeverity: { critical: 2, high: 0, medium: 0, low: 1, info: 0 },
      byStatus: { open: 1, justified: 1, resolved: 1 },
    });
  });

  it('gives all zeros for no findings', () => {
    expect(summarize([]).total).toBe(0);
    expect(Object.values(summarize([]).bySeverity).every((n) => n === 0)).toBe(true);
  });
});

describe('compareForDisplay', () => {
  it('puts worse severity first, then open before justified before resolved', () => {
    const sorted = [
      finding('1', 'low', 'open'),
      finding('2', 'critical', 'resolved'),
      finding('3', 'critical', 'open'),
      finding('4', 'critical', 'justified'),
    ].sort(compareForDisplay);
    expect(sorted.map((f) => f.id)).toEqual(['3', '4', '2', '1']);
  });
});

describe('partitionOf', () => {
  it.each([
    ['arn:aws:s3:::bucket', 'aws'],
    ['arn:aws-cn:ec2:cn-north-1:111111111111:volume/vol-1', 'aws-cn'],
    ['arn:aws-us-gov:rds:us-gov-west-1:111111111111:db:x', 'aws-us-gov'],
    ['not-an-arn', 'aws'],
  ])('%s -> %s', (arn, partition) => {
    expect(partitionOf(arn)).toBe(partition);
  });
});

describe('truncate and epochMs', () => {
  it('cuts with an ellipsis and keeps short text whole', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(truncate('😀😀😀', 2)).toBe('😀…');
  });

  it('parses ISO times and refuses non-dates instead of using the clock', () => {
    expect(epochMs('2025-01-01T00:00:00Z')).toBe(Date.UTC(2025, 0, 1));
    expect(epochMs('yesterday')).toBeUndefined();
    expect(epochMs(undefined)).toBeUndefined();
  });
});
