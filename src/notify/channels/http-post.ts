// One HTTP POST for the Slack and webhook channels, with failures classified for the retry loop.
import { DeliveryError } from './channel.js';

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<Response>;

/** Retry-After as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' ? name : 'unknown';
}

/**
 * POSTs `body`; resolves on 2xx. 429, 5xx and network failures are retryable; other statuses are not
 * (a 404 means a revoked webhook, and retrying it only delays the report). The error names the host and
 * the status, never the URL: a Slack webhook URL is itself the credential.
 */
export async function postJson(
  fetchImpl: FetchLike,
  url: string,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<void> {
  const host = new URL(url).host;
  let response: Response;
  try {
    response = await fetchImpl(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal });
  } catch (error) {
    if (signal.aborted) throw new DeliveryError(`POST to ${host} timed out`, { retryable: true });
    throw new DeliveryError(`POST to ${host} failed: network error ${networkCode(error)}`, { retryable: true });
  }
  if (response.ok) {
    await response.body?.cancel();
    return;
  }
  // The reply body is not quoted: some receivers echo the request URL (and so the secret) in it.
  await response.body?.cancel();
  const retryable = response.status === 429 || response.status >= 500;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  throw new DeliveryError(`POST to ${host} failed: HTTP ${response.status}`, {
    retryable,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}
