// Corpus test: every template of the shared corpus loads and maps, or is refused with one clear InputError.
import { fork, type ChildProcess } from 'node:child_process';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../harness/corpus.js';
import type { WorkerMessage } from './corpus-worker.js';
import { listFiles } from './list-files.js';

const templatesDir = corpusPath('cfn-templates');
/** No file may take longer; the child is killed and the file counted as a hang. */
const PER_FILE_LIMIT_MS = 20_000;
/** A timing pass goes over the whole corpus: a hang there is any pass taking longer than this. */
const TIMING_PASS_LIMIT_MS = 180_000;

interface Outcome {
  readonly file: string;
  readonly message: Extract<WorkerMessage, { kind: 'done' }> | { kind: 'hang' } | { kind: 'died' };
}

/**
 * Runs the worker from file `from` until it exits. `inFlight` is the file it was on when it was
 * killed for taking too long (`hung`) or died; undefined when it finished.
 */
function runWorker(dir: string, from: number, time: boolean, onMessage: (message: WorkerMessage) => void): Promise<{ inFlight?: number; hung: boolean }> {
  return new Promise((resolve, reject) => {
    const worker = fileURLToPath(new URL('./corpus-worker.ts', import.meta.url));
    const child: ChildProcess = fork(worker, [dir, String(from), time ? 'time' : ''], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let current: number | undefined;
    let hung = false;
    let watchdog: NodeJS.Timeout | undefined;
    const arm = (limit: number) => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        hung = true;
        child.kill('SIGKILL');
      }, limit);
    };
    arm(PER_FILE_LIMIT_MS);
    child.on('message', (message: WorkerMessage) => {
      if (message.kind === 'start') current = message.index;
      if (message.kind === 'done') current = undefined;
      arm(message.kind === 'timing-start' ? TIMING_PASS_LIMIT_MS : PER_FILE_LIMIT_MS);
      onMessage(message);
    });
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(watchdog);
      resolve({ inFlight: current, hung });
    });
  });
}

describe.skipIf(templatesDir === undefined)('CloudFormation corpus', () => {
  it('loads and maps every template, or refuses it with one clear InputError; no crash, no hang', { timeout: 900_000 }, async () => {
    const dir = templatesDir as string;
    const files = listFiles(dir);
    const outcomes: Outcome[] = [];
    const timings: Array<Extract<WorkerMessage, { kind: 'timing' }>> = [];
    let from = 0;
    // A file that hangs or kills the process is recorded, and the run goes on after it.
    while (from < files.length) {
      let next = files.length;
      const { inFlight, hung } = await runWorker(dir, from, from === 0, (message) => {
        if (message.kind === 'done') {
          outcomes.push({ file: files[message.index] as string, message });
          next = message.index + 1;
        }
        if (message.kind === 'timing') timings.push(message);
      });
      if (inFlight === undefined) {
        expect(hung, 'a timing pass took too long').toBe(false);
        if (next === files.length || next === from) break;
        from = next;
        continue;
      }
      outcomes.push({ file: files[inFlight] as string, message: { kind: hung ? 'hang' : 'died' } });
      from = inFlight + 1;
    }

    const byCause: Record<string, number> = {};
    for (const { message } of outcomes) {
      const key =
        message.kind !== 'done' ? message.kind.toUpperCase() : message.outcome === 'loaded' ? 'loaded' : message.outcome === 'crashed' ? 'CRASH' : `refused: ${message.refusal}`;
      byCause[key] = (byCause[key] ?? 0) + 1;
    }
    const loaded = outcomes.flatMap(({ message }) => (message.kind === 'done' && message.outcome === 'loaded' ? [message] : []));
    const slowest = [...outcomes].flatMap(({ file, message }) => (message.kind === 'done' ? [{ file, ms: message.ms }] : [])).sort((a, b) => b.ms - a.ms)[0];
    const lines = [
      `corpus: ${files.length} files under ${dir}`,
      ...Object.entries(byCause).sort().map(([cause, n]) => `  ${cause}: ${n}`),
      `  mapped resources: ${loaded.reduce((sum, m) => sum + (m.resources ?? 0), 0)} (conditional: ${loaded.reduce((sum, m) => sum + (m.conditional ?? 0), 0)})`,
      `  slowest file: ${slowest ? `${relative(dir, slowest.file)} ${slowest.ms.toFixed(0)} ms` : '-'}`,
      ...timings.map((t) => `  ${t.name}: ${(t.templates / t.seconds).toFixed(0)} templates/s (${t.templates} in ${t.seconds.toFixed(2)} s, one core)`),
    ];
    console.log(lines.join('\n'));
    const examples = new Map<string, string[]>();
    for (const { file, message } of outcomes) {
      if (message.kind !== 'done' || message.outcome !== 'refused') continue;
      const list = examples.get(message.refusal ?? '') ?? [];
      list.push(`    ${relative(dir, file)}${(message.message ?? '').slice(file.length, file.length + 140)}`);
      examples.set(message.refusal ?? '', list);
    }
    for (const [cause, list] of examples) console.log(`  refused (${cause}), e.g.:\n${list.slice(0, 4).join('\n')}`);

    expect(outcomes.length).toBe(files.length);
    const problems = outcomes.filter(({ message }) => message.kind !== 'done' || message.outcome === 'crashed' || message.refusal === 'internal');
    expect(problems.map(({ file, message }) => `${file}: ${message.kind === 'done' ? message.message : message.kind}`)).toEqual([]);
    // Every refusal names its file.
    for (const { file, message } of outcomes) {
      if (message.kind === 'done' && message.outcome === 'refused') expect(message.message).toContain(file);
    }
    // Every mapped model satisfies the canonical schema.
    expect(loaded.flatMap((m) => m.schemaFailures ?? [])).toEqual([]);
    // Every path back to the template (for file:line of a finding) names a place in the text.
    expect(outcomes.flatMap(({ file, message }) => (message.kind === 'done' ? (message.pathFailures ?? []).map((failure) => `${file}: ${failure}`) : []))).toEqual([]);
    // Expanded SAM output is plain CloudFormation JSON: it loads, except the translator's test cases
    // of resources with no Type or a non-string one, which CloudFormation refuses too.
    const samOutput = outcomes.filter(({ file }) => file.includes(join('sam-translator', 'output-aws-partition')));
    expect(samOutput.length).toBeGreaterThan(500);
    const samRefused = samOutput.filter(({ message }) => message.kind !== 'done' || message.outcome !== 'loaded');
    expect(samRefused.map(({ message }) => (message.kind === 'done' ? message.refusal : message.kind))).toEqual(samRefused.map(() => 'structure'));
    expect(samRefused.length).toBeLessThanOrEqual(2);
  });
});
