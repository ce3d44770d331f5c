// The findings lifecycle, pure: previous findings + this evaluation's candidates + now -> what to save.
//
// Contract of reconcileFindings:
// - `previous` are the stored findings for the scope that was evaluated (more is harmless: findings
//   outside `scope` are left alone, neither returned nor resolved).
// - `current` are the candidates of that evaluation, for exactly that scope.
// - A previous open or justified finding in scope that is not in `current` is resolved (resolvedAt = now),
//   except where the evaluation could not judge it: its (rule, resource) pair is in `scope.unevaluated`
//   (the rule threw), or its rule is outside `scope.ruleIds`. Without a scope, every previous finding is
//   in scope, so callers that evaluated a subset must pass one.
// - New candidate: open (or justified) with firstSeen = lastSeen = now.
// - Still present: lastSeen = now, firstSeen kept, message/severity/certainty/justification refreshed.
// - Resolved and back: reopened (resolvedAt dropped, firstSeen kept: the id names the same problem).
// - Justified <-> open follow the exceptions in force (an expired exception reopens).
import type { Actor, Finding, FindingStatus } from '../finding.js';
import { resourceKey } from '../resource.js';
import type { ResourceTypeId } from '../resource-types.js';
import type { FindingCandidate, RuleFailure } from './evaluate.js';

export interface FindingScope {
  /** resourceKey()s of the evaluated resources; a finding on another resource is out of scope. */
  readonly resourceKeys?: ReadonlySet<string>;
  readonly types?: readonly ResourceTypeId[];
  readonly accounts?: readonly string[];
  readonly regions?: readonly string[];
  /** Rules that ran; findings of other rules (e.g. ones just disabled) are left as they are. */
  readonly ruleIds?: readonly string[];
  /** `${ruleId}|${resourceKey}` pairs that could not be evaluated (the rule threw): never resolved. */
  readonly unevaluated?: ReadonlySet<string>;
}

export interface ReconcileOptions {
  readonly scope?: FindingScope;
  /** Who caused this evaluation (CloudTrail); recorded on findings that open or reopen. */
  readonly actor?: Actor;
  readonly eventId?: string;
}

export interface ReconcileResult {
  /** Every finding to upsert: all current ones (updated) and the newly resolved. */
  readonly findings: readonly Finding[];
  readonly opened: readonly Finding[];
  readonly reopened: readonly Finding[];
  readonly resolved: readonly Finding[];
  /** Findings that became justified in this evaluation (new, or previously open or resolved). */
  readonly justified: readonly Finding[];
  /** Still open or still justified, seen again. */
  readonly unchanged: readonly Finding[];
}

export function unevaluatedKey(ruleId: string, key: string): string {
  return `${ruleId}|${key}`;
}

/** The scope of an evaluation of `resources` by `ruleIds`, with failed checks kept out of resolution. */
export function evaluationScope(
  resources: Iterable<{ type: ResourceTypeId; account: string; region: string; id: string }>,
  failures: readonly RuleFailure[],
  ruleIds?: readonly string[],
): FindingScope {
  const resourceKeys = new Set<string>();
  for (const resource of resources) resourceKeys.add(resourceKey(resource));
  return {
    resourceKeys,
    unevaluated: new Set(failures.map((failure) => unevaluatedKey(failure.ruleId, failure.resourceKey))),
    ...(ruleIds ? { ruleIds } : {}),
  };
}

function inScope(finding: Finding, scope: FindingScope | undefined): boolean {
  if (!scope) return true;
  const key = resourceKey(finding.resource);
  if (scope.resourceKeys && !scope.resourceKeys.has(key)) return false;
  if (scope.types && !scope.types.includes(finding.resource.type)) return false;
  if (scope.accounts && !scope.accounts.includes(finding.resource.account)) return false;
  if (scope.regions && !scope.regions.includes(finding.resource.region)) return false;
  if (scope.ruleIds && !scope.ruleIds.includes(finding.ruleId)) return false;
  if (scope.unevaluated?.has(unevaluatedKey(finding.ruleId, key))) return false;
  return true;
}

function isoOf(now: string | Date): string {
  if (now instanceof Date) return now.toISOString();
  const ms = Date.parse(now);
  if (Number.isNaN(ms)) throw new RangeError(`not a date: ${now}`);
  return new Date(ms).toISOString();
}

function toFinding(
  candidate: FindingCandidate,
  firstSeen: string,
  now: string,
  actor: Actor | undefined,
  eventId: string | undefined,
): Finding {
  const status: FindingStatus = candidate.status;
  return {
    id: candidate.id,
    ruleId: candidate.ruleId,
    severity: candidate.severity,
    certainty: candidate.certainty,
    status,
    resource: candidate.resource,
    part: candidate.part,
    message: candidate.message,
    firstSeen,
    lastSeen: now,
    ...(candidate.justification ? { justification: candidate.justification } : {}),
    ...(actor ? { actor } : {}),
    ...(eventId ? { eventId } : {}),
    ...(candidate.details ? { details: candidate.details } : {}),
  };
}

export function reconcileFindings(
  previous: readonly Finding[],
  current: readonly FindingCandidate[],
  now: string | Date,
  options: ReconcileOptions = {},
): ReconcileResult {
  const at = isoOf(now);
  const before = new Map<string, Finding>();
  for (const finding of previous) before.set(finding.id, finding);
  const findings: Finding[] = [];
  const opened: Finding[] = [];
  const reopened: Finding[] = [];
  const resolved: Finding[] = [];
  const justified: Finding[] = [];
  const unchanged: Finding[] = [];
  const present = new Set<string>();

  for (const candidate of current) {
    if (present.has(candidate.id)) continue;
    present.add(candidate.id);
    const old = before.get(candidate.id);
    if (!old) {
      const finding = toFinding(candidate, at, at, options.actor, options.eventId);
      findings.push(finding);
      (finding.status === 'justified' ? justified : opened).push(finding);
      continue;
    }
    // The actor who last changed it stays unless this evaluation names a new one for a (re)opening.
    const reopening =
      old.status === 'resolved' || (old.status === 'justified' && candidate.status === 'open');
    const actor = reopening ? (options.actor ?? old.actor) : old.actor;
    const eventId = reopening ? (options.eventId ?? old.eventId) : old.eventId;
    const finding = toFinding(candidate, old.firstSeen, at, actor, eventId);
    findings.push(finding);
    if (finding.status === 'justified') (old.status === 'justified' ? unchanged : justified).push(finding);
    else if (old.status === 'open') unchanged.push(finding);
    else reopened.push(finding);
  }

  for (const old of previous) {
    if (present.has(old.id) || old.status === 'resolved' || !inScope(old, options.scope)) continue;
    const finding: Finding = { ...old, status: 'resolved', resolvedAt: at };
    findings.push(finding);
    resolved.push(finding);
  }
  return { findings, opened, reopened, resolved, justified, unchanged };
}
