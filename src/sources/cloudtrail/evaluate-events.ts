// Judging CloudTrail records: each change goes to the rules its fields can inform, each event to the detections.
import { createHash } from 'node:crypto';
import { evaluateResource, type FindingCandidate, type Policy, type RuleFailure } from '../../core/engine/index.js';
import type { CompiledRule } from '../../core/engine/policy.js';
import { errorMessage } from '../../core/errors.js';
import type { Actor } from '../../core/finding.js';
import type { ResourceTypeId } from '../../core/resource-types.js';
import type { Severity } from '../../core/rule.js';
import type { DetectionContext, DetectionDefinition } from '../../detections/detection.js';
import { actorFromRecord } from './actor.js';
import type { CanonicalChange, UpsertPartialChange } from './change.js';
import { changesFromRecord, MAPPED_EVENT_NAMES } from './event-to-change.js';
import type { RecordSource, SourcedRecord } from './readers.js';
import { accountOf, type CloudTrailRecord } from './record.js';
import { ruleApplies } from './rule-inputs.js';

/** A rule's finding raised by an event: the candidate a scan would make, plus who and which event. */
export interface EventFinding extends FindingCandidate {
  readonly actor: Actor;
  readonly eventId?: string;
  readonly eventName: string;
  readonly eventTime: string;
  readonly source?: RecordSource;
  /** The event showed only part of the resource: a re-read confirms or resolves the finding. */
  readonly needsReRead: true;
}

export interface DetectionResult {
  /** Stable: the same detection on the same event and subject always has this id. */
  readonly id: string;
  readonly detectionId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly subject: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly account: string;
  readonly region: string;
  readonly actor: Actor;
  readonly eventId?: string;
  readonly eventName: string;
  readonly eventTime: string;
  readonly source?: RecordSource;
}

export interface FailedCall {
  readonly eventName: string;
  readonly eventSource: string;
  readonly errorCode: string;
  readonly errorMessage?: string;
  readonly account: string;
  readonly region: string;
  readonly actor: Actor;
  readonly eventTime: string;
  readonly source?: RecordSource;
}

export interface EventError {
  readonly message: string;
  readonly eventName?: string;
  readonly eventId?: string;
  readonly source?: RecordSource;
}

export interface EvaluateRecordsResult {
  readonly records: number;
  /** Records outside --since/--until. */
  readonly outOfRange: number;
  readonly changes: number;
  readonly findings: EventFinding[];
  readonly detectionHits: DetectionResult[];
  readonly failedCalls: FailedCall[];
  /** Mapped events whose record did not identify the resource, and rules or detections that threw. */
  readonly errors: EventError[];
  readonly ruleFailures: RuleFailure[];
}

export interface EvaluateRecordsOptions {
  /** For exception expiry (core reads no clock). */
  readonly now?: string | number | Date;
  /** ISO instants; records outside [since, until) are counted and skipped. */
  readonly since?: string;
  readonly until?: string;
  /** Defaults to the policy's trustedAccounts. */
  readonly trustedAccounts?: readonly string[];
  /** Called with each change as it is made (a watcher updates its store from these). */
  readonly onChange?: (change: CanonicalChange, record: CloudTrailRecord) => void;
}

export interface EventEvaluator {
  push(record: CloudTrailRecord, source?: RecordSource): void;
  result(): EvaluateRecordsResult;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function detectionHitId(detectionId: string, record: CloudTrailRecord, subject: string): string {
  const event = record.eventID ?? `${record.eventTime}|${record.eventName}|${record.userIdentity.arn ?? ''}`;
  return `d-${createHash('sha256').update(`${detectionId}\u0000${event}\u0000${subject}`).digest('hex').slice(0, 20)}`;
}

function sameFields(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let at = 0; at < a.length; at++) if (a[at] !== b[at]) return false;
  return true;
}

function instant(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`${name}: not a date: ${value}`);
  return ms;
}

/**
 * An evaluator fed one record at a time, so millions of records stream through in bounded memory (only
 * what is found is kept). Work is skipped early: a record whose event name no mapper or detection knows,
 * and that is not the root user's, costs two set lookups.
 */
