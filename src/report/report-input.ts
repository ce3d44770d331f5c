// What every report renderer takes, plus the few helpers the formats share (rule lookup, partition, time).
import type { Finding, FindingStatus } from '../core/finding.js';
import { SEVERITIES, severityRank, type RuleMetadata, type Severity } from '../core/rule.js';

export interface ReportInput {
  readonly findings: readonly Finding[];
  /** Rule metadata, for titles, rationale and remediation; reports still render without it. */
  readonly rules?: readonly RuleMetadata[];
  /**
   * ISO time the report stands for. Passed in rather than read from the clock so a report is a pure
   * function of its input (and "expired" justifications are judged against the same instant).
   */
  readonly generatedAt: string;
  readonly title?: string;
}

// Kept as a record so adding a status to FindingStatus fails to compile here until reports know it.
const STATUS_ORDER: Readonly<Record<FindingStatus, number>> = { open: 0, justified: 1, resolved: 2 };
export const FINDING_STATUSES = Object.keys(STATUS_ORDER) as readonly FindingStatus[];

export interface FindingSummary {
  readonly total: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
  readonly byStatus: Readonly<Record<FindingStatus, number>>;
}

export function summarize(findings: readonly Finding[]): FindingSummary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byStatus = Object.fromEntries(FINDING_STATUSES.map((s) => [s, 0])) as Record<FindingStatus, number>;
  for (const finding of findings) {
    bySeverity[finding.severity] += 1;
    byStatus[finding.status] += 1;
  }
  return { total: findings.length, bySeverity, byStatus };
}

/** Display order for people: worst first, open before justified before resolved, then a stable tiebreak. */
export function compareForDisplay(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    compareText(a.resource.account, b.resource.account) ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.resource.id, b.resource.id) ||
    compareText(a.id, b.id)
  );
}

export function statusRank(status: FindingStatus): number {
  return STATUS_ORDER[status];
}

// Code-unit order, not localeCompare: the same input must sort the same on every machine and locale.
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function ruleIndex(rules: readonly RuleMetadata[] | undefined): ReadonlyMap<string, RuleMetadata> {
  return new Map((rules ?? []).map((rule) => [rule.id, rule]));
}

/** The partition from an ARN (aws, aws-cn, aws-us-gov); "aws" when the ARN is missing or malformed. */
export function partitionOf(arn: string): string {
  const match = /^arn:([a-z-]+):/.exec(arn);
  return match?.[1] ?? 'aws';
}

/** Milliseconds since the epoch, or undefined for a value that is not a date (never the current time). */
export function epochMs(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Cuts text to `max` code points, marking the cut with an ellipsis so a reader knows text is missing. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  if (max <= 0) return '';
  return `${chars.slice(0, max - 1).join('')}…`;
}
