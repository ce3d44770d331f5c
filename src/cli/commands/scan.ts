// `leuko scan`: inventory accounts x regions x types into the store and summarise what changed.
import type { Command } from 'commander';
import { runScan, type ScanResult } from '../../scan/scan.js';
import { buildAccounts } from '../accounts.js';
import { loadCliConfig, openStore, parseList, parseTypes, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { createOutput, formatTable, type Output } from '../output.js';
import { summaryOf } from './catalog.js';

interface ScanFlags {
  accounts?: string;
  regions?: string;
  types?: string;
  roleName?: string;
  externalId?: string;
  json?: boolean;
}

export function printScanSummary(output: Output, result: ScanResult): void {
  const byTypeRegion = new Map<string, number>();
  for (const count of result.counts) {
    const key = `${count.type}\u0000${count.region}`;
    byTypeRegion.set(key, (byTypeRegion.get(key) ?? 0) + count.count);
  }
  const rows: string[][] = [['TYPE', 'REGION', 'COUNT']];
  for (const [key, count] of [...byTypeRegion].sort(([a], [b]) => a.localeCompare(b))) {
    if (count === 0) continue;
    const [type = '', region = ''] = key.split('\u0000');
    rows.push([type, region, String(count)]);
  }
  const total = result.counts.reduce((sum, count) => sum + count.count, 0);
  output.line(`Scanned ${result.accounts.length} account(s): ${total} resources.`);
  if (rows.length > 1) output.line(formatTable(rows));
  const { created, modified, deleted } = result.changes;
  output.line(`Changes since last scan: ${created.length} created, ${modified.length} modified, ${deleted.length} deleted.`);
  for (const [label, keys] of [
    ['+', created],
    ['~', modified],
    ['-', deleted],
  ] as const) {
    for (const key of keys.slice(0, 20)) output.line(`  ${label} ${key.replaceAll('|', ' ')}`);
    if (keys.length > 20) output.line(`  ${label} … and ${keys.length - 20} more`);
  }
  output.line(`AWS calls: ${result.calls.operations} operations, ${result.calls.attempts} requests, ${result.calls.throttled} throttled.`);
  if (result.failures.length > 0) {
    output.line(`Could not read ${result.failures.length} listing(s):`);
    for (const failure of result.failures) {
      const where = [failure.account, failure.region, failure.type].filter(Boolean).join(' ');
      output.line(`  ! ${where}: ${failure.operation} ${failure.code ?? failure.kind}: ${failure.message}`);
    }
  }
  for (const warning of result.warnings.slice(0, 20)) {
    output.line(`  warning: ${warning.account} ${warning.region} ${warning.resourceId ?? ''} ${warning.operation}: ${warning.message}`);
  }
}

export function registerScan(program: Command): void {
  program
    .command('scan')
    .description(summaryOf('scan'))
    .option('--accounts <ids>', 'comma-separated account ids or names (default: leuko.yaml accounts, else the current account)')
    .option('--role-name <name>', 'role to assume in --accounts ids not listed in leuko.yaml')
    .option('--external-id <id>', 'external id for --role-name')
    .option('--regions <regions>', 'comma-separated regions, or "all" (default: leuko.yaml regions, else all enabled)')
    .option('--types <types>', 'comma-separated resource types (e.g. sg,bucket,aws.rds.db-instance)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExample:\n  leuko scan --regions eu-west-1,eu-central-1 --types sg,bucket')
    .action(async (flags: ScanFlags, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions & ScanFlags>();
      const loaded = loadCliConfig(globals);
      const regionsFlag = parseList(flags.regions);
      const regions = regionsFlag?.includes('all') ? 'all' : (regionsFlag ?? loaded.config.regions ?? 'all');
      const types = parseTypes(flags.types, loaded.config.types);
      const accounts = buildAccounts(globals, loaded);
      const store = await openStore(globals, loaded);
      const output = createOutput();
      try {
        const result = await runScan({
          accounts,
          regions,
          types,
          store,
          ...(loaded.config.concurrency?.regions ? { concurrency: loaded.config.concurrency.regions } : {}),
          onProgress: (progress) => output.progress(`[${progress.done}/${progress.total}] ${progress.current}`),
        });
        output.endProgress();
        if (flags.json) output.json(result);
        else printScanSummary(output, result);
        if (result.accounts.length === 0) process.exitCode = EXIT.failed;
        else if (result.failures.length > 0) process.exitCode = EXIT.partial;
      } finally {
        for (const account of accounts) account.clients.destroy();
        await store.close();
      }
    });
}
