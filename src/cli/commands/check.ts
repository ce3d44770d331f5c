// `leuko check`: CloudFormation templates, CDK output and Terraform plans checked before deploy, in CI formats.
import { readFileSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import {
  atOrAbove,
  checkTemplates,
  checkTemplatesParallel,
  formatJson,
  formatJunit,
  formatSarif,
  formatText,
  AUTO_MAX_THREADS,
  MAX_JOBS,
  PARALLEL_MIN_FILES,
  parseJobs,
  summaryLine,
  type CheckOptions,
  type CheckResult,
  type FileReport,
} from '../../check/index.js';
import { tuneForBatchRun } from '../../check/v8-tiering.js';
import { configErrorFromIssues } from '../../config/load-config.js';
import { buildPolicy, BUILT_IN_RULES, policyConfigSchema, type Policy } from '../../core/engine/index.js';
import { errorMessage, InputError, UsageError } from '../../core/errors.js';
import { SEVERITIES, type Severity } from '../../core/rule.js';
import { parseParameterFile, type ParameterValue } from '../../sources/template/index.js';
import { loadCliConfig, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { createOutput } from '../output.js';
import { summaryOf } from './catalog.js';

export const CHECK_FORMATS = ['text', 'json', 'sarif', 'junit'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

/** `none`: findings never fail the run (exit 0), e.g. to upload SARIF and let code scanning decide. */
export const FAIL_ON_CHOICES = [...SEVERITIES, 'none'] as const;

export interface CheckFlags {
  format?: CheckFormat;
  json?: boolean;
  output?: string;
  region?: string;
  account?: string;
  parameters?: string;
  failOn?: Severity | 'none';
  color?: boolean;
  /** Threads checking at once, or auto (the default). */
  jobs?: string;
}

export interface CheckIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

const REGION = /^[a-z]{2}(-[a-z0-9]+)+-\d+$/;

/** `config` is leuko.yaml as loaded: plain data, from which each check worker compiles the same policy. */
function compileConfigPolicy(globals: GlobalOptions): {
  policy: Policy;
  config: unknown;
  regions: readonly string[] | undefined;
  accounts: readonly string[];
} {
  const loaded = loadCliConfig(globals);
  const result = policyConfigSchema.safeParse(loaded.config);
  if (!result.success) throw configErrorFromIssues(result.error.issues, loaded.file, loaded.lineOf);
  const regions = Array.isArray(loaded.config.regions) ? loaded.config.regions : undefined;
  return { policy: buildPolicy(result.data, BUILT_IN_RULES), config: loaded.config, regions, accounts: (loaded.config.accounts ?? []).map((account) => account.id) };
}

function readParameters(file: string): Record<string, ParameterValue> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read parameter file: ${errorMessage(error)}`, file, error);
  }
  return parseParameterFile(text, file);
}

/** The exit code: usage (nothing could be checked) > findings at/above --fail-on > partial (some files not checked). */
export function checkExitCode(result: CheckResult, failOn: Severity | 'none'): number {
  if (result.counts.checked === 0 && result.counts.refused > 0) return EXIT.usage;
  const failing = failOn !== 'none' && result.findings.some((finding) => !finding.suppressed && atOrAbove(finding.severity, failOn));
  if (failing) return EXIT.findings;
  return result.problems.length > 0 ? EXIT.partial : EXIT.ok;
}

/** Runs the command; returns the exit code. Separate from commander so tests can call it with their own streams. */
export async function runCheck(paths: readonly string[], flags: CheckFlags, globals: GlobalOptions, io: CheckIo): Promise<number> {
  const format: CheckFormat = flags.json ? 'json' : (flags.format ?? 'text');
  if (flags.region !== undefined && !REGION.test(flags.region)) throw new UsageError(`--region: "${flags.region}" is not an AWS region name (e.g. eu-west-1)`);
  if (flags.account !== undefined && !/^\d{12}$/.test(flags.account)) throw new UsageError(`--account: "${flags.account}" is not a 12-digit AWS account id`);
  const jobs = parseJobs(flags.jobs ?? 'auto');
  if (jobs === undefined) throw new UsageError(`--jobs: "${flags.jobs}" is not a number of threads from 1 to ${MAX_JOBS}, or auto`);
  const { policy, config, regions, accounts } = compileConfigPolicy(globals);
  // The template's region: the flag, else the first region of leuko.yaml; unknown otherwise (rules then say 'possible').
  const region = flags.region ?? regions?.[0];
  const accountId = flags.account ?? (accounts.length === 1 ? accounts[0] : undefined);
  const parameters = flags.parameters !== undefined ? readParameters(flags.parameters) : undefined;
  const output = createOutput(io.stdout, io.stderr);
  const options: CheckOptions = {
    policy,
    ...(region !== undefined ? { region } : {}),
    ...(accountId !== undefined ? { accountId } : {}),
    ...(parameters !== undefined ? { parameters } : {}),
    now: Date.now(),
    keepSource: format === 'text',
  };
  const onFile = (report: FileReport, index: number, total: number): void => output.progress(`[${index + 1}/${total}] ${report.file}`);
  // --jobs 1 is the serial check as it always was; otherwise the parallel check decides how many threads pay.
  const result =
    jobs === 1
      ? await checkTemplates(paths, options, onFile)
      : await checkTemplatesParallel(paths, options, { jobs, policyConfig: config, onWorkerFailure: (message) => output.error(`leuko: ${message}`) }, onFile);
  output.endProgress();
  if (result.counts.files === 0 && result.problems.length === 0) {
    throw new UsageError(`no templates found in ${paths.join(', ')} (looked for ${['.yaml', '.yml', '.json', '.template'].join(', ')})`);
  }
  // Problems go to stderr, one line each, whatever the format: stdout stays parseable.
  for (const problem of result.problems) output.error(problem.message);
  const color = flags.color !== false && format === 'text' && flags.output === undefined && io.stdout.isTTY === true && !io.env.NO_COLOR;
  const text =
    format === 'json'
      ? formatJson(result)
      : format === 'sarif'
        ? formatSarif(result, { policy })
        : format === 'junit'
          ? formatJunit(result)
          : formatText(result, { color });
  if (flags.output !== undefined) {
    try {
      writeFileSync(flags.output, text);
    } catch (error) {
      throw new UsageError(`--output: cannot write ${flags.output}: ${errorMessage(error)}`);
    }
    output.line(`${summaryLine(result)} Written to ${flags.output} (${format}).`);
  } else {
    io.stdout.write(text);
  }
  return checkExitCode(result, flags.failOn ?? 'info');
}

export function registerCheck(program: Command, io: CheckIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }): void {
  program
    .command('check')
    .description(summaryOf('check'))
    .argument('<paths...>', 'template files or directories (walked for .yaml .yml .json .template; cdk.out: *.template.json)')
    .addOption(new Option('--format <format>', 'output format').choices(CHECK_FORMATS).default('text'))
    .option('--json', 'same as --format json')
    .option('-o, --output <file>', 'write the report to a file (the summary still goes to stdout)')
    .option('--region <region>', "the region the templates deploy to (default: leuko.yaml's first region, else unknown)")
    .option('--account <id>', 'the account the templates deploy to (AWS::AccountId)')
    .option('--parameters <file>', 'parameter values: [{"ParameterKey","ParameterValue"}] or {"Parameters": {...}}')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when an unsuppressed finding is at or above this severity').choices(FAIL_ON_CHOICES).default('info'))
    .option('--no-color', 'no ANSI colours in text output (also NO_COLOR)')
    .option(
      '--jobs <n|auto>',
      `threads checking files at once (1: serial); auto: one per core, at most ${AUTO_MAX_THREADS}, from ${PARALLEL_MIN_FILES} files on, else serial`,
      'auto',
    )
    .addHelpText(
      'after',
      [
        '',
        'Exit codes: 0 clean, 1 findings at/above --fail-on, 2 bad usage or no file could be checked,',
        '3 some files (or suppressions) could not be checked (each named on stderr).',
        '',
        'Examples:',
        '  leuko check templates/ --region eu-west-1',
        '  cdk synth && leuko check cdk.out --format sarif --output leuko.sarif',
        '  terraform show -json plan.out > plan.tfplan.json && leuko check plan.tfplan.json --fail-on high',
        '  leuko check monorepo/ --jobs 4   # four threads, the same output as --jobs 1',
      ].join('\n'),
    )
    .action(async (paths: string[], flags: CheckFlags, command: Command) => {
      // Only the CLI's process: a program that calls runCheck keeps its own V8 settings.
      tuneForBatchRun(io.env);
      const globals = command.optsWithGlobals<GlobalOptions & CheckFlags>();
      process.exitCode = await runCheck(paths, flags, globals, io);
    });
}
