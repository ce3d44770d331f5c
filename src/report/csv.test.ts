// Tests for CSV: RFC 4180 quoting, formula-injection guard, a header-only file for no findings.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/finding.js';
import { csvCell, renderCsv } from './csv.js';

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: 'f-1',
    ruleId: 'ec2-volume-unencrypted',
    severity: 'medium',
    certainty: 'definite',
    status: 'open',
    resource: {
      type: 'aws.ec2.volume',
      account: '111122223333',
      region: 'us-east-1',
      id: 'vol-1',
      arn: 'arn:aws:ec2:us-east-1:111122223333:volume/vol-1',
    },
    part: 'encryption',
    message: 'Volume is not encrypted',
    firstSeen: '2025-01-01T00:00:00Z',
    lastSeen: '2025-01-02T00:00:00Z',
    ...overrides,
  };
}

/** A strict RFC 4180 reader, so the tests check what a spreadsheet would actually see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

describe('renderCsv', () => {
  it('writes only the header for no findings, with CRLF line ends', () => {
    const out = renderCsv({ findings: [] });
    expect(out.endsWith('\r\n')).toBe(true);
    expect(out.split('\r\n')).toHaveLength(2);
    expect(out).toMatch(
      /^id,ruleId,severity,certainty,status,resourceType,account,region,resourceId,resourceArn,/,
    );
  });

  it('writes one row per finding, every status', () => {
    const findings = [
      finding({ id: 'a' }),
      finding({
        id: 'b',
        status: 'justified',
        justification: { reason: 'scratch disk', expires: '2026-01-01', source: 'leuko.yaml' },
      }),
      finding({ id: 'c', status: 'resolved', resolvedAt: '2025-01-05T00:00:00Z' }),
    ];
    const rows = parseCsv(renderCsv({ findings }));
    const header = rows[0] ?? [];
    expect(rows).toHaveLength(4);
    const col = (name: string): number => header.indexOf(name);
    expect(rows.slice(1).map((r) => r[col('status')])).toEqual(['open', 'justified', 'resolved']);
    expect(rows[2]?.[col('justificationExpires')]).toBe('2026-01-01');
    expect(rows[3]?.[col('resolvedAt')]).toBe('2025-01-05T00:00:00Z');
    for (const row of rows) expect(row).toHaveLength(header.length);
  });

  it('quotes commas, quotes and line breaks so they survive a round trip', () => {
    const message = 'Tag "Owner" is, well,\r\nmissing\nand "quoted"';
    const rows = parseCsv(renderCsv({ findings: [finding({ message })] }));
    expect(rows[1]?.[rows[0]?.indexOf('message') ?? -1]).toBe(message);
  });

  it.each(['=HYPERLINK("http://evil.example","click")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])(
    'guards %j against formula injection',
    (value) => {
      const cell = csvCell(value);
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
      expect(unquoted).toBe(`'${value}`);
    },
  );

  it('guards hostile resource names in whole reports', () => {
    const out = renderCsv({
      findings: [finding({ resource: { ...finding().resource, name: "=cmd|' /C calc'!A0" } })],
    });
    expect(out).toContain(`'=cmd|`);
    expect(out).not.toMatch(/(^|,)=cmd/m);
  });

  it('leaves ordinary cells alone', () => {
    expect(csvCell('vol-1')).toBe('vol-1');
    expect(csvCell('')).toBe('');
    expect(csvCell('a-b')).toBe('a-b');
  });
});
