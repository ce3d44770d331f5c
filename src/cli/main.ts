#!/usr/bin/env node
// The leuko command line: parses arguments and hands each command to the library.
import { Command, CommanderError } from 'commander';
import { errorMessage, LeukoError } from '../core/errors.js';
import { registerCommands } from './commands/index.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { createOutput } from './output.js';

// The SDK warns on every run under Node 20 about releases after January 2027; our lock file pins the SDK,
// so the notice is noise on a user's terminal (the README recommends Node >= 22 instead).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** `args`: the user's arguments; only the command they name is loaded. */
export async function buildProgram(args: readonly string[]): Promise<Command> {
  const program = new Command();
  program
    .name('leuko')
    .description('A cloud immune system for AWS: find and heal dangerous configuration before deploy, on change, and on schedule.')
    .version('0.1.0')
    .option('-c, --config <file>', 'leuko.yaml to use (default: $LEUKO_CONFIG or ./leuko.yaml)')
    .option('--db <file>', 'store file (default: $LEUKO_DB or ~/.leuko/leuko.db)')
    .option('--profile <name>', 'AWS profile for credentials')
    .option('--debug', 'print the full error chain on failure')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  await registerCommands(program, args);
  return program;
}

function describeError(error: unknown, debug: boolean): string {
  if (!debug) return errorMessage(error).split('\n')[0] ?? 'error';
  const lines: string[] = [];
  let current: unknown = error;
  while (current) {
    lines.push(current instanceof Error ? (current.stack ?? current.message) : String(current));
    current = current instanceof Error ? current.cause : undefined;
    if (current) lines.push('caused by:');
  }
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const output = createOutput();
  try {
    const program = await buildProgram(argv.slice(2));
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
        return EXIT.ok;
      }
      return EXIT.usage;
    }
    const debug = argv.includes('--debug');
    output.endProgress();
    const prefix = error instanceof LeukoError ? 'leuko: ' : 'leuko: internal error: ';
    output.error(`${prefix}${describeError(error, debug)}`);
    return exitCodeFor(error);
  }
}

const invokedDirectly = process.argv[1] !== undefined && /(?:main\.[jt]s|leuko(?:\.js)?)$/.test(process.argv[1]);
if (invokedDirectly) {
  // `leuko rules | head`: a reader that stops early is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
      throw error;
    });
  }
  main(process.argv).then(
    (code) => {
      process.exitCode = code;
      // A one-shot command is done: nothing left over (a socket, a timer) may keep the process alive.
      setTimeout(() => process.exit(code), 2000).unref();
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = EXIT.internal;
    },
  );
}
