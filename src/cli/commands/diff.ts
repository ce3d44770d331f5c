// `leuko diff <id|arn>`: a readable structured diff between two versions of a resource.
import type { Command } from 'commander';
import { diffResources, formatDiff } from '../../core/diff.js';
import { NotFoundError, UsageError } from '../../core/errors.js';
import { lookupResource } from '../../inventory/lookup.js';
import type { ResourceVersion } from '../../store/store.js';
import { loadCliConfig, openStore, type GlobalOptions } from '../context.js';
import { createOutput } from '../output.js';
import { summaryOf } from './catalog.js';

function parseVersion(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const version = Number(value);
  if (!Number.isInteger(version) || version < 1) throw new UsageError(`${name} must be a version number (1, 2, ...), got "${value}"`);
  return version;
}

/** The content a version stands for: a deletion compares as "nothing". */
function pick(versions: ResourceVersion[], number: number): ResourceVersion {
  const found = versions.find((version) => version.version === number);
  if (!found) throw new NotFoundError(`no version ${number}; versions are 1..${versions.length}`);
  return found;
}

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description(summaryOf('diff'))
    .argument('<id>', 'resource id, ARN, or key (type|account|region|id)')
    .option('--from <version>', 'older version number')
    .option('--to <version>', 'newer version number')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  leuko diff sg-0123456789abcdef0 --from 1 --to 3')
    .action(async (reference: string, flags: { from?: string; to?: string; json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const store = await openStore(globals, loadCliConfig(globals));
      const output = createOutput();
      try {
        const current = await lookupResource(store, reference);
        const versions = await store.getHistory(current.key);
        const last = versions.length;
        const to = parseVersion(flags.to, '--to') ?? last;
        const from = parseVersion(flags.from, '--from') ?? Math.max(1, to - 1);
        if (from > to) throw new UsageError(`--from ${from} is newer than --to ${to}`);
        const before = from === to && from === 1 ? null : pick(versions, from);
        const after = pick(versions, to);
        const changes = diffResources(before?.resource ?? null, after.resource);
        if (flags.json) {
          output.json({ key: current.key, from: before?.version ?? 0, to: after.version, changes });
          return;
        }
        output.line(`${current.key.replaceAll('|', ' ')}: version ${before?.version ?? 0} (${before?.at ?? 'nothing'}) -> ${after.version} (${after.at}, ${after.change})`);
        if (after.actor?.arn) output.line(`changed by ${after.actor.arn}`);
        const lines = formatDiff(changes);
        if (lines.length === 0) output.line('no differences');
        for (const line of lines) output.line(line);
      } finally {
        await store.close();
      }
    });
}
