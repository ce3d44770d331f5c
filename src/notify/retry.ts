// Retries one delivery with exponential backoff and jitter, honouring Retry-After, within a fixed budget.
import { DeliveryError } from './channels/channel.js';

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface RetryOutcome {
  readonly ok: boolean;
  readonly attempts: number;
  readonly error?: DeliveryError;
}

export interface RetryHooks {
  readonly sleep: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly onRetry?: (attempt: number, delayMs: number, error: DeliveryError) => void;
}

/** Backoff before attempt n+1: base·2^(n-1) with jitter in [½, 1], at least Retry-After, at most maxDelayMs. */
export function retryDelay(policy: RetryPolicy, attempt: number, error: DeliveryError, random: () => number = Math.random): number {
  const exponential = policy.baseDelayMs * 2 ** (attempt - 1);
  const jittered = exponential * (0.5 + random() / 2);
  return Math.min(policy.maxDelayMs, Math.max(jittered, error.retryAfterMs ?? 0));
}

function asDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  // A bug in a channel, not a wire failure: report its class only, since its message may hold anything.
  return new DeliveryError(`unexpected ${(error as { name?: string }).name ?? 'error'}`, { retryable: false });
}

export async function withRetries(policy: RetryPolicy, attempt: (n: number) => Promise<void>, hooks: RetryHooks): Promise<RetryOutcome> {
  for (let n = 1; ; n += 1) {
    try {
      await attempt(n);
      return { ok: true, attempts: n };
    } catch (thrown) {
      const error = asDeliveryError(thrown);
      if (!error.retryable || n >= policy.maxAttempts) return { ok: false, attempts: n, error };
      const delay = retryDelay(policy, n, error, hooks.random);
      hooks.onRetry?.(n, delay, error);
      await hooks.sleep(delay);
    }
  }
}
