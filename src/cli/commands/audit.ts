// `leuko audit`: scan (unless --no-scan), evaluate every rule on the inventory, and report findings.
import type { Command } from 'commander';
import { runAudit } from '../../audit/run-audit.js';
import { loadPolicy } from '../../config/load-policy.js';
import { createConsoleAlertLogger } from '../../notify/console-log.js';
import { alertsFromTransitions, createAlertSink } from '../../notify/index.js';
import { runScan } from '../../scan/scan.js';
import { buildAccounts } from '../accounts.js';
import { loadCliConfig, openStore, parseList, parseTypes, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { createOutput } from '../output.js';
import { failsOn, parseSeverity, reportFormat, ruleMetadata, writeReport, type ReportFlags } from '../report-output.js';
import { openCoordinator } from './remediation.js';
import { printScanSummary } from './scan.js';
import { summaryOf } from './catalog.js';

interface AuditFlags extends ReportFlags {
  scan?: boolean;
  accounts?: string;
  roleName?: string;
  externalId?: string;
  regions?: string;
  types?: string;
}

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description(summaryOf('audit'))
    .option('--no-scan', 'evaluate the stored inventory without scanning first')
    .option('--accounts <ids>', 'comma-separated account ids or names')
    .option('--role-name <name>', 'role to assume in --accounts ids not listed in leuko.yaml')
    .option('--external-id <id>', 'external id for --role-name')
    .option('--regions <regions>', 'comma-separated regions, or "all"')
    .option('--types <types>', 'comma-separated resource types')
    .option('--format <format>', 'table, json, csv, html, asff or ocsf', 'table')
    .option('-o, --output <file>', 'write the report to a file')
    .option('--fail-on <severity>', 'exit 1 when an open finding is at or above this severity')
    .option('--json', 'same as --format json')
    .addHelpText('after', '\nExamples:\n  leuko audit --regions eu-west-1 --fail-on high\n  leuko audit --no-scan --format html -o report.html')
    .action(async (flags: AuditFlags, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions & AuditFlags>();
      const threshold = flags.failOn ? parseSeverity(flags.failOn, '--fail-on') : undefined;
      reportFormat(flags);
      const loaded = loadCliConfig(globals);
      const policy = loadPolicy(loaded);
      const types = parseTypes(flags.types, loaded.config.types);
      const store = await openStore(globals, loaded);
      const output = createOutput();
      let partial = false;
      try {
        let accounts: string[] | undefined = parseList(flags.accounts);
        let regions: string[] | undefined;
        if (flags.scan !== false) {
          const scanAccounts = buildAccounts(globals, loaded);
          const regionsFlag = parseList(flags.regions);
          try {
            const scan = await runScan({
              accounts: scanAccounts,
              regions: regionsFlag?.includes('all') ? 'all' : (regionsFlag ?? loaded.config.regions ?? 'all'),
              types,
              store,
              onProgress: (progress) => output.progress(`scan [${progress.done}/${progress.total}] ${progress.current}`),
            });
            output.endProgress();
            if (scan.accounts.length === 0) {
              printScanSummary(output, scan);
              process.exitCode = EXIT.failed;
              return;
            }
            if (scan.failures.length > 0) {
              partial = true;
              for (const failure of scan.failures) {
                output.error(`leuko: could not read ${[failure.account, failure.region, failure.type].filter(Boolean).join(' ')}: ${failure.code ?? failure.kind}`);
              }
            }
            accounts = scan.accounts;
            regions = Object.values(scan.regions).flat();
          } finally {
            for (const account of scanAccounts) account.clients.destroy();
          }
        } else {
          regions = parseList(flags.regions);
        }
        const result = await runAudit(store, policy, {
          now: new Date(),
          filter: { types, ...(accounts ? { accounts } : {}), ...(regions ? { regions: [...new Set(regions)] } : {}) },
        });
        writeReport(output, result.current, flags, { rules: ruleMetadata(policy), generatedAt: result.evaluatedAt, title: 'leuko audit' });
        if (!flags.output && reportFormat(flags) === 'table') {
          output.line(
            `Audited ${result.resources} resources: ${result.opened.length} new, ${result.reopened.length} reopened, ` +
              `${result.resolved.length} resolved, ${result.justified.length} newly justified.`,
          );
        }
        // Alerts only for changes of state: a finding that stays open was alerted when it opened.
        const alerts = createAlertSink(loaded.config.alerts, {
          log: createConsoleAlertLogger((line) => output.error(line), globals.debug === true),
          aws: { ...(globals.profile ? { profile: globals.profile } : {}) },
        });
        try {
          await alerts.send(alertsFromTransitions(result.transitions));
          // Every open finding with a remediation gets its task (dry-run by default: recorded, nothing changed);
          // tasks of rules the user set to auto run now.
          const remediation = await openCoordinator(globals, loaded, store, output, { alerts });
          try {
            const reopened = new Set(result.reopened.map((finding) => finding.id));
            const enqueued = await remediation.coordinator.enqueueFindings(result.current, { reopened });
            const ran = await remediation.coordinator.runPending();
            if (!flags.output && reportFormat(flags) === 'table' && (enqueued.created.length > 0 || ran.processed > 0)) {
              output.line(
                `Remediation: ${enqueued.created.length} new task(s), ${ran.processed} run; see \`leuko remediation list\`.`,
              );
            }
            if ((ran.outcomes.failed ?? 0) > 0 || (ran.outcomes.dead ?? 0) > 0 || ran.halted) partial = true;
          } finally {
            await remediation.close();
          }
        } finally {
          await alerts.close();
        }
        if (alerts.deliveries().some((delivery) => !delivery.ok)) partial = true;
        for (const failure of result.failures.slice(0, 10)) {
          output.error(`leuko: rule ${failure.ruleId} could not evaluate ${failure.resourceKey}: ${failure.message}`);
        }
        if (failsOn(result.current, threshold)) process.exitCode = EXIT.findings;
        else if (partial || result.failures.length > 0) process.exitCode = EXIT.partial;
      } finally {
        await store.close();
      }
    });
}
