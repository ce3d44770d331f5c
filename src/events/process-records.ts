// The event pipeline: judge CloudTrail records at once, then re-read each touched resource, record its new
// version with the actor, and carry its findings through the same lifecycle a scan uses (shared stable ids).
import { isNotFoundError, awsErrorCode } from '../aws/aws-errors.js';
import type { AccountClients } from '../aws/clients/client-factory.js';
import { createLimiter } from '../aws/clients/limiter.js';
import { partitionOf } from '../aws/regions.js';
import { resourceModule } from '../aws/resources/registry.js';
import type { CollectWarning } from '../aws/resources/resource-module.js';
import {
  evaluateResource,
  evaluationScope,
  reconcileFindings,
  type FindingCandidate,
  type Policy,
  type RuleFailure,
} from '../core/engine/index.js';
import { errorMessage } from '../core/errors.js';
import type { Actor, Finding } from '../core/finding.js';
import { resourceKey, type Resource } from '../core/resource.js';
import type { ResourceTypeId } from '../core/resource-types.js';
import { BUILT_IN_DETECTIONS } from '../detections/index.js';
import type { DetectionDefinition } from '../detections/detection.js';
import { actorFromRecord } from '../sources/cloudtrail/actor.js';
import type { CanonicalChange } from '../sources/cloudtrail/change.js';
import {
  createEventEvaluator,
  type DetectionResult,
  type EventError,
  type EventFinding,
  type FailedCall,
} from '../sources/cloudtrail/evaluate-events.js';
import type { RecordSource, SourcedRecord } from '../sources/cloudtrail/readers.js';
import type { CloudTrailRecord } from '../sources/cloudtrail/record.js';
import type { FindingTransition, Store, VersionChange } from '../store/store.js';

export interface EventPipelineDeps {
  readonly store: Store;
  /**
   * Clients for an account, or undefined when leuko has no access to it: the event is still judged and
   * its findings kept, and the missing re-read is reported.
   */
  readonly clientsFor: (account: string) => AccountClients | undefined;
  readonly policy: Policy;
  /** Default: the built-in detections. */
  readonly detections?: readonly DetectionDefinition[];
  /** The clock: stamps new versions and findings, and decides exception expiry. */
  readonly now: () => Date;
  /** Resources re-read at once. Default 4. */
  readonly concurrency?: number;
}

/** A resource an event touched, followed by reading it again. */
export interface ReRead {
  readonly key: string;
  readonly type: ResourceTypeId;
  readonly account: string;
  readonly region: string;
  readonly id: string;
  /** What the store recorded: a new version, a deletion, or nothing new. 'failed' when the re-read failed. */
  readonly outcome: VersionChange | 'unchanged' | 'failed';
  /** The stored version after the re-read (absent when it failed or a deletion was already known). */
  readonly version?: number;
  /** The actor stamped on the version: who made the last event on this resource in the batch. */
  readonly actor: Actor;
  readonly eventId?: string;
}

export interface PipelineError {
  /** 're-read': get() failed (denied, throttled, no access); 'store': a write failed; 'event': evaluator's own. */
  readonly kind: 're-read' | 'store' | 'event';
  readonly message: string;
  readonly resourceKey?: string;
  readonly code?: string;
  readonly eventName?: string;
  readonly eventId?: string;
  readonly source?: RecordSource;
}

/** Milliseconds per phase, for latency measurements (SQS message to alert). */
export interface PipelineTimings {
  readonly evaluateMs: number;
  /** Summed over resources (re-reads run `concurrency` at a time, so this can exceed totalMs). */
  readonly reReadMs: number;
  /** Summed over resources, like reReadMs. */
  readonly storeMs: number;
  readonly totalMs: number;
}

export interface ProcessRecordsResult {
  readonly records: number;
  readonly changes: number;
  /** Rule findings as the events alone showed them (before any re-read). */
  readonly eventFindings: readonly EventFinding[];
  /** Every finding status change saved: what alerts and remediation act on. */
  readonly transitions: readonly FindingTransition[];
  /** Event-only detections (cloudtrail-tampering, root-activity…); not stored, for the caller to alert on. */
  readonly detections: readonly DetectionResult[];
  /** Mapped calls that AWS refused: nothing changed. */
  readonly failedCalls: readonly FailedCall[];
  readonly reReads: readonly ReRead[];
  /** Account-wide settings changed (the account's S3 Block Public Access): the next scan re-reads their buckets. */
  readonly accountSettings: number;
  readonly ruleFailures: readonly RuleFailure[];
  readonly errors: readonly PipelineError[];
  readonly timings: PipelineTimings;
}

interface Touched {
  readonly key: string;
  readonly type: ResourceTypeId;
  readonly account: string;
  readonly region: string;
  readonly id: string;
  /** The last event on it in this batch. */
  record: CloudTrailRecord;
}

function fromEventError(error: EventError): PipelineError {
  return {
    kind: 'event',
    message: error.message,
    ...(error.eventName ? { eventName: error.eventName } : {}),
    ...(error.eventId ? { eventId: error.eventId } : {}),
    ...(error.source ? { source: error.source } : {}),
  };
}

