// `leuko history <id|arn>`: every version of one resource, with who changed it where known.
import type { Command } from 'commander';
import { diffResources } from '../../core/diff.js';
import { lookupResource } from '../../inventory/lookup.js';
import { loadCliConfig, openStore, type GlobalOptions } from '../context.js';
import { createOutput, formatTable } from '../output.js';
import { summaryOf } from './catalog.js';

export function registerHistory(program: Command): void {
  program
    .command('history')
    .description(summaryOf('history'))
    .argument('<id>', 'resource id, ARN, or key (type|account|region|id)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  leuko history sg-0123456789abcdef0')
    .action(async (reference: string, flags: { json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const store = await openStore(globals, loadCliConfig(globals));
      const output = createOutput();
      try {
        const current = await lookupResource(store, reference);
        const versions = await store.getHistory(current.key);
        if (flags.json) {
          output.json({ key: current.key, versions });
          return;
        }
        output.line(`${current.key.replaceAll('|', ' ')}${current.deletedAt ? ` (deleted ${current.deletedAt})` : ''}`);
        const rows = [['VERSION', 'AT', 'CHANGE', 'CHANGES', 'ACTOR']];
        let previous = null as (typeof versions)[number]['resource'];
        for (const version of versions) {
          const changed = version.change === 'modified' ? diffResources(previous, version.resource).length : 0;
          rows.push([
            String(version.version),
            version.at,
            version.change,
            version.change === 'modified' ? `${changed} field(s)` : '',
            version.actor?.arn ?? (version.scanId ? 'scan' : ''),
          ]);
          if (version.resource) previous = version.resource;
        }
        output.line(formatTable(rows));
      } finally {
        await store.close();
      }
    });
}
