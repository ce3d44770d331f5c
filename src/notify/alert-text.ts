// What every channel says about an alert or a digest: the same facts in the same order, rendered per channel.
import { createHash } from 'node:crypto';
import { SEVERITIES, severityRank, type Severity } from '../core/rule.js';
import type { Alert } from './alert.js';

export interface AlertFact {
  readonly label: string;
  readonly value: string;
}

/** "[HIGH] New finding: sg-ingress-open-admin on web-sg". */
export function alertHeadline(alert: Alert): string {
  return `[${alert.severity.toUpperCase()}] ${alert.title}`;
}

/** Resource, rule, what was wrong, actor and what was done: what a responder needs before clicking anything. */
export function alertFacts(alert: Alert): AlertFact[] {
  const facts: AlertFact[] = [];
  if (alert.resource) facts.push({ label: 'Resource', value: alert.resource.arn || alert.resource.id });
  else if (alert.subject) facts.push({ label: 'Subject', value: alert.subject });
  const account = alert.resource?.account ?? alert.account;
  const region = alert.resource?.region ?? alert.region;
  if (account || region) facts.push({ label: 'Account / region', value: [account, region].filter(Boolean).join(' / ') });
  facts.push({ label: 'Rule', value: `${alert.ruleId} (${alert.severity})` });
  facts.push({ label: 'What was wrong', value: alert.message });
  const actor = alert.actor;
  if (actor?.arn) {
    const from = [actor.sourceIp ? `from ${actor.sourceIp}` : '', actor.eventName ? `via ${actor.eventName}` : ''].filter(Boolean).join(' ');
    facts.push({ label: 'Actor', value: from ? `${actor.arn} (${from})` : actor.arn });
  }
  if (alert.eventId) facts.push({ label: 'CloudTrail event', value: alert.eventId });
  facts.push({ label: 'What was done', value: whatWasDone(alert) });
  facts.push({ label: 'When', value: alert.at });
  return facts;
}

function whatWasDone(alert: Alert): string {
  const remediation = alert.remediation;
  if (!remediation) return alert.kind === 'detection' || alert.kind === 'finding-opened' ? 'nothing yet (alert only)' : 'nothing';
  const changes = remediation.changes.length > 0 ? `: ${remediation.changes.join('; ')}` : '';
  const message = remediation.message ? ` (${remediation.message})` : '';
  return `${remediation.actionId} ${remediation.outcome} [${remediation.mode}]${changes}${message}`;
}

/** Plain text for email bodies, SNS default messages and Slack's notification fallback. */
export function alertText(alert: Alert): string {
  return [alertHeadline(alert), '', ...alertFacts(alert).map((fact) => `${fact.label}: ${fact.value}`), '', `Alert id: ${alert.id}`].join('\n');
}

export interface Digest {
  /** Stable for the same set of alerts. */
  readonly id: string;
  readonly count: number;
  readonly bySeverity: Readonly<Partial<Record<Severity, number>>>;
  /** Rule id → count, most frequent first. */
  readonly byRule: ReadonlyArray<{ readonly ruleId: string; readonly count: number }>;
  /** The most severe alerts, at most `top`. */
  readonly top: readonly Alert[];
  /** Every alert in the digest (webhook and SNS receivers get them all). */
  readonly alerts: readonly Alert[];
  readonly from: string;
  readonly to: string;
}

export function buildDigest(alerts: readonly Alert[], top: number): Digest {
  const bySeverity: Partial<Record<Severity, number>> = {};
  const byRule = new Map<string, number>();
  for (const alert of alerts) {
    bySeverity[alert.severity] = (bySeverity[alert.severity] ?? 0) + 1;
    byRule.set(alert.ruleId, (byRule.get(alert.ruleId) ?? 0) + 1);
  }
  const ordered = [...alerts].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.at.localeCompare(b.at));
  const times = alerts.map((alert) => alert.at).sort();
  const ids = alerts.map((alert) => alert.id).sort();
  return {
    id: `g-${createHash('sha256').update(ids.join('\u0000')).digest('hex').slice(0, 20)}`,
    count: alerts.length,
    bySeverity,
    byRule: [...byRule.entries()].map(([ruleId, count]) => ({ ruleId, count })).sort((a, b) => b.count - a.count || a.ruleId.localeCompare(b.ruleId)),
    top: ordered.slice(0, top),
    alerts,
    from: times[0] ?? '',
    to: times[times.length - 1] ?? '',
  };
}

export function digestHeadline(digest: Digest): string {
  return `leuko: ${digest.count} alerts (${severityCounts(digest)})`;
}

export function severityCounts(digest: Digest): string {
  return SEVERITIES.filter((severity) => digest.bySeverity[severity]).map((severity) => `${digest.bySeverity[severity]} ${severity}`).join(', ');
}

/** One line per alert: "[HIGH] New finding: … — arn:aws:iam::…:user/alice". */
export function alertLine(alert: Alert): string {
  return `${alertHeadline(alert)}${alert.actor?.arn ? ` (by ${alert.actor.arn})` : ''}`;
}

export function digestText(digest: Digest): string {
  const more = digest.count - digest.top.length;
  return [
    digestHeadline(digest),
    `Between ${digest.from} and ${digest.to}.`,
    '',
    'By rule:',
    ...digest.byRule.map((entry) => `  ${entry.ruleId}: ${entry.count}`),
    '',
    `Most severe${more > 0 ? ` ${digest.top.length}` : ''}:`,
    ...digest.top.map((alert) => `  ${alertLine(alert)}`),
    ...(more > 0 ? [`  … and ${more} more`] : []),
    '',
    `Digest id: ${digest.id}`,
  ].join('\n');
}
