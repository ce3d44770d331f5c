// The explicit "unknown" value: what a template or event cannot tell us is never silently safe or bad.
import * as z from 'zod';

export interface UnknownValue {
  readonly $unknown: true;
  /** Why it is unknown, e.g. "parameter VpcCidr has no default". */
  readonly reason: string;
}

export const unknownValueSchema = z.object({ $unknown: z.literal(true), reason: z.string() }).strict();

/** A value a rule must treat as possibly anything. */
export type Uncertain<T> = T | UnknownValue;

export function unknownValue(reason: string): UnknownValue {
  return { $unknown: true, reason };
}

export function isUnknown(value: unknown): value is UnknownValue {
  return typeof value === 'object' && value !== null && (value as { $unknown?: unknown }).$unknown === true;
}

/** zod schema for `T | unknown`. */
export function uncertain<S extends z.ZodType>(schema: S) {
  return z.union([schema, unknownValueSchema]);
}
