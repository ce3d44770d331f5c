// Compiling a policy: resolve every rule's settings once, link related rules, index rules by resource type,
// so evaluating a resource is a map lookup and a loop over the rules that can apply to it.
import { ConfigError } from '../errors.js';
import { RESOURCE_TYPE_IDS, type ResourceTypeId } from '../resource-types.js';
import type { RuleContext, RuleDefinition, Severity } from '../rule.js';
import { customRuleDefinition } from './custom-rules.js';
import type { ExceptionSpec } from './exceptions.js';
import type { Issue } from './filter.js';
import {
  createPolicyConfigSchema,
  type PolicyConfig,
  type PolicyConfigInput,
  type RemediationMode,
} from './policy-config.js';

export interface CompiledRule {
  readonly rule: RuleDefinition<unknown>;
  readonly id: string;
  /** Resolved once; the same object for every resource (rules memoise derived lookups on it). */
  readonly params: unknown;
  readonly severity: Severity;
  readonly remediation: RemediationMode | undefined;
  readonly custom: boolean;
}

export interface Policy {
  /** Enabled rules, built-in first (in their listed order), then custom. */
  readonly rules: readonly CompiledRule[];
  /** Ids of rules that are off. */
  readonly disabled: readonly string[];
  readonly byType: ReadonlyMap<ResourceTypeId, readonly CompiledRule[]>;
  readonly context: RuleContext;
  readonly exceptions: readonly ExceptionSpec[];
}

/** "rules.sg-x.ports[0]": the path notation the CLI prints. */
export function formatIssuePath(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>((out, segment) => {
    if (typeof segment === 'number') return `${out}[${segment}]`;
    return out ? `${out}.${segment}` : segment;
  }, '');
}

function configError(issues: readonly Issue[]): ConfigError {
  const first = issues[0];
  const key = first ? formatIssuePath(first.path) : undefined;
  const more =
    issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return new ConfigError(
    `${key ? `${key}: ` : ''}${first?.message ?? 'invalid policy'}${more}`,
    key ? { key } : {},
  );
}

/** Builds a runnable policy from an already validated config. */
export function buildPolicy(config: PolicyConfig, builtIns: ReadonlyArray<RuleDefinition<unknown>>): Policy {
  const candidates: Array<{ rule: RuleDefinition<unknown>; custom: boolean }> = [
    ...builtIns.map((rule) => ({ rule, custom: false })),
    ...config.customRules.map((spec) => ({ rule: customRuleDefinition(spec), custom: true })),
  ];
  const resolved: Array<{
    rule: RuleDefinition<unknown>;
    custom: boolean;
    params: unknown;
    severity: Severity;
    remediation: RemediationMode | undefined;
  }> = [];
  const disabled: string[] = [];
  for (const { rule, custom } of candidates) {
    const setting = config.rules[rule.id];
    const enabled = setting ? setting.enabled : rule.enabledByDefault;
    if (!enabled) {
      disabled.push(rule.id);
      continue;
    }
    resolved.push({
      rule,
      custom,
      params: setting?.params !== undefined ? setting.params : rule.defaultParams,
      severity: setting?.severity ?? rule.severity,
      remediation: setting?.remediation,
    });
  }
  const paramsById = new Map(resolved.map((entry) => [entry.rule.id, entry.params]));
  const paramsOf = (id: string): unknown => paramsById.get(id);
  const rules: CompiledRule[] = resolved.map((entry) => ({
    rule: entry.rule,
    id: entry.rule.id,
    params: entry.rule.linkParams ? entry.rule.linkParams(entry.params, paramsOf) : entry.params,
    severity: entry.severity,
    remediation: entry.remediation,
    custom: entry.custom,
  }));
  const byType = new Map<ResourceTypeId, CompiledRule[]>();
  for (const type of RESOURCE_TYPE_IDS) byType.set(type, []);
  for (const rule of rules) for (const type of rule.rule.resourceTypes) byType.get(type)?.push(rule);
  return {
    rules,
    disabled,
    byType,
    context: { trustedAccounts: config.trustedAccounts },
    exceptions: config.exceptions,
  };
}

/**
 * Validates the policy keys of leuko.yaml (pass the whole parsed file or just those keys) and compiles
 * them; throws ConfigError naming the first bad key path. `rules` defaults to the built-in rules.
 */
export function compilePolicyWith(
  input: PolicyConfigInput | undefined,
  builtIns: ReadonlyArray<RuleDefinition<unknown>>,
): Policy {
  const schema = createPolicyConfigSchema(builtIns);
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    throw configError(
      result.error.issues.map((issue) => ({
        path: issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol'),
        message: issue.message,
      })),
    );
  }
  return buildPolicy(result.data, builtIns);
}
