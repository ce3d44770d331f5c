// Structured diff of two versions of a resource for `leuko diff`, matching list items by identity.
import type { Resource } from './resource.js';
import { isUnknown } from './unknown.js';

/**
 * An array item matched by identity rather than position (a security-group rule by its ruleId, an
 * ACL grant by grantee and permission), so inserting one item never shows as every later item changing.
 */
export interface ItemKey {
  readonly id: string;
}

/**
 * One step of a path: an object key (string), a position in one version's array (number, used where
 * items have no identity, e.g. plain strings), or an item identity.
 */
export type DiffPathSegment = string | number | ItemKey;

export type DiffKind = 'added' | 'removed' | 'changed';

export interface DiffChange {
  readonly path: readonly DiffPathSegment[];
  readonly kind: DiffKind;
  readonly before?: unknown;
  readonly after?: unknown;
}

type JsonObject = Readonly<Record<string, unknown>>;

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isUnknown(value);
}

export function isItemKey(segment: DiffPathSegment): segment is ItemKey {
  return typeof segment === 'object';
}

/**
 * JSON with object keys sorted and no whitespace: equal data gives equal text whatever the key order
 * the source produced, so it can be hashed (the store's change detection) and compared.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('canonicalJson: a bigint has no JSON form');
    case 'object': {
      if (value === null) return 'null';
      const withJson = value as { toJSON?: () => unknown };
      if (typeof withJson.toJSON === 'function') return canonicalJson(withJson.toJSON());
      // String concatenation, not arrays and join: this runs on every resource of every listing.
      if (Array.isArray(value)) {
        let text = '[';
        for (let index = 0; index < value.length; index += 1) {
          const item: unknown = value[index];
          if (index > 0) text += ',';
          // JSON.stringify turns holes, undefined and functions inside arrays into null; so do we.
          text +=
            item === undefined || typeof item === 'function' || typeof item === 'symbol'
              ? 'null'
              : canonicalJson(item);
        }
        return `${text}]`;
      }
      const record = value as Record<string, unknown>;
      let text = '{';
      let first = true;
      for (const key of Object.keys(record).sort()) {
        const item = record[key];
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
        text += `${first ? '' : ','}${quotedKey(key)}:${canonicalJson(item)}`;
        first = false;
      }
      return `${text}}`;
    }
    default:
      // undefined, functions and symbols have no JSON form; at the top level JSON.stringify gives
      // undefined, which would hash as the text "undefined": refuse instead.
      throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
  }
}

/** Object keys repeat across resources (model field names); quoting each once saves a third of the time. */
const QUOTED_KEYS = new Map<string, string>();

function quotedKey(key: string): string {
  let quoted = QUOTED_KEYS.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    // Bounded: tag keys and policy keys are open-ended.
    if (QUOTED_KEYS.size < 4096) QUOTED_KEYS.set(key, quoted);
  }
  return quoted;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return canonicalJson(a) === canonicalJson(b);
}

/** Diffs any two JSON-like values; `path` prefixes every change. */
export function diffValues(
  before: unknown,
  after: unknown,
  path: readonly DiffPathSegment[] = [],
): DiffChange[] {
  const out: DiffChange[] = [];
  diffInto(before, after, path, out);
  return out;
}

/**
 * Diffs two versions of one resource (its arn, name, tags and config; type, account, region and id are
 * its identity). Either side may be null: a created or deleted resource is one change at the root.
 */
export function diffResources(before: Resource | null, after: Resource | null): DiffChange[] {
  if (before === null && after === null) return [];
  if (before === null) return [{ path: [], kind: 'added', after }];
  if (after === null) return [{ path: [], kind: 'removed', before }];
  return diffValues(comparable(before), comparable(after));
}

function comparable(resource: Resource): JsonObject {
  return { arn: resource.arn, name: resource.name, tags: resource.tags, config: resource.config };
}

function diffInto(
  before: unknown,
  after: unknown,
  path: readonly DiffPathSegment[],
  out: DiffChange[],
): void {
  if (sameValue(before, after)) return;
  if (before === undefined) {
    out.push({ path, kind: 'added', after });
    return;
  }
  if (after === undefined) {
    out.push({ path, kind: 'removed', before });
    return;
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) diffInto(before[key], after[key], [...path, key], out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    diffArrays(before as readonly unknown[], after as readonly unknown[], path, out);
    return;
  }
  out.push({ path, kind: 'changed', before, after });
}

// ---------------------------------------------------------------------------------------------------
// Array identity

type Identify = (item: unknown) => string | undefined;

