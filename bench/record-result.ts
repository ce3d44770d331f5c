// Appends a benchmark's figures to bench/RESULTS.md under its own heading, with the command and machine.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

const RESULTS = join(import.meta.dirname, 'RESULTS.md');

export function recordResult(name: string, command: string, figures: unknown, notes: readonly string[] = []): void {
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const section = [
    `## ${name}`,
    '',
    `- command: \`${command}\``,
    `- measured: ${new Date().toISOString()} on ${machine}`,
    ...notes.map((note) => `- ${note}`),
    '',
    '```json',
    JSON.stringify(figures, null, 2),
    '```',
    '',
  ].join('\n');
  const current = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# Benchmark results\n\nEach section is rewritten by its script when run with `--record`.\n\n';
  const pattern = new RegExp(`## ${name}\\n[\\s\\S]*?(?=\\n## |$)`);
  const next = pattern.test(current) ? current.replace(pattern, section.trimEnd() + '\n') : `${current.trimEnd()}\n\n${section}`;
  writeFileSync(RESULTS, next);
}
