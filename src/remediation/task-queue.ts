// A delivery mechanism for runnable tasks, for several workers (SQS). The task store stays the record of
// truth: a delivery only says "look at task X"; claiming it in the store is what makes one worker run it.
import type { ClaimOptions, TaskStore } from './task-store.js';
import type { RemediationTask } from './task.js';

export interface TaskQueue {
  /** The task became runnable (queued): deliver it once `notBefore` has passed. */
  notify(task: RemediationTask, now: Date): Promise<void>;
  /** The next task this worker holds a claim on, or null when none is runnable now. */
  claimNext(tasks: TaskStore, options: ClaimOptions): Promise<RemediationTask | null>;
  /** The claimed task reached an outcome: acknowledge it, or redeliver at its `notBefore` (a retry). */
  settle(task: RemediationTask): Promise<void>;
  /** The claimed task was put back unrun (blast radius): deliver it again later. */
  release(task: RemediationTask): Promise<void>;
}
