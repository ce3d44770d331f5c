// Benchmark: the whole CloudFormation corpus in one run — leuko check against parsing alone, Checkov and cfn-lint:
// templates/s, p99 per template, peak RSS and the ratios.
// Run: npx tsx bench/templates.ts [--record] [--sample N] [--repeat N] [--skip-cfn-lint] [--two-cores]
//
// Every tool runs as its own process pinned to one core (taskset -c 0 when present) under /usr/bin/time -v,
// which gives wall time and peak RSS the same way for all. Checkov and cfn-lint are installed into a
// project-local venv (.cache/bench-venv) at pinned versions. Throughput is templates / process wall time
// (startup included, for every tool); leuko's is the shipped CLI (`npm run build`, then
// `node bin/leuko.js check --format json <dir>`, as a user runs it). leuko's p50/p99 per template and the
// ratio to parsing alone are measured inside a child process that checks (or only parses) each file in turn.
// `--repeat N` runs the CLI, the in-process check and parse-only N times, alternating, and keeps the fastest of each.
// Each round also runs the CLI with V8's default tiering (LEUKO_V8_DEFAULT_TIERING=1), to show what the batch tiering
// of src/check/v8-tiering.ts gains; the in-process children tune V8 as the CLI does, in both modes.
// `--sample N` takes every k-th file so N files remain (deterministic), for all tools alike.
// `--two-cores` also runs leuko (its default `--jobs auto`) and Checkov each on two cores (taskset -c 0,1), side by
// side: what a two-core CI runner sees. The one-core figures stay the benchmark's headline.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { checkFile, expandPaths, type FileReport } from '../src/check/index.js';
import { compilePolicy } from '../src/core/engine/index.js';
import { decodeText } from '../src/sources/template/index.js';
import { fastYamlRead } from '../src/sources/template/cfn-fast-yaml.js';
import { CFN_YAML_TAGS } from '../src/sources/template/cfn-tags.js';
import { DEFAULT_TIERING_ENV, tuneForBatchRun } from '../src/check/v8-tiering.js';
import { recordResult } from './record-result.js';

const CHECKOV_VERSION = '3.3.30';
const CFN_LINT_VERSION = '1.58.0';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const { values } = parseArgs({
  options: {
    record: { type: 'boolean', default: false },
    sample: { type: 'string' },
    child: { type: 'string' },
    list: { type: 'string' },
    corpus: { type: 'string', default: join(root, '..', 'shared', 'corpus', 'cfn-templates') },
    'skip-cfn-lint': { type: 'boolean', default: false },
    'two-cores': { type: 'boolean', default: false },
    repeat: { type: 'string', default: '1' },
  },
});

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

interface ChildFigures {
  readonly files: number;
  readonly loopMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly findings?: number;
  readonly refused?: number;
}

