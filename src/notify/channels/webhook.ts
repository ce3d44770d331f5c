// A generic webhook: the alert (or digest) as JSON, signed with HMAC-SHA256 when a secret is configured.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Digest } from '../alert-text.js';
import type { Alert } from '../alert.js';
import { messageId, type AlertChannel, type OutgoingMessage } from './channel.js';
import { postJson, type FetchLike } from './http-post.js';

export const SIGNATURE_HEADER = 'x-leuko-signature';
export const TIMESTAMP_HEADER = 'x-leuko-timestamp';
export const ALERT_ID_HEADER = 'x-leuko-alert-id';

export type WebhookBody = { readonly type: 'alert'; readonly alert: Alert } | { readonly type: 'digest'; readonly digest: Digest };

export function webhookBody(message: OutgoingMessage): WebhookBody {
  return message.kind === 'alert' ? { type: 'alert', alert: message.alert } : { type: 'digest', digest: message.digest };
}

/**
 * "sha256=" + hex HMAC-SHA256 over "<timestamp>.<body>": the timestamp is signed too, so a receiver can
 * refuse a captured request replayed later.
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** For receivers: true when the signature matches (constant-time comparison). */
export function verifyWebhookSignature(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(webhookSignature(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function createWebhookChannel(options: {
  name: string;
  url: string;
  secret?: string;
  headers?: Readonly<Record<string, string>>;
  fetch: FetchLike;
  now?: () => number;
}): AlertChannel {
  const now = options.now ?? Date.now;
  return {
    name: options.name,
    type: 'webhook',
    // The URL may carry a token in its path or query; the HMAC key must never leave the process.
    secrets: [options.url, options.secret ?? ''].filter((secret) => secret.length > 0),
    async deliver(message: OutgoingMessage, signal: AbortSignal) {
      const body = JSON.stringify(webhookBody(message));
      const timestamp = String(Math.floor(now() / 1000));
      const headers: Record<string, string> = { ...options.headers, [ALERT_ID_HEADER]: messageId(message), [TIMESTAMP_HEADER]: timestamp };
      if (options.secret) headers[SIGNATURE_HEADER] = webhookSignature(options.secret, timestamp, body);
      await postJson(options.fetch, options.url, body, headers, signal);
    },
    close: async () => {},
  };
}
