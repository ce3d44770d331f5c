// The policy engine's public API: validate the policy keys of leuko.yaml, compile them with the built-in
// rules, evaluate resources, and carry findings through their lifecycle. Pure: no I/O, no clock.
import type { RuleDefinition } from '../rule.js';
import { BUILT_IN_RULES } from '../../rules/index.js';
import { createPolicyConfigSchema, type PolicyConfigInput } from './policy-config.js';
import { compilePolicyWith, type Policy } from './policy.js';

export { BUILT_IN_RULES };

/** Schema of leuko.yaml's policy keys (trustedAccounts, rules, customRules, exceptions) for the built-in rules. */
export const policyConfigSchema = createPolicyConfigSchema(BUILT_IN_RULES);

/**
 * Validates and compiles the policy keys of leuko.yaml (the whole parsed file may be passed; other keys
 * are ignored). Throws ConfigError naming the first bad key path. `rules` replaces the built-in set (tests).
 */
export function compilePolicy(
  input?: PolicyConfigInput,
  options: { rules?: ReadonlyArray<RuleDefinition<unknown>> } = {},
): Policy {
  return compilePolicyWith(input, options.rules ?? BUILT_IN_RULES);
}

export { describeRule, summarizeRules, type RuleSummary } from './describe.js';
export {
  evaluate,
  evaluateResource,
  instantOf,
  refOf,
  type EvaluateOptions,
  type EvaluationResult,
  type FindingCandidate,
  type ResourceEvaluation,
  type RuleFailure,
} from './evaluate.js';
export { expiryInstant, findException, type ExceptionSpec, type ExceptionVerdict } from './exceptions.js';
export {
  compileFilter,
  FILTER_OPS,
  type CompiledFilter,
  type Filter,
  type FilterOp,
  type Issue,
} from './filter.js';
export { parseKeyPath, resolveKeyPath, type KeyPath, type PathSegment } from './key-path.js';
export { customRuleDefinition, parseCustomRule, type CustomRuleSpec } from './custom-rules.js';
export {
  evaluationScope,
  reconcileFindings,
  unevaluatedKey,
  type FindingScope,
  type ReconcileOptions,
  type ReconcileResult,
} from './lifecycle.js';
export {
  createPolicyConfigSchema,
  parsePolicyConfig,
  REMEDIATION_MODES,
  type PolicyConfig,
  type PolicyConfigInput,
  type RemediationMode,
  type RuleSetting,
} from './policy-config.js';
export { buildPolicy, compilePolicyWith, formatIssuePath, type CompiledRule, type Policy } from './policy.js';
export { certaintyOf, triAnd, triFromFlag, triNot, triOr, triOf, type Tri } from './tri.js';
