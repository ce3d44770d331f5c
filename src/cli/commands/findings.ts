// `leuko findings`: the stored findings, filtered, in any report format.
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import type { FindingStatus } from '../../core/finding.js';
import { loadCliConfig, openStore, parseList, parseTypes, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { createOutput } from '../output.js';
import { failsOn, parseSeverity, reportFormat, ruleMetadata, writeReport, type ReportFlags } from '../report-output.js';
import { loadPolicy } from '../../config/load-policy.js';
import { summaryOf } from './catalog.js';

interface FindingsFlags extends ReportFlags {
  status?: string;
  severity?: string;
  rule?: string;
  accounts?: string;
  regions?: string;
  types?: string;
  resource?: string;
}

const STATUSES: readonly FindingStatus[] = ['open', 'justified', 'resolved'];

export function registerFindings(program: Command): void {
  program
    .command('findings')
    .description(summaryOf('findings'))
    .option('--status <statuses>', 'open, justified, resolved or all (comma-separated)', 'open,justified')
    .option('--severity <severities>', 'comma-separated severities')
    .option('--rule <ids>', 'comma-separated rule ids')
    .option('--accounts <ids>', 'comma-separated account ids')
    .option('--regions <regions>', 'comma-separated regions')
    .option('--types <types>', 'comma-separated resource types')
    .option('--format <format>', 'table, json, csv, html, asff or ocsf', 'table')
    .option('-o, --output <file>', 'write the report to a file')
    .option('--fail-on <severity>', 'exit 1 when an open finding is at or above this severity')
    .option('--json', 'same as --format json')
    .addHelpText('after', '\nExample:\n  leuko findings --severity critical,high --format csv -o findings.csv')
    .action(async (flags: FindingsFlags, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      reportFormat(flags);
      const threshold = flags.failOn ? parseSeverity(flags.failOn, '--fail-on') : undefined;
      const statusList = parseList(flags.status) ?? ['open', 'justified'];
      const statuses = statusList.includes('all') ? [...STATUSES] : statusList;
      for (const status of statuses) {
        if (!(STATUSES as readonly string[]).includes(status)) throw new UsageError(`--status must be among ${STATUSES.join(', ')} or all`);
      }
      const loaded = loadCliConfig(globals);
      const policy = loadPolicy(loaded);
      const store = await openStore(globals, loaded);
      const output = createOutput();
      try {
        const severities = parseList(flags.severity)?.map((value) => parseSeverity(value, '--severity'));
        const ruleIds = parseList(flags.rule);
        const accounts = parseList(flags.accounts);
        const regions = parseList(flags.regions);
        const findings = await store.listFindings({
          status: statuses as FindingStatus[],
          ...(severities ? { severities } : {}),
          ...(ruleIds ? { ruleIds } : {}),
          ...(accounts ? { accounts } : {}),
          ...(regions ? { regions } : {}),
          ...(flags.types ? { types: parseTypes(flags.types) } : {}),
        });
        writeReport(output, findings, flags, { rules: ruleMetadata(policy), generatedAt: new Date().toISOString(), title: 'leuko findings' });
        if (failsOn(findings, threshold)) process.exitCode = EXIT.findings;
      } finally {
        await store.close();
      }
    });
}
