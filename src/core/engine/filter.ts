// Custom-rule value filters (Cloud Custodian style): validated once at load, compiled into closures.
//
//   filter := { key: <key path>, op: <operator>, value?: ... }
//           | { and: [filter, ...] } | { or: [filter, ...] } | { not: filter }
//
// Operators (a path with [] matches when at least one element matches):
//   eq, ne           value: any JSON value; deep equality
//   in, not-in       value: a list; the value is (not) one of them
//   contains         value: a scalar; a list holding it, or a string containing it
//   regex            value: a JavaScript regular expression (not anchored unless you anchor it)
//   gt, lt           value: a number, or a string compared as text (ISO dates compare correctly)
//   present, absent  no value; absent also means null
//   cidr-contains    value: CIDR or list; the resource's CIDR contains it (0.0.0.0/0 contains everything)
//   cidr-within      value: CIDR or list; the resource's CIDR lies inside it
//   cidr-overlaps    value: CIDR or list; the two share an address
// A value a template cannot know (an unknown) makes the operator's answer "maybe", and the finding "possible".
import { cidrContains, cidrOverlaps, parseCidr, type Cidr } from '../net/cidr.js';
import type { Resource } from '../resource.js';
import type { ResourceTypeId } from '../resource-types.js';
import { isUnknown } from '../unknown.js';
import { checkPathAgainstModel, parseKeyPath, resolveKeyPath, type KeyPath } from './key-path.js';
import { triAnd, triNot, triOr, type Tri } from './tri.js';

export const FILTER_OPS = [
  'eq',
  'ne',
  'in',
  'not-in',
  'contains',
  'regex',
  'gt',
  'lt',
  'present',
  'absent',
  'cidr-contains',
  'cidr-within',
  'cidr-overlaps',
] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export type Filter =
  | { readonly and: readonly Filter[] }
  | { readonly or: readonly Filter[] }
  | { readonly not: Filter }
  | { readonly key: string; readonly op: FilterOp; readonly value?: unknown };

