// Values after intrinsic resolution: plain data, or an explicit unknown that may remember the resource it names.
import { unknownValue, type UnknownValue } from '../../core/unknown.js';

/** The template resource an unknown value refers to (Ref X, Fn::GetAtt X.Attr), kept for composition. */
export interface ResourceTarget {
  readonly logicalId: string;
  /** Absent for Ref. */
  readonly attribute?: string;
}

/**
 * A value the template cannot know. It is an UnknownValue (rules treat it as possibly anything);
 * `target` lets mappers join resources (an ingress rule's GroupId: !Ref WebSG belongs to WebSG).
 */
export class Unresolved implements UnknownValue {
  readonly $unknown = true as const;
  constructor(
    readonly reason: string,
    readonly target?: ResourceTarget,
  ) {}
}

/**
 * An unknown parameter assumed, in one scenario, to differ from every literal the conditions compare
 * it with; still unknown everywhere else.
 */
export class OtherValue extends Unresolved {
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(reason);
  }
}

export type CfnScalar = string | number | boolean | null;
export type CfnValue = CfnScalar | Unresolved | readonly CfnValue[] | CfnMap;
export interface CfnMap {
  readonly [key: string]: CfnValue;
}

/** Marks a removed value (Ref AWS::NoValue): the property or list element is dropped. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
export type Resolved = CfnValue | typeof NO_VALUE;

export function isUnresolved(value: unknown): value is Unresolved {
  return value instanceof Unresolved;
}

export function isCfnMap(value: unknown): value is CfnMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unresolved);
}

export function isCfnList(value: unknown): value is readonly CfnValue[] {
  return Array.isArray(value);
}

/** The first unknown inside a value, if any (depth-first). */
export function firstUnresolved(value: CfnValue): Unresolved | undefined {
  if (value instanceof Unresolved) return value;
  if (Array.isArray(value)) {
    for (const item of value as readonly CfnValue[]) {
      const found = firstUnresolved(item);
      if (found) return found;
    }
    return undefined;
  }
  if (isCfnMap(value)) {
    for (const item of Object.values(value)) {
      const found = firstUnresolved(item);
      if (found) return found;
    }
  }
  return undefined;
}

/** Sets a key without the `__proto__` setter, so template keys can never change a prototype. */
export function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** Own property of a parsed object (never one inherited from Object.prototype). */
export function own(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * Plain JSON for the canonical model: unknown parts become `unknownValue(reason)` objects (what the
 * core schemas accept), with no trace of template references.
 */
export function toPlain(value: CfnValue): unknown {
  if (value instanceof Unresolved) return unknownValue(value.reason);
  if (Array.isArray(value)) return (value as readonly CfnValue[]).map(toPlain);
  if (isCfnMap(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) setKey(out, key, toPlain(item));
    return out;
  }
  return value;
}

/** A scalar as CloudFormation passes it to a resource: numbers and booleans become strings. */
export function scalarString(value: CfnValue | undefined): string | Unresolved | undefined {
  if (value instanceof Unresolved) return value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** CloudFormation accepts true/false and the strings "true"/"false" (any case) for booleans. */
export function booleanOf(value: CfnValue | undefined): boolean | Unresolved | undefined {
  if (value instanceof Unresolved || typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return undefined;
}

/** Integers from numbers or numeric strings ("22"); undefined when it is not one. */
export function integerOf(value: CfnValue | undefined): number | Unresolved | undefined {
  if (value instanceof Unresolved) return value;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  return undefined;
}

/** Plain UnknownValue for the model, or the known value. */
export function uncertainOf<T>(value: T | Unresolved): T | UnknownValue {
  return value instanceof Unresolved ? unknownValue(value.reason) : value;
}
