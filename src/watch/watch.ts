// The `leuko watch` loop: scheduled runs on a cron schedule, long-running intakes (SQS, HTTP) and periodic
// jobs (the remediation coordinator), all stopped by one AbortSignal, draining before they stop.
import { errorMessage } from '../core/errors.js';
import type { CronSchedule } from './cron.js';
import { abortableSleep as sleep } from '../util/abortable-sleep.js';
import type { LogFields, Logger } from './log.js';

/** Work run on the cron schedule (a scan and audit). Resolves with fields to log. */
export interface ScheduledJob {
  readonly name: string;
  run(signal: AbortSignal): Promise<LogFields>;
}

/**
 * A source of events that runs until the signal aborts. start() resolves only once it has drained: what it
 * received is processed (and acknowledged) or left to be delivered again, never dropped.
 */
export interface WatchIntake {
  readonly name: string;
  start(signal: AbortSignal): Promise<void>;
}

/** Work run every `everyMs` (e.g. the remediation coordinator picking up approved tasks). */
export interface PeriodicJob {
  readonly name: string;
  readonly everyMs: number;
  run(signal: AbortSignal): Promise<LogFields>;
}

export interface WatchOptions {
  readonly log: Logger;
  readonly signal: AbortSignal;
  readonly schedule?: CronSchedule;
  readonly scheduled?: ScheduledJob;
  /** Run the scheduled job once at start, before waiting for the first slot. */
  readonly runOnStart?: boolean;
  readonly intakes?: readonly WatchIntake[];
  readonly periodic?: readonly PeriodicJob[];
  /** How long a stop waits for a scheduled run in progress; each listing is atomic, so cutting it short loses nothing stored. */
  readonly shutdownGraceMs?: number;
  /** Called once everything has stopped: flush alerts, close the store. */
  readonly onStop?: () => Promise<void>;
  readonly now?: () => Date;
  /** A crashed intake restarts after this delay, doubling up to a minute. */
  readonly restartDelayMs?: number;
}

export interface WatchSummary {
  readonly scheduledRuns: number;
  readonly scheduledFailures: number;
  readonly periodicRuns: number;
  readonly intakeRestarts: number;
  /** A scheduled run still going when the grace period ended. */
  readonly abandonedRun: boolean;
}

export { abortableSleep as sleep } from '../util/abortable-sleep.js';

export async function runWatch(options: WatchOptions): Promise<WatchSummary> {
  const { log, signal } = options;
  const now = options.now ?? (() => new Date());
  const counts = { scheduledRuns: 0, scheduledFailures: 0, periodicRuns: 0, intakeRestarts: 0 };
  let current: Promise<void> | undefined;

  const runScheduled = async (job: ScheduledJob, trigger: string) => {
    const started = Date.now();
    log.info('scheduled run started', { job: job.name, trigger });
    try {
      const fields = await job.run(signal);
      counts.scheduledRuns += 1;
      log.info('scheduled run finished', { job: job.name, ms: Date.now() - started, ...fields });
    } catch (error) {
      counts.scheduledFailures += 1;
      log.error('scheduled run failed', { job: job.name, ms: Date.now() - started, error });
    }
  };

  const scheduler = async () => {
    const { schedule, scheduled } = options;
    if (!scheduled) return;
    if (options.runOnStart && !signal.aborted) {
      current = runScheduled(scheduled, 'start');
      await current;
    }
    if (!schedule) return;
    while (!signal.aborted) {
      // Computed from the time the previous run ended, so a run longer than the interval skips the slots it
      // overlapped instead of queueing them up.
      const next = schedule.next(now());
      log.debug('next scheduled run', { job: scheduled.name, at: next.toISOString() });
      await sleep(next.getTime() - now().getTime(), signal);
      if (signal.aborted) break;
      current = runScheduled(scheduled, 'schedule');
      await current;
    }
  };

  const intakeLoop = async (intake: WatchIntake) => {
    const initialDelay = options.restartDelayMs ?? 1000;
    let delay = initialDelay;
    while (!signal.aborted) {
      const started = Date.now();
      try {
        log.info('intake started', { intake: intake.name });
        await intake.start(signal);
        log.info('intake stopped', { intake: intake.name });
        if (signal.aborted) return;
        log.warn('intake ended by itself; restarting', { intake: intake.name, inMs: delay });
      } catch (error) {
        if (signal.aborted) {
          log.error('intake failed while stopping', { intake: intake.name, error });
          return;
        }
        log.error('intake failed; restarting', { intake: intake.name, inMs: delay, error });
      }
      counts.intakeRestarts += 1;
      // An intake that ran a good while before failing starts over from the short delay.
      if (Date.now() - started > 60_000) delay = initialDelay;
      await sleep(delay, signal);
      delay = Math.min(delay * 2, 60_000);
    }
  };

  const periodicLoop = async (job: PeriodicJob) => {
    while (!signal.aborted) {
      try {
        const fields = await job.run(signal);
        counts.periodicRuns += 1;
        if (Object.keys(fields).length > 0) log.info('periodic run finished', { job: job.name, ...fields });
      } catch (error) {
        log.error('periodic run failed', { job: job.name, error: errorMessage(error) });
      }
      await sleep(job.everyMs, signal);
    }
  };

  log.info('watch started', {
    schedule: options.schedule?.source,
    intakes: (options.intakes ?? []).map((intake) => intake.name),
    periodic: (options.periodic ?? []).map((job) => job.name),
  });

  const loops = [
    ...(options.intakes ?? []).map(intakeLoop),
    ...(options.periodic ?? []).map(periodicLoop),
  ];
  const schedulerDone = scheduler();
  const stopped = new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });

  await Promise.all([...loops, Promise.race([schedulerDone, stopped])]);
  let abandonedRun = false;
  if (signal.aborted) {
    // Intakes have drained. A scheduled run may still be going: give it the grace period, then stop anyway.
    const grace = options.shutdownGraceMs ?? 30_000;
    const finished = await Promise.race([
      schedulerDone.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), grace).unref()),
    ]);
    abandonedRun = !finished && current !== undefined;
    if (abandonedRun) log.warn('stopping with a scheduled run still going; its finished listings are stored', { graceMs: grace });
  }
  try {
    await options.onStop?.();
  } catch (error) {
    log.error('cleanup failed', { error });
  }
  log.info('watch stopped', { ...counts, abandonedRun });
  return { ...counts, abandonedRun };
}
