// Exceptions (`exceptions:` in leuko.yaml): justified findings stay visible as 'justified', never vanish.
//
//   exceptions:
//     - rules: [sg-ingress-open-admin]        # rule ids, or "*" for every rule
//       resourceId: sg-0123456789abcdef0      # select by any of: resourceId, arn, account, tag
//       justification: Bastion host; source narrowed by NACL. Ticket SEC-123.
//       expires: 2025-06-30                   # optional; the exception applies through that day (UTC)
//     - tag: leuko:exempt                     # a tag key without `rules`: the tag's value lists the rule ids
//       justification: Owners may exempt their resources by tag; reviewed monthly by secops.
//
// Selectors: resourceId and arn take "*" globs; account is a 12-digit id; tag is "key" or "key=value";
// region and resourceType narrow further. Every selector given must match. With `tag: <key>` and no
// `rules`, the resource's tag value names the rules, comma-separated ("sg-ingress-open-admin,rds-public"),
// and a `<key>-reason` tag on the resource, if present, is added to the justification.
// Tag exemptions are opt-in (they need this entry) because anyone who may tag a resource could use them.
import type { Justification } from '../finding.js';
import type { Resource } from '../resource.js';
import { resolveResourceType, type ResourceTypeId } from '../resource-types.js';
import type { Issue } from './filter.js';

const EXCEPTION_KEYS = new Set([
  'rules',
  'resourceId',
  'arn',
  'account',
  'region',
  'resourceType',
  'tag',
  'justification',
  'expires',
]);
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