type ReadOutcome = { readonly kind: 'found'; readonly resource: Resource } | { readonly kind: 'gone' } | { readonly kind: 'failed'; readonly error: PipelineError };

async function reRead(touched: Touched, clients: AccountClients | undefined): Promise<ReadOutcome> {
  if (!clients) {
    return {
      kind: 'failed',
      error: { kind: 're-read', resourceKey: touched.key, message: `no credentials for account ${touched.account}: ${touched.type} ${touched.id} not re-read` },
    };
  }
  const module = resourceModule(touched.type);
  const warnings: CollectWarning[] = [];
  try {
    const resource = await module.get(
      { account: touched.account, region: touched.region, partition: partitionOf(touched.region), clients, warn: (warning) => warnings.push(warning) },
      touched.id,
    );
    return resource ? { kind: 'found', resource } : { kind: 'gone' };
  } catch (error) {
    if (isNotFoundError(error, module.notFoundCodes)) return { kind: 'gone' };
    const code = awsErrorCode(error);
    return {
      kind: 'failed',
      error: {
        kind: 're-read',
        resourceKey: touched.key,
        ...(code ? { code } : {}),
        message: `cannot re-read ${touched.type} ${touched.id} in ${touched.account}/${touched.region}: ${errorMessage(error)}`,
      },
    };
  }
}

/**
 * The stored key of a resource that is gone. An account-wide type (a bucket) may be named by an event in another
 * region than its own (a call through the global endpoint): when the event's key is unknown, the one live stored
 * resource of that type, account and id is it. Regional types are never looked for elsewhere (an RDS instance
 * "db1" deleted in one region says nothing about a "db1" in another).
 */
async function storedKeyOfGone(store: Store, touched: Touched): Promise<string> {
  if (resourceModule(touched.type).listingScope !== 'account' || (await store.getResource(touched.key))) return touched.key;
  const live = (await store.findResources(touched.id)).filter(
    (stored) => stored.resource.type === touched.type && stored.resource.account === touched.account && stored.resource.id === touched.id && !stored.deletedAt,
  );
  return live.length === 1 && live[0] ? live[0].key : touched.key;
}

/** Event findings become the candidates to keep when the resource could not be read: the event is the best we know. */
function candidatesOf(findings: readonly EventFinding[]): FindingCandidate[] {
  return findings.map((finding) => ({
    id: finding.id,
    ruleId: finding.ruleId,
    severity: finding.severity,
    certainty: finding.certainty,
    status: finding.status,
    resource: finding.resource,
    part: finding.part,
    message: finding.message,
    ...(finding.details ? { details: finding.details } : {}),
    ...(finding.justification ? { justification: finding.justification } : {}),
  }));
}

/**
 * Processes one batch of records:
 * 1. judges them with the rules and detections (no AWS call), as `leuko replay` does;
 * 2. for every resource a mapped event created, changed or deleted, reads it again with its module's get()
 *    and records the result with the event's actor (recordResource, or markDeleted when it is gone), so
 *    `leuko history` shows who changed what between scans;
 * 3. evaluates the re-read resource with the whole policy and reconciles that resource's findings (scope: that
 *    resource only), so an event finding and a scan finding share one id and one lifecycle. A finding that
 *    opens or reopens carries the actor and the event id.
 * When a re-read fails (denied, throttled, no credentials) the event's own findings are saved as they were
 * judged (possible or definite) and nothing is resolved; the error is reported. Never throws for AWS errors;
 * a store failure for one resource is reported and the others go on.
 */
