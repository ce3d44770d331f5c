// The detection contract: a pure judgement of one CloudTrail event itself (not of a resource's state).
import type { Severity } from '../core/rule.js';
import type { CloudTrailRecord } from '../sources/cloudtrail/record.js';

/** What a detection may know besides the event: configuration, never the outside world. */
export interface DetectionContext {
  /** Accounts that may receive shared snapshots and images (the organisation, backup accounts). */
  readonly trustedAccounts: readonly string[];
}

export interface DetectionHit {
  /** What happened, for a person: "CloudTrail trail x stopped by arn:…". */
  readonly message: string;
  /**
   * The thing the event touched (trail name, snapshot id, "root"), with the detection id and the event
   * id it keys a hit, so the same event never alerts twice.
   */
  readonly subject: string;
  readonly details?: Readonly<Record<string, unknown>>;
  /** Overrides the detection's severity for this hit (a public snapshot is worse than a shared one). */
  readonly severity?: Severity;
}

export interface DetectionDefinition {
  /** Stable id, kebab-case; never changes once released. */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly rationale: string;
  readonly references: readonly string[];
  /** Event names the detection can match; evaluation asks only these (an empty list means any event). */
  readonly eventNames: readonly string[];
  /**
   * For a detection of any event name: the userIdentity types it can match (root-activity: Root), so
   * records of other identities are never parsed for it. Absent means every record.
   */
  readonly identityTypes?: readonly string[];
  /** Pure: no I/O, no clock. Called only for calls that succeeded (no errorCode). */
  match(record: CloudTrailRecord, context: DetectionContext): DetectionHit | null;
}

export function defineDetection(definition: DetectionDefinition): DetectionDefinition {
  return definition;
}
