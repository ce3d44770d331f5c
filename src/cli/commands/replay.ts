// `leuko replay`: backtest the rules and detections on historical CloudTrail logs, with no side effects.
import type { Command } from 'commander';
import { createAccountClients, type AccountClients } from '../../aws/clients/client-factory.js';
import { loadPolicy } from '../../config/load-policy.js';
import { UsageError, type InputError } from '../../core/errors.js';
import { severityRank } from '../../core/rule.js';
import { BUILT_IN_DETECTIONS } from '../../detections/index.js';
import {
  createInterestFilter,
  createReadStats,
  evaluateRecordStream,
  readCloudTrailPaths,
  type EvaluateRecordsResult,
  type ReadOptions,
  type ReadStats,
  isS3Url,
  parseS3Url,
  readS3Records,
  type SourcedRecord,
} from '../../sources/cloudtrail/index.js';
import { loadCliConfig, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { createOutput, formatTable, type Output } from '../output.js';
import { summaryOf } from './catalog.js';

interface ReplayFlags {
  allRecords?: boolean;
  since?: string;
  until?: string;
  json?: boolean;
}

function checkInstant(value: string | undefined, flag: string): void {
  if (value !== undefined && Number.isNaN(Date.parse(value))) throw new UsageError(`${flag}: not an ISO date or time: ${value}`);
}

function where(source: { file: string; index: number; line?: number } | undefined): string {
  if (!source) return '';
  const file = source.file.split('/').pop() ?? source.file;
  return source.line !== undefined ? `${file}:${source.line}` : `${file}#${source.index}`;
}

export function printReplay(output: Output, result: EvaluateRecordsResult, stats: ReadStats, errors: readonly InputError[]): void {
  const findings = [...result.findings].sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || a.eventTime.localeCompare(b.eventTime),
  );
  if (findings.length > 0) {
    output.line('Rule findings (what the rules would have raised, event by event):');
    output.line(
      formatTable([
        ['SEVERITY', 'RULE', 'RESOURCE', 'PART', 'ACTOR', 'EVENT', 'TIME', 'EVENT ID'],
        ...findings.map((finding) => [
          finding.certainty === 'possible' ? `${finding.severity}?` : finding.severity,
          finding.ruleId,
          `${finding.resource.type.replace(/^aws\./, '')} ${finding.resource.id} (${finding.resource.region})`,
          finding.part,
          finding.actor.arn ?? '-',
          finding.eventName,
          finding.eventTime,
          finding.eventId ?? '-',
        ]),
      ]),
    );
    output.line();
  }
  const hits = [...result.detectionHits].sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || a.eventTime.localeCompare(b.eventTime),
  );
  if (hits.length > 0) {
    output.line('Detections (events that are alerts in themselves):');
    output.line(
      formatTable([
        ['SEVERITY', 'DETECTION', 'WHAT', 'ACTOR', 'REGION', 'TIME', 'EVENT ID'],
        ...hits.map((hit) => [hit.severity, hit.detectionId, hit.message, hit.actor.arn ?? '-', hit.region, hit.eventTime, hit.eventId ?? '-']),
      ]),
    );
    output.line();
  }
  const failedByCode = new Map<string, number>();
  for (const call of result.failedCalls) {
    const key = `${call.eventName} ${call.errorCode}`;
    failedByCode.set(key, (failedByCode.get(key) ?? 0) + 1);
  }
  output.line(
    `Replayed ${result.records + stats.filtered} record(s) from ${stats.files} file(s)` +
      (result.outOfRange > 0 ? ` (${result.outOfRange} outside --since/--until)` : '') +
      `: ${result.changes} change(s), ${findings.length} rule finding(s) on ${new Set(findings.map((finding) => finding.id)).size} distinct finding id(s), ` +
      `${hits.length} detection hit(s), ${result.failedCalls.length} failed call(s) of mapped events.`,
  );
  for (const [key, count] of [...failedByCode].sort()) output.line(`  failed: ${key} x${count}`);
  if (stats.filtered > 0) output.line(`Passed over ${stats.filtered} record(s) no rule or detection looks at (--all-records validates them too).`);
  if (stats.skipped > 0) output.line(`Skipped ${stats.skipped} item(s) that are not CloudTrail API records.`);
  for (const error of result.errors.slice(0, 20)) output.line(`  unmapped: ${error.eventName ?? ''} ${where(error.source)}: ${error.message}`);
  for (const failure of result.ruleFailures.slice(0, 20)) output.line(`  ! rule ${failure.ruleId} failed on ${failure.resource.id}: ${failure.message}`);
  if (errors.length > 0) {
    output.line(`Could not read ${errors.length} input(s) or record(s):`);
    for (const error of errors.slice(0, 20)) output.line(`  ! ${error.message}`);
    if (errors.length > 20) output.line(`  ! … and ${errors.length - 20} more`);
  }
}

