// Turns changes of state (finding transitions, detection hits) into alerts. Pure: the audit, the event
// pipeline and `leuko watch` share it, so a finding that merely stays open never alerts anywhere.
import { createHash } from 'node:crypto';
import type { Finding } from '../core/finding.js';
import type { DetectionResult } from '../sources/cloudtrail/evaluate-events.js';
import type { FindingTransition } from '../store/store.js';
import type { Alert, AlertKind, AlertRemediation } from './alert.js';

/** Stable per (kind, subject, state change), so a re-delivered alert keeps its id and receivers can de-duplicate. */
export function alertId(kind: AlertKind, subjectId: string, at: string): string {
  return `a-${createHash('sha256').update(`${kind}\u0000${subjectId}\u0000${at}`).digest('hex').slice(0, 20)}`;
}

export interface AlertsFromTransitionsOptions {
  /** What remediation did about a finding, when the caller knows (planned, applied, refused, …). */
  readonly remediationFor?: (finding: Finding) => AlertRemediation | undefined;
}

function kindOf(transition: FindingTransition): AlertKind | undefined {
  if (transition.to === 'resolved') return transition.from === 'resolved' ? undefined : 'finding-resolved';
  if (transition.to === 'justified') return transition.from === 'justified' ? undefined : 'finding-justified';
  // open: new (from null), reopened (from resolved), or an exception that expired (from justified).
  return transition.from === 'open' ? undefined : 'finding-opened';
}

function titleOf(kind: AlertKind, transition: FindingTransition): string {
  const { finding } = transition;
  const where = finding.resource.name ?? finding.resource.id;
  switch (kind) {
    case 'finding-opened':
      if (transition.from === 'resolved') return `Reopened: ${finding.ruleId} on ${where}`;
      if (transition.from === 'justified') return `Exception expired: ${finding.ruleId} on ${where}`;
      return `New finding: ${finding.ruleId} on ${where}`;
    case 'finding-resolved':
      return `Resolved: ${finding.ruleId} on ${where}`;
    default:
      return `Justified: ${finding.ruleId} on ${where}`;
  }
}

function messageOf(kind: AlertKind, finding: Finding): string {
  if (kind === 'finding-resolved') return `No longer found: ${finding.message}`;
  if (kind === 'finding-justified' && finding.justification) {
    const until = finding.justification.expires ? ` until ${finding.justification.expires}` : '';
    return `${finding.message} Accepted${until}: ${finding.justification.reason}`;
  }
  return finding.message;
}

/**
 * One alert per status change: null/resolved/justified → open is finding-opened, → resolved is
 * finding-resolved, → justified is finding-justified. A finding that stays in its state gives nothing.
 */
export function alertsFromTransitions(transitions: readonly FindingTransition[], options: AlertsFromTransitionsOptions = {}): Alert[] {
  const alerts: Alert[] = [];
  for (const transition of transitions) {
    const kind = kindOf(transition);
    if (!kind) continue;
    const { finding } = transition;
    const remediation = options.remediationFor?.(finding);
    alerts.push({
      kind,
      id: alertId(kind, finding.id, transition.at),
      severity: finding.severity,
      ruleId: finding.ruleId,
      title: titleOf(kind, transition),
      message: messageOf(kind, finding),
      resource: finding.resource,
      account: finding.resource.account,
      region: finding.resource.region,
      finding,
      ...(finding.actor ? { actor: finding.actor } : {}),
      ...(finding.eventId ?? finding.actor?.eventId ? { eventId: finding.eventId ?? finding.actor?.eventId } : {}),
      ...(remediation ? { remediation } : {}),
      at: transition.at,
    });
  }
  return alerts;
}

/** One alert per detection hit (an event-only rule fired); the hit's own stable id keys the alert. */
export function alertsFromDetections(results: readonly DetectionResult[]): Alert[] {
  return results.map((result) => ({
    kind: 'detection',
    id: alertId('detection', result.id, result.eventTime),
    severity: result.severity,
    ruleId: result.detectionId,
    title: `${result.title}: ${result.subject}`,
    message: result.message,
    subject: result.subject,
    account: result.account,
    region: result.region,
    actor: result.actor,
    ...(result.eventId ? { eventId: result.eventId } : {}),
    at: result.eventTime,
  }));
}