export interface Issue {
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

export interface FilterContext {
  readonly resourceType: ResourceTypeId;
  /** The `each` path of the rule, when it has one: `item.*` keys are then allowed. */
  readonly each?: KeyPath;
}

/** What a compiled filter answers, and where its first matching value was (for messages and file:line). */
export interface FilterTrace {
  at?: ReadonlyArray<string | number>;
  root?: string;
  value?: unknown;
}

export type CompiledFilter = (
  resource: Resource,
  item: unknown,
  itemAt: ReadonlyArray<string | number>,
  trace: FilterTrace | undefined,
) => Tri;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return (
    keysA.length === keysB.length &&
    keysA.every((key) => deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
  );
}

type LeafTest = (value: unknown) => Tri;

function cidrList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** Validates one leaf's operator and value; returns the per-value test, or undefined after adding issues. */
function leafTest(
  node: Record<string, unknown>,
  path: ReadonlyArray<string | number>,
  issues: Issue[],
): LeafTest | undefined {
  const op = node.op;
  if (typeof op !== 'string' || !(FILTER_OPS as readonly string[]).includes(op)) {
    issues.push({
      path: [...path, 'op'],
      message: `unknown operator ${JSON.stringify(op)}; operators: ${FILTER_OPS.join(', ')}`,
    });
    return undefined;
  }
  const hasValue = 'value' in node;
  const value = node.value;
  const valuePath = [...path, 'value'];
  const need = (ok: boolean, message: string): boolean => {
    if (!ok) issues.push({ path: hasValue ? valuePath : path, message: `${op}: ${message}` });
    return ok;
  };
  switch (op as FilterOp) {
    case 'eq':
    case 'ne': {
      if (!need(hasValue, 'needs a value')) return undefined;
      const negate = op === 'ne';
      return (actual) => {
        const equal = deepEqual(actual, value);
        return equal !== negate ? 'yes' : 'no';
      };
    }
    case 'in':
    case 'not-in': {
      if (!need(Array.isArray(value), 'value must be a list')) return undefined;
      const list = value as unknown[];
      const negate = op === 'not-in';
      return (actual) => (list.some((item) => deepEqual(actual, item)) !== negate ? 'yes' : 'no');
    }
    case 'contains': {
      if (
        !need(
          typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean',
          'value must be a string, number or boolean',
        )
      )
        return undefined;
      return (actual) => {
        if (typeof actual === 'string') return actual.includes(String(value)) ? 'yes' : 'no';
        if (!Array.isArray(actual)) return 'no';
        let result: Tri = 'no';
        for (const item of actual)
          result = triOr(result, isUnknown(item) ? 'maybe' : deepEqual(item, value) ? 'yes' : 'no');
        return result;
      };
    }
    case 'regex': {
      if (!need(typeof value === 'string', 'value must be a regular expression as a string'))
        return undefined;
      let pattern: RegExp;
      try {
        pattern = new RegExp(value as string, 'u');
      } catch (error) {
        issues.push({
          path: valuePath,
          message: `regex: invalid regular expression: ${(error as Error).message}`,
        });
        return undefined;
      }
      return (actual) => (typeof actual === 'string' && pattern.test(actual) ? 'yes' : 'no');
    }
    case 'gt':
    case 'lt': {
      if (!need(typeof value === 'number' || typeof value === 'string', 'value must be a number or a string'))
        return undefined;
      const greater = op === 'gt';
      return (actual) => {
        if (typeof actual !== typeof value) return 'no';
        const a = actual as number | string;
        const b = value as number | string;
        return (greater ? a > b : a < b) ? 'yes' : 'no';
      };
    }
    case 'present':
    case 'absent': {
      if (hasValue) {
        issues.push({ path: valuePath, message: `${op} takes no value` });
        return undefined;
      }
      const present = op === 'present';
      return (actual) => ((actual !== undefined && actual !== null) === present ? 'yes' : 'no');
    }
    case 'cidr-contains':
    case 'cidr-within':
    case 'cidr-overlaps': {
      if (
        !need(
          hasValue && (typeof value === 'string' || Array.isArray(value)),
          'value must be a CIDR or a list of CIDRs',
        )
      )
        return undefined;
      const cidrs: Cidr[] = [];
      const items = cidrList(value);
      items.forEach((item, index) => {
        const cidr = typeof item === 'string' ? parseCidr(item) : undefined;
        if (cidr) cidrs.push(cidr);
        else
          issues.push({
            path: Array.isArray(value) ? [...valuePath, index] : valuePath,
            message: `${op}: ${JSON.stringify(item)} is not a CIDR`,
          });
      });
      if (cidrs.length !== items.length) return undefined;
      const relation =
        op === 'cidr-contains'
          ? (actual: Cidr, other: Cidr) => cidrContains(actual, other)
          : op === 'cidr-within'
            ? (actual: Cidr, other: Cidr) => cidrContains(other, actual)
            : cidrOverlaps;
      return (actual) => {
        const cidr = typeof actual === 'string' ? parseCidr(actual) : undefined;
        return cidr && cidrs.some((other) => relation(cidr, other)) ? 'yes' : 'no';
      };
    }
  }
}

const LEAF_KEYS = new Set(['key', 'op', 'value']);
const OPS_WITHOUT_UNKNOWN_CHECK = new Set<string>(['present', 'absent']);

function compileLeaf(
  node: Record<string, unknown>,
  path: ReadonlyArray<string | number>,
  context: FilterContext,
  issues: Issue[],
): CompiledFilter | undefined {
  for (const key of Object.keys(node)) {
    if (!LEAF_KEYS.has(key))
      issues.push({
        path: [...path, key],
        message: `unknown key "${key}" in a filter (expected key, op, value; or and, or, not)`,
      });
  }
  const keyText = node.key;
  let keyPath: KeyPath | undefined;
  if (typeof keyText !== 'string') {
    issues.push({ path: [...path, 'key'], message: 'key must be a path such as config.rules[].peer.cidr' });
  } else {
    const parsed = parseKeyPath(keyText);
    if (typeof parsed === 'string') issues.push({ path: [...path, 'key'], message: parsed });
    else if (parsed.root === 'item' && !context.each)
      issues.push({ path: [...path, 'key'], message: 'item.* keys need the rule to have `each`' });
    else {
      const modelProblem = checkPathAgainstModel(context.resourceType, parsed, context.each);
      if (modelProblem) issues.push({ path: [...path, 'key'], message: modelProblem });
      else keyPath = parsed;
    }
  }
  const test = leafTest(node, path, issues);
  if (!keyPath || !test) return undefined;
  const resolvedPath = keyPath;
  const op = node.op as string;
  const unknownCounts = !OPS_WITHOUT_UNKNOWN_CHECK.has(op);
  const root = resolvedPath.root === 'item' ? 'config' : resolvedPath.root;
  return (resource, item, itemAt, trace) => {
    const values = resolveKeyPath(resource, resolvedPath, item, itemAt);
    let result: Tri = 'no';
    for (const resolved of values) {
      // An unknown answers "maybe" to every question but whether something is there.
      const tri = isUnknown(resolved.value) && unknownCounts ? 'maybe' : test(resolved.value);
      if (tri === 'no') continue;
      if (trace && (trace.at === undefined || tri === 'yes')) {
        trace.at = resolved.at;
        trace.root = root;
        trace.value = resolved.value;
      }
      result = triOr(result, tri);
      if (result === 'yes') break;
    }
    return result;
  };
}

/**
 * Validates a filter and compiles it. Problems are pushed to `issues` with their path (relative to the
 * filter's place in leuko.yaml); the result is undefined when there was any.
 */
export function compileFilter(
  raw: unknown,
  path: ReadonlyArray<string | number>,
  context: FilterContext,
  issues: Issue[],
): CompiledFilter | undefined {
  if (!isRecord(raw)) {
    issues.push({
      path,
      message: 'a filter must be a mapping: {key, op, value}, {and: [...]}, {or: [...]} or {not: ...}',
    });
    return undefined;
  }
  const combinator = ['and', 'or', 'not'].filter((key) => key in raw);
  if (combinator.length > 0) {
    const keys = Object.keys(raw);
    if (keys.length !== 1) {
      issues.push({
        path,
        message: `${combinator[0]} must be the only key of its filter (found ${keys.join(', ')})`,
      });
      return undefined;
    }
    if ('not' in raw) {
      const inner = compileFilter(raw.not, [...path, 'not'], context, issues);
      if (!inner) return undefined;
      // Under `not`, a matching value is not the offending one: keep the trace away from it.
      return (resource, item, itemAt) => triNot(inner(resource, item, itemAt, undefined));
    }
    const kind = combinator[0] as 'and' | 'or';
    const list = raw[kind];
    if (!Array.isArray(list) || list.length === 0) {
      issues.push({ path: [...path, kind], message: `${kind} must be a non-empty list of filters` });
      return undefined;
    }
    const before = issues.length;
    const parts = list.map((item, index) => compileFilter(item, [...path, kind, index], context, issues));
    if (issues.length > before) return undefined;
    const compiled = parts as CompiledFilter[];
    if (kind === 'and') {
      return (resource, item, itemAt, trace) => {
        let result: Tri = 'yes';
        for (const part of compiled) {
          result = triAnd(result, part(resource, item, itemAt, trace));
          if (result === 'no') return 'no';
        }
        return result;
      };
    }
    return (resource, item, itemAt, trace) => {
      let result: Tri = 'no';
      for (const part of compiled) {
        result = triOr(result, part(resource, item, itemAt, trace));
        if (result === 'yes') return 'yes';
      }
      return result;
    };
  }
  return compileLeaf(raw, path, context, issues);
}