/**
 * Local paths and s3://bucket/prefix locations, in the order given. S3 is read with the caller's credentials
 * (--profile or the default chain); the bucket's own region is followed.
 */
async function* readSources(paths: readonly string[], options: ReadOptions, s3Clients: () => AccountClients): AsyncGenerator<SourcedRecord> {
  let local: string[] = [];
  for (const path of paths) {
    if (!isS3Url(path)) {
      local.push(path);
      continue;
    }
    if (local.length > 0) yield* readCloudTrailPaths(local, options);
    local = [];
    const s3 = s3Clients().client('s3', process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1');
    yield* readS3Records(s3, parseS3Url(path), {
      ...(options.stats ? { stats: options.stats } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
      ...(options.select ? { select: options.select } : {}),
    });
  }
  if (local.length > 0) yield* readCloudTrailPaths(local, options);
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description(summaryOf('replay'))
    .argument('<paths...>', 'CloudTrail log files (.json, .json.gz, JSON Lines, EventBridge events), directories of them, or s3://bucket/prefix')
    .option('--since <iso>', 'only events at or after this time')
    .option('--until <iso>', 'only events before this time')
    .option('--json', 'print the result as JSON')
    .option('--all-records', 'parse and validate every record, even those no rule or detection looks at (slower; reports every malformed record)')
    .addHelpText(
      'after',
      '\nExamples:\n  leuko replay ./AWSLogs/123456789012/CloudTrail --since 2024-07-01\n  leuko replay s3://my-trail-bucket/AWSLogs/123456789012/CloudTrail/eu-west-1/2026/11/\n  leuko replay events.jsonl --json',
    )
    .action(async (paths: string[], flags: ReplayFlags, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions & ReplayFlags>();
      checkInstant(flags.since, '--since');
      checkInstant(flags.until, '--until');
      const loaded = loadCliConfig(globals);
      const policy = loadPolicy(loaded);
      const output = createOutput();
      const stats = createReadStats();
      const errors: InputError[] = [];
      const filter = flags.allRecords ? undefined : createInterestFilter(BUILT_IN_DETECTIONS);
      for (const path of paths) if (isS3Url(path)) parseS3Url(path);
      let clients: AccountClients | undefined;
      const s3Clients = () => (clients ??= createAccountClients({ ...(globals.profile ? { profile: globals.profile } : {}) }));
      const records = readSources(
        paths,
        {
          stats,
          ...(filter ? { prefilter: filter.text, select: filter.value } : {}),
          onError: (error) => {
            errors.push(error);
            output.progress(`! ${error.message}`);
          },
        },
        s3Clients,
      );
      let result: EvaluateRecordsResult;
      try {
        result = await evaluateRecordStream(records, policy, BUILT_IN_DETECTIONS, {
          ...(flags.since ? { since: flags.since } : {}),
          ...(flags.until ? { until: flags.until } : {}),
          now: Date.now(),
        });
      } finally {
        clients?.destroy();
      }
      output.endProgress();
      if (flags.json || globals.json) {
        output.json({ ...result, read: stats, inputErrors: errors.map((error) => ({ source: error.source, message: error.message })) });
      } else printReplay(output, result, stats, errors);
      if (stats.records === 0 && errors.length > 0) process.exitCode = EXIT.failed;
      else if (errors.length > 0) process.exitCode = EXIT.partial;
    });
}
