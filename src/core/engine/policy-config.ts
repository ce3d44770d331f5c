// The policy keys of leuko.yaml (trustedAccounts, rules, customRules, exceptions) as a zod schema whose
// issues carry exact paths (['rules', 'sg-ingress-open-admin', 'ports', 0]) so the loader can name the line.
//
//   rules:
//     <rule id>:
//       enabled: true|false        # default: the rule's own default; setting a param enables an off rule
//       severity: critical|high|medium|low|info
//       remediation: off|dry-run|approve|auto   # acted on by src/remediation (default: remediation.default)
//       allowDestructive: true|false   # let `auto` run an irreversible action (terminate, delete)
//       <param>: <value>           # the rule's own params (see `leuko explain <id>`)
//     <rule id>: false             # shorthand for enabled: false (true enables)
import * as z from 'zod';
import { SEVERITIES, type RuleDefinition, type Severity } from '../rule.js';
import { parseCustomRule, type CustomRuleSpec } from './custom-rules.js';
import { parseException, type ExceptionSpec } from './exceptions.js';
import type { Issue } from './filter.js';

export const REMEDIATION_MODES = ['off', 'dry-run', 'approve', 'auto'] as const;
export type RemediationMode = (typeof REMEDIATION_MODES)[number];

const COMMON_KEYS = ['enabled', 'severity', 'remediation', 'allowDestructive'] as const;

export interface RuleSetting {
  readonly enabled: boolean;
  readonly severity?: Severity;
  readonly remediation?: RemediationMode;
  /** `auto` may run this rule's irreversible action; without it such a task waits for approval. */
  readonly allowDestructive?: boolean;
  /** Validated params, defaults merged in (built-in rules that are enabled or were given params). */
  readonly params?: unknown;
}

/** The validated policy: what compilePolicy turns into something evaluate can run. */
export interface PolicyConfig {
  readonly trustedAccounts: readonly string[];
  /** Settings of the rules that leuko.yaml mentions, by id. */
  readonly rules: Readonly<Record<string, RuleSetting>>;
  readonly customRules: readonly CustomRuleSpec[];
  readonly exceptions: readonly ExceptionSpec[];
}

export interface PolicyConfigInput {
  readonly trustedAccounts?: ReadonlyArray<string | number>;
  readonly rules?: Readonly<Record<string, unknown>>;
  readonly customRules?: readonly unknown[];
  readonly exceptions?: readonly unknown[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Levenshtein distance, for "did you mean" on rule ids. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

function unknownRuleMessage(id: string, known: readonly string[]): string {
  const closest = [...known].sort((a, b) => distance(id, a) - distance(id, b))[0];
  const hint =
    closest && distance(id, closest) <= Math.max(3, Math.floor(id.length / 3))
      ? ` Did you mean "${closest}"?`
      : '';
  return `unknown rule id "${id}".${hint} Known ids: ${known.join(', ')}`;
}

function paramKeys(rule: RuleDefinition<unknown>): string[] {
  return isRecord(rule.defaultParams) ? Object.keys(rule.defaultParams) : [];
}

function parseRuleSetting(
  id: string,
  raw: unknown,
  rule: RuleDefinition<unknown> | undefined,
  issues: Issue[],
): RuleSetting | undefined {
  const path = ['rules', id];
  if (raw === null || raw === undefined) raw = {};
  if (typeof raw === 'boolean') raw = { enabled: raw };
  if (!isRecord(raw)) {
    issues.push({
      path,
      message: 'must be a mapping (enabled, severity, remediation, params) or true/false',
    });
    return undefined;
  }
  const before = issues.length;
  const { enabled, severity, remediation, allowDestructive } = raw;
  if (enabled !== undefined && typeof enabled !== 'boolean')
    issues.push({ path: [...path, 'enabled'], message: 'enabled must be true or false' });
  if (allowDestructive !== undefined && typeof allowDestructive !== 'boolean')
    issues.push({ path: [...path, 'allowDestructive'], message: 'allowDestructive must be true or false' });
  if (
    severity !== undefined &&
    !(typeof severity === 'string' && (SEVERITIES as readonly string[]).includes(severity))
  ) {
    issues.push({ path: [...path, 'severity'], message: `severity must be one of ${SEVERITIES.join(', ')}` });
  }
  if (
    remediation !== undefined &&
    !(typeof remediation === 'string' && (REMEDIATION_MODES as readonly string[]).includes(remediation))
  ) {
    issues.push({
      path: [...path, 'remediation'],
      message: `remediation must be one of ${REMEDIATION_MODES.join(', ')}`,
    });
  }
  const given: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw))
    if (!(COMMON_KEYS as readonly string[]).includes(key)) given[key] = value;
  const hasParams = Object.keys(given).length > 0;
  // Custom rules take no params: their filter is their configuration.
  if (!rule) {
    for (const key of Object.keys(given))
      issues.push({
        path: [...path, key],
        message: `unknown key "${key}": a custom rule takes only ${COMMON_KEYS.join(', ')}`,
      });
    if (issues.length > before) return undefined;
    return {
      enabled: enabled === undefined ? true : (enabled as boolean),
      ...(severity !== undefined ? { severity: severity as Severity } : {}),
      ...(remediation !== undefined ? { remediation: remediation as RemediationMode } : {}),
      ...(allowDestructive !== undefined ? { allowDestructive: allowDestructive as boolean } : {}),
    };
  }
  // Setting a param of an off-by-default rule (allowedRegions, baseline) is how it is switched on.
  const isEnabled = enabled === undefined ? rule.enabledByDefault || hasParams : (enabled as boolean);
  let params: unknown;
  if (isEnabled || hasParams) {
    const known = paramKeys(rule);
    const merged = isRecord(rule.defaultParams)
      ? { ...rule.defaultParams, ...given }
      : hasParams
        ? given
        : rule.defaultParams;
    const result = rule.paramsSchema.safeParse(merged);
    if (result.success) {
      params = result.data;
    } else {
      for (const issue of result.error.issues) {
        const issuePath = issue.path.filter(
          (segment): segment is string | number => typeof segment !== 'symbol',
        );
        if (issue.code === 'unrecognized_keys') {
          for (const key of issue.keys) {
            issues.push({
              path: [...path, ...issuePath, key],
              message: `unknown setting "${key}" for ${id}; settings: ${[...COMMON_KEYS, ...known].join(', ')}`,
            });
          }
        } else {
          issues.push({ path: [...path, ...issuePath], message: issue.message });
        }
      }
    }
  }
  if (issues.length > before) return undefined;
  return {
    enabled: isEnabled,
    ...(severity !== undefined ? { severity: severity as Severity } : {}),
    ...(remediation !== undefined ? { remediation: remediation as RemediationMode } : {}),
    ...(allowDestructive !== undefined ? { allowDestructive: allowDestructive as boolean } : {}),
    ...(params !== undefined ? { params } : {}),
  };
}

