// `leuko inventory`: the stored resources, filtered.
import type { Command } from 'commander';
import { loadCliConfig, openStore, parseList, parseTypes, type GlobalOptions } from '../context.js';
import { createOutput, formatTable } from '../output.js';
import { summaryOf } from './catalog.js';

interface InventoryFlags {
  types?: string;
  accounts?: string;
  regions?: string;
  tag?: string;
  includeDeleted?: boolean;
  limit?: string;
  json?: boolean;
}

export function registerInventory(program: Command): void {
  program
    .command('inventory')
    .description(summaryOf('inventory'))
    .option('--types <types>', 'comma-separated resource types')
    .option('--accounts <ids>', 'comma-separated account ids')
    .option('--regions <regions>', 'comma-separated regions')
    .option('--tag <key=value>', 'only resources with this tag (value optional)')
    .option('--include-deleted', 'also list deleted resources')
    .option('--limit <n>', 'at most n resources')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  leuko inventory --types sg --regions eu-west-1 --tag env=prod')
    .action(async (flags: InventoryFlags, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const loaded = loadCliConfig(globals);
      const store = await openStore(globals, loaded);
      const output = createOutput();
      try {
        const accounts = parseList(flags.accounts);
        const regions = parseList(flags.regions);
        const stored = await store.listResources({
          ...(flags.types ? { types: parseTypes(flags.types) } : {}),
          ...(accounts ? { accounts } : {}),
          ...(regions ? { regions } : {}),
          includeDeleted: flags.includeDeleted === true,
        });
        const [tagKey, tagValue] = (flags.tag ?? '').split('=', 2);
        const selected = stored
          .filter(({ resource }) => !tagKey || (tagKey in resource.tags && (tagValue === undefined || resource.tags[tagKey] === tagValue)))
          .slice(0, flags.limit ? Number(flags.limit) : undefined);
        if (flags.json) {
          output.json(
            selected.map((entry) => ({
              ...entry.resource,
              version: entry.version,
              firstSeen: entry.firstSeen,
              lastSeen: entry.lastSeen,
              ...(entry.deletedAt ? { deletedAt: entry.deletedAt } : {}),
            })),
          );
          return;
        }
        const rows = [['TYPE', 'ACCOUNT', 'REGION', 'ID', 'NAME', 'VERSION', 'LAST SEEN']];
        for (const entry of selected) {
          const { resource } = entry;
          rows.push([
            resource.type,
            resource.account,
            resource.region,
            resource.id,
            (resource.name ?? '') + (entry.deletedAt ? ' (deleted)' : ''),
            String(entry.version),
            entry.lastSeen,
          ]);
        }
        output.line(formatTable(rows));
        output.line(`${selected.length} resource(s).`);
      } finally {
        await store.close();
      }
    });
}
