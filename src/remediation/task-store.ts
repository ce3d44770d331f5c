// Where tasks and the action journal persist. The SQLite store implements it; a queue backend (SQS) only
// carries deliveries, the task record stays here.
import type { JournalEntry } from '../core/action.js';
import type { RemediationTask, TaskState } from './task.js';

export interface ClaimOptions {
  readonly worker: string;
  /** ISO now, from the coordinator's clock. */
  readonly now: string;
  readonly leaseMs: number;
  /** Skip destructive tasks (the blast-radius limit is reached). */
  readonly nonDestructiveOnly?: boolean;
  /** Claim this task only (an SQS delivery names it). */
  readonly id?: string;
}

export interface TaskListFilter {
  readonly states?: readonly TaskState[];
  readonly limit?: number;
}

export interface TaskStore {
  /** Inserts the task unless one with its id exists; answers whether it was inserted. */
  insert(task: RemediationTask): Promise<boolean>;
  /** Replaces a task; with `claim`, only while that claim still holds it (answers false otherwise). */
  update(task: RemediationTask, claim?: string): Promise<boolean>;
  get(id: string): Promise<RemediationTask | null>;
  list(filter?: TaskListFilter): Promise<RemediationTask[]>;
  /**
   * Atomically takes one runnable task: queued with notBefore passed, or running with its lease expired
   * (its worker died). Marks it running with a fresh claim and lease, and counts the attempt.
   */
  claim(options: ClaimOptions): Promise<RemediationTask | null>;
  /** Upserts by entry id: the pending entry, then its outcome. */
  saveJournal(entry: JournalEntry): Promise<void>;
  journal(taskId: string): Promise<JournalEntry[]>;
  /** Destructive journal entries (pending or applied) written at or after `since`: the hourly blast radius. */
  countDestructiveSince(since: string): Promise<number>;
}
