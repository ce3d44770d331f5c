// Text for `leuko rules` and `leuko explain <id>`: everything a user needs to know about a rule.
import type { RuleDefinition } from '../rule.js';
import type { CompiledRule, Policy } from './policy.js';

export interface RuleSummary {
  readonly id: string;
  readonly title: string;
  readonly severity: string;
  readonly resourceTypes: readonly string[];
  readonly enabled: boolean;
  readonly remediation: string | undefined;
}

/** One row per rule for `leuko rules`, with what the policy made of it (enabled, severity). */
export function summarizeRules(
  rules: ReadonlyArray<RuleDefinition<unknown>>,
  policy?: Policy,
): RuleSummary[] {
  const compiled = new Map<string, CompiledRule>(policy?.rules.map((rule) => [rule.id, rule]) ?? []);
  const all = policy
    ? [...rules, ...policy.rules.filter((rule) => rule.custom).map((rule) => rule.rule)]
    : [...rules];
  return all.map((rule) => {
    const active = compiled.get(rule.id);
    return {
      id: rule.id,
      title: rule.title,
      severity: active?.severity ?? rule.severity,
      resourceTypes: rule.resourceTypes,
      enabled: policy ? active !== undefined : rule.enabledByDefault,
      remediation: rule.remediation?.action,
    };
  });
}

function paramsText(params: unknown): string[] {
  if (typeof params !== 'object' || params === null) return [];
  const lines: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    // Engine-linked values are not settings a user writes.
    if (key === 'linked') continue;
    const text = JSON.stringify(value);
    lines.push(`  ${key}: ${text.length > 200 ? `${text.slice(0, 197)}...` : text}`);
  }
  return lines;
}

/** The full description of a rule; with a compiled rule, the settings in force instead of the defaults. */
export function describeRule(rule: RuleDefinition<unknown>, compiled?: CompiledRule): string {
  const lines = [
    `${rule.id}: ${rule.title}`,
    '',
    `Severity:        ${compiled?.severity ?? rule.severity}${compiled && compiled.severity !== rule.severity ? ` (default ${rule.severity})` : ''}`,
    `Resource types:  ${rule.resourceTypes.join(', ')}`,
    `Enabled:         ${compiled ? 'yes' : rule.enabledByDefault ? 'by default' : 'no (off by default)'}`,
    '',
    'Why it matters:',
    ...wrap(rule.rationale, 96).map((line) => `  ${line}`),
  ];
  if (rule.remediation) {
    lines.push(
      '',
      `Remediation:     ${rule.remediation.action}${compiled?.remediation ? ` (mode: ${compiled.remediation})` : ''}`,
    );
    lines.push(...wrap(rule.remediation.description, 96).map((line) => `  ${line}`));
  }
  const params = paramsText(compiled ? compiled.params : rule.defaultParams);
  if (params.length > 0) lines.push('', compiled ? 'Settings in force:' : 'Settings (defaults):', ...params);
  if (rule.references.length > 0) lines.push('', 'References:', ...rule.references.map((url) => `  ${url}`));
  return lines.join('\n');
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
