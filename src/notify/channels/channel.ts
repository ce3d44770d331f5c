// The contract between the alert sink and one channel: deliver one message (an alert or a digest), once.
// Retries, routing and digests live in the sink, so a channel only knows its own wire format.
import type { Alert } from '../alert.js';
import type { Digest } from '../alert-text.js';
import type { ChannelType } from '../alerts-config.js';

export type OutgoingMessage = { readonly kind: 'alert'; readonly alert: Alert } | { readonly kind: 'digest'; readonly digest: Digest };

export interface AlertChannel {
  readonly name: string;
  readonly type: ChannelType;
  /** Secret values this channel holds (URLs, passwords, keys): the sink scrubs them from every log line and error. */
  readonly secrets: readonly string[];
  /** One attempt; throws DeliveryError (retryable or not) on failure. */
  deliver(message: OutgoingMessage, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/**
 * A failed attempt. The message must never contain a secret (callers build it from status codes and
 * error codes, not from URLs or server replies that may echo credentials); the sink scrubs it again.
 */
export class DeliveryError extends Error {
  readonly retryable: boolean;
  /** From Retry-After, when the receiver said how long to wait. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { retryable: boolean; retryAfterMs?: number }) {
    super(message);
    this.name = 'DeliveryError';
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The id a receiver de-duplicates on. */
export function messageId(message: OutgoingMessage): string {
  return message.kind === 'alert' ? message.alert.id : message.digest.id;
}
