// Compiles the policy keys of leuko.yaml (rules, customRules, exceptions, trustedAccounts); an error names
// the file, the line and the key, like every other config error.
import { BUILT_IN_RULES, buildPolicy, policyConfigSchema, type Policy } from '../core/engine/index.js';
import { configErrorFromIssues, type LoadedConfig } from './load-config.js';

export function loadPolicy(loaded: LoadedConfig): Policy {
  const result = policyConfigSchema.safeParse(loaded.config);
  if (!result.success) throw configErrorFromIssues(result.error.issues, loaded.file, loaded.lineOf);
  return buildPolicy(result.data, BUILT_IN_RULES);
}
