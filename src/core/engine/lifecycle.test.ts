// The findings lifecycle: open, seen again, resolved, reopened, justified, and what scope may resolve.
import { describe, expect, it } from 'vitest';
import { ingress, sg } from '../../../test/support/rule-fixtures.js';
import type { Finding } from '../finding.js';
import type { Resource } from '../resource.js';
import {
  compilePolicy,
  evaluate,
  evaluationScope,
  reconcileFindings,
  type FindingCandidate,
} from './index.js';

const T1 = '2025-01-01T00:00:00.000Z';
const T2 = '2025-01-02T00:00:00.000Z';
const T3 = '2025-01-03T00:00:00.000Z';

const policy = compilePolicy({});
const openGroup = sg([ingress('tcp', 22, 22, '0.0.0.0/0')]);
const closedGroup = sg([ingress('tcp', 22, 22, '10.0.0.0/8')]);
const other = { ...sg([ingress('tcp', 3306, 3306, '0.0.0.0/0')]), id: 'sg-other' } as Resource;
const candidatesOf = (...resources: Resource[]): readonly FindingCandidate[] =>
  evaluate(resources, policy).candidates;

describe('reconcileFindings', () => {
  it('new -> open, with firstSeen = lastSeen = now', () => {
    const result = reconcileFindings([], candidatesOf(openGroup), T1);
    expect(result.opened).toHaveLength(1);
    expect(result.opened[0]).toMatchObject({
      status: 'open',
      firstSeen: T1,
      lastSeen: T1,
      ruleId: 'sg-ingress-open-admin',
    });
    expect(result.findings).toEqual(result.opened);
  });

  it('still present -> lastSeen moves, firstSeen stays', () => {
    const first = reconcileFindings([], candidatesOf(openGroup), T1).findings;
    const second = reconcileFindings(first, candidatesOf(openGroup), T2);
    expect(second.unchanged).toHaveLength(1);
    expect(second.unchanged[0]).toMatchObject({ firstSeen: T1, lastSeen: T2, status: 'open' });
    expect(second.opened).toEqual([]);
  });

  it('gone -> resolved at now; and a resolved finding that comes back reopens', () => {
    const first = reconcileFindings([], candidatesOf(openGroup), T1).findings;
    const second = reconcileFindings(first, candidatesOf(closedGroup), T2);
    expect(second.resolved).toHaveLength(1);
    expect(second.resolved[0]).toMatchObject({ status: 'resolved', resolvedAt: T2, firstSeen: T1 });
    const third = reconcileFindings(second.findings, candidatesOf(openGroup), T3);
    expect(third.reopened).toHaveLength(1);
    expect(third.reopened[0]).toMatchObject({ status: 'open', firstSeen: T1, lastSeen: T3 });
    expect(third.reopened[0]?.resolvedAt).toBeUndefined();
  });

  it('a resolved finding that stays away is not saved again', () => {
    const first = reconcileFindings([], candidatesOf(openGroup), T1).findings;
    const second = reconcileFindings(first, [], T2).findings;
    expect(reconcileFindings(second, [], T3).findings).toEqual([]);
  });

  it('justified, and back to open when the exception expires', () => {
    const exempt = compilePolicy({
      exceptions: [{ rules: '*', resourceId: 'sg-*', justification: 'ok', expires: '2025-01-02' }],
    });
    const first = reconcileFindings([], evaluate([openGroup], exempt, { now: T1 }).candidates, T1);
    expect(first.justified).toHaveLength(1);
    expect(first.opened).toEqual([]);
    const second = reconcileFindings(
      first.findings,
      evaluate([openGroup], exempt, { now: T2 }).candidates,
      T2,
    );
    expect(second.unchanged[0]?.status).toBe('justified');
    const third = reconcileFindings(
      second.findings,
      evaluate([openGroup], exempt, { now: T3 }).candidates,
      T3,
    );
    expect(third.reopened).toHaveLength(1);
    expect(third.reopened[0]?.justification).toBeUndefined();
  });

  it('open -> justified when an exception is added', () => {
    const first = reconcileFindings([], candidatesOf(openGroup), T1).findings;
    const exempt = compilePolicy({ exceptions: [{ rules: '*', resourceId: 'sg-*', justification: 'ok' }] });
    const second = reconcileFindings(first, evaluate([openGroup], exempt).candidates, T2);
    expect(second.justified[0]).toMatchObject({ status: 'justified', firstSeen: T1 });
  });

  it('scope: findings of resources that were not evaluated are not resolved', () => {
    const first = reconcileFindings([], candidatesOf(openGroup, other), T1).findings;
    expect(first).toHaveLength(2);
    // Only `openGroup` was re-read (a CloudTrail event for it): `other` must stay open.
    const scope = evaluationScope([closedGroup], []);
    const second = reconcileFindings(first, candidatesOf(closedGroup), T2, { scope });
    expect(second.resolved.map((finding) => finding.resource.id)).toEqual(['sg-0123456789abcdef0']);
    expect(second.findings).toHaveLength(1);
  });

  it('scope by type, account, region and rule', () => {
    const first = reconcileFindings([], candidatesOf(openGroup), T1).findings;
    expect(reconcileFindings(first, [], T2, { scope: { types: ['aws.s3.bucket'] } }).resolved).toEqual([]);
    expect(reconcileFindings(first, [], T2, { scope: { accounts: ['999999999999'] } }).resolved).toEqual([]);
    expect(reconcileFindings(first, [], T2, { scope: { regions: ['us-east-1'] } }).resolved).toEqual([]);
    expect(reconcileFindings(first, [], T2, { scope: { ruleIds: ['rds-public'] } }).resolved).toEqual([]);
    expect(
      reconcileFindings(first, [], T2, {
        scope: { types: ['aws.ec2.security-group'], regions: ['eu-west-1'] },
      }).resolved,
    ).toHaveLength(1);
  });

  it('a rule that failed on a resource does not resolve its findings there', () => {
    const first = reconcileFindings([], candidatesOf(openGroup), T1).findings;
    const failure = {
      ruleId: 'sg-ingress-open-admin',
      resource: first[0]!.resource,
      resourceKey: 'aws.ec2.security-group|111122223333|eu-west-1|sg-0123456789abcdef0',
      message: 'boom',
    };
    const scope = evaluationScope([openGroup], [failure]);
    expect(reconcileFindings(first, [], T2, { scope }).resolved).toEqual([]);
  });

  it('duplicate candidates count once; actor is recorded on opening', () => {
    const candidates = candidatesOf(openGroup);
    const actor = { arn: 'arn:aws:iam::111122223333:user/alice', eventName: 'AuthorizeSecurityGroupIngress' };
    const result = reconcileFindings([], [...candidates, ...candidates], T1, { actor, eventId: 'evt-1' });
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ actor, eventId: 'evt-1' });
    const again = reconcileFindings(result.findings, candidates, T2, { actor: { arn: 'someone-else' } });
    expect(again.unchanged[0]?.actor).toEqual(actor);
  });

  it('keeps previous findings it was not asked about out of the output', () => {
    const stale: Finding = {
      ...reconcileFindings([], candidatesOf(other), T1).findings[0]!,
      status: 'resolved',
      resolvedAt: T1,
    };
    expect(
      reconcileFindings([stale], candidatesOf(openGroup), T2).findings.map((finding) => finding.status),
    ).toEqual(['open']);
  });

  it('accepts a Date for now', () => {
    expect(reconcileFindings([], candidatesOf(openGroup), new Date(T1)).findings[0]?.firstSeen).toBe(T1);
  });
});
