// `leuko check --jobs`: the same check spread over worker threads, with a result equal to the serial one.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { errorMessage } from '../core/errors.js';
import { checkFile, checkFiles, expandForCheck, summarizeReports, type CheckOptions, type CheckResult, type FileReport } from './check-templates.js';
import type { ExpandedFile } from './expand-paths.js';

/** What a worker starts from: the options without the policy (it holds functions), and the data the policy is built from. */
export interface WorkerInit {
  readonly options: Omit<CheckOptions, 'policy'>;
  /** leuko.yaml as loaded (plain data); the worker validates and compiles it as the main thread did. */
  readonly policyConfig: unknown;
}

export interface WorkerFile {
  readonly index: number;
  readonly path: string;
  readonly explicit: boolean;
}

export interface ToWorker {
  readonly kind: 'batch';
  readonly files: readonly WorkerFile[];
}

export type FromWorker = { readonly kind: 'ready' } | { readonly kind: 'report'; readonly index: number; readonly report: FileReport };

/** A number of threads checking at once (the main thread counts as one), or 'auto'. */
export type Jobs = number | 'auto';

export const MAX_JOBS = 256;

/**
 * With fewer files, 'auto' checks serially. A worker is ready about 0.35 s after it is started (it loads
 * the modules itself) and the main thread checks about 3,000 files a second meanwhile, so only the files
 * past the first thousand or so can be shared. Measured on two cores (corpus, `leuko check`'s V8 tiering):
 * 1,000 files 0.83 s serial against 0.81 s with a worker, 2,257 files 0.91 against 0.89 s, all 4,510 files
 * 1.37 against 1.20 s.
 */
export const PARALLEL_MIN_FILES = 1000;

/**
 * 'auto' gives each checking thread a core, up to AUTO_MAX_THREADS. With V8's default tiering a serial check
 * already kept two cores busy (V8 optimised the code again and again on a background thread) and a worker
 * made the corpus slower on two cores; with the batch tiering of v8-tiering.ts that compiler work is small,
 * and the second core is the worker's (1.37 s -> 1.20 s above). Past eight threads, start-up and memory (a
 * module graph per worker) outweigh the gain; machines with more than two cores are modelled, not measured.
 */
export const AUTO_MAX_THREADS = 8;

/** `--jobs`: a positive integer or auto; undefined for anything else. */
export function parseJobs(value: string): Jobs | undefined {
  if (value === 'auto') return 'auto';
  if (!/^\d+$/.test(value)) return undefined;
  const jobs = Number(value);
  return jobs >= 1 && jobs <= MAX_JOBS ? jobs : undefined;
}

/** How many threads check `files` files: 1 is the serial check. */
export function threadsFor(jobs: Jobs, files: number, cores: number = availableParallelism()): number {
  if (jobs === 'auto') return files >= PARALLEL_MIN_FILES ? Math.max(1, Math.min(cores, AUTO_MAX_THREADS)) : 1;
  return Math.max(1, Math.min(jobs, files));
}

export interface ParallelOptions {
  readonly jobs: Jobs;
  /** The data `options.policy` was compiled from (leuko.yaml as loaded); workers compile their own from it. */
  readonly policyConfig: unknown;
  /** Starts one worker (default: check-worker.js). Embedders and tests may start it their own way. */
  readonly startWorker?: (init: WorkerInit) => Worker;
  /** A worker failed: one line. Its unfinished files were checked on the main thread, so nothing is missing. */
  readonly onWorkerFailure?: (message: string) => void;
}

/**
 * checkTemplates on several threads: the same reports in the same order, the same findings and problems.
 * `onFile` sees every report in file order, as in the serial check.
 */
export async function checkTemplatesParallel(
  paths: readonly string[],
  options: CheckOptions,
  parallel: ParallelOptions,
  onFile?: (report: FileReport, index: number, total: number) => void,
): Promise<CheckResult> {
  const { files, problems } = expandForCheck(paths, options.root);
  const threads = threadsFor(parallel.jobs, files.length);
  const reports = threads > 1 ? await checkOnThreads(files, threads, options, parallel, onFile) : await checkFiles(files, options, onFile);
  return summarizeReports(reports, problems);
}

/**
 * Runs from the TypeScript source (vitest, tsx): a worker does not inherit the parent's loader hooks, and
 * `--import tsx` in a worker's execArgv does not reach its entry on Node 20, so a small bootstrap registers
 * tsx in the worker and then imports the .ts entry. The built CLI (dist/) starts the .js entry directly.
 */
export function startCheckWorker(init: WorkerInit): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./check-worker.js', here), { workerData: init });
  // The ESM build: the CommonJS one's register() fails to find its own ESM half (tsx 4).
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./check-worker.ts', here).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: init, execArgv: [] });
}

interface Slot {
  readonly id: number;
  readonly worker: Worker;
  ready: boolean;
  dead: boolean;
  /** Files sent and not reported yet, in the order the worker checks them. */
  readonly outstanding: Set<number>;
  /** Files left in each batch sent, oldest first: a new batch goes out when the oldest is done. */
  readonly batches: number[];
}

/** Batches queued per worker: one being checked and one waiting, so a worker never waits for the main thread. */
const BATCHES_AHEAD = 2;
/** The main thread checks files between messages; it yields this often so workers get their next batch promptly. */
const MAIN_SLICE_MS = 4;

