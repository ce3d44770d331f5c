// alertsFromTransitions / alertsFromDetections: one alert per change of state, none for a finding that stays open.
import { describe, expect, it } from 'vitest';
import { findingId, type Finding } from '../core/finding.js';
import type { DetectionResult } from '../sources/cloudtrail/evaluate-events.js';
import type { FindingTransition } from '../store/store.js';
import { alertsFromDetections, alertsFromTransitions } from './alerts-from-transitions.js';

const resource = { type: 'aws.s3.bucket' as const, account: '111122223333', region: 'eu-west-1', id: 'logs', arn: 'arn:aws:s3:::logs' };
const base: Finding = {
  id: findingId('s3-public-acl', resource, 'grant AllUsers READ'),
  ruleId: 's3-public-acl',
  severity: 'high',
  certainty: 'definite',
  status: 'open',
  resource,
  part: 'grant AllUsers READ',
  message: 'Bucket logs grants READ to AllUsers.',
  firstSeen: '2026-11-20T00:00:00.000Z',
  lastSeen: '2026-11-23T00:00:00.000Z',
};
const at = '2026-11-23T12:00:00.000Z';
const t = (from: FindingTransition['from'], to: FindingTransition['to'], finding: Finding = base): FindingTransition => ({ finding: { ...finding, status: to }, from, to, at });

describe('alertsFromTransitions', () => {
  it.each([
    [null, 'open', 'finding-opened', 'New finding: s3-public-acl on logs'],
    ['resolved', 'open', 'finding-opened', 'Reopened: s3-public-acl on logs'],
    ['justified', 'open', 'finding-opened', 'Exception expired: s3-public-acl on logs'],
    ['open', 'resolved', 'finding-resolved', 'Resolved: s3-public-acl on logs'],
    ['justified', 'resolved', 'finding-resolved', 'Resolved: s3-public-acl on logs'],
    ['open', 'justified', 'finding-justified', 'Justified: s3-public-acl on logs'],
    [null, 'justified', 'finding-justified', 'Justified: s3-public-acl on logs'],
  ] as const)('%s → %s is %s', (from, to, kind, title) => {
    const [alert, ...rest] = alertsFromTransitions([t(from, to)]);
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({ kind, title, ruleId: 's3-public-acl', severity: 'high', resource, at });
  });

  it('gives nothing for a status that did not change', () => {
    expect(alertsFromTransitions([t('open', 'open'), t('resolved', 'resolved'), t('justified', 'justified')])).toEqual([]);
  });

  it('ids are stable per (kind, finding, time) and differ when any of them changes', () => {
    const [a] = alertsFromTransitions([t(null, 'open')]);
    const [again] = alertsFromTransitions([t(null, 'open')]);
    const [resolved] = alertsFromTransitions([t('open', 'resolved')]);
    const [later] = alertsFromTransitions([{ ...t(null, 'open'), at: '2026-11-24T00:00:00.000Z' }]);
    expect(a!.id).toMatch(/^a-[0-9a-f]{20}$/);
    expect(again!.id).toBe(a!.id);
    expect(new Set([a!.id, resolved!.id, later!.id]).size).toBe(3);
  });

  it('carries the actor, the event id, the justification and what remediation did', () => {
    const actor = { arn: 'arn:aws:sts::111122223333:assumed-role/deploy/ci', eventId: 'e-1' };
    const justified = { ...base, actor, justification: { reason: 'Public website (WEB-12)', expires: '2027-01-01', source: 'leuko.yaml' } };
    const [alert] = alertsFromTransitions([t('open', 'justified', justified)], {
      remediationFor: (finding) => ({ taskId: 't', actionId: 'remove-s3-public-acl-grants', mode: 'dry-run', outcome: 'proposed', changes: [`drop READ for AllUsers on ${finding.resource.id}`] }),
    });
    expect(alert!.actor).toEqual(actor);
    expect(alert!.eventId).toBe('e-1');
    expect(alert!.message).toBe('Bucket logs grants READ to AllUsers. Accepted until 2027-01-01: Public website (WEB-12)');
    expect(alert!.remediation?.changes).toEqual(['drop READ for AllUsers on logs']);
  });
});

describe('alertsFromDetections', () => {
  it('one detection alert per hit, with subject, account, region and actor', () => {
    const hit: DetectionResult = {
      id: 'd-0123456789abcdef0123',
      detectionId: 'cloudtrail-tampering',
      title: 'CloudTrail logging stopped',
      severity: 'critical',
      subject: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/main',
      message: 'StopLogging on trail main.',
      account: '111122223333',
      region: 'eu-west-1',
      actor: { arn: 'arn:aws:iam::111122223333:user/mallory', sourceIp: '203.0.113.9' },
      eventId: 'ev-9',
      eventName: 'StopLogging',
      eventTime: '2026-11-23T08:00:00Z',
    };
    const [alert] = alertsFromDetections([hit]);
    expect(alert).toMatchObject({
      kind: 'detection',
      severity: 'critical',
      ruleId: 'cloudtrail-tampering',
      title: 'CloudTrail logging stopped: arn:aws:cloudtrail:eu-west-1:111122223333:trail/main',
      subject: hit.subject,
      account: '111122223333',
      region: 'eu-west-1',
      eventId: 'ev-9',
      at: '2026-11-23T08:00:00Z',
    });
    expect(alert!.actor?.arn).toBe('arn:aws:iam::111122223333:user/mallory');
    expect(alertsFromDetections([hit])[0]!.id).toBe(alert!.id);
  });
});
