// Actor from every userIdentity type CloudTrail writes.
import { describe, expect, it } from 'vitest';
import { actorFromRecord } from './actor.js';
import { testRecord } from './test-records.js';

describe('actorFromRecord', () => {
  it('IAMUser: its ARN, with the event around it', () => {
    expect(actorFromRecord(testRecord({ eventName: 'RunInstances' }))).toEqual({
      arn: 'arn:aws:iam::123456789012:user/alice',
      type: 'IAMUser',
      accountId: '123456789012',
      principalId: 'AIDAEXAMPLE',
      sourceIp: '198.51.100.7',
      userAgent: 'aws-cli/2.15.0',
      eventId: 'e-0001',
      eventName: 'RunInstances',
      eventTime: '2024-08-01T12:00:00Z',
    });
  });

  it('AssumedRole: the session ARN, and the role from sessionContext.sessionIssuer', () => {
    const actor = actorFromRecord(
      testRecord({
        eventName: 'RunInstances',
        userIdentity: {
          type: 'AssumedRole',
          principalId: 'AROAEXAMPLE:bob',
          arn: 'arn:aws:sts::123456789012:assumed-role/Admin/bob',
          accountId: '123456789012',
          sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::123456789012:role/Admin', accountId: '123456789012', userName: 'Admin' }, attributes: { mfaAuthenticated: 'false' } },
        },
      }),
    );
    expect(actor).toMatchObject({ arn: 'arn:aws:sts::123456789012:assumed-role/Admin/bob', sessionIssuerArn: 'arn:aws:iam::123456789012:role/Admin', type: 'AssumedRole' });
  });

  it('Root without an ARN (sign-in events) gets the account root ARN; AWSService the service; AWSAccount its root', () => {
    expect(actorFromRecord(testRecord({ eventName: 'ConsoleLogin', userIdentity: { type: 'Root', accountId: '123456789012', arn: '' } })).arn).toBe('arn:aws:iam::123456789012:root');
    expect(actorFromRecord(testRecord({ eventName: 'AssumeRole', userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' } })).arn).toBe('ec2.amazonaws.com');
    expect(actorFromRecord(testRecord({ eventName: 'GetObject', userIdentity: { type: 'AWSAccount', accountId: '210987654321', principalId: 'AIDAX' } })).arn).toBe('arn:aws:iam::210987654321:root');
    expect(actorFromRecord(testRecord({ eventName: 'X', awsRegion: 'cn-north-1', userIdentity: { type: 'Root', accountId: '123456789012' } })).arn).toBe('arn:aws-cn:iam::123456789012:root');
  });

  it('no identity at all: still an actor, with the event', () => {
    expect(actorFromRecord(testRecord({ eventName: 'X', userIdentity: null }))).toMatchObject({ eventName: 'X', eventId: 'e-0001' });
  });
});
