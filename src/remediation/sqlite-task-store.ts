// The embedded task store: remediation tasks and the action journal in the SQLite store's own file.
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { JournalEntry } from '../core/action.js';
import type { ClaimOptions, TaskListFilter, TaskStore } from './task-store.js';
import type { RemediationTask } from './task.js';

function parseTask(body: string): RemediationTask {
  return JSON.parse(body) as RemediationTask;
}

export function createSqliteTaskStore(db: Database.Database): TaskStore {
  const insert = db.prepare(
    `INSERT INTO remediation_tasks (id, finding_id, rule_id, action_id, state, destructive, not_before, lease_until, claim, created_at, updated_at, body)
     VALUES (@id, @findingId, @ruleId, @actionId, @state, @destructive, @notBefore, @leaseUntil, @claim, @createdAt, @updatedAt, @body)
     ON CONFLICT (id) DO NOTHING`,
  );
  const update = db.prepare(
    `UPDATE remediation_tasks SET state = @state, not_before = @notBefore, lease_until = @leaseUntil, claim = @claim,
       updated_at = @updatedAt, body = @body WHERE id = @id`,
  );
  const updateIfClaim = db.prepare(
    `UPDATE remediation_tasks SET state = @state, not_before = @notBefore, lease_until = @leaseUntil, claim = @claim,
       updated_at = @updatedAt, body = @body WHERE id = @id AND claim = @expected`,
  );
  const get = db.prepare(`SELECT body FROM remediation_tasks WHERE id = ?`).pluck();
  // Queued and due, or running with a lapsed lease: the oldest first, so a task cannot starve.
  const runnable = db
    .prepare(
      `SELECT body FROM remediation_tasks
       WHERE ((state = 'queued' AND not_before <= @now) OR (state = 'running' AND lease_until <= @now))
         AND (@nonDestructiveOnly = 0 OR destructive = 0) AND (@id IS NULL OR id = @id)
       ORDER BY not_before, created_at LIMIT 1`,
    )
    .pluck();
  const saveJournal = db.prepare(
    `INSERT INTO remediation_journal (id, task_id, action_id, status, destructive, applied_at, body)
     VALUES (@id, @taskId, @actionId, @status, @destructive, @appliedAt, @body)
     ON CONFLICT (id) DO UPDATE SET status = excluded.status, body = excluded.body`,
  );
  const journal = db
    .prepare(`SELECT body FROM remediation_journal WHERE task_id = ? ORDER BY applied_at, rowid`)
    .pluck();
  const countDestructive = db
    .prepare(
      `SELECT COUNT(*) FROM remediation_journal
       WHERE destructive = 1 AND status IN ('pending', 'applied') AND applied_at >= ?`,
    )
    .pluck();

  const row = (task: RemediationTask) => ({
    id: task.id,
    findingId: task.findingId,
    ruleId: task.ruleId,
    actionId: task.actionId,
    state: task.state,
    destructive: task.destructive ? 1 : 0,
    notBefore: task.notBefore,
    leaseUntil: task.leaseUntil ?? null,
    claim: task.claim ?? null,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
    body: JSON.stringify(task),
  });

  // IMMEDIATE: read-then-write under the write lock, so two workers never claim the same task.
  const claimTx = db.transaction((options: ClaimOptions): RemediationTask | null => {
    const body = runnable.get({
      now: options.now,
      nonDestructiveOnly: options.nonDestructiveOnly ? 1 : 0,
      id: options.id ?? null,
    }) as string | undefined;
    if (body === undefined) return null;
    const task = parseTask(body);
    const claim = randomUUID();
    const claimed: RemediationTask = {
      ...task,
      state: 'running',
      claim,
      leaseUntil: new Date(Date.parse(options.now) + options.leaseMs).toISOString(),
      attempts: [...task.attempts, { n: task.attempts.length + 1, worker: options.worker, startedAt: options.now }],
      updatedAt: options.now,
    };
    update.run(row(claimed));
    return claimed;
  });

  return {
    async insert(task) {
      return insert.run(row(task)).changes > 0;
    },
    async update(task, claim) {
      const result = claim === undefined ? update.run(row(task)) : updateIfClaim.run({ ...row(task), expected: claim });
      return result.changes > 0;
    },
    async get(id) {
      const body = get.get(id) as string | undefined;
      return body === undefined ? null : parseTask(body);
    },
    async list(filter: TaskListFilter = {}) {
      const states = filter.states ?? [];
      const where = states.length > 0 ? `WHERE state IN (${states.map(() => '?').join(', ')})` : '';
      const limit = filter.limit !== undefined ? ` LIMIT ${Math.max(0, Math.trunc(filter.limit))}` : '';
      const bodies = db
        .prepare(`SELECT body FROM remediation_tasks ${where} ORDER BY created_at, id${limit}`)
        .pluck()
        .all(...states) as string[];
      return bodies.map(parseTask);
    },
    async claim(options) {
      return claimTx.immediate(options);
    },
    async saveJournal(entry) {
      saveJournal.run({
        id: entry.id,
        taskId: entry.taskId ?? null,
        actionId: entry.actionId,
        status: entry.result.status,
        destructive: entry.plan.destructive ? 1 : 0,
        appliedAt: entry.appliedAt,
        body: JSON.stringify(entry),
      });
    },
    async journal(taskId) {
      return (journal.all(taskId) as string[]).map((body) => JSON.parse(body) as JournalEntry);
    },
    async countDestructiveSince(since) {
      return countDestructive.get(since) as number;
    },
  };
}
