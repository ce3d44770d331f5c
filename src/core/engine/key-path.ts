// Key paths of custom-rule filters ("config.rules[].peer.cidr"): syntax, check against a model, resolution.
//
// Syntax:
//   path    := root segment*
//   root    := config | tags | type | account | region | id | arn | name | item   (item: only with `each`)
//   segment := "." name            a field:         config.publicAccessBlock.blockPublicAcls
//            | "." '"' text '"'    a quoted field:  tags."aws:cloudformation:stack-name"
//            | "[" "]"             every element:   config.rules[].peer.cidr
//            | "[" digits "]"      one element:     config.rules[0]
//            | "[" '"' text '"' "]"  quoted field:  tags["team.name"]
//   name    := one or more characters other than . [ ] " and white space (so tags.cost-center works)
//
// A path with [] yields one value per element; an operator then holds when it holds for at least one of them
// (a wildcard over an empty array yields nothing, so no operator holds). A missing field yields `undefined`.
// A string holding a JSON document (a bucket policy as AWS returns it) is read as the parsed document when a
// path goes deeper into it.
import * as z from 'zod';
import { MODEL_SCHEMAS } from '../models/index.js';
import type { Resource } from '../resource.js';
import type { ResourceTypeId } from '../resource-types.js';

export type PathSegment =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'each' };

export const PATH_ROOTS = [
  'config',
  'tags',
  'type',
  'account',
  'region',
  'id',
  'arn',
  'name',
  'item',
] as const;
export type PathRoot = (typeof PATH_ROOTS)[number];

export interface KeyPath {
  readonly text: string;
  readonly root: PathRoot;
  readonly segments: readonly PathSegment[];
  readonly hasWildcard: boolean;
}

const NAME = /^[^.[\]"\s]+/;

/** Parses a key path; returns an error message instead when the text is not a path. */
export function parseKeyPath(text: string): KeyPath | string {
  const rootMatch = /^[a-z]+/.exec(text);
  const root = rootMatch?.[0];
  if (!root || !(PATH_ROOTS as readonly string[]).includes(root)) {
    return `must start with one of ${PATH_ROOTS.join(', ')} (e.g. config.rules[].peer.cidr)`;
  }
  const segments: PathSegment[] = [];
  let rest = text.slice(root.length);
  while (rest.length > 0) {
    if (rest.startsWith('[]')) {
      segments.push({ kind: 'each' });
      rest = rest.slice(2);
    } else if (rest.startsWith('["')) {
      const end = rest.indexOf('"]', 2);
      if (end === -1) return `unterminated ["…"] in "${text}"`;
      segments.push({ kind: 'field', name: rest.slice(2, end) });
      rest = rest.slice(end + 2);
    } else if (rest.startsWith('[')) {
      const match = /^\[(\d+)\]/.exec(rest);
      if (!match)
        return `"${rest}" in "${text}": use [] for every element, [n] for one, ["name"] for a field`;
      segments.push({ kind: 'index', index: Number(match[1]) });
      rest = rest.slice(match[0].length);
    } else if (rest.startsWith('."')) {
      const end = rest.indexOf('"', 2);
      if (end === -1) return `unterminated quoted field in "${text}"`;
      segments.push({ kind: 'field', name: rest.slice(2, end) });
      rest = rest.slice(end + 1);
    } else if (rest.startsWith('.')) {
      const match = NAME.exec(rest.slice(1));
      if (!match) return `empty field name in "${text}"`;
      segments.push({ kind: 'field', name: match[0] });
      rest = rest.slice(1 + match[0].length);
    } else {
      return `unexpected "${rest}" in "${text}"`;
    }
  }
  if (root !== 'config' && root !== 'tags' && root !== 'item' && segments.length > 0) {
    return `${root} is a plain value; it has no fields`;
  }
  return {
    text,
    root: root as PathRoot,
    segments,
    hasWildcard: segments.some((segment) => segment.kind === 'each'),
  };
}

export function formatKeyPath(root: string, concrete: ReadonlyArray<string | number>): string {
  let out = root;
  for (const step of concrete)
    out += typeof step === 'number' ? `[${step}]` : /^[^.[\]"\s]+$/.test(step) ? `.${step}` : `["${step}"]`;
  return out;
}

// ---- checking a path against a canonical model ----------------------------------------------------

type Schema = z.core.$ZodType;

/** The schemas a segment can lead to; `undefined` means "anything goes from here" (unknown, records). */
function step(schema: Schema, segment: PathSegment): Schema[] | undefined {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable || schema instanceof z.ZodDefault) {
    return step(schema.def.innerType, segment);
  }
  if (schema instanceof z.ZodUnion) {
    const out: Schema[] = [];
    for (const option of schema.def.options) {
      const next = step(option, segment);
      if (next === undefined) return undefined;
      out.push(...next);
    }
    return out;
  }
  if (schema instanceof z.ZodUnknown || schema instanceof z.ZodAny) return undefined;
  if (schema instanceof z.ZodRecord) return segment.kind === 'field' ? [schema.def.valueType] : [];
  if (schema instanceof z.ZodObject) {
    if (segment.kind !== 'field') return [];
    const field = (schema.def.shape as Record<string, Schema>)[segment.name];
    return field ? [field] : [];
  }
  if (schema instanceof z.ZodArray) return segment.kind === 'field' ? [] : [schema.def.element];
  return [];
}

function fieldsOf(schemas: readonly Schema[]): string[] {
  const names = new Set<string>();
  const visit = (schema: Schema): void => {
    if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable || schema instanceof z.ZodDefault)
      visit(schema.def.innerType);
    else if (schema instanceof z.ZodUnion) for (const option of schema.def.options) visit(option);
    else if (schema instanceof z.ZodObject)
      for (const name of Object.keys(schema.def.shape)) if (name !== '$unknown') names.add(name);
  };
  schemas.forEach(visit);
  names.delete('reason');
  return [...names];
}

