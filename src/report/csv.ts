// RFC 4180 CSV of findings, one row each, safe to open in a spreadsheet.
import type { Finding } from '../core/finding.js';
import type { ReportInput } from './report-input.js';

const COLUMNS: ReadonlyArray<readonly [header: string, value: (f: Finding) => string | undefined]> = [
  ['id', (f) => f.id],
  ['ruleId', (f) => f.ruleId],
  ['severity', (f) => f.severity],
  ['certainty', (f) => f.certainty],
  ['status', (f) => f.status],
  ['resourceType', (f) => f.resource.type],
  ['account', (f) => f.resource.account],
  ['region', (f) => f.resource.region],
  ['resourceId', (f) => f.resource.id],
  ['resourceArn', (f) => f.resource.arn],
  ['resourceName', (f) => f.resource.name],
  ['part', (f) => f.part],
  ['message', (f) => f.message],
  ['firstSeen', (f) => f.firstSeen],
  ['lastSeen', (f) => f.lastSeen],
  ['resolvedAt', (f) => f.resolvedAt],
  ['justificationReason', (f) => f.justification?.reason],
  ['justificationExpires', (f) => f.justification?.expires],
  ['justificationSource', (f) => f.justification?.source],
  ['actorArn', (f) => f.actor?.arn],
  ['actorSourceIp', (f) => f.actor?.sourceIp],
  ['eventId', (f) => f.eventId],
];

/** Header row plus one row per finding, in the caller's order; CRLF line ends as RFC 4180 specifies. */
export function renderCsv(input: Pick<ReportInput, 'findings'>): string {
  const rows = [
    COLUMNS.map(([header]) => header),
    ...input.findings.map((finding) => COLUMNS.map(([, value]) => value(finding) ?? '')),
  ];
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/**
 * One field. Formula-injection guard first: Excel, LibreOffice and Google Sheets run a cell that
 * starts with = + - @ (or tab / CR, which some of them skip before looking) as a formula, even
 * inside quotes, and resource names, tags and messages are written by whoever controls the AWS
 * account — `=HYPERLINK(...)` in a bucket tag must stay text. A leading apostrophe is what the
 * spreadsheets themselves use to mark text (OWASP "CSV Injection"). Then RFC 4180 quoting.
 */
export function csvCell(value: string): string {
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}
