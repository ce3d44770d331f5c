// `leuko search --cidr | --ip`: which security-group rules let a network in (or out), everywhere.
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { isUnknown } from '../../core/unknown.js';
import { formatCidr } from '../../core/net/index.js';
import {
  parseSearchNetwork,
  searchSecurityGroupRules,
  type SearchDirection,
} from '../../inventory/search-network.js';
import { loadCliConfig, openStore, parseList, type GlobalOptions } from '../context.js';
import { createOutput, formatTable } from '../output.js';
import { summaryOf } from './catalog.js';

interface SearchFlags {
  cidr?: string;
  ip?: string;
  direction?: string;
  accounts?: string;
  regions?: string;
  json?: boolean;
}

const DIRECTIONS: readonly SearchDirection[] = ['ingress', 'egress', 'both'];

export function registerSearch(program: Command): void {
  program
    .command('search')
    .description(summaryOf('search'))
    .option('--cidr <cidr>', 'network to search for, e.g. 10.0.0.0/8 or 2001:db8::/32')
    .option('--ip <address>', 'address to search for, e.g. 203.0.113.7')
    .option('--direction <dir>', 'ingress, egress or both', 'both')
    .option('--accounts <ids>', 'comma-separated account ids')
    .option('--regions <regions>', 'comma-separated regions')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  leuko search --cidr 10.0.0.0/8\n  leuko search --ip 198.51.100.7 --direction ingress')
    .action(async (flags: SearchFlags, command: Command) => {
      const direction = (flags.direction ?? 'both') as SearchDirection;
      if (!DIRECTIONS.includes(direction)) throw new UsageError(`--direction must be one of ${DIRECTIONS.join(', ')}`);
      const network = parseSearchNetwork({
        ...(flags.cidr !== undefined ? { cidr: flags.cidr } : {}),
        ...(flags.ip !== undefined ? { ip: flags.ip } : {}),
      });
      const globals = command.optsWithGlobals<GlobalOptions>();
      const store = await openStore(globals, loadCliConfig(globals));
      const output = createOutput();
      try {
        const accounts = parseList(flags.accounts);
        const regions = parseList(flags.regions);
        const matches = await searchSecurityGroupRules(store, network, {
          direction,
          ...(accounts ? { accounts } : {}),
          ...(regions ? { regions } : {}),
        });
        if (flags.json) {
          output.json(matches);
          return;
        }
        const rows = [['ACCOUNT', 'REGION', 'GROUP', 'NAME', 'DIR', 'PROTOCOL', 'PORTS', 'PEER', 'RELATION']];
        for (const match of matches) {
          const { rule } = match;
          const text = (value: unknown) => (isUnknown(value) ? '?' : String(value));
          const peer = rule.peer.kind === 'ipv4' || rule.peer.kind === 'ipv6' ? text(rule.peer.cidr) : '';
          rows.push([
            match.account,
            match.region,
            match.groupId,
            match.groupName,
            rule.direction,
            text(rule.protocol),
            `${text(rule.fromPort)}-${text(rule.toPort)}`,
            peer,
            match.relation,
          ]);
        }
        output.line(formatTable(rows));
        output.line(`${matches.length} rule(s) match ${formatCidr(network)}.`);
      } finally {
        await store.close();
      }
    });
}
