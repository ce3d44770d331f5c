// What `leuko watch` does with a batch of CloudTrail records, whichever intake brought them: judge and record
// them (the event pipeline), alert on changes of state and detections, and hand new findings to remediation.
import type { EventPipeline, ProcessRecordsResult } from '../events/process-records.js';
import type { AlertSink } from '../notify/alert.js';
import { alertsFromDetections, alertsFromTransitions } from '../notify/alerts-from-transitions.js';
import type { Coordinator, RunSummary } from '../remediation/coordinator.js';
import type { SourcedRecord } from '../sources/cloudtrail/readers.js';
import type { CloudTrailRecord } from '../sources/cloudtrail/record.js';
import type { LogFields, Logger } from './log.js';

export interface EventHandlerDeps {
  readonly pipeline: EventPipeline;
  readonly alerts: AlertSink;
  readonly coordinator?: Coordinator;
  readonly log: Logger;
  /** Tasks run at once after a batch (auto mode acts within the batch, not at the next coordinator tick). */
  readonly runLimit?: number;
}

export interface HandledBatch {
  readonly result: ProcessRecordsResult;
  readonly alerts: number;
  readonly tasksCreated: number;
  readonly run?: RunSummary;
}

export type EventHandler = (records: Iterable<CloudTrailRecord | SourcedRecord>, origin: LogFields) => Promise<HandledBatch>;

/**
 * A throw means the batch was not fully handled (the store refused a write): the intake leaves the message in
 * its queue, or answers 500, so it is delivered again. Alert delivery failures do not throw (the sink logs them):
 * an unreachable Slack must not make the queue redeliver, and re-alert, every event.
 */
export function createEventHandler(deps: EventHandlerDeps): EventHandler {
  return async (records, origin) => {
    const result = await deps.pipeline.process(records);
    const alerts = [...alertsFromTransitions(result.transitions), ...alertsFromDetections(result.detections)];
    if (alerts.length > 0) await deps.alerts.send(alerts);
    let tasksCreated = 0;
    let run: RunSummary | undefined;
    if (deps.coordinator && result.transitions.length > 0) {
      const enqueued = await deps.coordinator.enqueueFromTransitions(result.transitions);
      tasksCreated = enqueued.created.length;
      if (enqueued.created.some((task) => task.state === 'queued')) {
        run = await deps.coordinator.runPending({ limit: deps.runLimit ?? 25 });
      }
    }
    for (const error of result.errors) {
      deps.log.warn('event not fully handled', { ...origin, kind: error.kind, resource: error.resourceKey, eventId: error.eventId, error: error.message });
    }
    deps.log.info('events handled', {
      ...origin,
      records: result.records,
      changes: result.changes,
      transitions: result.transitions.length,
      detections: result.detections.length,
      failedCalls: result.failedCalls.length,
      alerts: alerts.length,
      tasksCreated,
      ...(run ? { tasksRun: run.processed } : {}),
      ms: Math.round(result.timings.totalMs),
      reReadMs: Math.round(result.timings.reReadMs),
    });
    return { result, alerts: alerts.length, tasksCreated, ...(run ? { run } : {}) };
  };
}
