// An audit: evaluate the stored inventory with the policy, carry findings through their lifecycle
// (open, still open, resolved, justified) and save them. The same steps serve scans and events.
import { reconcileFindings, evaluate, type FindingCandidate, type Policy, type RuleFailure } from '../core/engine/index.js';
import { unevaluatedKey } from '../core/engine/index.js';
import type { Finding } from '../core/finding.js';
import { RESOURCE_TYPE_IDS, type ResourceTypeId } from '../core/resource-types.js';
import type { Resource } from '../core/resource.js';
import type { FindingTransition, Store } from '../store/store.js';

export interface AuditFilter {
  readonly types?: readonly ResourceTypeId[];
  readonly accounts?: readonly string[];
  readonly regions?: readonly string[];
}

export interface AuditResult {
  readonly evaluatedAt: string;
  readonly resources: number;
  /** Findings now open or justified in the audited scope. */
  readonly current: Finding[];
  readonly opened: Finding[];
  readonly reopened: Finding[];
  readonly resolved: Finding[];
  readonly justified: Finding[];
  /** Rules that threw on a resource: coverage gaps, never passes. */
  readonly failures: RuleFailure[];
  /** The status changes this audit recorded (what alerts are sent for; a finding that stays open has none). */
  readonly transitions: FindingTransition[];
}

const BATCH = 5000;

export async function runAudit(store: Store, policy: Policy, options: { now: Date; filter?: AuditFilter }): Promise<AuditResult> {
  const at = options.now.toISOString();
  const filter = options.filter ?? {};
  const candidates: FindingCandidate[] = [];
  const failures: RuleFailure[] = [];
  let resources = 0;
  let batch: Resource[] = [];
  const flush = () => {
    const result = evaluate(batch, policy, { now: options.now });
    resources += result.resources;
    for (const candidate of result.candidates) candidates.push(candidate);
    for (const failure of result.failures) failures.push(failure);
    batch = [];
  };
  // Streamed in batches so a large inventory never sits in memory whole.
  for await (const stored of store.iterateResources({
    ...(filter.types ? { types: filter.types } : {}),
    ...(filter.accounts ? { accounts: filter.accounts } : {}),
    ...(filter.regions ? { regions: filter.regions } : {}),
  })) {
    batch.push(stored.resource);
    if (batch.length >= BATCH) flush();
  }
  flush();

  // The scope is what was audited (types, accounts, regions, rules), not the set of live resources, so a
  // finding on a resource deleted since the last audit is resolved too.
  const previous = await store.listFindings({
    status: ['open', 'justified', 'resolved'],
    ...(filter.types ? { types: filter.types } : {}),
    ...(filter.accounts ? { accounts: filter.accounts } : {}),
    ...(filter.regions ? { regions: filter.regions } : {}),
  });
  const reconciled = reconcileFindings(previous, candidates, at, {
    scope: {
      types: filter.types ?? [...RESOURCE_TYPE_IDS],
      ...(filter.accounts ? { accounts: filter.accounts } : {}),
      ...(filter.regions ? { regions: filter.regions } : {}),
      ruleIds: policy.rules.map((rule) => rule.id),
      unevaluated: new Set(failures.map((failure) => unevaluatedKey(failure.ruleId, failure.resourceKey))),
    },
  });
  const saved = await store.saveFindings(reconciled.findings, { at });
  return {
    evaluatedAt: at,
    resources,
    current: reconciled.findings.filter((finding) => finding.status !== 'resolved'),
    opened: [...reconciled.opened],
    reopened: [...reconciled.reopened],
    resolved: [...reconciled.resolved],
    justified: [...reconciled.justified],
    failures,
    transitions: saved.transitions,
  };
}
