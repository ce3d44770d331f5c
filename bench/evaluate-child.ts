// Child process of bench/evaluate.ts: one measured phase over a stored estate, alone in its process so its RSS is its own.
//
//   read         iterateResources only: the store's read rate
//   end-to-end   iterateResources streamed into evaluate, in batches, candidates kept (what `audit --no-scan` does)
//   engine       load every stored resource into memory first, then time evaluate alone over them
import { compilePolicy, evaluate, type FindingCandidate } from '../src/core/engine/index.js';
import type { Resource } from '../src/core/resource.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';

export type Phase = 'read' | 'end-to-end' | 'engine';

export interface PhaseFigures {
  readonly phase: Phase;
  readonly resources: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly findings?: number;
  readonly byRule?: Readonly<Record<string, number>>;
  /** engine: time and memory spent loading the models before the timed part. */
  readonly load?: { readonly wallSeconds: number; readonly rssMiB: number; readonly heapUsedMiB: number };
  readonly peakRssMiB: number;
}

const EVALUATE_BATCH = 1000;

function mib(bytes: number): number {
  return Math.round(bytes / 2 ** 20);
}

function countByRule(candidates: readonly FindingCandidate[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const candidate of candidates) counts[candidate.ruleId] = (counts[candidate.ruleId] ?? 0) + 1;
  return counts;
}

async function main(): Promise<void> {
  const [phase, dbPath, allowed] = process.argv.slice(2) as [Phase, string, string];
  const policy = compilePolicy({ rules: { 'region-not-allowed': { allowedRegions: allowed.split(',') } } });
  // A fixed instant: evaluate reads no clock, and exceptions (none here) would need one.
  const options = { now: '2025-06-01T00:00:00.000Z' };
  const store = await openSqliteStore(dbPath);
  let figures: PhaseFigures;
  const timed = async <T>(work: () => Promise<T> | T) => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const value = await work();
    const used = process.cpuUsage(cpu);
    return {
      value,
      wallSeconds: (performance.now() - started) / 1000,
      cpuSeconds: (used.user + used.system) / 1e6,
    };
  };

  if (phase === 'read') {
    const run = await timed(async () => {
      let count = 0;
      // Touch the model, as any consumer would, so nothing is read and thrown away unseen.
      let types = 0;
      for await (const stored of store.iterateResources()) {
        count++;
        if (stored.resource.type === 'aws.ec2.security-group') types++;
      }
      return { count, types };
    });
    figures = {
      phase,
      resources: run.value.count,
      wallSeconds: run.wallSeconds,
      cpuSeconds: run.cpuSeconds,
      peakRssMiB: 0,
    };
  } else if (phase === 'end-to-end') {
    const run = await timed(async () => {
      const candidates: FindingCandidate[] = [];
      const batch: Resource[] = [];
      let count = 0;
      const flush = () => {
        for (const candidate of evaluate(batch, policy, options).candidates) candidates.push(candidate);
        batch.length = 0;
      };
      for await (const stored of store.iterateResources()) {
        count++;
        batch.push(stored.resource);
        if (batch.length === EVALUATE_BATCH) flush();
      }
      flush();
      return { count, candidates };
    });
    figures = {
      phase,
      resources: run.value.count,
      wallSeconds: run.wallSeconds,
      cpuSeconds: run.cpuSeconds,
      findings: run.value.candidates.length,
      byRule: countByRule(run.value.candidates),
      peakRssMiB: 0,
    };
  } else {
    const loaded = await timed(async () => {
      const resources: Resource[] = [];
      for await (const stored of store.iterateResources({}, { batchSize: 5000 }))
        resources.push(stored.resource);
      return resources;
    });
    await store.close();
    // The loading's garbage is not the engine's: collect it before the clock starts (needs --expose-gc).
    (globalThis as { gc?: () => void }).gc?.();
    const memory = process.memoryUsage();
    const resources = loaded.value;
    const run = await timed(() => evaluate(resources, policy, options));
    figures = {
      phase,
      resources: run.value.resources,
      wallSeconds: run.wallSeconds,
      cpuSeconds: run.cpuSeconds,
      findings: run.value.candidates.length,
      byRule: countByRule(run.value.candidates),
      load: {
        wallSeconds: Number(loaded.wallSeconds.toFixed(2)),
        rssMiB: mib(memory.rss),
        heapUsedMiB: mib(memory.heapUsed),
      },
      peakRssMiB: 0,
    };
  }
  await store.close();
  // maxRSS is in KiB.
  figures = { ...figures, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) };
  process.stdout.write(JSON.stringify(figures));
}

await main();