function label(value: unknown): string {
  if (isUnknown(value)) return '?';
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? canonicalJson(value) : String(value);
}

function portLabel(rule: JsonObject): string {
  const from = label(rule.fromPort);
  const to = label(rule.toPort);
  if (rule.protocol === 'all') return '';
  if (rule.protocol === 'icmp' || rule.protocol === 'icmpv6') return `type ${from} code ${to}`;
  if (from === '0' && to === '65535') return 'all ports';
  return from === to ? from : `${from}-${to}`;
}

function peerLabel(peer: unknown): string {
  if (!isPlainObject(peer)) return label(peer);
  switch (peer.kind) {
    case 'ipv4':
    case 'ipv6':
      return label(peer.cidr);
    case 'security-group':
      return peer.userId === undefined ? label(peer.groupId) : `${label(peer.userId)}/${label(peer.groupId)}`;
    case 'prefix-list':
      return label(peer.prefixListId);
    default:
      return canonicalJson(peer);
  }
}

function isSgRule(item: unknown): item is JsonObject {
  return (
    isPlainObject(item) &&
    typeof item.direction === 'string' &&
    'protocol' in item &&
    isPlainObject(item.peer)
  );
}

/** What identifies a security-group rule when AWS gave no ruleId: AWS refuses two rules with this tuple. */
function sgRuleTuple(rule: JsonObject): string {
  return [rule.direction, label(rule.protocol), portLabel(rule), peerLabel(rule.peer)]
    .filter((p) => p !== '')
    .join(' ');
}

function isAclGrant(item: unknown): item is JsonObject {
  return isPlainObject(item) && isPlainObject(item.grantee) && typeof item.permission === 'string';
}

function granteeLabel(grantee: unknown): string {
  if (!isPlainObject(grantee)) return label(grantee);
  switch (grantee.kind) {
    case 'group': {
      const uri = label(grantee.uri);
      return `group ${uri.slice(uri.lastIndexOf('/') + 1)}`;
    }
    case 'canonical-user':
      return `user ${label(grantee.displayName ?? grantee.id)}`;
    case 'email':
      return `email ${label(grantee.email)}`;
    default:
      return canonicalJson(grantee);
  }
}

function aclGrantKey(grant: JsonObject): string {
  const grantee = grant.grantee;
  // The display name can change without the grantee changing; identity is the canonical id.
  const who =
    isPlainObject(grantee) && grantee.kind === 'canonical-user'
      ? `user ${label(grantee.id)}`
      : granteeLabel(grantee);
  return `${who} ${label(grant.permission)}`;
}

/** Fields that name an item uniquely inside lists of the canonical models (and IAM statements' Sid). */
const ID_FIELDS = [
  'ruleId',
  'networkInterfaceId',
  'volumeId',
  'instanceId',
  'groupId',
  'id',
  'arn',
  'Sid',
  'name',
  'key',
  'Key',
] as const;

/** Picks how items of these two arrays are identified, or undefined when they have no identity. */
function identityFor(before: readonly unknown[], after: readonly unknown[]): Identify | undefined {
  const items = [...before, ...after];
  if (items.length === 0 || !items.every((item) => isPlainObject(item))) return undefined;
  const candidates: Identify[] = [];
  if (items.every((item) => isSgRule(item))) {
    // ruleId where AWS gave one (on both sides, or a template rule and an AWS rule never match).
    const allHaveIds = items.every((item) => typeof (item as JsonObject).ruleId === 'string');
    candidates.push(
      allHaveIds
        ? (item) => (item as JsonObject).ruleId as string
        : (item) => sgRuleTuple(item as JsonObject),
    );
  } else if (items.every((item) => isAclGrant(item))) {
    candidates.push((item) => aclGrantKey(item as JsonObject));
  } else {
    for (const field of ID_FIELDS) {
      if (items.every((item) => typeof (item as JsonObject)[field] === 'string')) {
        candidates.push((item) => (item as JsonObject)[field] as string);
      }
    }
  }
  // An identity is only usable if it is unique within each version.
  return candidates.find((identify) => uniqueKeys(before, identify) && uniqueKeys(after, identify));
}

function uniqueKeys(items: readonly unknown[], identify: Identify): boolean {
  const seen = new Set<string>();
  for (const item of items) {
    const key = identify(item);
    if (key === undefined || seen.has(key)) return false;
    seen.add(key);
  }
  return true;
}

