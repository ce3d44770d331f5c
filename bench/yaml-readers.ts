// Benchmark: the two fast YAML readers over every YAML template of the corpus, each in a fresh process pinned to
// one core: the subset reader (cfn-subset-yaml.ts) against js-yaml 4 with leuko's schema (what it replaced for
// most templates). Pass 1 is a one-shot run's cost (cold: V8 has seen neither the code nor the keys); passes 2
// and 3 read the same texts again (warm). Texts are read into memory first and not timed.
// Run: npx tsx bench/yaml-readers.ts [--record] [--repeat N]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { expandPaths } from '../src/check/index.js';
import { jsYamlRead } from '../src/sources/template/cfn-fast-yaml.js';
import { subsetYamlRead, SubsetYamlError } from '../src/sources/template/cfn-subset-yaml.js';
import { recordResult } from './record-result.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const { values } = parseArgs({
  options: {
    record: { type: 'boolean', default: false },
    repeat: { type: 'string', default: '3' },
    child: { type: 'string' },
    corpus: { type: 'string', default: join(root, '..', 'shared', 'corpus', 'cfn-templates') },
  },
});

const LIMITS = { maxDepth: 100, maxAliasCount: 100 };

function yamlTexts(): string[] {
  return expandPaths([resolve(values.corpus)])
    .files.map((file) => file.path)
    .filter((path) => /\.ya?ml$/i.test(path))
    .map((path) => readFileSync(path, 'utf8'));
}

/** In a fresh process: three passes of one reader over every text; prints the figures as one JSON line. */
function runChild(reader: string): void {
  const texts = yamlTexts();
  const bytes = texts.reduce((sum, text) => sum + text.length, 0);
  const read = reader === 'subset' ? (text: string) => subsetYamlRead(text, LIMITS) : (text: string) => jsYamlRead(text, LIMITS);
  const passesMs: number[] = [];
  let taken = 0;
  let reported = 0;
  for (let pass = 0; pass < 3; pass += 1) {
    taken = 0;
    reported = 0;
    const started = performance.now();
    for (const text of texts) {
      try {
        if (read(text) !== undefined) taken += 1;
      } catch (error) {
        // The subset reader words a repeated key as the `yaml` read does (the loader reports it), timed as a read.
        if (!(error instanceof SubsetYamlError)) throw error;
        reported += 1;
      }
    }
    passesMs.push(performance.now() - started);
  }
  console.log(JSON.stringify({ texts: texts.length, megabytes: bytes / 1e6, taken, reported, passesMs }));
}

interface ChildFigures {
  readonly texts: number;
  readonly megabytes: number;
  readonly taken: number;
  readonly reported: number;
  readonly passesMs: readonly number[];
}

function child(reader: string): ChildFigures {
  const self = fileURLToPath(import.meta.url);
  const pinned = existsSync('/usr/bin/taskset') ? ['taskset', '-c', process.env.LEUKO_BENCH_CPU ?? '0'] : [];
  const command = [...pinned, process.execPath, '--import', 'tsx', self, '--child', reader, '--corpus', values.corpus];
  const run = spawnSync(command[0]!, command.slice(1), { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`child ${reader} failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as ChildFigures;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function main(): void {
  if (values.child !== undefined) return runChild(values.child);
  const repeat = Math.max(1, Number(values.repeat));
  const runs: Record<'js' | 'subset', ChildFigures[]> = { js: [], subset: [] };
  for (let round = 0; round < repeat; round += 1) {
    // Alternating, so a load spike hits both alike; the fastest cold pass of each is kept.
    for (const reader of ['js', 'subset'] as const) runs[reader].push(child(reader));
  }
  const best = (list: ChildFigures[]) => list.reduce((a, b) => (b.passesMs[0]! < a.passesMs[0]! ? b : a));
  const js = best(runs.js);
  const subset = best(runs.subset);
  const figures = {
    corpus: 'shared/corpus/cfn-templates (YAML files)',
    texts: js.texts,
    megabytes: round(js.megabytes),
    taken: { jsYaml: js.taken, subset: subset.taken },
    reportedAsErrors: { subset: subset.reported },
    coldMs: { jsYaml: round(js.passesMs[0]!), subset: round(subset.passesMs[0]!) },
    warmMs: { jsYaml: round(Math.min(...js.passesMs.slice(1))), subset: round(Math.min(...subset.passesMs.slice(1))) },
    coldRuns: { jsYaml: runs.js.map((run) => round(run.passesMs[0]!)), subset: runs.subset.map((run) => round(run.passesMs[0]!)) },
    ratios: {
      subsetOverJsYamlCold: round(js.passesMs[0]! / subset.passesMs[0]!),
      subsetOverJsYamlWarm: round(Math.min(...js.passesMs.slice(1)) / Math.min(...subset.passesMs.slice(1))),
    },
  };
  console.log(JSON.stringify(figures, null, 2));
  if (values.record) recordResult('yaml-readers', `npx tsx bench/yaml-readers.ts --record${repeat !== 3 ? ` --repeat ${repeat}` : ''}`, figures);
}

main();
