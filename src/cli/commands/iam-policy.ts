// `leuko iam-policy`: prints the least-privilege IAM policy (JSON) for the enabled resource types, rules and actions.
import type { Command } from 'commander';
import { iamPolicy } from '../../aws/iam-policy.js';
import { UsageError } from '../../core/errors.js';
import { BUILT_IN_RULES } from '../../rules/index.js';
import { loadCliConfig, parseList, parseTypes, type GlobalOptions } from '../context.js';
import { createOutput } from '../output.js';
import { summaryOf } from './catalog.js';

interface IamPolicyFlags {
  readOnly?: boolean;
  remediate?: boolean;
  types?: string;
  actions?: string;
  rules?: string;
  undo?: boolean;
  intake?: string;
}

const INTAKE_KINDS = ['sqs', 's3'] as const;
type IntakeKind = (typeof INTAKE_KINDS)[number];

export function registerIamPolicy(program: Command): void {
  program
    .command('iam-policy')
    .description(summaryOf('iam-policy'))
    .option('--read-only', 'only what scanning needs (the default)')
    .option('--remediate', 'also what the remediation actions (and undo) need')
    .option('--types <types>', 'comma-separated resource types (default: leuko.yaml types, else all)')
    .option('--actions <ids>', 'comma-separated action ids to allow (default: every action for the types)')
    .option(
      '--rules <ids>',
      'comma-separated rule ids: allow the actions these rules name as their remediation',
    )
    .option('--no-undo', 'leave out what `leuko undo` needs')
    .option('--intake <kinds>', 'add what event intake needs: sqs (the CloudTrail queue), s3 (log objects); default: from watch: in leuko.yaml')
    .addHelpText(
      'after',
      '\nExamples:\n  leuko iam-policy --read-only > leuko-read.json\n  leuko iam-policy --remediate --types sg,bucket --rules sg-ingress-open-admin,s3-public-acl',
    )
    .action((flags: IamPolicyFlags, command: Command) => {
      if (flags.readOnly && flags.remediate)
        throw new UsageError('--read-only and --remediate exclude each other');
      const globals = command.optsWithGlobals<GlobalOptions & IamPolicyFlags>();
      const loaded = loadCliConfig(globals);
      const types = parseTypes(flags.types, loaded.config.types);
      const ruleIds = parseList(flags.rules);
      const rules = ruleIds?.map((id) => {
        const rule = BUILT_IN_RULES.find((candidate) => candidate.id === id);
        if (!rule) throw new UsageError(`unknown rule "${id}"`);
        return rule;
      });
      const actions = parseList(flags.actions);
      const intakeNames = parseList(flags.intake) ?? (loaded.config.watch?.sqs?.length ? ['sqs', 's3'] : []);
      const intake = intakeNames.map((name) => {
        if (!(INTAKE_KINDS as readonly string[]).includes(name)) throw new UsageError(`--intake: unknown kind "${name}"; known: ${INTAKE_KINDS.join(', ')}`);
        return name as IntakeKind;
      });
      const snsAlerts = (loaded.config.alerts?.channels ?? []).some((channel) => channel.type === 'sns');
      const policy = iamPolicy({
        types,
        readOnly: !flags.remediate,
        ...(actions ? { actions } : {}),
        ...(rules ? { rules } : {}),
        undo: flags.undo !== false,
        ...(intake.length > 0 ? { intake } : {}),
        snsAlerts,
        sqsTaskQueue: loaded.config.remediation?.queue?.backend === 'sqs',
      });
      createOutput().json(policy);
    });
}
