import { describe, expect, it } from 'vitest';
import type { CronSchedule } from './cron.js';
import { createLogger, type Logger } from './log.js';
import { runWatch, sleep } from './watch.js';

/** A schedule firing every `ms` milliseconds (cron's minute granularity would make tests slow). */
function every(ms: number): CronSchedule {
  return { source: `every ${ms}ms`, next: (after) => new Date(after.getTime() + ms) };
}

function capture(): { log: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, lines };
}

describe('runWatch', () => {
  it('runs the scheduled job on its schedule, logs a failed run and goes on', async () => {
    const { log, lines } = capture();
    const controller = new AbortController();
    let runs = 0;
    const watching = runWatch({
      log,
      signal: controller.signal,
      schedule: every(20),
      scheduled: {
        name: 'audit',
        run: async () => {
          runs += 1;
          if (runs === 2) throw new Error('region refused');
          if (runs === 4) controller.abort();
          return { findings: runs };
        },
      },
    });
    const summary = await watching;
    expect(runs).toBe(4);
    expect(summary).toMatchObject({ scheduledRuns: 3, scheduledFailures: 1, abandonedRun: false });
    const failed = lines.find((line) => line.msg === 'scheduled run failed');
    expect(failed).toMatchObject({ level: 'error', job: 'audit', error: { message: 'region refused' } });
    expect(lines.filter((line) => line.msg === 'scheduled run finished').map((line) => line.findings)).toEqual([1, 3, 4]);
    expect(lines.at(-1)).toMatchObject({ msg: 'watch stopped', scheduledRuns: 3 });
    for (const line of lines) expect(typeof line.time).toBe('string');
  });

  it('on stop, lets intakes drain and waits for a scheduled run within the grace period', async () => {
    const { log } = capture();
    const controller = new AbortController();
    const events: string[] = [];
    const watching = runWatch({
      log,
      signal: controller.signal,
      runOnStart: true,
      scheduled: {
        name: 'audit',
        run: async () => {
          events.push('run started');
          await new Promise((resolve) => setTimeout(resolve, 150));
          events.push('run finished');
          return {};
        },
      },
      intakes: [
        {
          name: 'sqs',
          start: async (signal) => {
            await sleep(60_000, signal);
            await new Promise((resolve) => setTimeout(resolve, 30)); // the in-flight batch
            events.push('sqs drained');
          },
        },
      ],
      shutdownGraceMs: 5_000,
      onStop: async () => {
        events.push('stopped');
      },
    });
    setTimeout(() => controller.abort(), 40);
    const summary = await watching;
    expect(events).toEqual(['run started', 'sqs drained', 'run finished', 'stopped']);
    expect(summary.abandonedRun).toBe(false);
  });

  it('gives up on a scheduled run that outlasts the grace period, and says so', async () => {
    const { log, lines } = capture();
    const controller = new AbortController();
    const watching = runWatch({
      log,
      signal: controller.signal,
      runOnStart: true,
      scheduled: { name: 'audit', run: () => new Promise(() => {}) },
      shutdownGraceMs: 50,
    });
    setTimeout(() => controller.abort(), 20);
    expect((await watching).abandonedRun).toBe(true);
    expect(lines.some((line) => line.level === 'warn' && String(line.msg).includes('scheduled run still going'))).toBe(true);
  });

  it('restarts an intake that crashes, with a growing delay', async () => {
    const { log, lines } = capture();
    const controller = new AbortController();
    const starts: number[] = [];
    const summary = await runWatch({
      log,
      signal: controller.signal,
      restartDelayMs: 10,
      intakes: [
        {
          name: 'http',
          start: async (signal) => {
            starts.push(Date.now());
            if (starts.length < 4) throw new Error('EADDRINUSE');
            await sleep(60_000, signal);
          },
        },
      ],
      periodic: [{ name: 'stop', everyMs: 5, run: async () => (starts.length >= 4 ? (controller.abort(), {}) : {}) }],
    });
    expect(summary.intakeRestarts).toBe(3);
    expect(starts[3]! - starts[2]!).toBeGreaterThanOrEqual(starts[1]! - starts[0]!);
    expect(lines.filter((line) => line.msg === 'intake failed; restarting')).toHaveLength(3);
  });
});