/** The measured work inside a child process: `leuko` (check) or `parse` (read + plain JSON/YAML parse, no positions). */
async function runChild(mode: string, listFile: string): Promise<void> {
  const files = readFileSync(listFile, 'utf8').split('\n').filter((line) => line !== '');
  // V8 tuned as `leuko check` tunes it, for both modes alike, so the in-process figures are the CLI's.
  tuneForBatchRun();
  const times: number[] = [];
  const started = performance.now();
  let findings = 0;
  let refused = 0;
  if (mode === 'leuko') {
    const policy = compilePolicy();
    for (const file of files) {
      // Named explicitly, as parse-only reads every file too: no sniffing past non-templates.
      const report: FileReport = await checkFile(file, { policy, keepSource: false }, true);
      times.push(report.ms);
      findings += report.findings.length;
      if (report.status === 'refused') refused += 1;
    }
  } else {
    for (const file of files) {
      const t0 = performance.now();
      try {
        const text = decodeText(readFileSync(file), file);
        const first = /^\s*(.)/.exec(text)?.[1];
        let parsed = false;
        if (first === '{' || first === '[') {
          try {
            JSON.parse(text);
            parsed = true;
          } catch {
            // near-JSON: YAML below, as the loader does
          }
        }
        // The fastest plain read of YAML there is here (js-yaml with the short-form tags), and the
        // `yaml` parser only for what it declines: the same reads leuko's loader does, without positions.
        if (!parsed && fastYamlRead(text, { maxDepth: 100, maxAliasCount: 100 }) === undefined) parseYaml(text, { customTags: CFN_YAML_TAGS, logLevel: 'silent', maxAliasCount: 100 });
      } catch {
        refused += 1;
      }
      times.push(performance.now() - t0);
    }
  }
  const loopMs = performance.now() - started;
  times.sort((a, b) => a - b);
  const figures: ChildFigures = {
    files: files.length,
    loopMs,
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
    maxMs: times[times.length - 1] ?? 0,
    ...(mode === 'leuko' ? { findings } : {}),
    refused,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

interface ProcessFigures {
  readonly wallS: number;
  readonly peakRssMiB: number;
  readonly exitCode: number | null;
  readonly stdout: string;
}

const hasTaskset = existsSync('/usr/bin/taskset');
/** The core every tool is pinned to; another (LEUKO_BENCH_CPU=1) lets two benchmarks run side by side. */
const BENCH_CPU = process.env.LEUKO_BENCH_CPU ?? '0';
const hasTime = existsSync('/usr/bin/time');

/** Runs a command pinned to one core (or `cpus`) under /usr/bin/time -v; wall time and peak RSS from its report. */
function measure(
  command: string,
  args: readonly string[],
  options: { stdoutFile?: string; cwd?: string; cpus?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ProcessFigures> {
  const pinned = hasTaskset ? ['taskset', '-c', options.cpus ?? BENCH_CPU, command, ...args] : [command, ...args];
  const full = hasTime ? ['/usr/bin/time', '-v', ...pinned] : pinned;
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(full[0]!, full.slice(1), { cwd: options.cwd ?? root, stdio: ['ignore', 'pipe', 'pipe'], ...(options.env ? { env: options.env } : {}) });
    let stdout = '';
    let stderr = '';
    let kept = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      // Checkov's JSON for the whole corpus is large: keep only what a child of ours prints (one line).
      if (kept < 1_000_000) stdout += chunk.toString();
      kept += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const wallS = (performance.now() - started) / 1000;
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      if (options.stdoutFile) writeFileSync(options.stdoutFile, stdout);
      resolvePromise({ wallS, peakRssMiB: rss ? Number(rss[1]) / 1024 : Number.NaN, exitCode, stdout });
    });
  });
}

function ensureVenv(): string {
  const venv = join(root, '.cache', 'bench-venv');
  const bin = join(venv, 'bin');
  const installed = (name: string) => {
    try {
      return execFileSync(join(bin, 'pip'), ['show', name], { encoding: 'utf8' }).match(/^Version: (.+)$/m)?.[1];
    } catch {
      return undefined;
    }
  };
  if (!existsSync(join(bin, 'python'))) execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  if (installed('checkov') !== CHECKOV_VERSION || installed('cfn-lint') !== CFN_LINT_VERSION) {
    console.error(`installing checkov==${CHECKOV_VERSION} cfn-lint==${CFN_LINT_VERSION} into ${venv} ...`);
    execFileSync(join(bin, 'pip'), ['install', '-q', `checkov==${CHECKOV_VERSION}`, `cfn-lint==${CFN_LINT_VERSION}`], { stdio: 'inherit' });
  }
  return bin;
}

function sampleOf<T>(items: readonly T[], size: number | undefined): T[] {
  if (size === undefined || size >= items.length) return [...items];
  const step = items.length / size;
  return Array.from({ length: size }, (_, index) => items[Math.floor(index * step)] as T);
}

