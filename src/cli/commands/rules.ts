// `leuko rules` and `leuko explain <rule-id>`: what each rule checks, why, and how it is configured.
import type { Command } from 'commander';
import { loadPolicy } from '../../config/load-policy.js';
import { BUILT_IN_RULES, describeRule, summarizeRules } from '../../core/engine/index.js';
import { RESOURCE_TYPE_IDS } from '../../core/resource-types.js';
import { NotFoundError } from '../../core/errors.js';
import { loadCliConfig, type GlobalOptions } from '../context.js';
import { createOutput, formatTable } from '../output.js';
import { summaryOf } from './catalog.js';

export function registerRules(program: Command): void {
  program
    .command('rules')
    .description(summaryOf('rules'))
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  leuko rules --json')
    .action((flags: { json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const policy = loadPolicy(loadCliConfig(globals));
      const rules = summarizeRules(BUILT_IN_RULES, policy);
      const output = createOutput();
      if (flags.json) {
        output.json(rules);
        return;
      }
      const rows = [['RULE', 'SEVERITY', 'ON', 'TYPES', 'TITLE']];
      for (const rule of rules) {
        const types = rule.resourceTypes.length === RESOURCE_TYPE_IDS.length ? 'all' : rule.resourceTypes.map((t) => t.replace(/^aws\./, '')).join(',');
        rows.push([rule.id, rule.severity, rule.enabled ? 'yes' : 'no', types, rule.title]);
      }
      output.line(formatTable(rows));
      output.line(`\nleuko explain <rule-id> for details; configure rules under "rules:" in leuko.yaml.`);
    });

  program
    .command('explain')
    .description(summaryOf('explain'))
    .argument('<rule-id>', 'a rule id, e.g. sg-ingress-open-admin')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  leuko explain s3-public-policy')
    .action((ruleId: string, flags: { json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const policy = loadPolicy(loadCliConfig(globals));
      const compiled = policy.rules.find((rule) => rule.id === ruleId);
      const definition = compiled?.rule ?? BUILT_IN_RULES.find((rule) => rule.id === ruleId);
      if (!definition) throw new NotFoundError(`no rule "${ruleId}"; \`leuko rules\` lists them`);
      const output = createOutput();
      if (flags.json) {
        const { check: _check, paramsSchema: _schema, ...metadata } = definition;
        output.json({ ...metadata, enabled: compiled !== undefined, severityInForce: compiled?.severity ?? definition.severity, params: compiled?.params ?? definition.defaultParams });
        return;
      }
      output.line(describeRule(definition, compiled));
    });
}
