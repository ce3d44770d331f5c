// Evaluation: run a compiled policy over resources and turn violations into finding candidates, with
// exceptions applied. Pure: the caller passes `now`; nothing here reads a clock, a file or AWS.
import { errorMessage } from '../errors.js';
import { findingId, type FindingResourceRef, type Justification } from '../finding.js';
import { resourceKey, type Resource } from '../resource.js';
import type { Certainty, Severity, Violation } from '../rule.js';
import { findException } from './exceptions.js';
import type { CompiledRule, Policy } from './policy.js';
import type { RemediationMode } from './policy-config.js';

/** A finding as one evaluation sees it, before the lifecycle (first/last seen) is applied. */
export interface FindingCandidate {
  readonly id: string;
  readonly ruleId: string;
  readonly severity: Severity;
  readonly certainty: Certainty;
  readonly status: 'open' | 'justified';
  readonly resource: FindingResourceRef;
  readonly part: string;
  readonly message: string;
  /** Path into the resource's config of the offending value (templates turn it into file:line). */
  readonly path?: ReadonlyArray<string | number>;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly justification?: Justification;
  readonly remediation?: { readonly action: string; readonly mode: RemediationMode | undefined };
}

/** A rule that threw on a resource: a coverage gap to report, never a pass. */
export interface RuleFailure {
  readonly ruleId: string;
  readonly resource: FindingResourceRef;
  readonly resourceKey: string;
  readonly message: string;
}

export interface ResourceEvaluation {
  readonly resource: FindingResourceRef;
  readonly resourceKey: string;
  readonly candidates: readonly FindingCandidate[];
  readonly failures: readonly RuleFailure[];
}

export interface EvaluationResult {
  /** All candidates, resource by resource. */
  readonly candidates: readonly FindingCandidate[];
  /** Only resources with at least one candidate or failure. */
  readonly byResource: readonly ResourceEvaluation[];
  readonly failures: readonly RuleFailure[];
  /** Resources seen, and (rule, resource) checks run. */
  readonly resources: number;
  readonly checks: number;
}

export interface EvaluateOptions {
  /**
   * For exception expiry: an ISO string, epoch ms or Date. Without it an exception that has an `expires`
   * is not honoured, since nothing shows it is still in force (core reads no clock).
   */
  readonly now?: string | number | Date;
}

export function refOf(resource: Resource): FindingResourceRef {
  return {
    type: resource.type,
    account: resource.account,
    region: resource.region,
    id: resource.id,
    arn: resource.arn,
    ...(resource.name !== undefined ? { name: resource.name } : {}),
  };
}

export function instantOf(now: string | number | Date | undefined): number {
  if (now === undefined) return Number.NaN;
  if (typeof now === 'number') return now;
  const ms = now instanceof Date ? now.getTime() : Date.parse(now);
  if (Number.isNaN(ms)) throw new RangeError(`not a date: ${String(now)}`);
  return ms;
}

function candidatesOf(
  compiled: CompiledRule,
  violations: readonly Violation[],
  resource: Resource,
  ref: FindingResourceRef,
  policy: Policy,
  nowMs: number,
  out: FindingCandidate[],
): void {
  const verdict =
    policy.exceptions.length > 0 ? findException(policy.exceptions, resource, compiled.id, nowMs) : undefined;
  const justification = verdict?.justification;
  const action = compiled.rule.remediation?.action;
  const remediation = action ? { action, mode: compiled.remediation } : undefined;
  let seen: Set<string> | undefined;
  for (const violation of violations) {
    // Two violations with one part would make one finding id; the first one speaks for both.
    if (violations.length > 1) {
      seen ??= new Set();
      if (seen.has(violation.part)) continue;
      seen.add(violation.part);
    }
    const details =
      verdict && verdict.expired.length > 0
        ? { ...violation.details, expiredExceptions: verdict.expired }
        : violation.details;
    // One fixed shape (absent fields are undefined) keeps candidate creation cheap and monomorphic.
    out.push({
      id: findingId(compiled.id, ref, violation.part),
      ruleId: compiled.id,
      severity: compiled.severity,
      certainty: violation.certainty,
      status: justification ? 'justified' : 'open',
      resource: ref,
      part: violation.part,
      message: violation.message,
      path: violation.path,
      details,
      justification,
      remediation,
    });
  }
}

/** One resource: its candidates and any rule that failed on it. */
export function evaluateResource(
  resource: Resource,
  policy: Policy,
  options: EvaluateOptions = {},
): ResourceEvaluation {
  return (
    evaluateOne(resource, policy, instantOf(options.now), policy.byType.get(resource.type) ?? []) ?? {
      resource: refOf(resource),
      resourceKey: resourceKey(resource),
      candidates: [],
      failures: [],
    }
  );
}

function evaluateOne(
  resource: Resource,
  policy: Policy,
  nowMs: number,
  rules: readonly CompiledRule[],
): ResourceEvaluation | undefined {
  let candidates: FindingCandidate[] | undefined;
  let failures: RuleFailure[] | undefined;
  let ref: FindingResourceRef | undefined;
  for (const compiled of rules) {
    try {
      const violations = compiled.rule.check(resource, compiled.params, policy.context);
      if (violations.length === 0) continue;
      // The ref is built only for resources that have something to say: most comply.
      ref ??= refOf(resource);
      candidatesOf(compiled, violations, resource, ref, policy, nowMs, (candidates ??= []));
    } catch (error) {
      ref ??= refOf(resource);
      (failures ??= []).push({
        ruleId: compiled.id,
        resource: ref,
        resourceKey: resourceKey(resource),
        message: errorMessage(error),
      });
    }
  }
  if (!ref) return undefined;
  return {
    resource: ref,
    resourceKey: resourceKey(resource),
    candidates: candidates ?? [],
    failures: failures ?? [],
  };
}

/**
 * Runs every enabled rule of the policy on every resource. A rule that throws is recorded as a failure
 * for that resource (so its old findings must not be resolved) and evaluation goes on.
 */
export function evaluate(
  resources: Iterable<Resource>,
  policy: Policy,
  options: EvaluateOptions = {},
): EvaluationResult {
  const nowMs = instantOf(options.now);
  const candidates: FindingCandidate[] = [];
  const byResource: ResourceEvaluation[] = [];
  const failures: RuleFailure[] = [];
  let count = 0;
  let checks = 0;
  const empty: readonly CompiledRule[] = [];
  for (const resource of resources) {
    count++;
    const rules = policy.byType.get(resource.type) ?? empty;
    if (rules.length === 0) continue;
    const evaluation = evaluateOne(resource, policy, nowMs, rules);
    checks += rules.length;
    if (!evaluation) continue;
    byResource.push(evaluation);
    for (const candidate of evaluation.candidates) candidates.push(candidate);
    for (const failure of evaluation.failures) failures.push(failure);
  }
  return { candidates, byResource, failures, resources: count, checks };
}
