// `leuko check --jobs`: worker threads give the serial result exactly, in file order; a failed worker loses no file.
//
// Workers run from the TypeScript source here: startCheckWorker sees a .ts module and starts a small bootstrap
// that registers tsx in the worker before importing check-worker.ts, so these tests need no build. The built
// CLI starts dist/check/check-worker.js directly.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkTemplates,
  checkTemplatesParallel,
  parseJobs,
  startCheckWorker,
  threadsFor,
  type CheckOptions,
  type CheckResult,
  type FileReport,
  type FromWorker,
  type WorkerInit,
} from '../../src/check/index.js';
import type { CheckFlags } from '../../src/cli/commands/check.js';
import { compilePolicy, type PolicyConfigInput } from '../../src/core/engine/index.js';
import { corpusPath } from '../harness/corpus.js';
import { rule, runCheckCaptured, sgTemplate } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'leuko-parallel-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** leuko.yaml as loaded: custom severities and ports, a rule off and one on, a custom rule, an exception. */
const policyConfig = {
  rules: {
    'sg-ingress-open-admin': { severity: 'critical', ports: [22, 3389, 5985] },
    'dynamodb-no-pitr': { enabled: false },
    'sg-egress-open-all': { enabled: true },
  },
  customRules: [
    {
      id: 'custom-sg-no-description',
      title: 'Security groups need a description',
      severity: 'low',
      resourceType: 'aws.ec2.security-group',
      filter: { key: 'config.description', op: 'absent' },
    },
  ],
  exceptions: [{ rules: ['sg-ingress-open-admin'], resourceId: 'WebSG', justification: 'accepted risk (SEC-1)', expires: '2099-01-01' }],
};
const configFile = join(dir, 'leuko.yaml');
writeFileSync(configFile, JSON.stringify(policyConfig));

const suppress = (id: string, reason: string | undefined) =>
  `    Metadata:\n      leuko:\n        suppress:\n          - id: ${id}\n${reason === undefined ? '' : `            reason: ${reason}\n`}`;

/** Hand-made files: findings, a template suppression, an invalid one, an exception, a refusal, a skipped file. */
const extra = join(dir, 'extra');
mkdirSync(extra);
const files: Record<string, string> = {
  'open22.yaml': sgTemplate(rule('tcp', 22, 22, 'CidrIp: 0.0.0.0/0')),
  'open5985.yaml': sgTemplate(rule('tcp', 5985, 5985, 'CidrIp: 0.0.0.0/0')),
  'suppressed.yaml': sgTemplate(rule('tcp', 3389, 3389, 'CidrIp: 0.0.0.0/0'), suppress('sg-ingress-open-admin', 'bastion, SEC-2')),
  'no-reason.yaml': sgTemplate(rule('tcp', 22, 22, 'CidrIp: 0.0.0.0/0'), suppress('sg-ingress-open-admin', undefined)),
  'broken.yaml': 'Resources: [\n',
  'package.json': '{ "name": "not-a-template" }\n',
};
for (const [name, text] of Object.entries(files)) writeFileSync(join(extra, name), text);
// Enough small files that a slowed main thread leaves many to the workers.
const many = join(dir, 'many');
mkdirSync(many);
for (let index = 0; index < 80; index += 1) {
  const port = 20 + (index % 30);
  writeFileSync(join(many, `sg-${String(index).padStart(3, '0')}.yaml`), sgTemplate(rule('tcp', port, port, index % 4 === 0 ? 'CidrIp: 0.0.0.0/0' : 'CidrIp: 10.0.0.0/8')));
}

const options: CheckOptions = { policy: compilePolicy(policyConfig as PolicyConfigInput), region: 'eu-west-1', now: Date.parse('2026-06-01'), keepSource: true };

/**
 * Records progress, and sleeps the main thread after each file until `enough` says so, so that workers (about
 * a second to start under tsx) get a share whatever the machine's load: the main thread reads their messages
 * between its files.
 */
const slowProgress = (enough: () => boolean = () => false) => {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const seen: number[] = [];
  const onFile = (_report: FileReport, index: number): void => {
    seen.push(index);
    if (!enough()) Atomics.wait(cell, 0, 0, 20);
  };
  return { seen, onFile };
};
const someChecked = (counts: readonly number[]) => () => counts.some((count) => count > 0);

