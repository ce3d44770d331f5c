// The intake's IAM needs are listed in the least-privilege policy only when an intake is asked for.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { iamPolicy } from '../../src/aws/iam-policy.js';
import { parseJson, runCli } from '../harness/cli.js';

describe('iamPolicy intake statement', () => {
  it('adds SQS consumption and S3 log reads only when asked', () => {
    expect(iamPolicy({ readOnly: true }).Statement.map((statement) => statement.Sid)).toEqual(['LeukoRead']);
    const both = iamPolicy({ readOnly: true, intake: ['sqs', 's3'] }).Statement.find((statement) => statement.Sid === 'LeukoIntake');
    expect(both?.Action).toEqual(['s3:GetObject', 's3:ListBucket', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:ReceiveMessage']);
    const sqsOnly = iamPolicy({ readOnly: true, intake: ['sqs'] }).Statement.find((statement) => statement.Sid === 'LeukoIntake');
    expect(sqsOnly?.Action).toEqual(['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:ReceiveMessage']);
  });
});

describe('leuko iam-policy for watch', () => {
  it('adds intake and SNS publishing from leuko.yaml, and refuses an unknown intake kind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leuko-iam-'));
    const config = join(dir, 'leuko.yaml');
    writeFileSync(
      config,
      [
        'alerts:',
        '  channels:',
        '    - { name: ops, type: sns, topicArn: "arn:aws:sns:eu-west-1:111122223333:leuko" }',
        'watch:',
        '  sqs: [{ queueUrl: "https://sqs.eu-west-1.amazonaws.com/111122223333/leuko-events" }]',
        '',
      ].join('\n'),
    );
    const policy = parseJson<{ Statement: Array<{ Sid: string; Action: string[] }> }>(await runCli(['--config', config, 'iam-policy']));
    expect(policy.Statement.map((statement) => statement.Sid)).toEqual(['LeukoRead', 'LeukoIntake', 'LeukoAlerts']);
    expect(policy.Statement.find((statement) => statement.Sid === 'LeukoAlerts')?.Action).toEqual(['sns:Publish']);
    writeFileSync(config, ['remediation:', '  queue: { backend: sqs, url: "https://sqs.eu-west-1.amazonaws.com/111122223333/leuko-tasks" }', ''].join('\n'));
    const remediate = parseJson<{ Statement: Array<{ Sid: string; Action: string[] }> }>(await runCli(['--config', config, 'iam-policy', '--remediate']));
    expect(remediate.Statement.find((statement) => statement.Sid === 'LeukoRemediationQueue')?.Action).toEqual([
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:ReceiveMessage',
      'sqs:SendMessage',
    ]);
    const bad = await runCli(['--config', config, 'iam-policy', '--intake', 'kinesis']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('leuko: --intake: unknown kind "kinesis"; known: sqs, s3');
  }, 60_000);
});