export function createEventEvaluator(
  policy: Policy,
  detections: readonly DetectionDefinition[],
  options: EvaluateRecordsOptions = {},
): EventEvaluator {
  const context: DetectionContext = { trustedAccounts: options.trustedAccounts ?? policy.context.trustedAccounts };
  const byName = new Map<string, DetectionDefinition[]>();
  const everyEvent: DetectionDefinition[] = [];
  let watchedIdentities: Set<string> | undefined = new Set();
  for (const detection of detections) {
    if (detection.eventNames.length === 0) {
      everyEvent.push(detection);
      if (!detection.identityTypes) watchedIdentities = undefined;
      else for (const type of detection.identityTypes) watchedIdentities?.add(type);
    }
    for (const name of detection.eventNames) {
      const list = byName.get(name);
      if (list) list.push(detection);
      else byName.set(name, [detection]);
    }
  }
  const since = instant(options.since, 'since');
  const until = instant(options.until, 'until');
  // One restricted policy per (type, fields): the engine then runs only the rules the event can inform. A
  // type has a few field lists, compared item by item: a key string joined per change cost more (profile).
  const restricted = new Map<ResourceTypeId, Array<{ readonly fields: readonly string[]; readonly policy: Policy }>>();
  const policyFor = (change: UpsertPartialChange): Policy => {
    let known = restricted.get(change.type);
    if (!known) restricted.set(change.type, (known = []));
    for (let at = 0; at < known.length; at++) {
      const entry = known[at]!;
      if (sameFields(entry.fields, change.fields)) return entry.policy;
    }
    const rules: CompiledRule[] = (policy.byType.get(change.type) ?? []).filter(
      (rule) => !rule.custom && ruleApplies(rule.id, change.fields),
    );
    const byType = new Map<ResourceTypeId, readonly CompiledRule[]>([[change.type, rules]]);
    const cached = { ...policy, rules, byType };
    known.push({ fields: [...change.fields], policy: cached });
    return cached;
  };

  let records = 0;
  let outOfRange = 0;
  let changes = 0;
  const findings: EventFinding[] = [];
  const detectionHits: DetectionResult[] = [];
  const failedCalls: FailedCall[] = [];
  const errors: EventError[] = [];
  const ruleFailures: RuleFailure[] = [];

  // Per event name, the detections to ask: built once, not per record.
  const askByName = new Map<string, readonly DetectionDefinition[]>();
  for (const [name, list] of byName) askByName.set(name, everyEvent.length > 0 ? [...list, ...everyEvent] : list);
  const evaluateOptions = options.now !== undefined ? { now: options.now } : {};
  const onChange = options.onChange;

  // This runs for every record of a replay: no closures or conditional spreads per record (both cost far
  // more than the work); the output objects are built field by field in the order the spreads gave.
  const push = (record: CloudTrailRecord, source?: RecordSource): void => {
    records++;
    if (since !== undefined || until !== undefined) {
      const at = Date.parse(record.eventTime);
      if (Number.isNaN(at) || (since !== undefined && at < since) || (until !== undefined && at >= until)) {
        outOfRange++;
        return;
      }
    }
    const named = askByName.get(record.eventName);
    const mapped = MAPPED_EVENT_NAMES.has(record.eventName);
    if (!named && !mapped && watchedIdentities && !watchedIdentities.has(record.userIdentity.type ?? '')) return;
    let actor: Actor | undefined;
    if (mapped) {
      for (const change of changesFromRecord(record)) {
        changes++;
        onChange?.(change, record);
        if (change.kind === 'failed-call') {
          const failed: Mutable<FailedCall> = {
            eventName: change.eventName,
            eventSource: change.eventSource,
            errorCode: change.errorCode,
          } as Mutable<FailedCall>;
          if (change.errorMessage) failed.errorMessage = change.errorMessage;
          failed.account = change.account;
          failed.region = change.region;
          failed.actor = actor ??= actorFromRecord(record);
          failed.eventTime = record.eventTime;
          if (source) failed.source = source;
          failedCalls.push(failed);
        } else if (change.kind === 'unresolved') {
          const error: Mutable<EventError> = { message: change.reason, eventName: record.eventName };
          if (record.eventID) error.eventId = record.eventID;
          if (source) error.source = source;
          errors.push(error);
        } else if (change.kind === 'upsert-partial') {
          const evaluation = evaluateResource(change.resource, policyFor(change), evaluateOptions);
          for (const failure of evaluation.failures) ruleFailures.push(failure);
          for (const candidate of evaluation.candidates) {
            const judged: FindingCandidate = change.uncertainty
              ? { ...candidate, certainty: 'possible', message: `${candidate.message} (${change.uncertainty})`, details: { ...candidate.details, uncertainty: change.uncertainty } }
              : candidate;
            // Object.assign, not a spread: V8 gives each spread copy that then gains fields a map of its own,
            // which made building a finding ~15x dearer than the copy (profile of bench/events).
            const finding = Object.assign({}, judged) as Mutable<EventFinding>;
            finding.actor = actor ??= actorFromRecord(record);
            if (record.eventID) finding.eventId = record.eventID;
            finding.eventName = record.eventName;
            finding.eventTime = record.eventTime;
            finding.needsReRead = true;
            if (source) finding.source = source;
            findings.push(finding);
          }
        }
      }
    }
    // A refused call changed nothing: it is recorded above and raises nothing.
    if (record.errorCode) return;
    const candidates = named ?? everyEvent;
    for (let at = 0; at < candidates.length; at++) {
      const detection = candidates[at]!;
      if (detection.identityTypes && !detection.identityTypes.includes(record.userIdentity.type ?? '')) continue;
      let hit;
      try {
        hit = detection.match(record, context);
      } catch (error) {
        const failed: Mutable<EventError> = { message: `detection ${detection.id} failed: ${errorMessage(error)}`, eventName: record.eventName };
        if (source) failed.source = source;
        errors.push(failed);
        continue;
      }
      if (!hit) continue;
      const result = {
        id: detectionHitId(detection.id, record, hit.subject),
        detectionId: detection.id,
        title: detection.title,
        severity: hit.severity ?? detection.severity,
        subject: hit.subject,
        message: hit.message,
      } as Mutable<DetectionResult>;
      if (hit.details) result.details = hit.details;
      result.account = accountOf(record);
      result.region = record.awsRegion;
      result.actor = actor ??= actorFromRecord(record);
      if (record.eventID) result.eventId = record.eventID;
      result.eventName = record.eventName;
      result.eventTime = record.eventTime;
      if (source) result.source = source;
      detectionHits.push(result);
    }
  };

  return {
    push,
    result: () => ({ records, outOfRange, changes, findings, detectionHits, failedCalls, errors, ruleFailures }),
  };
}

function isSourced(value: CloudTrailRecord | SourcedRecord): value is SourcedRecord {
  return 'record' in value && 'source' in value;
}

/** Judges records already in memory (tests, a batch from a queue). */
export function evaluateRecords(
  records: Iterable<CloudTrailRecord | SourcedRecord>,
  policy: Policy,
  detections: readonly DetectionDefinition[],
  options: EvaluateRecordsOptions = {},
): EvaluateRecordsResult {
  const evaluator = createEventEvaluator(policy, detections, options);
  for (const item of records) {
    if (isSourced(item)) evaluator.push(item.record, item.source);
    else evaluator.push(item);
  }
  return evaluator.result();
}

/** Judges a stream of records (files being read) without holding them. */
export async function evaluateRecordStream(
  records: AsyncIterable<SourcedRecord>,
  policy: Policy,
  detections: readonly DetectionDefinition[],
  options: EvaluateRecordsOptions = {},
): Promise<EvaluateRecordsResult> {
  const evaluator = createEventEvaluator(policy, detections, options);
  for await (const { record, source } of records) evaluator.push(record, source);
  return evaluator.result();
}
