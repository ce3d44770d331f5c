// `leuko undo <task>`: restores what a remediation task changed, from the before-state its journal holds.
import type { Command } from 'commander';
import { loadCliConfig, openStore, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { createOutput } from '../output.js';
import { openCoordinator } from './remediation.js';
import { summaryOf } from './catalog.js';

export function registerUndo(program: Command): void {
  program
    .command('undo')
    .description(summaryOf('undo'))
    .argument('<task>', 'task id (rt-…), from `leuko remediation list`')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExample:\n  leuko undo rt-0123456789abcdef')
    .action(async (taskId: string, flags: { json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const loaded = loadCliConfig(globals);
      const store = await openStore(globals, loaded);
      const output = createOutput();
      try {
        const opened = await openCoordinator(globals, loaded, store, output);
        try {
          const result = await opened.coordinator.undo(taskId);
          if (flags.json) output.json({ taskId, status: result.status, message: result.message, task: result.task });
          else output.line(result.status === 'irreversible' ? `Cannot undo: ${result.message}` : result.message);
          // Nothing could be restored: a script must not read that as success.
          if (result.status === 'irreversible') process.exitCode = EXIT.failed;
        } finally {
          await opened.close();
        }
      } finally {
        await store.close();
      }
    });
}
