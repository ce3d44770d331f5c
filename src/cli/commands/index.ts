// Registers every command on the program; only the invoked one is loaded, the others are listed by summary.
import type { Command } from 'commander';
import { COMMAND_MODULES, summaryOf } from './catalog.js';

/**
 * The command the arguments name: the first one that is not a global option or its value, or for
 * `help <command>` the command after it. Undefined when none is named (`leuko --help`, `leuko`).
 */
export function invokedCommand(program: Command, args: readonly string[]): string | undefined {
  const takesValue = new Set(program.options.filter((option) => option.required || option.optional).flatMap((option) => [option.short, option.long]));
  let help = false;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '--') return args[index + 1];
    if (arg.startsWith('-')) {
      if (!arg.includes('=') && takesValue.has(arg)) index++;
      continue;
    }
    if (arg === 'help' && !help) {
      help = true;
      continue;
    }
    return arg;
  }
  return undefined;
}

/** `args` are the user's arguments (process.argv without node and the script). */
export async function registerCommands(program: Command, args: readonly string[]): Promise<void> {
  const invoked = invokedCommand(program, args);
  for (const module of COMMAND_MODULES) {
    if (invoked !== undefined && (module.names as readonly string[]).includes(invoked)) {
      (await module.load())(program);
      continue;
    }
    for (const name of module.names) {
      program
        .command(name)
        .description(summaryOf(name))
        .allowUnknownOption()
        .allowExcessArguments()
        .action(() => {
          // Only reachable if invokedCommand and commander disagree about which command was named.
          throw new Error(`command "${name}" was not loaded for these arguments`);
        });
    }
  }
}
