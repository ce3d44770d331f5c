// The JSON format of `leuko check`: a summary, every finding (suppressed ones marked), files and problems.
import { SEVERITIES, type Severity } from '../core/rule.js';
import type { CheckProblem, CheckResult, TemplateFinding } from './check-templates.js';

export interface JsonCheckReport {
  readonly version: 1;
  readonly summary: {
    readonly findings: number;
    readonly suppressed: number;
    readonly bySeverity: Readonly<Record<Severity, number>>;
    readonly possible: number;
    readonly files: number;
    readonly checked: number;
    readonly refused: number;
    readonly skipped: number;
    readonly resources: number;
  };
  readonly findings: readonly TemplateFinding[];
  readonly problems: readonly CheckProblem[];
  readonly files: ReadonlyArray<{ readonly file: string; readonly kind?: string; readonly status: string; readonly resources: number; readonly findings: number }>;
}

export function toJsonCheckReport(result: CheckResult): JsonCheckReport {
  const open = result.findings.filter((finding) => !finding.suppressed);
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const finding of open) bySeverity[finding.severity] += 1;
  return {
    version: 1,
    summary: {
      findings: open.length,
      suppressed: result.findings.length - open.length,
      bySeverity,
      possible: open.filter((finding) => finding.certainty === 'possible').length,
      files: result.counts.files,
      checked: result.counts.checked,
      refused: result.counts.refused,
      skipped: result.counts.skipped,
      resources: result.counts.resources,
    },
    findings: result.findings,
    problems: result.problems,
    files: result.files.map((report) => ({
      file: report.file,
      ...(report.kind !== undefined ? { kind: report.kind } : {}),
      status: report.status,
      resources: report.resources,
      findings: report.findings.length,
    })),
  };
}

export function formatJson(result: CheckResult): string {
  return `${JSON.stringify(toJsonCheckReport(result), null, 2)}\n`;
}
