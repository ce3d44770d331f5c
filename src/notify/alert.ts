// The alert contract shared by everything that raises alerts (scans, events, remediation) and the channels.
import type { Actor, Finding, FindingResourceRef } from '../core/finding.js';
import type { Severity } from '../core/rule.js';

/**
 * Alerts are sent on changes of state only, never once per scan for a finding that stays open:
 * - finding-opened / finding-resolved / finding-justified: a finding's status changed;
 * - detection: an event-only rule fired (sg-created, cloudtrail-tampering, …);
 * - remediation: a remediation task was planned, applied, failed, reverted or refused;
 * - blast-radius: the destructive-action limit was reached and `auto` remediation halted.
 */
export const ALERT_KINDS = ['finding-opened', 'finding-resolved', 'finding-justified', 'detection', 'remediation', 'blast-radius'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** What remediation did, or would have done, about a finding. */
export interface AlertRemediation {
  readonly taskId: string;
  readonly actionId: string;
  /** dry-run | approve | auto */
  readonly mode: string;
  /** e.g. 'proposed', 'awaiting-approval', 'applied', 'already-done', 'failed', 'reverted', 'refused'. */
  readonly outcome: string;
  /** One line per change, as the action's plan states it ("revoke sgr-0abc (ingress tcp 22 from 0.0.0.0/0)"). */
  readonly changes: readonly string[];
  readonly message?: string;
}

export interface Alert {
  readonly kind: AlertKind;
  /** Stable per (kind, subject, state change): a retried or re-delivered alert keeps its id, so receivers can de-duplicate. */
  readonly id: string;
  readonly severity: Severity;
  /** Rule or detection id (for blast-radius: 'blast-radius'). */
  readonly ruleId: string;
  readonly title: string;
  /** What was wrong, in one or two plain sentences. */
  readonly message: string;
  readonly resource?: FindingResourceRef;
  /** What the alert is about when it is not a modelled resource (a trail, a login, a snapshot shared out). */
  readonly subject?: string;
  /** Account and region of the change, when there is no resource to carry them. */
  readonly account?: string;
  readonly region?: string;
  readonly finding?: Finding;
  /** Who made the change (CloudTrail userIdentity), when known. */
  readonly actor?: Actor;
  readonly eventId?: string;
  readonly remediation?: AlertRemediation;
  /** ISO time of the state change. */
  readonly at: string;
}

/** Where alerts go. Implementations route, batch into digests, retry, and never log secrets. */
export interface AlertSink {
  /** Queues alerts for delivery; resolves once they are accepted (not necessarily delivered). */
  send(alerts: readonly Alert[]): Promise<void>;
  /** Delivers everything queued (digests included) and waits for it; used before exit and on SIGTERM. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** A sink that drops everything: the default when leuko.yaml configures no channel. */
export const NO_ALERTS: AlertSink = {
  send: async () => {},
  flush: async () => {},
  close: async () => {},
};