async function checkOnThreads(
  files: readonly ExpandedFile[],
  threads: number,
  options: CheckOptions,
  parallel: ParallelOptions,
  onFile: ((report: FileReport, index: number, total: number) => void) | undefined,
): Promise<FileReport[]> {
  const total = files.length;
  const reports: Array<FileReport | undefined> = new Array<FileReport | undefined>(total);
  let next = 0;
  let finished = 0;
  let delivered = 0;
  /** Files a failed worker did not report: the main thread checks them. */
  const retry: number[] = [];
  let wake: (() => void) | undefined;
  const poke = (): void => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };

  const record = (index: number, report: FileReport): void => {
    if (reports[index] !== undefined) return;
    reports[index] = report;
    finished += 1;
    // Progress and streaming consumers see file order, whoever checked the file.
    for (let ready = reports[delivered]; delivered < total && ready !== undefined; ready = reports[delivered]) {
      onFile?.(ready, delivered, total);
      delivered += 1;
    }
  };

  // Small batches from one queue: a worker that meets a large file takes fewer batches, and none waits on it.
  const batchSize = (): number => Math.max(1, Math.min(16, Math.ceil((total - next) / (threads * 8))));
  const take = (): WorkerFile[] => {
    const batch: WorkerFile[] = [];
    for (const size = batchSize(); batch.length < size && next < total; next += 1) {
      const entry = files[next]!;
      batch.push({ index: next, path: entry.path, explicit: entry.explicit });
    }
    return batch;
  };
  const send = (slot: Slot): void => {
    const batch = take();
    if (batch.length === 0) return;
    for (const file of batch) slot.outstanding.add(file.index);
    slot.batches.push(batch.length);
    const message: ToWorker = { kind: 'batch', files: batch };
    slot.worker.postMessage(message);
  };

  let closing = false;
  let thrown: { readonly error: unknown } | undefined;
  const slots: Slot[] = [];
  const fail = (slot: Slot, why: string): void => {
    if (slot.dead || closing) return;
    slot.dead = true;
    const unfinished = [...slot.outstanding];
    slot.outstanding.clear();
    slot.batches.length = 0;
    retry.push(...unfinished);
    slot.worker.terminate().catch(() => undefined);
    const files = unfinished.length === 1 ? 'file was' : 'files were';
    try {
      parallel.onWorkerFailure?.(
        `check worker ${slot.id} failed (${why}); ${unfinished.length === 0 ? 'it had no unfinished files' : `its ${unfinished.length} unfinished ${files} checked on the main thread`}`,
      );
    } catch (error) {
      thrown ??= { error };
    }
    poke();
  };

  const init: WorkerInit = { options: withoutPolicy(options), policyConfig: parallel.policyConfig };
  const start = parallel.startWorker ?? startCheckWorker;
  // The main thread checks files too (it has the modules loaded already, and starts at once), so threads - 1
  // workers. Corpus, --jobs 2, two cores, best of 3: 1.69 s; a worker while the main thread only hands out
  // files, 1.82 s; two workers with the main thread checking until the first is ready, 1.96 s.
  for (let id = 1; id < threads; id += 1) {
    let worker: Worker;
    try {
      worker = start(init);
    } catch (error) {
      parallel.onWorkerFailure?.(`check worker ${id} could not start (${oneLine(errorMessage(error))}); the main thread checks its share`);
      continue;
    }
    const slot: Slot = { id, worker, ready: false, dead: false, outstanding: new Set(), batches: [] };
    slots.push(slot);
    worker.on('message', (message: FromWorker) => {
      if (slot.dead || thrown !== undefined) return;
      try {
        if (message.kind === 'ready') {
          slot.ready = true;
          for (let ahead = 0; ahead < BATCHES_AHEAD; ahead += 1) send(slot);
        } else {
          slot.outstanding.delete(message.index);
          // Counted down before record: onFile may throw, and the batch is done either way.
          const batchDone = slot.batches[0] !== undefined && (slot.batches[0] -= 1) === 0;
          if (batchDone) slot.batches.shift();
          record(message.index, message.report);
          if (batchDone) send(slot);
        }
      } catch (error) {
        // Thrown by onFile (or postMessage): rejected from checkTemplatesParallel, as the serial check would,
        // instead of escaping an event handler and ending the process.
        thrown ??= { error };
      }
      poke();
    });
    worker.on('error', (error) => fail(slot, oneLine(errorMessage(error))));
    worker.on('messageerror', (error) => fail(slot, `unreadable message: ${oneLine(errorMessage(error))}`));
    worker.on('exit', (code) => fail(slot, `exited with code ${code}`));
  }

  try {
    let sliceStart = performance.now();
    while (finished < total) {
      if (thrown !== undefined) throw thrown.error;
      const index = retry.shift() ?? (next < total ? next++ : undefined);
      if (index !== undefined) {
        const entry = files[index]!;
        record(index, await checkFile(entry.path, options, entry.explicit));
        if (performance.now() - sliceStart >= MAIN_SLICE_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          sliceStart = performance.now();
        }
        continue;
      }
      // Everything is handed out: wait for a worker to report or fail. A live worker holds every file not
      // reported yet, and either reports it or fails, and both wake this loop.
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      sliceStart = performance.now();
    }
    if (thrown !== undefined) throw thrown.error;
  } finally {
    closing = true;
    await Promise.all(slots.map((slot) => slot.worker.terminate().catch(() => undefined)));
  }
  return reports.map((report) => report!);
}

function withoutPolicy(options: CheckOptions): Omit<CheckOptions, 'policy'> {
  const { policy: _policy, ...rest } = options;
  // Workers share the process's current directory, but the root is fixed here so names cannot differ.
  return { ...rest, root: options.root ?? process.cwd() };
}

function oneLine(message: string): string {
  return (message.split('\n')[0] ?? message).trim();
}