export interface ExceptionSpec {
  readonly index: number;
  /** Rule ids; '*' for all; 'from-tag' when the tag's value names them. */
  readonly rules: ReadonlySet<string> | '*' | 'from-tag';
  readonly resourceId?: RegExp;
  readonly arn?: RegExp;
  readonly account?: string;
  readonly region?: string;
  readonly resourceType?: ResourceTypeId;
  readonly tagKey?: string;
  readonly tagValue?: string;
  readonly justification: string;
  /** As written, for the finding. */
  readonly expires?: string;
  /** Epoch ms from which the exception no longer applies. */
  readonly expiresAt?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function glob(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

/** Epoch ms an `expires` value stops applying at, or undefined when it is not a date. */
export function expiryInstant(value: string): number | undefined {
  const day = DATE_ONLY.exec(value);
  if (day) {
    const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const start = Date.UTC(year, month - 1, date);
    const check = new Date(start);
    if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date)
      return undefined;
    // A date means "through that day": it stops applying at the next midnight UTC.
    return start + 24 * 60 * 60 * 1000;
  }
  if (!DATE_TIME.test(value)) return undefined;
  const instant = Date.parse(value);
  return Number.isNaN(instant) ? undefined : instant;
}

/** Validates one `exceptions` entry; `knownRuleIds` are built-in and custom ids. */
export function parseException(
  raw: unknown,
  index: number,
  knownRuleIds: ReadonlySet<string>,
  issues: Issue[],
): ExceptionSpec | undefined {
  const path = ['exceptions', index];
  if (!isRecord(raw)) {
    issues.push({
      path,
      message:
        'an exception must be a mapping with a selector (resourceId, arn, account or tag) and a justification',
    });
    return undefined;
  }
  const before = issues.length;
  for (const key of Object.keys(raw)) {
    if (!EXCEPTION_KEYS.has(key))
      issues.push({
        path: [...path, key],
        message: `unknown key "${key}" (expected ${[...EXCEPTION_KEYS].join(', ')})`,
      });
  }
  const text = (key: string): string | undefined => {
    const value = raw[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    if (typeof value === 'number' && key === 'account') return String(value);
    issues.push({ path: [...path, key], message: `${key} must be non-empty text` });
    return undefined;
  };
  const justification = text('justification');
  if (raw.justification === undefined)
    issues.push({
      path: [...path, 'justification'],
      message: 'justification is required: say why this is acceptable',
    });
  const resourceId = text('resourceId');
  const arn = text('arn');
  const account = text('account');
  if (account !== undefined && !/^\d{12}$/.test(account))
    issues.push({ path: [...path, 'account'], message: 'account must be a 12-digit AWS account id' });
  const region = text('region');
  const typeText = text('resourceType');
  const resourceType = typeText ? resolveResourceType(typeText) : undefined;
  if (typeText && !resourceType)
    issues.push({ path: [...path, 'resourceType'], message: `unknown resource type "${typeText}"` });
  const tag = text('tag');
  const [tagKey, tagValue] =
    tag === undefined
      ? [undefined, undefined]
      : tag.includes('=')
        ? [tag.slice(0, tag.indexOf('=')), tag.slice(tag.indexOf('=') + 1)]
        : [tag, undefined];
  if (!resourceId && !arn && !account && !tag) {
    issues.push({
      path,
      message:
        'name what it exempts: resourceId, arn, account or tag (to turn a rule off everywhere, use rules.<id>.enabled: false)',
    });
  }
  let rules: ExceptionSpec['rules'] | undefined;
  const rawRules = raw.rules;
  if (rawRules === undefined) {
    if (tagKey !== undefined && tagValue === undefined) rules = 'from-tag';
    else
      issues.push({
        path: [...path, 'rules'],
        message: 'rules is required: the rule ids it exempts, or "*"',
      });
  } else if (rawRules === '*') {
    rules = '*';
  } else {
    const list = typeof rawRules === 'string' ? [rawRules] : rawRules;
    if (!Array.isArray(list) || list.length === 0) {
      issues.push({
        path: [...path, 'rules'],
        message: 'rules must be a rule id, a list of rule ids, or "*"',
      });
    } else {
      const ids = new Set<string>();
      list.forEach((id, position) => {
        const where = typeof rawRules === 'string' ? [...path, 'rules'] : [...path, 'rules', position];
        if (id === '*') ids.add('*');
        else if (typeof id !== 'string' || !knownRuleIds.has(id)) {
          issues.push({ path: where, message: `unknown rule id ${JSON.stringify(id)}` });
        } else ids.add(id);
      });
      rules = ids.has('*') ? '*' : ids;
    }
  }
  let expires: string | undefined;
  let expiresAt: number | undefined;
  const rawExpires = raw.expires;
  if (rawExpires instanceof Date) {
    expires = rawExpires.toISOString();
    expiresAt = rawExpires.getTime();
  } else if (rawExpires !== undefined) {
    expiresAt = typeof rawExpires === 'string' ? expiryInstant(rawExpires.trim()) : undefined;
    if (expiresAt === undefined)
      issues.push({
        path: [...path, 'expires'],
        message: 'expires must be a date (2025-06-30) or an ISO date-time with zone',
      });
    else expires = (rawExpires as string).trim();
  }
  if (issues.length > before || !justification || !rules) return undefined;
  return {
    index,
    rules,
    ...(resourceId ? { resourceId: glob(resourceId) } : {}),
    ...(arn ? { arn: glob(arn) } : {}),
    ...(account ? { account } : {}),
    ...(region ? { region } : {}),
    ...(resourceType ? { resourceType } : {}),
    ...(tagKey !== undefined ? { tagKey } : {}),
    ...(tagValue !== undefined ? { tagValue } : {}),
    justification,
    ...(expires !== undefined ? { expires } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
  };
}

function selects(spec: ExceptionSpec, resource: Resource): boolean {
  if (spec.account !== undefined && resource.account !== spec.account) return false;
  if (spec.region !== undefined && resource.region !== spec.region) return false;
  if (spec.resourceType !== undefined && resource.type !== spec.resourceType) return false;
  if (spec.resourceId && !spec.resourceId.test(resource.id)) return false;
  if (spec.arn && !spec.arn.test(resource.arn)) return false;
  if (spec.tagKey !== undefined) {
    const value = resource.tags[spec.tagKey];
    if (value === undefined) return false;
    if (spec.tagValue !== undefined && value !== spec.tagValue) return false;
  }
  return true;
}

function coversRule(spec: ExceptionSpec, resource: Resource, ruleId: string): boolean {
  if (spec.rules === '*') return true;
  if (spec.rules !== 'from-tag') return spec.rules.has(ruleId);
  const listed = (resource.tags[spec.tagKey ?? ''] ?? '').split(',').map((id) => id.trim());
  return listed.includes(ruleId) || listed.includes('*');
}

export interface ExceptionVerdict {
  readonly justification?: Justification;
  /** Exceptions that matched but have expired: the finding is open again, and says why. */
  readonly expired: ReadonlyArray<{ readonly source: string; readonly expires: string }>;
}

const NOTHING: ExceptionVerdict = { expired: [] };

/** The first unexpired exception that covers this rule on this resource (config order), if any. */
export function findException(
  exceptions: readonly ExceptionSpec[],
  resource: Resource,
  ruleId: string,
  nowMs: number,
): ExceptionVerdict {
  let expired: Array<{ source: string; expires: string }> | undefined;
  for (const spec of exceptions) {
    if (!selects(spec, resource) || !coversRule(spec, resource, ruleId)) continue;
    const source =
      spec.rules === 'from-tag'
        ? `exceptions[${spec.index}] (tag ${spec.tagKey})`
        : `exceptions[${spec.index}]`;
    // NaN (no `now` given) fails this test too: an expiry nobody can check is not honoured.
    if (spec.expiresAt !== undefined && !(nowMs < spec.expiresAt)) {
      (expired ??= []).push({ source, expires: spec.expires ?? '' });
      continue;
    }
    const ownReason = spec.rules === 'from-tag' ? resource.tags[`${spec.tagKey}-reason`] : undefined;
    return {
      justification: {
        reason: ownReason ? `${spec.justification} (resource says: ${ownReason})` : spec.justification,
        ...(spec.expires !== undefined ? { expires: spec.expires } : {}),
        source,
      },
      expired: expired ?? [],
    };
  }
  return expired ? { expired } : NOTHING;
}
