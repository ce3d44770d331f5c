// Findings and transitions for the alert tests, shaped as the store returns them.
import { findingId, type Finding } from '../../src/core/finding.js';
import type { Severity } from '../../src/core/rule.js';
import type { Alert } from '../../src/notify/alert.js';
import { alertsFromTransitions } from '../../src/notify/alerts-from-transitions.js';
import type { FindingStatus } from '../../src/core/finding.js';

export const ACTOR_ARN = 'arn:aws:iam::111122223333:user/mallory';

export function finding(index: number, overrides: Partial<Finding> = {}): Finding {
  const resource = {
    type: 'aws.ec2.security-group' as const,
    account: '111122223333',
    region: 'eu-west-1',
    id: `sg-${String(index).padStart(17, '0')}`,
    arn: `arn:aws:ec2:eu-west-1:111122223333:security-group/sg-${String(index).padStart(17, '0')}`,
  };
  const ruleId = overrides.ruleId ?? 'sg-ingress-open-admin';
  return {
    id: findingId(ruleId, resource, 'ingress tcp 22 0.0.0.0/0'),
    ruleId,
    severity: 'high',
    certainty: 'definite',
    status: 'open',
    resource,
    part: 'ingress tcp 22 0.0.0.0/0',
    message: `Security group ${resource.id} allows SSH (tcp 22) from 0.0.0.0/0.`,
    firstSeen: '2026-11-23T10:00:00.000Z',
    lastSeen: '2026-11-23T10:00:00.000Z',
    actor: { arn: ACTOR_ARN, type: 'IAMUser', sourceIp: '203.0.113.9', eventName: 'AuthorizeSecurityGroupIngress', eventId: `evt-${index}` },
    ...overrides,
  };
}

/** Alerts as audit makes them: from finding transitions (null → open by default). */
export function openedAlerts(count: number, options: { severity?: Severity; ruleId?: string; from?: FindingStatus | null; start?: number } = {}): Alert[] {
  const transitions = Array.from({ length: count }, (_, i) => {
    const f = finding((options.start ?? 0) + i, {
      ...(options.severity ? { severity: options.severity } : {}),
      ...(options.ruleId ? { ruleId: options.ruleId } : {}),
    });
    return { finding: f, from: options.from ?? null, to: 'open' as const, at: '2026-11-23T10:00:00.000Z' };
  });
  return alertsFromTransitions(transitions);
}

export interface CapturedLog {
  readonly log: { info: (msg: string, fields?: object) => void; warn: (msg: string, fields?: object) => void; error: (msg: string, fields?: object) => void };
  readonly lines: string[];
}

/** A logger that keeps every line (message and fields) as text, so tests can look for leaked secrets. */
export function captureLog(): CapturedLog {
  const lines: string[] = [];
  const push = (level: string) => (msg: string, fields?: object) => lines.push(`${level} ${msg} ${JSON.stringify(fields ?? {})}`);
  return { lines, log: { info: push('info'), warn: push('warn'), error: push('error') } };
}
