// The intake's IAM needs are listed in the least-privilege policy only when an intake is asked for.
import { describe, expect, it } from 'vitest';
import { iamPolicy } from '../../src/aws/iam-policy.js';

describe('iamPolicy intake statement', () => {
  it('adds SQS consumption and S3 log reads only when asked', () => {
    expect(iamPolicy({ readOnly: true }).Statement.map((statement) => statement.Sid)).toEqual(['LeukoRead']);
    const both = iamPolicy({ readOnly: true, intake: ['sqs', 's3'] }).Statement.find((statement) => statement.Sid === 'LeukoIntake');
    expect(both?.Action).toEqual(['s3:GetObject', 's3:ListBucket', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:ReceiveMessage']);
    const sqsOnly = iamPolicy({ readOnly: true, intake: ['sqs'] }).Statement.find((statement) => statement.Sid === 'LeukoIntake');
    expect(sqsOnly?.Action).toEqual(['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:ReceiveMessage']);
  });
});
