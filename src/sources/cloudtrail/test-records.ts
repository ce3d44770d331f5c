// Realistic CloudTrail records for tests, built from the shapes real trails show (one place, so tests stay short).
import { validateRecord, type CloudTrailRecord } from './record.js';

export const ACCOUNT = '123456789012';
export const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/alice`;

/** A valid record: an IAM user's successful call in eu-west-1, with `fields` merged over it. */
export function testRecord(fields: Record<string, unknown>): CloudTrailRecord {
  const value = {
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: USER_ARN, accountId: ACCOUNT, userName: 'alice' },
    eventTime: '2024-08-01T12:00:00Z',
    eventSource: 'ec2.amazonaws.com',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    eventID: 'e-0001',
    eventType: 'AwsApiCall',
    recipientAccountId: ACCOUNT,
    ...fields,
  };
  const checked = validateRecord(value);
  if (!checked.ok) throw new Error(checked.reason);
  return checked.record;
}