export async function processRecords(
  records: Iterable<CloudTrailRecord | SourcedRecord>,
  deps: EventPipelineDeps,
): Promise<ProcessRecordsResult> {
  const started = performance.now();
  const now = deps.now();
  const at = now.toISOString();
  const touched = new Map<string, Touched>();
  let accountSettings = 0;
  const onChange = (change: CanonicalChange, record: CloudTrailRecord) => {
    if (change.kind === 'account-setting') accountSettings++;
    if (change.kind !== 'upsert-partial' && change.kind !== 'delete') return;
    const key = resourceKey(change);
    const known = touched.get(key);
    if (known) known.record = record;
    else touched.set(key, { key, type: change.type, account: change.account, region: change.region, id: change.id, record });
  };
  const evaluator = createEventEvaluator(deps.policy, deps.detections ?? BUILT_IN_DETECTIONS, { now, onChange });
  for (const item of records) {
    if ('record' in item && 'source' in item) evaluator.push(item.record, item.source);
    else evaluator.push(item);
  }
  const judged = evaluator.result();
  const evaluated = performance.now();

  const errors: PipelineError[] = judged.errors.map(fromEventError);
  const ruleFailures: RuleFailure[] = [...judged.ruleFailures];
  const transitions: FindingTransition[] = [];
  const reReads: ReRead[] = [];
  const eventFindingsByKey = new Map<string, EventFinding[]>();
  for (const finding of judged.findings) {
    const key = resourceKey(finding.resource);
    const list = eventFindingsByKey.get(key);
    if (list) list.push(finding);
    else eventFindingsByKey.set(key, [finding]);
  }
  let reReadMs = 0;
  let storeMs = 0;

  const limiter = createLimiter(deps.concurrency ?? 4);
  const reReadOne = async (item: Touched): Promise<void> => {
    const actor = actorFromRecord(item.record);
    const eventId = item.record.eventID;
    const readStart = performance.now();
    const outcome = await reRead(item, deps.clientsFor(item.account));
    reReadMs += performance.now() - readStart;
    const eventFindings = eventFindingsByKey.get(item.key) ?? [];
    const storeStart = performance.now();
    try {
      // A bucket's event names the region it was called in; the re-read knows the bucket's own region.
      let key = outcome.kind === 'found' ? resourceKey(outcome.resource) : item.key;
      if (outcome.kind === 'gone') key = await storedKeyOfGone(deps.store, item);
      const previous = await deps.store.listFindings({ resourceKey: key, status: ['open', 'justified', 'resolved'] });
      let candidates: FindingCandidate[];
      let scope;
      let version: number | undefined;
      let change: ReRead['outcome'];
      if (outcome.kind === 'failed') {
        errors.push(outcome.error);
        candidates = candidatesOf(eventFindings);
        // Nothing was read, so nothing can be said to be fixed: no finding of this resource is resolved.
        scope = { resourceKeys: new Set<string>() };
        change = 'failed';
      } else if (outcome.kind === 'gone') {
        const goneKey = key;
        const marked = await deps.store.markDeleted(goneKey, { at, actor });
        if (marked) {
          const stored = await deps.store.getResource(goneKey);
          version = stored?.version;
        }
        change = marked ? 'deleted' : 'unchanged';
        candidates = [];
        scope = { resourceKeys: new Set([goneKey]), ruleIds: deps.policy.rules.map((rule) => rule.id) };
      } else {
        const recorded = await deps.store.recordResource(outcome.resource, { at, actor });
        version = recorded.version;
        change = recorded.change;
        const evaluation = evaluateResource(outcome.resource, deps.policy, { now });
        for (const failure of evaluation.failures) ruleFailures.push(failure);
        candidates = [...evaluation.candidates];
        scope = evaluationScope([outcome.resource], evaluation.failures, deps.policy.rules.map((rule) => rule.id));
      }
      const reconciled = reconcileFindings(previous, candidates, at, { scope, actor, ...(eventId ? { eventId } : {}) });
      // A finding that opens is stamped with the event that raised it when the batch held several on this resource.
      const byId = new Map(eventFindings.map((finding) => [finding.id, finding]));
      const fresh = new Set([...reconciled.opened, ...reconciled.reopened].map((finding) => finding.id));
      const findings: Finding[] = reconciled.findings.map((finding) => {
        const raised = fresh.has(finding.id) ? byId.get(finding.id) : undefined;
        return raised ? { ...finding, actor: raised.actor, ...(raised.eventId ? { eventId: raised.eventId } : {}) } : finding;
      });
      if (findings.length > 0) {
        const saved = await deps.store.saveFindings(findings, { at });
        for (const transition of saved.transitions) transitions.push(transition);
      }
      reReads.push({
        key,
        type: item.type,
        account: item.account,
        // The key's region: the resource's own, which a bucket's event may not name.
        region: key.split('|')[2] ?? item.region,
        id: item.id,
        outcome: change,
        ...(version !== undefined ? { version } : {}),
        actor,
        ...(eventId ? { eventId } : {}),
      });
    } catch (error) {
      errors.push({ kind: 'store', resourceKey: item.key, message: `cannot store ${item.type} ${item.id}: ${errorMessage(error)}` });
    }
    storeMs += performance.now() - storeStart;
  };
  await Promise.all([...touched.values()].map((item) => limiter.run(() => reReadOne(item))));

  const finished = performance.now();
  return {
    records: judged.records,
    changes: judged.changes,
    eventFindings: judged.findings,
    transitions,
    detections: judged.detectionHits,
    failedCalls: judged.failedCalls,
    reReads,
    accountSettings,
    ruleFailures,
    errors,
    timings: { evaluateMs: evaluated - started, reReadMs, storeMs, totalMs: finished - started },
  };
}

/** One pipeline per process: batches from the queue and the HTTP endpoint run one after another, never interleaved. */
export interface EventPipeline {
  process(records: Iterable<CloudTrailRecord | SourcedRecord>): Promise<ProcessRecordsResult>;
}

/**
 * Serialises batches: two batches touching one resource at once would both read its previous findings and
 * both save an "opened" transition (two alerts for one finding).
 */
export function createEventPipeline(deps: EventPipelineDeps): EventPipeline {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    process(records) {
      const run = tail.then(() => processRecords(records, deps));
      tail = run.catch(() => undefined);
      return run;
    },
  };
}
