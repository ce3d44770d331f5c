// Tests for the terminal table: layout within a width, colours only on request, hostile text neutralised.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/finding.js';
import { renderTable, sanitize } from './table.js';

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: 'f-1',
    ruleId: 'ec2-security-group-open-ingress',
    severity: 'high',
    certainty: 'definite',
    status: 'open',
    resource: {
      type: 'aws.ec2.security-group',
      account: '111122223333',
      region: 'eu-west-1',
      id: 'sg-0123456789abcdef0',
      arn: 'arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0123456789abcdef0',
    },
    part: 'ingress:tcp:22:0.0.0.0/0',
    message: 'Port 22 (SSH) is open to 0.0.0.0/0, so anyone on the internet can try to log in.',
    firstSeen: '2025-01-01T00:00:00Z',
    lastSeen: '2025-01-02T00:00:00Z',
    ...overrides,
  };
}

const mixed: Finding[] = [
  finding({ id: 'a', severity: 'low', status: 'resolved', resolvedAt: '2025-01-03T00:00:00Z' }),
  finding({
    id: 'b',
    severity: 'critical',
    ruleId: 's3-bucket-public-read',
    message: 'Bucket is readable by everyone.',
  }),
  finding({
    id: 'c',
    severity: 'medium',
    status: 'justified',
    justification: { reason: 'bastion', source: 'leuko.yaml' },
  }),
  finding({ id: 'd', severity: 'info' }),
];

describe('renderTable', () => {
  it('lists findings worst first with a header and a summary line', () => {
    const out = renderTable({ findings: mixed });
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SEVERITY\s+RULE\s+RESOURCE\s+ACCOUNT\s+REGION\s+STATUS\s+MESSAGE$/);
    expect(lines.slice(1, 5).map((l) => l.split(/\s+/)[0])).toEqual(['critical', 'medium', 'low', 'info']);
    expect(lines.at(-1)).toBe(
      '4 findings: 1 critical, 1 medium, 1 low, 1 info; 2 open, 1 justified, 1 resolved',
    );
    expect(out).toContain('aws.ec2.security-group/sg-0123456789abcdef0');
  });

  it('shows every status', () => {
    const out = renderTable({ findings: mixed });
    for (const status of ['open', 'justified', 'resolved'])
      expect(out).toMatch(new RegExp(`\\s${status}\\s`));
  });

  it.each([50, 80, 100, 140])('keeps every line within %i columns', (width) => {
    const out = renderTable({ findings: mixed }, { width });
    for (const line of out.split('\n')) expect(Array.from(line).length).toBeLessThanOrEqual(width);
  });

  it('shrinks the message before the account or region, and marks the cut', () => {
    const out = renderTable({ findings: mixed }, { width: 120 });
    expect(out).toContain('111122223333');
    expect(out).toContain('eu-west-1');
    expect(out).toContain('…');
  });

  it('does not truncate without a width', () => {
    expect(renderTable({ findings: mixed })).toContain('so anyone on the internet can try to log in.');
  });

  it('uses ANSI colours only when asked', () => {
    expect(renderTable({ findings: mixed })).not.toContain('\u001b[');
    const coloured = renderTable({ findings: mixed }, { color: true });
    expect(coloured).toContain('\u001b[1;31mcritical');
    expect(coloured).toContain('\u001b[32mresolved');
  });

  it('keeps colour escapes out of the width budget', () => {
    const plain = renderTable({ findings: mixed }, { width: 200 });
    const coloured = renderTable({ findings: mixed }, { width: 200, color: true });
    // eslint-disable-next-line no-control-regex -- stripping ANSI colour codes
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain);
  });

  it('says so when there are no findings', () => {
    expect(renderTable({ findings: [] })).toBe('No findings.\n');
  });

  it('neutralises terminal escapes and bidi overrides in names from AWS', () => {
    const hostile = finding({
      resource: { ...finding().resource, id: 'sg-1\u001b[2J\u001b]0;pwned\u0007' },
      message: 'evil\u202etxt.exe\nnext line',
    });
    const out = renderTable({ findings: [hostile] });
    expect(out).not.toContain('\u001b');
    expect(out).not.toContain('\u202e');
    expect(out).toContain('sg-1\\u001b[2J');
    // Header, one row, a blank line, the summary: the newline in the message did not start a row.
    expect(out.trimEnd().split('\n')).toHaveLength(4);
    expect(sanitize('a\tb')).toBe('a b');
  });
});