/**
 * Checks that a config.* (or item.*) path names fields the model has, so a typo fails at load instead
 * of silently never matching. Returns an error message, or undefined when the path fits.
 */
export function checkPathAgainstModel(
  type: ResourceTypeId,
  path: KeyPath,
  eachPath?: KeyPath,
): string | undefined {
  let segments: readonly PathSegment[];
  if (path.root === 'config') segments = path.segments;
  else if (path.root === 'item' && eachPath?.root === 'config')
    segments = [...eachPath.segments, { kind: 'each' }, ...path.segments];
  else return undefined;
  let current: Schema[] = [MODEL_SCHEMAS[type]];
  const walked: Array<string | number> = [];
  for (const segment of segments) {
    const next: Schema[] = [];
    for (const schema of current) {
      const found = step(schema, segment);
      if (found === undefined) return undefined;
      next.push(...found);
    }
    if (next.length === 0) {
      const here = formatKeyPath('config', walked);
      if (segment.kind === 'field') {
        const fields = fieldsOf(current);
        return fields.length > 0
          ? `${type} has no field "${segment.name}" at ${here} (fields: ${fields.join(', ')})`
          : `${here} is not an object, so it has no field "${segment.name}"`;
      }
      return `${here} is not a list, so [] or [n] does not apply`;
    }
    walked.push(segment.kind === 'field' ? segment.name : segment.kind === 'index' ? segment.index : '');
    current = next;
  }
  return undefined;
}

// ---- resolving a path on a resource ---------------------------------------------------------------

export interface ResolvedValue {
  readonly value: unknown;
  /** Concrete path from the root (config steps for config.*), with indexes filled in. */
  readonly at: ReadonlyArray<string | number>;
}

function rootValue(resource: Resource, root: PathRoot, item: unknown): unknown {
  switch (root) {
    case 'config':
      return resource.config;
    case 'tags':
      return resource.tags;
    case 'item':
      return item;
    default:
      return resource[root];
  }
}

function deeper(value: unknown): unknown {
  // AWS hands bucket policies over as JSON text; a path into one means its document.
  if (typeof value === 'string' && (value.startsWith('{') || value.startsWith('['))) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return undefined;
    }
  }
  return value;
}

function walk(
  value: unknown,
  segments: readonly PathSegment[],
  index: number,
  at: Array<string | number>,
  out: ResolvedValue[],
): void {
  if (index === segments.length) {
    out.push({ value, at: [...at] });
    return;
  }
  const segment = segments[index]!;
  const container = deeper(value);
  if (segment.kind === 'each') {
    if (!Array.isArray(container)) {
      out.push({ value: undefined, at: [...at] });
      return;
    }
    for (let i = 0; i < container.length; i++) {
      at.push(i);
      walk(container[i], segments, index + 1, at, out);
      at.pop();
    }
    return;
  }
  let next: unknown;
  let key: string | number;
  if (segment.kind === 'index') {
    key = segment.index;
    next = Array.isArray(container) ? container[segment.index] : undefined;
  } else {
    key = segment.name;
    next =
      typeof container === 'object' && container !== null && !Array.isArray(container)
        ? (container as Record<string, unknown>)[segment.name]
        : undefined;
  }
  at.push(key);
  walk(next, segments, index + 1, at, out);
  at.pop();
}

/** Every value the path yields on a resource (one for a path without [], one per element with it). */
export function resolveKeyPath(
  resource: Resource,
  path: KeyPath,
  item?: unknown,
  itemAt?: ReadonlyArray<string | number>,
): ResolvedValue[] {
  const out: ResolvedValue[] = [];
  walk(
    rootValue(resource, path.root, item),
    path.segments,
    0,
    path.root === 'item' ? [...(itemAt ?? [])] : [],
    out,
  );
  return out;
}
