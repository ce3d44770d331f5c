// The HTTP intake over real sockets: every body form, auth, the size limit, malformed JSON, and the health check.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpIntake, type HttpIntake, type HttpIntakeBatch } from '../../src/sources/cloudtrail/http-intake.js';
import { authorizeIngressRecord, describeRecord, eventBridgeEvent } from './support.js';

const TOKEN = 'intake-token-for-tests';
const account = '123456789012';
const batches: HttpIntakeBatch[] = [];
let intake: HttpIntake;
let failNext = false;

async function post(body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${intake.url}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  intake = await startHttpIntake({
    token: TOKEN,
    port: 0,
    maxBodyBytes: 64 * 1024,
    handle: async (batch) => {
      if (failNext) {
        failNext = false;
        throw new Error('store is locked');
      }
      batches.push(batch);
      return { records: batch.records.length };
    },
  });
});

afterAll(async () => {
  await intake.close();
});

describe('HTTP intake', () => {
  it('listens on loopback by default and answers the health check', async () => {
    expect(intake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${intake.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect((await fetch(`${intake.url}/nope`)).status).toBe(404);
    expect((await fetch(`${intake.url}/events`)).status).toBe(405);
  });

  it('refuses a missing or wrong bearer token with 401, before reading the body', async () => {
    const body = JSON.stringify(eventBridgeEvent(describeRecord(account, 'eu-west-1')));
    const before = batches.length;
    expect((await fetch(`${intake.url}/events`, { method: 'POST', body })).status).toBe(401);
    expect((await post(body, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await post(body, { authorization: `Basic ${TOKEN}` })).status).toBe(401);
    expect(batches.length).toBe(before);
  });

  it('accepts an EventBridge event, an array, a log file object and JSON Lines; 202 after processing', async () => {
    const open = authorizeIngressRecord(account, 'eu-west-1', 'sg-0123456789abcdef0', { protocol: 'tcp', port: 22, cidr: '0.0.0.0/0' }, []);
    const other = describeRecord(account, 'eu-west-1');
    const forms = [
      [JSON.stringify(eventBridgeEvent(open)), 1],
      [JSON.stringify([open, eventBridgeEvent(other)]), 2],
      [JSON.stringify({ Records: [open, other, other] }), 3],
      [`${JSON.stringify(open)}\n${JSON.stringify(eventBridgeEvent(other))}\n`, 2],
    ] as const;
    for (const [body, count] of forms) {
      const before = batches.length;
      const answer = await post(body);
      expect(answer).toEqual({ status: 202, body: { accepted: count, skipped: 0, errors: [], result: { records: count } } });
      // Processed before the answer, not after.
      expect(batches.length).toBe(before + 1);
      expect(batches.at(-1)?.records[0]?.record.eventID).toBe(open.eventID);
    }
    const gzipped = await post(gzipSync(JSON.stringify({ Records: [open] })), { 'content-encoding': 'gzip' });
    expect(gzipped.status).toBe(202);
    expect(gzipped.body.accepted).toBe(1);
  });

  it('a broken line or record is reported in the 202 and the rest go through; a non-CloudTrail event is skipped', async () => {
    const good = describeRecord(account, 'eu-west-1');
    const answer = await post(`${JSON.stringify(good)}\n{"eventName": \n${JSON.stringify({ ...good, eventSource: undefined })}\n`);
    expect(answer.status).toBe(202);
    expect(answer.body.accepted).toBe(1);
    const errors = answer.body.errors as string[];
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^request body:2: malformed JSON: /);
    expect(errors[1]).toBe('request body:3: record DescribeInstances has no eventSource');
    const config = await post(JSON.stringify({ version: '0', 'detail-type': 'Config Configuration Item Change', source: 'aws.config', detail: { configurationItem: {} } }));
    expect(config.body).toMatchObject({ accepted: 0, skipped: 1 });
  });

  it('malformed JSON is a 400 with one clear line; an oversized body is a 413; a failing handler a 500', async () => {
    const malformed = await post('{"detail-type": "AWS API Call via CloudTrail", "detail": {');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatch(/^request body: malformed JSON: /);
    expect(String(malformed.body.error)).not.toContain('\n');

    const big = JSON.stringify({ Records: Array.from({ length: 400 }, () => describeRecord(account, 'eu-west-1')) });
    expect(big.length).toBeGreaterThan(64 * 1024);
    const tooBig = await post(big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error).toMatch(/over the 65536-byte limit/);
    const bomb = await post(gzipSync(Buffer.alloc(1024 * 1024, 0x20)), { 'content-encoding': 'gzip' });
    expect(bomb.status).toBe(413);

    failNext = true;
    const failed = await post(JSON.stringify(describeRecord(account, 'eu-west-1')));
    expect(failed).toEqual({ status: 500, body: { error: 'processing failed: store is locked' } });
    // The server goes on.
    expect((await post(JSON.stringify(describeRecord(account, 'eu-west-1')))).status).toBe(202);
  });

  it('will not start without a token', async () => {
    await expect(startHttpIntake({ port: 0, env: {}, handle: async () => undefined })).rejects.toThrow(/LEUKO_INTAKE_TOKEN/);
  });
});
