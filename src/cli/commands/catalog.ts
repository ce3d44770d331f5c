// Every command's summary and a loader for its module, so `leuko <command>` loads only that command: the
// modules pull in what they need (the AWS SDK alone is most of a one-second cold start), and `leuko check`
// in a CI pipeline should not pay for `leuko scan`.
import type { Command } from 'commander';

const SUMMARIES = {
  scan: 'Inventory resources into the store and record what changed since the last scan.',
  inventory: 'List stored resources (as of the last scan or event).',
  history: 'Show every recorded version of a resource (created, modified, deleted) and who changed it.',
  diff: 'Show what changed between two versions of a resource (default: the last two).',
  deleted: 'List resources that were deleted, with when and their last known configuration.',
  resolve: 'Resolve a security group id to its name, description, VPC, account and region.',
  search: 'Find security-group rules whose peer contains or overlaps an IP or CIDR, across all accounts and regions.',
  audit: 'Scan, then evaluate every enabled rule on the inventory and report findings (new, open, resolved, justified).',
  alerts: 'Alert channels from leuko.yaml: list them, or send a test alert through them.',
  check: 'Check CloudFormation templates (YAML/JSON, cdk.out) and Terraform plans (terraform show -json) before deploy.',
  findings: 'List stored findings (default: open and justified).',
  rules: 'List every rule (built-in and custom) with its severity, resource types and whether it is on.',
  explain: 'Explain a rule: what it checks, why it matters, references, settings in force and the fix.',
  'iam-policy': 'Print the exact IAM policy leuko needs for the chosen resource types, rules and actions.',
  remediation: 'The remediation queue: what leuko would do (dry-run), what waits for approval, what it did.',
  undo:
    'Undo a remediation task: restore the journaled before-state (revoked rules, ACL grants, policy statements, public access block, …). ' +
    'Says plainly when the action cannot be undone.',
  replay:
    'Backtest rules and detections on historical CloudTrail logs (files, directories or s3://bucket/prefix); nothing is stored or sent.',
  watch:
    'Run until stopped: judge CloudTrail events from SQS queues and/or an HTTP endpoint as they arrive, scan and audit on a cron schedule, ' +
    'send alerts on changes of state, and run the remediation coordinator. Logs are JSON lines on stdout; SIGTERM or Ctrl-C stops cleanly.',
  demo: 'Run leuko against a local moto server with a planted estate (needs python3; no AWS account).',
} as const;

export type CommandName = keyof typeof SUMMARIES;

export interface CommandModule {
  /** The commands the module registers, in the order `leuko --help` lists them. */
  readonly names: readonly CommandName[];
  readonly load: () => Promise<(program: Command) => void>;
}

/** The summary `leuko --help` lists and the command's own help shows. */
export function summaryOf(name: CommandName): string {
  return SUMMARIES[name];
}

/** In the order `leuko --help` lists them. */
export const COMMAND_MODULES: readonly CommandModule[] = [
  { names: ['scan'], load: async () => (await import('./scan.js')).registerScan },
  { names: ['inventory'], load: async () => (await import('./inventory.js')).registerInventory },
  { names: ['history'], load: async () => (await import('./history.js')).registerHistory },
  { names: ['diff'], load: async () => (await import('./diff.js')).registerDiff },
  { names: ['deleted'], load: async () => (await import('./deleted.js')).registerDeleted },
  { names: ['resolve'], load: async () => (await import('./resolve.js')).registerResolve },
  { names: ['search'], load: async () => (await import('./search.js')).registerSearch },
  { names: ['audit'], load: async () => (await import('./audit.js')).registerAudit },
  { names: ['alerts'], load: async () => (await import('./alerts.js')).registerAlerts },
  { names: ['check'], load: async () => (await import('./check.js')).registerCheck },
  { names: ['findings'], load: async () => (await import('./findings.js')).registerFindings },
  { names: ['rules', 'explain'], load: async () => (await import('./rules.js')).registerRules },
  { names: ['iam-policy'], load: async () => (await import('./iam-policy.js')).registerIamPolicy },
  { names: ['remediation'], load: async () => (await import('./remediation.js')).registerRemediation },
  { names: ['undo'], load: async () => (await import('./undo.js')).registerUndo },
  { names: ['replay'], load: async () => (await import('./replay.js')).registerReplay },
  { names: ['watch'], load: async () => (await import('./watch.js')).registerWatch },
  { names: ['demo'], load: async () => (await import('./demo.js')).registerDemo },
];