/** Validates the policy keys against a rule set; every problem becomes one issue with its path. */
export function parsePolicyConfig(
  input: PolicyConfigInput,
  builtIns: ReadonlyArray<RuleDefinition<unknown>>,
): { config?: PolicyConfig; issues: Issue[] } {
  const issues: Issue[] = [];
  const byId = new Map(builtIns.map((rule) => [rule.id, rule]));
  const builtInIds = new Set(byId.keys());

  const customRules: CustomRuleSpec[] = [];
  const customIds = new Set<string>();
  const rawCustom = input.customRules ?? [];
  rawCustom.forEach((raw, index) => {
    const spec = parseCustomRule(raw, ['customRules', index], builtInIds, issues);
    if (!spec) return;
    if (customIds.has(spec.id)) {
      issues.push({ path: ['customRules', index, 'id'], message: `duplicate custom rule id "${spec.id}"` });
      return;
    }
    customIds.add(spec.id);
    customRules.push(spec);
  });
  // Ids of custom rules that failed validation still count as known, so one mistake reports once.
  for (const raw of rawCustom) {
    if (isRecord(raw) && typeof raw.id === 'string') customIds.add(raw.id);
  }

  const rules: Record<string, RuleSetting> = {};
  const knownIds = [...builtInIds, ...customIds];
  if (input.rules !== undefined) {
    if (!isRecord(input.rules)) {
      issues.push({ path: ['rules'], message: 'rules must be a mapping of rule id to settings' });
    } else {
      for (const [id, raw] of Object.entries(input.rules)) {
        const rule = byId.get(id);
        if (!rule && !customIds.has(id)) {
          issues.push({ path: ['rules', id], message: unknownRuleMessage(id, knownIds) });
          continue;
        }
        const setting = parseRuleSetting(id, raw, rule, issues);
        if (setting) rules[id] = setting;
      }
    }
  }

  const exceptions: ExceptionSpec[] = [];
  const knownSet = new Set(knownIds);
  (input.exceptions ?? []).forEach((raw, index) => {
    const spec = parseException(raw, index, knownSet, issues);
    if (spec) exceptions.push(spec);
  });

  if (issues.length > 0) return { issues };
  return {
    config: {
      trustedAccounts: (input.trustedAccounts ?? []).map(String),
      rules,
      customRules,
      exceptions,
    },
    issues,
  };
}

const accountIdSchema = z.coerce
  .string()
  .pipe(z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'));

/**
 * The policy keys as a zod schema for a rule set. Unknown keys outside the four are ignored, so the whole
 * leuko.yaml object can be passed; the output is the validated PolicyConfig.
 */
export function createPolicyConfigSchema(builtIns: ReadonlyArray<RuleDefinition<unknown>>) {
  return z
    .object({
      trustedAccounts: z.array(accountIdSchema).optional(),
      rules: z.record(z.string(), z.unknown()).optional(),
      customRules: z.array(z.unknown()).optional(),
      exceptions: z.array(z.unknown()).optional(),
    })
    .transform((input, context): PolicyConfig => {
      const result = parsePolicyConfig(input, builtIns);
      if (!result.config) {
        for (const issue of result.issues)
          context.addIssue({ code: 'custom', message: issue.message, path: [...issue.path] });
        return z.NEVER;
      }
      return result.config;
    });
}
