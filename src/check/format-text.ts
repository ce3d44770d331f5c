// The terminal format of `leuko check`: one line per finding (file:line:col  severity  rule  message) and a code frame.
import { SEVERITIES } from '../core/rule.js';
import type { CheckResult, FileReport, TemplateFinding } from './check-templates.js';
import { codeFrame } from './code-frame.js';

export interface TextFormatOptions {
  /** ANSI colours; the CLI turns them on only for a TTY (and not with NO_COLOR). */
  readonly color?: boolean;
  /** Code frames under each finding (default true). */
  readonly frames?: boolean;
  /** List suppressed findings too (default false: only counted). */
  readonly showSuppressed?: boolean;
}

const COLORS: Readonly<Record<string, string>> = {
  critical: '\x1b[1;35m',
  high: '\x1b[1;31m',
  medium: '\x1b[33m',
  low: '\x1b[36m',
  info: '\x1b[2m',
};
const DIM = '\x1b[2m';
const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function location(finding: TemplateFinding): string {
  return `${finding.file}:${finding.line}:${finding.column}`;
}

function findingLine(finding: TemplateFinding, color: boolean): string {
  const paint = (code: string | undefined, value: string) => (color && code ? `${code}${value}${RESET}` : value);
  const certainty = finding.certainty === 'possible' ? ` ${paint(DIM, '(possible)')}` : '';
  const suppressed = finding.suppressed ? ` ${paint(DIM, `[suppressed: ${finding.suppressed.reason}]`)}` : '';
  const where = finding.attribute ? ` ${paint(DIM, `(${finding.resource.logicalId}.${finding.attribute})`)}` : '';
  return `${paint(BOLD, location(finding))}  ${paint(COLORS[finding.severity], finding.severity)}  ${finding.ruleId}  ${finding.message}${where}${certainty}${suppressed}`;
}

/** The summary line: what was found, what was checked, what was not. */
export function summaryLine(result: CheckResult): string {
  const open = result.findings.filter((finding) => !finding.suppressed);
  const suppressed = result.findings.length - open.length;
  const bySeverity = SEVERITIES.map((severity) => [severity, open.filter((finding) => finding.severity === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}`);
  const possible = open.filter((finding) => finding.certainty === 'possible').length;
  const parts = [
    `${plural(open.length, 'finding')}${bySeverity.length > 0 ? ` (${bySeverity.join(', ')}${possible > 0 ? `; ${possible} possible` : ''})` : ''}`,
    `${plural(result.counts.checked, 'file')} checked (${plural(result.counts.resources, 'resource')})`,
  ];
  if (suppressed > 0) parts.push(`${suppressed} suppressed`);
  if (result.counts.refused > 0) parts.push(`${plural(result.counts.refused, 'file')} could not be checked`);
  if (result.counts.skipped > 0) parts.push(`${result.counts.skipped} skipped (not templates)`);
  return `${parts.join(', ')}.`;
}

/**
 * Findings with code frames, then the summary. Problems (files that could not be checked) are not in
 * it: the CLI prints them on stderr, one line each, so they never mix with a format meant for a file.
 */
export function formatText(result: CheckResult, options: TextFormatOptions = {}): string {
  const color = options.color ?? false;
  const frames = options.frames ?? true;
  const byFile = new Map<string, FileReport>(result.files.map((report) => [report.file, report]));
  const out: string[] = [];
  for (const finding of result.findings) {
    if (finding.suppressed && !options.showSuppressed) continue;
    out.push(findingLine(finding, color));
    const report = byFile.get(finding.file);
    if (frames && report?.source !== undefined && report.kind !== 'terraform') {
      const frame = codeFrame(report.source, finding.line, finding.column, { color }, report);
      if (frame) out.push(frame, '');
    }
  }
  if (out.length > 0 && out[out.length - 1] !== '') out.push('');
  out.push(summaryLine(result));
  return `${out.join('\n')}\n`;
}