/** Starts real workers and counts the files each reports. */
function countingStarter(counts: number[]): (init: WorkerInit) => Worker {
  return (init) => {
    const slot = counts.push(0) - 1;
    const worker = startCheckWorker(init);
    worker.on('message', (message: FromWorker) => {
      if (message.kind === 'report') counts[slot] = (counts[slot] ?? 0) + 1;
    });
    return worker;
  };
}

/** Timings differ from run to run; everything else must not. */
const withoutTimings = (result: CheckResult) => ({ ...result, files: result.files.map(({ ms: _ms, ...report }) => report) });

const corpusDir = corpusPath('cfn-templates', 'cfn-lint-fixtures');

describe.skipIf(corpusDir === undefined)('leuko check --jobs on a corpus directory', () => {
  it('gives the serial result exactly: reports in file order, findings, suppressions, exceptions, problems, counts', { timeout: 60_000 }, async () => {
    const paths = [corpusDir as string, extra];
    const serial = await checkTemplates(paths, options);
    const counts: number[] = [];
    const progress = slowProgress(someChecked(counts));
    const parallel = await checkTemplatesParallel(paths, options, { jobs: 3, policyConfig, startWorker: countingStarter(counts) }, progress.onFile);

    expect(withoutTimings(parallel)).toEqual(withoutTimings(serial));
    expect(JSON.stringify(withoutTimings(parallel))).toBe(JSON.stringify(withoutTimings(serial)));
    // The workers did check files, and progress saw every file once, in order.
    expect(counts).toHaveLength(2);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
    expect(progress.seen).toEqual(serial.files.map((_report, index) => index));
    // What the comparison covers: refusals, both kinds of suppression, an invalid suppression, a skipped file.
    expect(serial.counts.refused).toBeGreaterThan(1);
    expect(serial.counts.skipped).toBeGreaterThan(0);
    expect(serial.findings.some((finding) => finding.suppressed?.source.startsWith('template:'))).toBe(true);
    expect(serial.findings.some((finding) => finding.suppressed?.source.startsWith('leuko.yaml'))).toBe(true);
    expect(serial.findings.some((finding) => finding.ruleId === 'custom-sg-no-description')).toBe(false);
    expect(serial.problems.some((problem) => problem.kind === 'invalid-suppression')).toBe(true);
  });

  it('prints the same bytes in every format through the command, with the same problem lines and exit code', { timeout: 60_000 }, async () => {
    const paths = [corpusDir as string, extra];
    for (const format of ['json', 'sarif', 'junit', 'text'] as const) {
      const serial = await run(paths, { format, jobs: '1' });
      const parallel = await run(paths, { format, jobs: '2' });
      const normal = (text: string) => (format === 'junit' ? text.replace(/ time="[\d.]+"/g, '') : text);
      expect(normal(parallel.stdout), format).toBe(normal(serial.stdout));
      expect(parallel.stderr, format).toBe(serial.stderr);
      expect(parallel.code, format).toBe(serial.code);
    }
  });
});

function run(paths: string[], flags: CheckFlags): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCheckCaptured(paths, { region: 'eu-west-1', ...flags }, configFile);
}

