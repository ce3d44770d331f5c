// Remediation settings from a loaded leuko.yaml: the `remediation:` key plus each rule's remediation mode
// and allowDestructive (validated by the policy schema, so an error names the file and line).
import type { LoadedConfig } from '../config/load-config.js';
import { configErrorFromIssues } from '../config/load-config.js';
import { policyConfigSchema } from '../core/engine/index.js';
import { resolveRemediationSettings, type RemediationSettings } from './remediation-config.js';

export function loadRemediationSettings(loaded: LoadedConfig): RemediationSettings {
  const result = policyConfigSchema.safeParse(loaded.config);
  if (!result.success) throw configErrorFromIssues(result.error.issues, loaded.file, loaded.lineOf);
  return resolveRemediationSettings(loaded.config.remediation, result.data.rules);
}
