// Backoff arithmetic and Retry-After parsing: the parts of retrying a local server cannot show quickly.
import { describe, expect, it } from 'vitest';
import { DeliveryError } from './channels/channel.js';
import { parseRetryAfter } from './channels/http-post.js';
import { createRedactor } from './redact.js';
import { retryDelay, withRetries } from './retry.js';

const policy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 8000 };
const transient = new DeliveryError('HTTP 503', { retryable: true });

describe('retries', () => {
  it('backs off exponentially with jitter in [½, 1], capped, and never below Retry-After', () => {
    expect(retryDelay(policy, 1, transient, () => 0)).toBe(500);
    expect(retryDelay(policy, 1, transient, () => 1)).toBe(1000);
    expect(retryDelay(policy, 3, transient, () => 1)).toBe(4000);
    expect(retryDelay(policy, 6, transient, () => 1)).toBe(8000);
    expect(retryDelay(policy, 1, new DeliveryError('HTTP 429', { retryable: true, retryAfterMs: 3000 }), () => 0)).toBe(3000);
    expect(retryDelay(policy, 1, new DeliveryError('HTTP 429', { retryable: true, retryAfterMs: 60_000 }), () => 0)).toBe(8000);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('stops at once on a permanent error and after maxAttempts on a transient one', async () => {
    const delays: number[] = [];
    const hooks = { sleep: async (ms: number) => void delays.push(ms), random: () => 1 };
    let calls = 0;
    const permanent = await withRetries(policy, async () => {
      calls += 1;
      throw new DeliveryError('HTTP 403', { retryable: false });
    }, hooks);
    expect([permanent.ok, permanent.attempts, calls]).toEqual([false, 1, 1]);
    const exhausted = await withRetries(policy, async () => {
      throw transient;
    }, hooks);
    expect([exhausted.ok, exhausted.attempts]).toEqual([false, 5]);
    expect(delays).toEqual([1000, 2000, 4000, 8000]);
    const bug = await withRetries(policy, async () => {
      throw new TypeError('secret https://hooks.slack.com/services/T/B/X in a message');
    }, hooks);
    expect(bug.error?.message).toBe('unexpected TypeError');
  });

  it('redacts every secret, longest first', () => {
    const redact = createRedactor(['https://hooks.example/T/B/secret', '/T/B/secret', 'pw12345']);
    expect(redact('POST https://hooks.example/T/B/secret and /T/B/secret with pw12345')).toBe('POST [redacted] and [redacted] with [redacted]');
  });
});
