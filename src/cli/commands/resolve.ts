// `leuko resolve sg-…`: the name, description, VPC, account and region of a security group id.
import type { Command } from 'commander';
import { resolveSecurityGroups } from '../../inventory/resolve-security-group.js';
import { loadCliConfig, openStore, type GlobalOptions } from '../context.js';
import { createOutput, formatTable } from '../output.js';
import { summaryOf } from './catalog.js';

export function registerResolve(program: Command): void {
  program
    .command('resolve')
    .description(summaryOf('resolve'))
    .argument('<group-id>', 'security group id (sg-…)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  leuko resolve sg-0123456789abcdef0')
    .action(async (groupId: string, flags: { json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const store = await openStore(globals, loadCliConfig(globals));
      const output = createOutput();
      try {
        const groups = await resolveSecurityGroups(store, groupId);
        if (flags.json) {
          output.json(groups.length === 1 ? groups[0] : groups);
          return;
        }
        const rows = [['GROUP ID', 'NAME', 'VPC', 'ACCOUNT', 'REGION', 'DESCRIPTION']];
        for (const group of groups) {
          rows.push([
            group.groupId,
            group.name + (group.deletedAt ? ' (deleted)' : ''),
            group.vpcId ?? '',
            group.account,
            group.region,
            group.description ?? '',
          ]);
        }
        output.line(formatTable(rows));
      } finally {
        await store.close();
      }
    });
}
