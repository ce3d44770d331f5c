// Counts AWS operations and HTTP attempts (retries included) per service and operation.

export interface CallStats {
  /** Operations issued by leuko, one per SDK `send`. */
  operations: number;
  /** HTTP requests sent, retries included. */
  attempts: number;
  byOperation: Map<string, number>;
  throttled: number;
}

export function createCallStats(): CallStats {
  return { operations: 0, attempts: 0, byOperation: new Map(), throttled: 0 };
}

export function recordOperation(stats: CallStats, service: string, operation: string): void {
  stats.operations += 1;
  const key = `${service}:${operation}`;
  stats.byOperation.set(key, (stats.byOperation.get(key) ?? 0) + 1);
}
