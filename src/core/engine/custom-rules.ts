// Custom rules from leuko.yaml (`customRules:`): a value filter on one resource type, turned into a rule
// the engine runs exactly like a built-in one.
//
//   customRules:
//     - id: bucket-without-owner-tag
//       title: Bucket has no owner tag
//       severity: low
//       resourceType: aws.s3.bucket          # or an alias: s3, bucket, sg, ...
//       description: Every bucket needs an owner to ask before deleting it.
//       filter: { key: tags.owner, op: absent }
//     - id: sg-world-8080
//       title: Port 8080 open to the world
//       severity: high
//       resourceType: sg
//       each: config.rules                   # optional: one finding per matching element
//       filter:
//         and:
//           - { key: item.direction, op: eq, value: ingress }
//           - { key: item.peer.cidr, op: cidr-contains, value: 0.0.0.0/0 }
//           - { key: item.fromPort, op: eq, value: 8080 }
import * as z from 'zod';
import type { Resource } from '../resource.js';
import { resolveResourceType, type ResourceTypeId } from '../resource-types.js';
import { defineRule, SEVERITIES, type RuleDefinition, type Severity, type Violation } from '../rule.js';
import { compileFilter, type CompiledFilter, type FilterTrace, type Issue } from './filter.js';
import { formatKeyPath, parseKeyPath, resolveKeyPath, type KeyPath } from './key-path.js';
import { certaintyOf } from './tri.js';

export const RULE_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const CUSTOM_RULE_KEYS = new Set([
  'id',
  'title',
  'severity',
  'resourceType',
  'description',
  'filter',
  'each',
  'references',
]);

