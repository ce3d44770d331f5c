// Terminal table of findings: fits a given width, colours only on request, ends with a summary line.
import type { Finding, FindingStatus } from '../core/finding.js';
import { SEVERITIES, type Severity } from '../core/rule.js';
import {
  compareForDisplay,
  FINDING_STATUSES,
  summarize,
  truncate,
  type FindingSummary,
  type ReportInput,
} from './report-input.js';

export interface TableOptions {
  /** Terminal columns; lines never exceed it. Undefined: no truncation (output to a file or pipe). */
  readonly width?: number;
  /** ANSI colours; the caller decides (TTY, NO_COLOR, --color) so this stays pure. */
  readonly color?: boolean;
}

const ANSI = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  magenta: '\u001b[35m',
  cyan: '\u001b[36m',
  boldRed: '\u001b[1;31m',
} as const;

const SEVERITY_COLOR: Readonly<Record<Severity, string>> = {
  critical: ANSI.boldRed,
  high: ANSI.red,
  medium: ANSI.yellow,
  low: ANSI.cyan,
  info: ANSI.dim,
};

const STATUS_COLOR: Readonly<Record<FindingStatus, string>> = {
  open: ANSI.bold,
  justified: ANSI.magenta,
  resolved: ANSI.green,
};

interface Column {
  readonly header: string;
  readonly value: (finding: Finding) => string;
  readonly color?: (finding: Finding) => string;
  /** Narrowest the column may shrink to; fixed columns have min equal to their natural width. */
  readonly min: number;
  readonly shrinkable: boolean;
}

const COLUMNS: readonly Column[] = [
  {
    header: 'SEVERITY',
    value: (f) => f.severity,
    color: (f) => SEVERITY_COLOR[f.severity],
    min: 8,
    shrinkable: false,
  },
  { header: 'RULE', value: (f) => f.ruleId, min: 12, shrinkable: true },
  { header: 'RESOURCE', value: (f) => `${f.resource.type}/${f.resource.id}`, min: 16, shrinkable: true },
  { header: 'ACCOUNT', value: (f) => f.resource.account, min: 12, shrinkable: false },
  { header: 'REGION', value: (f) => f.resource.region, min: 6, shrinkable: false },
  {
    header: 'STATUS',
    value: (f) => f.status,
    color: (f) => STATUS_COLOR[f.status],
    min: 6,
    shrinkable: false,
  },
  { header: 'MESSAGE', value: (f) => f.message, min: 10, shrinkable: true },
];

const GAP = '  ';

export function renderTable(input: Pick<ReportInput, 'findings'>, options: TableOptions = {}): string {
  const color = options.color ?? false;
  const width = options.width;
  const summary = summaryLine(summarize(input.findings), color);
  if (input.findings.length === 0) return `${fit(summary.plain, summary.styled, width, color)}\n`;

  const findings = [...input.findings].sort(compareForDisplay);
  const cells = findings.map((finding) => COLUMNS.map((column) => sanitize(column.value(finding))));
  const natural = COLUMNS.map((column, i) =>
    Math.max(visibleLength(column.header), ...cells.map((row) => visibleLength(row[i] ?? ''))),
  );
  const widths = width === undefined ? natural : fitColumns(natural, width);

  const lines: string[] = [];
  const header = COLUMNS.map((column, i) => pad(column.header, widths[i] ?? 0, i === COLUMNS.length - 1));
  lines.push(fit(header.join(GAP), header.map((h) => style(h, ANSI.bold, color)).join(GAP), width, color));
  findings.forEach((finding, row) => {
    const plain: string[] = [];
    const styled: string[] = [];
    COLUMNS.forEach((column, i) => {
      const text = pad(
        truncate(cells[row]?.[i] ?? '', widths[i] ?? 0),
        widths[i] ?? 0,
        i === COLUMNS.length - 1,
      );
      plain.push(text);
      styled.push(column.color ? style(text, column.color(finding), color) : text);
    });
    lines.push(fit(plain.join(GAP), styled.join(GAP), width, color));
  });
  lines.push('');
  lines.push(fit(summary.plain, summary.styled, width, color));
  return `${lines.join('\n')}\n`;
}

/**
 * Shrinks the shrinkable columns (message first, then resource, then rule) until the row fits,
 * never below their minimum; fixed columns (severity, account, region, status) keep their width
 * because a truncated account id or region is worse than a shorter message.
 */
function fitColumns(natural: readonly number[], width: number): number[] {
  const widths = [...natural];
  const gaps = GAP.length * (COLUMNS.length - 1);
  let excess = widths.reduce((sum, w) => sum + w, 0) + gaps - width;
  const shrinkOrder = ['MESSAGE', 'RESOURCE', 'RULE'];
  for (const name of shrinkOrder) {
    if (excess <= 0) break;
    const i = COLUMNS.findIndex((column) => column.header === name);
    const column = COLUMNS[i];
    const current = widths[i];
    if (!column || current === undefined) continue;
    const cut = Math.min(excess, Math.max(0, current - column.min));
    widths[i] = current - cut;
    excess -= cut;
  }
  return widths;
}

function summaryLine(summary: FindingSummary, color: boolean): { plain: string; styled: string } {
  if (summary.total === 0) return { plain: 'No findings.', styled: style('No findings.', ANSI.green, color) };
  const severities = SEVERITIES.filter((s) => summary.bySeverity[s] > 0).map((s) => ({
    text: `${summary.bySeverity[s]} ${s}`,
    code: SEVERITY_COLOR[s],
  }));
  const statuses = FINDING_STATUSES.filter((s) => summary.byStatus[s] > 0).map((s) => ({
    text: `${summary.byStatus[s]} ${s}`,
    code: STATUS_COLOR[s],
  }));
  const head = `${summary.total} finding${summary.total === 1 ? '' : 's'}: `;
  const plain = `${head}${severities.map((p) => p.text).join(', ')}; ${statuses.map((p) => p.text).join(', ')}`;
  const styled = `${head}${severities.map((p) => style(p.text, p.code, color)).join(', ')}; ${statuses.map((p) => style(p.text, p.code, color)).join(', ')}`;
  return { plain, styled };
}

/**
 * Replaces control characters (C0, DEL, C1) and bidi overrides with visible escapes: names and
 * messages come from AWS accounts, and an ESC sequence in a tag or bucket name must not be able to
 * rewrite the operator's terminal or reorder what they read.
 */
export function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point here
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    if (ch === '\n' || ch === '\t' || ch === '\r') return ' ';
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

// Code points, not UTF-16 units; double-width (CJK) characters count as one, which only costs alignment.
function visibleLength(text: string): number {
  return Array.from(text).length;
}

function pad(text: string, width: number, last: boolean): string {
  // The last column is not padded so lines carry no trailing spaces.
  if (last) return text;
  return text + ' '.repeat(Math.max(0, width - visibleLength(text)));
}

function style(text: string, code: string, color: boolean): string {
  return color ? `${code}${text}${ANSI.reset}` : text;
}

/**
 * Last resort when even the minimum column widths do not fit: cut the whole line. With colour on,
 * the styled text cannot be cut blindly (an escape could be split), so the plain text is used.
 */
function fit(plain: string, styled: string, width: number | undefined, color: boolean): string {
  if (width === undefined || visibleLength(plain) <= width) return color ? styled : plain;
  return truncate(plain, width);
}
