// Shared by audit and findings: render findings in the chosen format to stdout or a file, and --fail-on.
import { writeFileSync } from 'node:fs';
import { BUILT_IN_RULES, type Policy } from '../core/engine/index.js';
import { UsageError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import { SEVERITIES, severityRank, type RuleMetadata, type Severity } from '../core/rule.js';
import { isReportFormat, renderFindings, REPORT_FORMATS, type ReportFormat } from '../report/index.js';
import type { Output } from './output.js';

export interface ReportFlags {
  format?: string;
  output?: string;
  json?: boolean;
  failOn?: string;
}

export function parseSeverity(value: string, flag: string): Severity {
  const severity = value.toLowerCase();
  if (!(SEVERITIES as readonly string[]).includes(severity)) throw new UsageError(`${flag} must be one of ${SEVERITIES.join(', ')}`);
  return severity as Severity;
}

export function reportFormat(flags: ReportFlags): ReportFormat {
  const format = flags.json ? 'json' : (flags.format ?? 'table');
  if (!isReportFormat(format)) throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}`);
  return format;
}

export function ruleMetadata(policy?: Policy): RuleMetadata[] {
  return policy ? policy.rules.map((rule) => rule.rule) : [...BUILT_IN_RULES];
}

export function writeReport(
  output: Output,
  findings: readonly Finding[],
  flags: ReportFlags,
  context: { rules: RuleMetadata[]; generatedAt: string; title?: string },
): void {
  const format = reportFormat(flags);
  const width = (process.stdout as { columns?: number }).columns ?? 120;
  const text = renderFindings(
    format,
    { findings, rules: context.rules, generatedAt: context.generatedAt, ...(context.title ? { title: context.title } : {}) },
    { width, color: format === 'table' && process.stdout.isTTY === true && !process.env.NO_COLOR },
  );
  if (flags.output) {
    writeFileSync(flags.output, text.endsWith('\n') ? text : `${text}\n`);
    output.error(`wrote ${findings.length} finding(s) as ${format} to ${flags.output}`);
  } else {
    output.line(text.replace(/\n$/, ''));
  }
}

/** True when an open finding is at or above the --fail-on severity (justified ones never fail a build). */
export function failsOn(findings: readonly Finding[], threshold: Severity | undefined): boolean {
  if (!threshold) return false;
  return findings.some((finding) => finding.status === 'open' && severityRank(finding.severity) >= severityRank(threshold));
}