async function main(): Promise<void> {
  if (values.child !== undefined && values.list !== undefined) return runChild(values.child, values.list);
  const corpus = resolve(values.corpus);
  const sampleSize = values.sample === undefined ? undefined : Number(values.sample);
  // The templates: what `leuko check <corpus>` finds by walking (the .yaml/.yml/.json/.template files).
  const files = sampleOf(
    expandPaths([corpus]).files.map((file) => file.path),
    sampleSize,
  );
  // A clean clone has no .cache yet.
  mkdirSync(join(root, '.cache'), { recursive: true });
  const listFile = join(root, '.cache', 'bench-templates.list');
  writeFileSync(listFile, `${files.join('\n')}\n`);
  // Checkov scans a directory; with a sample, give it the same files through a directory of links.
  let checkovDir = corpus;
  if (sampleSize !== undefined) {
    checkovDir = join(root, '.cache', 'bench-templates-sample');
    execFileSync('rm', ['-rf', checkovDir]);
    files.forEach((file, index) => {
      const target = join(checkovDir, String(index).padStart(5, '0') + '-' + file.slice(corpus.length + 1).replace(/[\\/]/g, '__'));
      execFileSync('mkdir', ['-p', checkovDir]);
      writeFileSync(target, readFileSync(file));
    });
  }
  const bin = ensureVenv();
  console.error('npm run build ...');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  console.error(`${files.length} templates${sampleSize !== undefined ? ` (deterministic sample of ${sampleSize})` : ''}; one core each${hasTaskset ? ` (taskset -c ${BENCH_CPU})` : ' (taskset not found: not pinned)'}`);

  const node = process.execPath;
  const self = fileURLToPath(import.meta.url);
  const child = async (mode: string) => {
    const run = await measure(node, ['--import', 'tsx', self, '--child', mode, '--list', listFile]);
    const figures = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as ChildFigures;
    return { run, figures };
  };
  // Startup alone (an empty list; an empty directory for Checkov), to tell it from per-template work.
  const emptyList = join(root, '.cache', 'bench-templates-empty.list');
  writeFileSync(emptyList, '');
  const emptyDir = join(root, '.cache', 'bench-templates-empty');
  execFileSync('mkdir', ['-p', emptyDir]);
  console.error('startup ...');
  const leukoCli = [join(root, 'bin', 'leuko.js'), 'check', '--format', 'json', '--fail-on', 'none'];
  // `check --help` loads what `check` loads (only the invoked command's module is loaded).
  const leukoStartup = await measure(node, [leukoCli[0]!, 'check', '--help']);
  const checkovStartup = await measure(join(bin, 'checkov'), ['-d', emptyDir, '--framework', 'cloudformation', '--quiet', '-o', 'json']);
  // leuko and parse-only alternate `--repeat` times; the fastest of each is kept (a short run on a
  // shared machine is hit by others' load spikes; Checkov's run is minutes long and averages them).
  const repeat = Math.max(1, Number(values.repeat));
  const leukoRuns: Array<Awaited<ReturnType<typeof child>>> = [];
  const parseRuns: Array<Awaited<ReturnType<typeof child>>> = [];
  const cliRuns: ProcessFigures[] = [];
  const defaultTieringRuns: ProcessFigures[] = [];
  const cliReport = join(root, '.cache', 'bench-leuko.json');
  for (let round = 0; round < repeat; round += 1) {
    console.error(`leuko check, the CLI (${round + 1}/${repeat}) ...`);
    cliRuns.push(await measure(node, [...leukoCli, '--output', cliReport, checkovDir]));
    // The same with V8's default tiering: what src/check/v8-tiering.ts gains, measured side by side.
    console.error(`leuko check, the CLI with V8's default tiering (${round + 1}/${repeat}) ...`);
    defaultTieringRuns.push(await measure(node, [...leukoCli, '--output', `${cliReport}.default-tiering`, checkovDir], { env: { ...process.env, [DEFAULT_TIERING_ENV]: '1' } }));
    console.error(`leuko check, in-process per template (${round + 1}/${repeat}) ...`);
    leukoRuns.push(await child('leuko'));
    console.error(`parse only (${round + 1}/${repeat}) ...`);
    parseRuns.push(await child('parse'));
  }
  const fastest = (runs: typeof leukoRuns) => runs.reduce((best, run) => (run.run.wallS < best.run.wallS ? run : best));
  const leuko = fastest(leukoRuns);
  const parse = fastest(parseRuns);
  const cli = cliRuns.reduce((best, run) => (run.wallS < best.wallS ? run : best));
  const defaultTiering = defaultTieringRuns.reduce((best, run) => (run.wallS < best.wallS ? run : best));
  if (readFileSync(`${cliReport}.default-tiering`, 'utf8') !== readFileSync(cliReport, 'utf8')) throw new Error('the V8 tiering changed the report');
  const cliSummary = (JSON.parse(readFileSync(cliReport, 'utf8')) as { summary?: { findings?: number } }).summary;
  console.error('checkov ...');
  const checkov = await measure(join(bin, 'checkov'), ['-d', checkovDir, '--framework', 'cloudformation', '--quiet', '-o', 'json'], {
    stdoutFile: join(root, '.cache', 'bench-checkov.json'),
  });
  let twoCores: { leuko: ProcessFigures; checkov: ProcessFigures } | undefined;
  if (values['two-cores']) {
    const runs: ProcessFigures[] = [];
    for (let round = 0; round < repeat; round += 1) {
      console.error(`leuko check on two cores (${round + 1}/${repeat}) ...`);
      runs.push(await measure(node, [...leukoCli, '--output', cliReport, checkovDir], { cpus: '0,1' }));
    }
    console.error('checkov on two cores ...');
    const checkovTwo = await measure(join(bin, 'checkov'), ['-d', checkovDir, '--framework', 'cloudformation', '--quiet', '-o', 'json'], { cpus: '0,1' });
    twoCores = { leuko: runs.reduce((best, run) => (run.wallS < best.wallS ? run : best)), checkov: checkovTwo };
  }
  let cfnLint: ProcessFigures | undefined;
  if (!values['skip-cfn-lint']) {
    console.error('cfn-lint ...');
    // Files as arguments (cfn-lint takes globs or paths); non-templates are reported and skipped by it.
    cfnLint = await measure(join(bin, 'cfn-lint'), ['--format', 'parseable', '--', ...files]);
  }

  const perSecond = (wallS: number) => files.length / wallS;
  const tool = (run: ProcessFigures) => ({ wallS: round(run.wallS), templatesPerS: round(perSecond(run.wallS)), peakRssMiB: round(run.peakRssMiB), exitCode: run.exitCode });
  const figures = {
    templates: files.length,
    sample: sampleSize !== undefined,
    corpus: 'shared/corpus/cfn-templates',
    pinned: hasTaskset ? `taskset -c ${BENCH_CPU}` : 'not pinned',
    versions: { checkov: CHECKOV_VERSION, cfnLint: CFN_LINT_VERSION, node: process.version },
    leuko: {
      ...tool(cli),
      findingsReported: cliSummary?.findings,
      inProcessWallS: round(leuko.run.wallS),
      inProcessTemplatesPerS: round((leuko.figures.files / leuko.figures.loopMs) * 1000),
      p50MsPerTemplate: round(leuko.figures.p50Ms),
      p99MsPerTemplate: round(leuko.figures.p99Ms),
      maxMsPerTemplate: round(leuko.figures.maxMs),
      findings: leuko.figures.findings,
      refused: leuko.figures.refused,
    },
    parseOnly: {
      ...tool(parse.run),
      inProcessTemplatesPerS: round((parse.figures.files / parse.figures.loopMs) * 1000),
      p50MsPerTemplate: round(parse.figures.p50Ms),
      p99MsPerTemplate: round(parse.figures.p99Ms),
    },
    startup: { leukoS: round(leukoStartup.wallS), checkovS: round(checkovStartup.wallS) },
    runs: {
      kept: 'fastest wall of each',
      leukoCliWallS: cliRuns.map((run) => round(run.wallS)),
      leukoCliDefaultTieringWallS: defaultTieringRuns.map((run) => round(run.wallS)),
      leukoInProcessWallS: leukoRuns.map((run) => round(run.run.wallS)),
      parseOnlyWallS: parseRuns.map((run) => round(run.run.wallS)),
      leukoOverParseTime: leukoRuns.map((run, index) => round(run.figures.loopMs / parseRuns[index]!.figures.loopMs)),
    },
    checkov: { ...tool(checkov), perTemplateP99: 'n/a: one process over the directory' },
    ...(cfnLint ? { cfnLint: { ...tool(cfnLint), perTemplateP99: 'n/a: one process over the files' } } : {}),
    ...(twoCores
      ? {
          twoCores: {
            pinned: 'taskset -c 0,1',
            leuko: tool(twoCores.leuko),
            checkov: tool(twoCores.checkov),
            leukoOverCheckovThroughput: round(twoCores.checkov.wallS / twoCores.leuko.wallS),
          },
        }
      : {}),
    ratios: {
      leukoOverCheckovThroughput: round(checkov.wallS / cli.wallS),
      /** The CLI with V8's default tiering (LEUKO_V8_DEFAULT_TIERING=1), as before the batch tiering. */
      leukoDefaultTieringOverCheckovThroughput: round(checkov.wallS / defaultTiering.wallS),
      /** The same without each tool's startup (wall time minus the empty run's). */
      leukoOverCheckovSteadyState: round((checkov.wallS - checkovStartup.wallS) / (cli.wallS - leukoStartup.wallS)),
      ...(cfnLint ? { leukoOverCfnLintThroughput: round(cfnLint.wallS / cli.wallS) } : {}),
      /** Time of leuko check over time of parsing alone (in-process loops); target <= 2. */
      leukoOverParseTime: round(leuko.figures.loopMs / parse.figures.loopMs),
      leukoOverParseWall: round(leuko.run.wallS / parse.run.wallS),
      checkovOverLeukoPeakRss: round(checkov.peakRssMiB / cli.peakRssMiB),
    },
    targets: {
      atLeast50xCheckov: checkov.wallS / cli.wallS >= 50,
      within2xOfParse: leuko.figures.loopMs / parse.figures.loopMs <= 2,
    },
  };
  console.log(JSON.stringify(figures, null, 2));
  const flags = `${sampleSize !== undefined ? ` --sample ${sampleSize}` : ''}${repeat > 1 ? ` --repeat ${repeat}` : ''}${values['skip-cfn-lint'] ? ' --skip-cfn-lint' : ''}${values['two-cores'] ? ' --two-cores' : ''}`;
  if (values.record) recordResult('templates', `npx tsx bench/templates.ts --record${flags}`, figures);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

await main();
