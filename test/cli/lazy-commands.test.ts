// Only the invoked command's module is loaded; every other command is listed by its summary.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMAND_MODULES, summaryOf } from '../../src/cli/commands/catalog.js';
import { invokedCommand } from '../../src/cli/commands/index.js';
import { buildProgram } from '../../src/cli/main.js';

const loaded = (program: Command, name: string) => {
  const command = program.commands.find((candidate) => candidate.name() === name);
  if (!command) throw new Error(`no command ${name}`);
  // A stub has neither options nor arguments; every real command has at least one of them.
  return command.options.length > 0 || command.registeredArguments.length > 0 || command.commands.length > 0;
};

describe('lazy commands', () => {
  it('finds the command after global options and their values, in every spelling', async () => {
    const program = await buildProgram([]);
    expect(invokedCommand(program, ['check', 'a.yaml'])).toBe('check');
    expect(invokedCommand(program, ['--db', 'check', 'scan'])).toBe('scan');
    expect(invokedCommand(program, ['-c', 'leuko.yaml', '--debug', 'audit'])).toBe('audit');
    expect(invokedCommand(program, ['--config=leuko.yaml', 'rules'])).toBe('rules');
    expect(invokedCommand(program, ['help', 'explain'])).toBe('explain');
    expect(invokedCommand(program, ['--help'])).toBeUndefined();
    expect(invokedCommand(program, [])).toBeUndefined();
  });

  it('loads the invoked command and lists the rest by summary, in the same order', async () => {
    const program = await buildProgram(['--profile', 'scan', 'check', 'template.yaml']);
    expect(loaded(program, 'check')).toBe(true);
    expect(loaded(program, 'scan')).toBe(false);
    expect(program.commands.map((command) => command.name())).toEqual(COMMAND_MODULES.flatMap((module) => module.names));
    const help = await buildProgram(['help', 'explain']);
    expect(loaded(help, 'explain')).toBe(true);
    expect(loaded(help, 'rules')).toBe(true);
  });

  it('every module registers exactly the commands the catalog lists for it, with the catalog summaries', async () => {
    for (const module of COMMAND_MODULES) {
      const program = new Command();
      (await module.load())(program);
      expect(program.commands.map((command) => command.name())).toEqual(module.names);
      module.names.forEach((name, index) => expect(program.commands[index]?.description()).toBe(summaryOf(name)));
    }
  });

  it('a stub run by mistake fails loudly instead of doing nothing', async () => {
    const program = await buildProgram([]);
    program.exitOverride();
    await expect(program.parseAsync(['node', 'leuko', 'rules'])).rejects.toThrow(/not loaded/);
  });

  it('check never loads SQLite: the store loads only when a command opens it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'leuko-lazy-'));
    try {
      writeFileSync(join(dir, 't.yaml'), 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n');
      // At exit, the CommonJS packages loaded (an ES import of one goes through the same cache).
      const probe = `data:text/javascript,${encodeURIComponent(
        "import { createRequire } from 'node:module'; const { cache } = createRequire(process.cwd() + '/probe.js');" +
          "process.on('exit', () => process.stderr.write('LOADED ' + Object.keys(cache).filter((path) => path.includes('better-sqlite3')).length + '\\n'));",
      )}`;
      const run = (args: string[]) =>
        spawnSync(process.execPath, ['--import', 'tsx', '--import', probe, 'src/cli/main.ts', '--db', join(dir, 'leuko.db'), ...args], { encoding: 'utf8' });
      const check = run(['check', join(dir, 't.yaml'), '--format', 'json', '--fail-on', 'none']);
      expect(check.status, check.stderr).toBe(0);
      expect(check.stderr).toContain('LOADED 0');
      // The probe sees the package when a command does open the store.
      const findings = run(['findings', '--json']);
      expect(findings.status, findings.stderr).toBe(0);
      expect(findings.stderr).toMatch(/LOADED [1-9]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
