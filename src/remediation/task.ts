// A remediation task: one finding, one action, its mode, its plan, its attempts — JSON, so any backend stores it.
import { createHash } from 'node:crypto';
import type { ActionParams, ActionPlan, ActionViolation, RefusalReason } from '../core/action.js';
import type { RemediationMode } from '../core/engine/policy-config.js';
import type { Actor, FindingResourceRef } from '../core/finding.js';

/**
 * proposed: dry-run, the plan is what leuko would do; nothing runs.
 * awaiting-approval: waits for `leuko remediation approve`.
 * queued: approved or auto; a worker runs it once `notBefore` has passed.
 * running: claimed by a worker until `leaseUntil`; after that another worker may claim it again.
 * done: applied (or found already done) and verified.
 * refused: the action would not act (protected, allowlisted, tags unknown, not applicable).
 * dead: failed `maxAttempts` times; a person looks at `leuko remediation show`.
 * rejected: a person said no. reverted: `leuko undo` restored the before-state.
 */
export const TASK_STATES = [
  'proposed',
  'awaiting-approval',
  'queued',
  'running',
  'done',
  'refused',
  'dead',
  'rejected',
  'reverted',
] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** Modes that create a task; `off` creates none. */
export type TaskMode = Exclude<RemediationMode, 'off'>;

export interface TaskAttempt {
  readonly n: number;
  readonly worker: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  /** applied | already-done | refused | failed */
  readonly outcome?: string;
  readonly error?: string;
}

export interface TaskUndo {
  readonly at: string;
  /** reverted | already-reverted | irreversible | failed */
  readonly status: string;
  readonly message: string;
}

export interface RemediationTask {
  /** Stable per (finding, action): enqueueing the same finding again finds this task. */
  readonly id: string;
  readonly findingId: string;
  readonly ruleId: string;
  readonly actionId: string;
  readonly mode: TaskMode;
  readonly state: TaskState;
  readonly resource: FindingResourceRef;
  /** The finding's offending part when the task was made (the run re-evaluates the fresh resource). */
  readonly violations: readonly ActionViolation[];
  readonly params: ActionParams;
  readonly destructive: boolean;
  readonly reversible: boolean;
  readonly actor?: Actor;
  readonly eventId?: string;
  /** The latest plan: the dry-run preview at first, then the plan that ran. */
  readonly plan?: ActionPlan;
  readonly refusal?: { readonly reason: RefusalReason | 'rule-off'; readonly message: string };
  /** Why it waits (approve mode, or an irreversible action without allowDestructive). */
  readonly note?: string;
  readonly attempts: readonly TaskAttempt[];
  readonly maxAttempts: number;
  /** ISO: not run before this (backoff after a failure). */
  readonly notBefore: string;
  /** ISO: while running, the claim holds until then. */
  readonly leaseUntil?: string;
  /** The worker claim that holds it; an update from a stale claim is ignored. */
  readonly claim?: string;
  readonly lastError?: string;
  /** Set by `leuko remediation approve`: a person said yes, so the task runs whatever the mode is now. */
  readonly approvedAt?: string;
  readonly approvedBy?: string;
  readonly rejectedReason?: string;
  readonly undo?: TaskUndo;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function taskIdOf(findingId: string, actionId: string): string {
  return `rt-${createHash('sha256').update(`${findingId}\u0000${actionId}`).digest('hex').slice(0, 16)}`;
}

/** Exponential backoff after the n-th failed attempt (1-based), capped; no jitter so tests can assert it. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
