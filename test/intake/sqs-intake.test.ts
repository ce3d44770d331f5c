// The SQS intake against moto's SQS: good messages processed and deleted once, poisoned ones in the dead-letter queue,
// a slow message kept invisible, S3 notifications read through, and SIGTERM mid-batch losing nothing.
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { runSqsIntake, startSqsIntake, type IntakeMessage, type SqsIntakeEvent } from '../../src/sources/cloudtrail/sqs-intake.js';
import { accountClients, motoEndpoint, motoEnv, testRoleArn, uniqueAccountId } from '../harness/aws.js';
import { authorizeIngressRecord, describeRecord, eventBridgeEvent } from './support.js';

const account = uniqueAccountId();
const clients = accountClients(account);
const sqs: SQSClient = clients.client('sqs', 'us-east-1');

afterAll(() => clients.destroy());

async function queue(name: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
  const created = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-${randomUUID().slice(0, 8)}`, Attributes: attributes }));
  const url = created.QueueUrl!;
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return { url, arn: attrs.Attributes!.QueueArn! };
}

async function depth(url: string): Promise<number> {
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(attrs.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(attrs.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}

/** Every body left in the queue (waiting out the visibility of anything received and not deleted). */
async function drain(url: string, visibilityWaitSeconds: number): Promise<string[]> {
  const bodies: string[] = [];
  const deadline = Date.now() + (visibilityWaitSeconds + 5) * 1000;
  while (Date.now() < deadline) {
    const answer = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 600 }));
    for (const message of answer.Messages ?? []) bodies.push(message.Body ?? '');
    if ((answer.Messages ?? []).length === 0 && (await depth(url)) === 0) break;
  }
  return bodies;
}

function goodBody(port: number): { body: string; eventId: string } {
  const record = authorizeIngressRecord(account, 'eu-west-1', 'sg-0123456789abcdef0', { protocol: 'tcp', port, cidr: '0.0.0.0/0' }, []);
  return { body: JSON.stringify(eventBridgeEvent(record)), eventId: String(record.eventID) };
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('SQS intake', () => {
  it('processes and deletes good messages once; malformed and throwing ones go to the DLQ after maxReceiveCount', async () => {
    const dlq = await queue('leuko-dlq');
    const main = await queue('leuko-events', { VisibilityTimeout: '2', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }) });
    const good = [goodBody(22), goodBody(3389), goodBody(5432)];
    const poison = JSON.stringify(eventBridgeEvent({ ...describeRecord(account, 'eu-west-1'), eventName: 'PoisonPill' }));
    const malformed = '{"version":"0","detail-type":"AWS API Call via CloudTrail","detail":{"eventName":';
    // A JSON Lines body with one broken line: the good record goes through, the broken line is reported.
    const mixed = `${JSON.stringify(describeRecord(account, 'eu-west-1'))}\n{"eventName": "x"\n`;
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: main.url,
        Entries: [good[0]!.body, malformed, good[1]!.body, poison, good[2]!.body, mixed].map((body, index) => ({ Id: String(index), MessageBody: body })),
      }),
    );

    const handled: IntakeMessage[] = [];
    const events: SqsIntakeEvent[] = [];
    const controller = new AbortController();
    const running = runSqsIntake({
      sqs,
      queueUrl: main.url,
      signal: controller.signal,
      waitTimeSeconds: 1,
      visibilityTimeoutSeconds: 2,
      retryAfterSeconds: 0,
      onEvent: (event) => events.push(event),
      handle: async (message) => {
        if (message.records.some(({ record }) => record.eventName === 'PoisonPill')) throw new Error('the pipeline threw on this one');
        handled.push(message);
      },
    });
    await until(async () => (await depth(dlq.url)) === 2 && handled.length === 4, 60_000);
    controller.abort();
    const stats = await running;

    const handledIds = handled.flatMap((message) => message.records.map(({ record }) => record.eventID));
    expect(handledIds.filter((id) => good.some((body) => body.eventId === id)).sort()).toEqual(good.map((body) => body.eventId).sort());
    expect(new Set(handledIds).size).toBe(handledIds.length);
    const withBrokenLine = handled.find((message) => message.errors.length > 0);
    expect(withBrokenLine?.records).toHaveLength(1);
    expect(withBrokenLine?.errors[0]?.message).toMatch(/^sqs message .+:2: malformed JSON/);
    expect(stats).toMatchObject({ processed: 4, deleted: 4 });
    expect(stats.failed).toBeGreaterThanOrEqual(4);
    const failures = events.filter((event): event is Extract<SqsIntakeEvent, { kind: 'failed' }> => event.kind === 'failed');
    expect(failures.some((event) => /malformed JSON/.test(event.error))).toBe(true);
    expect(failures.some((event) => event.error === 'the pipeline threw on this one' && event.receiveCount === 2)).toBe(true);

    expect(await depth(main.url)).toBe(0);
    expect((await drain(dlq.url, 0)).sort()).toEqual([malformed, poison].sort());
  });

  it('keeps a slow message invisible while it is processed, so no other consumer gets it', async () => {
    const main = await queue('leuko-slow', { VisibilityTimeout: '2' });
    const { body, eventId } = goodBody(22);
    await sqs.send(new SendMessageCommand({ QueueUrl: main.url, MessageBody: body }));
    const events: SqsIntakeEvent[] = [];
    const seenByOther: string[] = [];
    let finished = false;
    const intake = startSqsIntake({
      sqs,
      queueUrl: main.url,
      waitTimeSeconds: 1,
      visibilityTimeoutSeconds: 3,
      onEvent: (event) => events.push(event),
      handle: async () => {
        // Three times the visibility timeout: without extension the message would reappear twice meanwhile.
        const end = Date.now() + 9000;
        while (Date.now() < end) {
          const other = await sqs.send(new ReceiveMessageCommand({ QueueUrl: main.url, WaitTimeSeconds: 1, VisibilityTimeout: 1 }));
          for (const message of other.Messages ?? []) seenByOther.push(message.Body ?? '');
        }
        finished = true;
      },
    });
    await until(async () => finished && (await depth(main.url)) === 0, 30_000);
    const stats = await intake.stop();
    expect(seenByOther).toEqual([]);
    expect(events.filter((event) => event.kind === 'extended').length).toBeGreaterThanOrEqual(2);
    expect(stats).toMatchObject({ processed: 1, deleted: 1, failed: 0 });
    expect(eventId).toBeTruthy();
  });

  it('reads the log object an S3 notification points at; an unreadable object leaves the message for a retry', async () => {
    const s3 = clients.client('s3', 'us-east-1');
    const bucket = `leuko-trail-${randomUUID().slice(0, 8)}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const record = authorizeIngressRecord(account, 'eu-west-1', 'sg-0123456789abcdef0', { protocol: 'tcp', port: 22, cidr: '0.0.0.0/0' }, []);
    const key = `AWSLogs/${account}/CloudTrail/eu-west-1/2026/11/23/${account}_CloudTrail_eu-west-1_20261123T1200Z_a b.json.gz`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: gzipSync(JSON.stringify({ Records: [record, describeRecord(account, 'eu-west-1')] })) }));
    const notice = (objectKey: string) =>
      JSON.stringify({
        Records: [
          {
            eventVersion: '2.1',
            eventSource: 'aws:s3',
            awsRegion: 'us-east-1',
            eventTime: new Date().toISOString(),
            eventName: 'ObjectCreated:Put',
            s3: { s3SchemaVersion: '1.0', bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` }, object: { key: encodeURIComponent(objectKey).replace(/%20/g, '+').replace(/%2F/g, '/'), size: 100 } },
          },
        ],
      });
    const main = await queue('leuko-notices', { VisibilityTimeout: '2' });
    await sqs.send(new SendMessageCommand({ QueueUrl: main.url, MessageBody: notice(key) }));
    await sqs.send(new SendMessageCommand({ QueueUrl: main.url, MessageBody: notice(`${key}.missing`) }));
    await sqs.send(new SendMessageCommand({ QueueUrl: main.url, MessageBody: JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: bucket }) }));

    const handled: IntakeMessage[] = [];
    const events: SqsIntakeEvent[] = [];
    const intake = startSqsIntake({
      sqs,
      queueUrl: main.url,
      waitTimeSeconds: 1,
      visibilityTimeoutSeconds: 30,
      s3For: () => s3,
      onEvent: (event) => events.push(event),
      handle: async (message) => {
        handled.push(message);
      },
    });
    await until(async () => handled.length === 2 && events.some((event) => event.kind === 'failed'), 30_000);
    const stats = await intake.stop();
    expect(handled.map((message) => message.records.map(({ record: read }) => read.eventID))).toContainEqual([record.eventID, expect.any(String)]);
    expect(handled.find((message) => message.records.length === 0)?.skipped).toBe(1);
    const failed = events.find((event): event is Extract<SqsIntakeEvent, { kind: 'failed' }> => event.kind === 'failed');
    expect(failed?.error).toContain(`s3://${bucket}/${key}.missing: cannot read: NoSuchKey`);
    expect(stats).toMatchObject({ processed: 2, deleted: 2, failed: 1 });
  });

  it('SIGTERM mid-batch loses nothing: each message is processed and deleted, or still in the queue', async () => {
    const main = await queue('leuko-sigterm', { VisibilityTimeout: '3' });
    const bodies = Array.from({ length: 30 }, (_, index) => goodBody(1000 + index));
    for (let start = 0; start < bodies.length; start += 10) {
      await sqs.send(
        new SendMessageBatchCommand({ QueueUrl: main.url, Entries: bodies.slice(start, start + 10).map((body, index) => ({ Id: String(index), MessageBody: body.body })) }),
      );
    }
    const worker = fileURLToPath(new URL('./sqs-worker.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', worker], {
      env: { ...motoEnv(motoEndpoint()), QUEUE_URL: main.url, ROLE_ARN: testRoleArn(account), DELAY_MS: '250' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Terminated as soon as it has finished its first message: the rest of its batch is in hand.
    await until(async () => stdout.includes('processed '), 60_000);
    child.kill('SIGTERM');
    const signalledAt = Date.now();
    const code = await exited;
    expect(code, stderr).toBe(0);
    // Bounded by one batch (10 x 250 ms) plus its deletes.
    expect(Date.now() - signalledAt).toBeLessThan(15_000);
    expect(stdout).toMatch(/stopped \{/);

    const processed = [...stdout.matchAll(/^processed (\S+)$/gm)].map((match) => match[1]);
    const left = (await drain(main.url, 3)).map((body) => String((JSON.parse(body) as { detail: { eventID: string } }).detail.eventID));
    const all = bodies.map((body) => body.eventId).sort();
    // Nothing lost, nothing both processed and left behind (processed ones were deleted).
    expect([...processed, ...left].sort()).toEqual(all);
    // It finished every message it had received, then stopped receiving: the rest were never taken.
    const received = [...stdout.matchAll(/^received (\d+)$/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
    expect(processed.length).toBe(received);
    expect(left.length).toBeGreaterThan(0);
  });
});