export interface CustomRuleSpec {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly resourceType: ResourceTypeId;
  readonly description?: string;
  readonly references: readonly string[];
  readonly each?: KeyPath;
  readonly filter: CompiledFilter;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates one `customRules` entry; pushes issues (paths from the leuko.yaml root) and returns the spec if clean. */
export function parseCustomRule(
  raw: unknown,
  path: ReadonlyArray<string | number>,
  reservedIds: ReadonlySet<string>,
  issues: Issue[],
): CustomRuleSpec | undefined {
  if (!isRecord(raw)) {
    issues.push({
      path,
      message: 'a custom rule must be a mapping with id, title, severity, resourceType and filter',
    });
    return undefined;
  }
  const before = issues.length;
  for (const key of Object.keys(raw)) {
    if (!CUSTOM_RULE_KEYS.has(key))
      issues.push({
        path: [...path, key],
        message: `unknown key "${key}" (expected ${[...CUSTOM_RULE_KEYS].join(', ')})`,
      });
  }
  const { id, title, severity, resourceType, description, each, references } = raw;
  if (typeof id !== 'string' || !RULE_ID_PATTERN.test(id)) {
    issues.push({
      path: [...path, 'id'],
      message: 'id must be kebab-case letters and digits, e.g. bucket-without-owner-tag',
    });
  } else if (reservedIds.has(id)) {
    issues.push({ path: [...path, 'id'], message: `id "${id}" is already a built-in rule; choose another` });
  }
  if (typeof title !== 'string' || title.trim() === '')
    issues.push({ path: [...path, 'title'], message: 'title is required' });
  if (typeof severity !== 'string' || !(SEVERITIES as readonly string[]).includes(severity)) {
    issues.push({ path: [...path, 'severity'], message: `severity must be one of ${SEVERITIES.join(', ')}` });
  }
  const type = typeof resourceType === 'string' ? resolveResourceType(resourceType) : undefined;
  if (!type)
    issues.push({
      path: [...path, 'resourceType'],
      message: 'resourceType must be a resource type id (aws.s3.bucket) or alias (s3, sg, rds, ...)',
    });
  if (description !== undefined && typeof description !== 'string')
    issues.push({ path: [...path, 'description'], message: 'description must be text' });
  if (
    references !== undefined &&
    !(Array.isArray(references) && references.every((item) => typeof item === 'string'))
  ) {
    issues.push({ path: [...path, 'references'], message: 'references must be a list of URLs' });
  }
  let eachPath: KeyPath | undefined;
  if (each !== undefined) {
    const parsed =
      typeof each === 'string' ? parseKeyPath(each) : 'each must be a path to a list, e.g. config.rules';
    if (typeof parsed === 'string') issues.push({ path: [...path, 'each'], message: parsed });
    else if (parsed.hasWildcard || parsed.root !== 'config') {
      issues.push({ path: [...path, 'each'], message: 'each must be a config.* path to a list, without []' });
    } else eachPath = parsed;
  }
  if (!('filter' in raw)) issues.push({ path: [...path, 'filter'], message: 'filter is required' });
  const filter =
    type && (each === undefined || eachPath) && 'filter' in raw
      ? compileFilter(
          raw.filter,
          [...path, 'filter'],
          { resourceType: type, ...(eachPath ? { each: eachPath } : {}) },
          issues,
        )
      : undefined;
  if (issues.length > before || !filter || !type) return undefined;
  return {
    id: id as string,
    title: (title as string).trim(),
    severity: severity as Severity,
    resourceType: type,
    ...(typeof description === 'string' ? { description } : {}),
    references: (references as string[] | undefined) ?? [],
    ...(eachPath ? { each: eachPath } : {}),
    filter,
  };
}

/** FNV-1a over a stable rendering: a short content key for list elements that have no id of their own. */
function contentKey(value: unknown): string {
  const text = stableJson(value);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

function shown(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'undefined' : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function violationFor(
  spec: CustomRuleSpec,
  part: string,
  tri: 'yes' | 'maybe',
  trace: FilterTrace,
  fallbackAt?: ReadonlyArray<string | number>,
): Violation {
  const at = trace.at ?? fallbackAt;
  const where =
    trace.at !== undefined && trace.root
      ? ` (${formatKeyPath(trace.root, trace.at)} = ${shown(trace.value)})`
      : '';
  const configPath = (trace.root === 'config' ? trace.at : undefined) ?? fallbackAt;
  return {
    part,
    certainty: certaintyOf(tri),
    message: `${spec.title}${where}${tri === 'maybe' ? ': depends on an unknown value' : ''}`,
    ...(configPath ? { path: configPath } : {}),
    ...(at ? { details: { matched: formatKeyPath(trace.root ?? 'config', at) } } : {}),
  };
}

/** A custom rule as a RuleDefinition: same contract, so the engine needs no second code path. */
export function customRuleDefinition(spec: CustomRuleSpec): RuleDefinition<unknown> {
  const check = (resource: Resource): Violation[] => {
    if (resource.type !== spec.resourceType) return [];
    if (!spec.each) {
      const trace: FilterTrace = {};
      const tri = spec.filter(resource, undefined, [], trace);
      return tri === 'no' ? [] : [violationFor(spec, 'resource', tri, trace)];
    }
    const out: Violation[] = [];
    const lists = resolveKeyPath(resource, spec.each);
    for (const list of lists) {
      if (!Array.isArray(list.value)) continue;
      list.value.forEach((item: unknown, index) => {
        const itemAt = [...list.at, index];
        const trace: FilterTrace = {};
        const tri = spec.filter(resource, item, itemAt, trace);
        if (tri === 'no') return;
        const ownId =
          typeof item === 'object' && item !== null ? (item as { ruleId?: unknown }).ruleId : undefined;
        const part = typeof ownId === 'string' && ownId ? ownId : `item:${contentKey(item)}`;
        out.push(violationFor(spec, part, tri, trace, itemAt));
      });
    }
    return out;
  };
  return defineRule<unknown>({
    id: spec.id,
    title: spec.title,
    severity: spec.severity,
    resourceTypes: [spec.resourceType],
    rationale: spec.description ?? 'Custom rule from leuko.yaml.',
    references: spec.references,
    enabledByDefault: true,
    paramsSchema: z.unknown(),
    defaultParams: undefined,
    check,
  });
}