function diffArrays(
  before: readonly unknown[],
  after: readonly unknown[],
  path: readonly DiffPathSegment[],
  out: DiffChange[],
): void {
  const identify = identityFor(before, after);
  if (identify !== undefined) {
    const afterByKey = new Map(after.map((item) => [identify(item) as string, item]));
    const beforeKeys = new Set<string>();
    for (const item of before) {
      const key = identify(item) as string;
      beforeKeys.add(key);
      const match = afterByKey.get(key);
      if (match === undefined) out.push({ path: [...path, { id: key }], kind: 'removed', before: item });
      else diffInto(item, match, [...path, { id: key }], out);
    }
    for (const item of after) {
      const key = identify(item) as string;
      if (!beforeKeys.has(key)) out.push({ path: [...path, { id: key }], kind: 'added', after: item });
    }
    return;
  }

  // No identity: match equal items wherever they sit (lists such as security-group ids are sets in
  // practice), then report what is left by its position in its own version.
  const unmatchedBefore = new Map<string, number[]>();
  before.forEach((item, index) => {
    const text = canonicalJson(item);
    const list = unmatchedBefore.get(text);
    if (list === undefined) unmatchedBefore.set(text, [index]);
    else list.push(index);
  });
  const added: number[] = [];
  after.forEach((item, index) => {
    const list = unmatchedBefore.get(canonicalJson(item));
    if (list !== undefined && list.length > 0) list.shift();
    else added.push(index);
  });
  const removed = [...unmatchedBefore.values()].flat().sort((a, b) => a - b);

  // An object replaced in place (the one encryption rule whose key changed) reads better as the
  // fields that changed than as a removal and an addition.
  const addedSet = new Set(added);
  const paired = new Set<number>();
  for (const index of removed) {
    if (addedSet.has(index) && isPlainObject(before[index]) && isPlainObject(after[index])) paired.add(index);
  }
  for (const index of removed) {
    if (paired.has(index)) diffInto(before[index], after[index], [...path, index], out);
    else out.push({ path: [...path, index], kind: 'removed', before: before[index] });
  }
  for (const index of added) {
    if (!paired.has(index)) out.push({ path: [...path, index], kind: 'added', after: after[index] });
  }
}

// ---------------------------------------------------------------------------------------------------
// Text

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `rules[sgr-123].description`, `tags["aws:cloudformation:stack-name"]`; config's own paths lose the `config.` prefix. */
export function formatPath(path: readonly DiffPathSegment[]): string {
  const shown = path[0] === 'config' && path.length > 1 ? path.slice(1) : path;
  let text = '';
  for (const segment of shown) {
    if (isItemKey(segment)) text += `[${segment.id}]`;
    else if (typeof segment === 'number') text += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

const MAX_VALUE_CHARS = 200;

/** A value as a person reads it: rules and grants summarised, unknowns named, long JSON cut short. */
export function formatValue(value: unknown): string {
  if (isUnknown(value)) return `<unknown: ${value.reason}>`;
  if (isSgRule(value)) {
    const towards = value.direction === 'egress' ? 'to' : 'from';
    const ports = portLabel(value);
    const description = typeof value.description === 'string' ? ` "${value.description}"` : '';
    return `${value.direction as string} ${label(value.protocol)}${ports === '' ? '' : ` ${ports}`} ${towards} ${peerLabel(value.peer)}${description}`;
  }
  if (isAclGrant(value)) return `${label(value.permission)} to ${granteeLabel(value.grantee)}`;
  const text = value === undefined ? 'undefined' : canonicalJson(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/**
 * One line per change: `+ rules[sgr-123]: ingress tcp 22 from 0.0.0.0/0`, `- tags.Owner: "ops"`,
 * `~ versioning: "Enabled" -> "Suspended"`.
 */
export function formatDiff(changes: readonly DiffChange[]): string[] {
  return changes.map((change) => {
    if (change.path.length === 0) {
      const resource = (change.kind === 'removed' ? change.before : change.after) as
        Partial<Resource> | undefined;
      const what = resource?.arn ?? resource?.id ?? 'resource';
      if (change.kind === 'added') return `+ created ${what}`;
      if (change.kind === 'removed') return `- deleted ${what}`;
      return `~ replaced: ${formatValue(change.before)} -> ${formatValue(change.after)}`;
    }
    const where = formatPath(change.path);
    switch (change.kind) {
      case 'added':
        return `+ ${where}: ${formatValue(change.after)}`;
      case 'removed':
        return `- ${where}: ${formatValue(change.before)}`;
      case 'changed':
        return `~ ${where}: ${formatValue(change.before)} -> ${formatValue(change.after)}`;
    }
  });
}
