// Tests for renderFindings: each format name reaches its renderer, an unknown one is a usage error.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import { isReportFormat, renderFindings, REPORT_FORMATS, type ReportFormat } from './index.js';

const finding: Finding = {
  id: 'f-1',
  ruleId: 'cloudformation-stack-drifted',
  severity: 'low',
  certainty: 'definite',
  status: 'open',
  resource: {
    type: 'aws.cloudformation.stack',
    account: '111122223333',
    region: 'us-east-1',
    id: 'web',
    arn: 'arn:aws:cloudformation:us-east-1:111122223333:stack/web/1',
  },
  part: 'drift',
  message: 'Stack has drifted',
  firstSeen: '2025-01-01T00:00:00Z',
  lastSeen: '2025-01-01T00:00:00Z',
};
const input = { findings: [finding], generatedAt: '2025-01-02T00:00:00Z' };

describe('renderFindings', () => {
  it.each([
    ['table', /^SEVERITY/],
    ['json', /^\{\n {2}"generatedAt"/],
    ['csv', /^id,ruleId,/],
    ['html', /^<!doctype html>/],
    ['asff', /"SchemaVersion": "2018-10-08"/],
    ['ocsf', /"class_uid": 2004/],
  ] as const)('%s', (format, pattern) => {
    expect(renderFindings(format, input)).toMatch(pattern);
  });

  it('passes options to the renderer that reads them', () => {
    expect(renderFindings('table', input, { color: true })).toContain('\u001b[');
    expect(renderFindings('asff', input, { productAccount: '999999999999' })).toContain(
      'product/999999999999/default',
    );
  });

  it('knows its format names and rejects others', () => {
    expect(REPORT_FORMATS.every(isReportFormat)).toBe(true);
    expect(isReportFormat('sarif')).toBe(false);
    expect(() => renderFindings('sarif' as ReportFormat, input)).toThrow(UsageError);
  });
});
