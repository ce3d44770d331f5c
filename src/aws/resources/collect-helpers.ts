// Helpers the resource modules share: AWS calls under the region's limiter, paging, denied reads as unknowns.
import type { ResourceTypeId } from '../../core/resource-types.js';
import { unknownValue, type UnknownValue } from '../../core/unknown.js';
import { awsErrorCode, isAccessError } from '../aws-errors.js';
import type { CollectContext } from './resource-module.js';

/**
 * Names the failed call (IAM action) on the error for the scanner's failure report. The error itself is
 * rethrown unchanged, so its AWS code still classifies it (access denied, throttled).
 */
export function withOperation(error: unknown, operation: string): unknown {
  if (typeof error === 'object' && error !== null && !('$leukoOperation' in error)) {
    Object.defineProperty(error, '$leukoOperation', { value: operation, enumerable: false });
  }
  return error;
}

/** One AWS call under the region's concurrency limit; a failure carries the IAM action that failed. */
export async function callAws<T>(
  context: CollectContext,
  region: string,
  action: string,
  send: () => Promise<T>,
): Promise<T> {
  try {
    return await context.clients.limiter(region).run(send);
  } catch (error) {
    throw withOperation(error, action);
  }
}

/**
 * Every page of an SDK v3 paginator, each page fetched under the region's limiter (the paginator sends
 * one request per `next()`), so a long listing never holds a slot between pages.
 */
export async function allPages<P>(
  context: CollectContext,
  region: string,
  action: string,
  pages: AsyncIterable<P>,
): Promise<P[]> {
  const iterator = pages[Symbol.asyncIterator]();
  const out: P[] = [];
  for (;;) {
    const next = await callAws(context, region, action, () => iterator.next());
    if (next.done) return out;
    out.push(next.value);
  }
}

/** Wraps a call so the given AWS codes ("no such configuration") answer null instead of failing. */
export function absentOn<T>(codes: readonly string[], send: () => Promise<T>): () => Promise<T | null> {
  return async () => {
    try {
      return await send();
    } catch (error) {
      const code = awsErrorCode(error);
      if (code !== undefined && codes.includes(code)) return null;
      throw error;
    }
  };
}

export interface ReadTarget {
  readonly type: ResourceTypeId;
  readonly region: string;
  readonly resourceId: string;
  /** IAM action of the call, for the warning and the unknown's reason. */
  readonly action: string;
}

/**
 * One read of one part of a resource, made of calls that each run under the limiter themselves. Access
 * denied is not "absent": it becomes an explicit unknown (so rules answer "possible") and a warning;
 * every other failure is thrown.
 */
export async function deniedAsUnknown<T>(
  context: CollectContext,
  target: ReadTarget,
  read: () => Promise<T>,
): Promise<T | UnknownValue> {
  try {
    return await read();
  } catch (error) {
    if (!isAccessError(error)) throw error;
    const code = awsErrorCode(error);
    context.warn({
      type: target.type,
      account: context.account,
      region: target.region,
      resourceId: target.resourceId,
      operation: target.action,
      ...(code ? { code } : {}),
      message: `${target.action} denied on ${target.resourceId}; that part of it is unknown`,
    });
    return unknownValue(`${target.action} denied`);
  }
}

/** One AWS call reading one part of a resource; denied becomes an unknown (see deniedAsUnknown). */
export function readOrUnknown<T>(
  context: CollectContext,
  target: ReadTarget,
  send: () => Promise<T>,
): Promise<T | UnknownValue> {
  return deniedAsUnknown(context, target, () => callAws(context, target.region, target.action, send));
}

/** Dates as ISO strings: the SDK gives Date objects, recorded responses and events give strings. */
export function isoDate(value: Date | string | null | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  const date = typeof value === 'string' ? new Date(value) : value;
  if (!Number.isNaN(date.getTime())) return date.toISOString();
  // A string Date cannot read is kept as given rather than dropped.
  return typeof value === 'string' ? value : undefined;
}

/** Byte-wise string order, so sorted output does not depend on the host's locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `{ [key]: value }` when the source gave a value, else nothing: absent and null (CloudTrail and recorded
 * responses write null) both leave the key out, so a model's JSON does not depend on its source.
 */
export function optional<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return value === undefined || value === null ? {} : ({ [key]: value } as { [P in K]?: V });
}
