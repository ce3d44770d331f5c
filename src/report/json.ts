// The `--json` report: summary counts plus every finding, with a fixed key order so output diffs cleanly.
import type { Actor, Finding, Justification } from '../core/finding.js';
import { summarize, type FindingSummary, type ReportInput } from './report-input.js';

export interface JsonFinding {
  readonly id: string;
  readonly ruleId: string;
  readonly severity: Finding['severity'];
  readonly certainty: Finding['certainty'];
  readonly status: Finding['status'];
  readonly resource: {
    readonly type: string;
    readonly account: string;
    readonly region: string;
    readonly id: string;
    readonly arn: string;
    readonly name?: string;
  };
  readonly part: string;
  readonly message: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly resolvedAt?: string;
  readonly justification?: Justification;
  readonly actor?: Actor;
  readonly eventId?: string;
  readonly details?: unknown;
}

export interface JsonReport {
  readonly generatedAt: string;
  readonly summary: FindingSummary;
  readonly findings: readonly JsonFinding[];
}

/** The report as data; findings keep the caller's order (the store's), which is already deterministic. */
export function toJsonReport(input: Pick<ReportInput, 'findings' | 'generatedAt'>): JsonReport {
  const summary = summarize(input.findings);
  return {
    generatedAt: input.generatedAt,
    summary: {
      total: summary.total,
      bySeverity: { ...summary.bySeverity },
      byStatus: { ...summary.byStatus },
    },
    findings: input.findings.map(toJsonFinding),
  };
}

export function renderJson(input: Pick<ReportInput, 'findings' | 'generatedAt'>): string {
  return `${JSON.stringify(toJsonReport(input), null, 2)}\n`;
}

// Objects are rebuilt field by field (not spread) so key order is fixed by this code, not by whoever
// constructed the finding, and optional fields are absent rather than `undefined`.
export function toJsonFinding(finding: Finding): JsonFinding {
  const { resource } = finding;
  return {
    id: finding.id,
    ruleId: finding.ruleId,
    severity: finding.severity,
    certainty: finding.certainty,
    status: finding.status,
    resource: {
      type: resource.type,
      account: resource.account,
      region: resource.region,
      id: resource.id,
      arn: resource.arn,
      ...(resource.name !== undefined && { name: resource.name }),
    },
    part: finding.part,
    message: finding.message,
    firstSeen: finding.firstSeen,
    lastSeen: finding.lastSeen,
    ...(finding.resolvedAt !== undefined && { resolvedAt: finding.resolvedAt }),
    ...(finding.justification && { justification: orderedJustification(finding.justification) }),
    ...(finding.actor && { actor: orderedActor(finding.actor) }),
    ...(finding.eventId !== undefined && { eventId: finding.eventId }),
    ...(finding.details !== undefined && { details: sortKeys(finding.details) }),
  };
}

function orderedJustification(j: Justification): Justification {
  return { reason: j.reason, ...(j.expires !== undefined && { expires: j.expires }), source: j.source };
}

const ACTOR_KEYS = [
  'arn',
  'type',
  'accountId',
  'principalId',
  'sessionIssuerArn',
  'sourceIp',
  'userAgent',
  'eventId',
  'eventName',
  'eventTime',
] as const satisfies ReadonlyArray<keyof Actor>;

// Compile-time guards: a field added to Finding or Actor must be placed in the JSON shape on purpose.
const _everyFindingField: [Exclude<keyof Finding, keyof JsonFinding>] extends [never] ? true : never = true;
const _everyActorField: [Exclude<keyof Actor, (typeof ACTOR_KEYS)[number]>] extends [never] ? true : never =
  true;

function orderedActor(actor: Actor): Actor {
  const out: Record<string, string> = {};
  for (const key of ACTOR_KEYS) {
    const value = actor[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Rule details are free-form; sorting their keys keeps the output stable whatever order a rule used. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}
