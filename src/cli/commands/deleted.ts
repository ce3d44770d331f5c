// `leuko deleted`: resources that existed and are gone, newest first.
import type { Command } from 'commander';
import { loadCliConfig, openStore, parseList, parseTypes, type GlobalOptions } from '../context.js';
import { createOutput, formatTable } from '../output.js';
import { summaryOf } from './catalog.js';

export function registerDeleted(program: Command): void {
  program
    .command('deleted')
    .description(summaryOf('deleted'))
    .option('--types <types>', 'comma-separated resource types')
    .option('--accounts <ids>', 'comma-separated account ids')
    .option('--regions <regions>', 'comma-separated regions')
    .option('--since <iso-date>', 'only deletions at or after this time')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  leuko deleted --since 2026-01-01 --types bucket')
    .action(
      async (flags: { types?: string; accounts?: string; regions?: string; since?: string; json?: boolean }, command: Command) => {
        const globals = command.optsWithGlobals<GlobalOptions>();
        const store = await openStore(globals, loadCliConfig(globals));
        const output = createOutput();
        try {
          const accounts = parseList(flags.accounts);
          const regions = parseList(flags.regions);
          const deleted = await store.listDeleted({
            ...(flags.types ? { types: parseTypes(flags.types) } : {}),
            ...(accounts ? { accounts } : {}),
            ...(regions ? { regions } : {}),
            ...(flags.since ? { since: new Date(flags.since).toISOString() } : {}),
          });
          if (flags.json) {
            output.json(deleted.map((entry) => ({ ...entry.resource, deletedAt: entry.deletedAt, lastSeen: entry.lastSeen })));
            return;
          }
          const rows = [['DELETED AT', 'TYPE', 'ACCOUNT', 'REGION', 'ID', 'NAME']];
          for (const entry of deleted) {
            const { resource } = entry;
            rows.push([entry.deletedAt ?? '', resource.type, resource.account, resource.region, resource.id, resource.name ?? '']);
          }
          output.line(formatTable(rows));
          output.line(`${deleted.length} deleted resource(s).`);
        } finally {
          await store.close();
        }
      },
    );
}