describe('leuko check --jobs when a worker fails', () => {
  const paths = [many, extra];
  /** A stand-in worker: says it is ready, then does `onBatch` with the first batch it is given. */
  const fakeWorker = (onBatch: string) => () =>
    new Worker(
      `const { parentPort } = require('node:worker_threads');
       parentPort.postMessage({ kind: 'ready' });
       parentPort.on('message', () => { ${onBatch} });`,
      { eval: true },
    );

  const cases: Array<[string, (init: WorkerInit) => Worker, RegExp]> = [
    ['throws on its first batch', fakeWorker("throw new Error('boom');"), /^check worker 1 failed \(boom\); its \d+ unfinished files? (was|were) checked on the main thread$/],
    ['exits on its first batch', fakeWorker('process.exit(3);'), /^check worker 1 failed \(exited with code 3\); its \d+ unfinished files? (was|were) checked/],
    ['dies while starting', () => new Worker("throw new Error('cannot load');", { eval: true }), /^check worker 1 failed \(cannot load\); it had no unfinished files$/],
    [
      'cannot be started',
      () => {
        throw new Error('no threads here');
      },
      /^check worker 1 could not start \(no threads here\); the main thread checks its share$/,
    ],
  ];
  it.each(cases)('a worker that %s loses no file: the main thread checks them, one line says so', { timeout: 30_000 }, async (_name, startWorker, line) => {
    const serial = await checkTemplates(paths, options);
    const failures: string[] = [];
    // The stand-ins start in milliseconds; a short pause per file gives them their first batch.
    const progress = slowProgress(() => failures.length > 0);
    const parallel = await checkTemplatesParallel(
      paths,
      options,
      { jobs: 2, policyConfig, startWorker, onWorkerFailure: (message) => failures.push(message) },
      progress.onFile,
    );
    expect(withoutTimings(parallel)).toEqual(withoutTimings(serial));
    expect(progress.seen).toEqual(serial.files.map((_report, index) => index));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(line);
  });

  it('a failed worker beside a working one: the working one goes on, nothing is lost', { timeout: 30_000 }, async () => {
    const serial = await checkTemplates(paths, options);
    const counts: number[] = [];
    const real = countingStarter(counts);
    let started = 0;
    const failures: string[] = [];
    const progress = slowProgress(someChecked(counts));
    const parallel = await checkTemplatesParallel(
      paths,
      options,
      {
        jobs: 3,
        policyConfig,
        startWorker: (init) => ((started += 1) === 1 ? fakeWorker("throw new Error('boom');")() : real(init)),
        onWorkerFailure: (message) => failures.push(message),
      },
      progress.onFile,
    );
    expect(withoutTimings(parallel)).toEqual(withoutTimings(serial));
    expect(failures).toEqual([expect.stringMatching(/^check worker 1 failed \(boom\)/)]);
    expect(counts[0]).toBeGreaterThan(0);
  });
});

describe('leuko check --jobs when progress throws', () => {
  it('rejects with the error, as the serial check does, and stops its workers', { timeout: 30_000 }, async () => {
    const counts: number[] = [];
    const progress = slowProgress(someChecked(counts));
    const onFile = (report: FileReport, index: number): void => {
      progress.onFile(report, index);
      if (someChecked(counts)() && index >= 40) throw new Error('progress failed');
    };
    await expect(checkTemplatesParallel([many], options, { jobs: 2, policyConfig, startWorker: countingStarter(counts) }, onFile)).rejects.toThrow(
      'progress failed',
    );
  });
});

describe('--jobs', () => {
  it('takes a thread count from 1 to 256, or auto; anything else is one usage error line', async () => {
    expect(parseJobs('auto')).toBe('auto');
    expect(parseJobs('1')).toBe(1);
    expect(parseJobs('256')).toBe(256);
    for (const bad of ['0', '257', '-1', '1.5', '2x', '', ' 2', 'AUTO']) {
      expect(parseJobs(bad), bad).toBeUndefined();
      await expect(run([extra], { jobs: bad }), bad).rejects.toThrow(
        expect.objectContaining({ name: 'UsageError', message: `--jobs: "${bad}" is not a number of threads from 1 to 256, or auto` }) as Error,
      );
    }
  });

  it('auto checks serially below the file threshold and gives each thread a core; a number is taken as given, up to one file each', () => {
    expect(threadsFor('auto', 999, 16)).toBe(1);
    expect(threadsFor('auto', 4510, 1)).toBe(1);
    expect(threadsFor('auto', 4510, 2)).toBe(2);
    expect(threadsFor('auto', 4510, 4)).toBe(4);
    expect(threadsFor('auto', 4510, 64)).toBe(8);
    expect(threadsFor(1, 4510, 64)).toBe(1);
    expect(threadsFor(4, 4510, 1)).toBe(4);
    expect(threadsFor(4, 2, 8)).toBe(2);
    expect(threadsFor(4, 0, 8)).toBe(1);
  });
});
