// The remediation coordinator: findings become tasks (by mode), and workers run the runnable ones — re-read the
// resource, re-plan, apply journal-first, verify — with leases, retries, a dead-letter state, the blast radius
// and an alert for every outcome. `leuko audit`, `leuko watch` and `leuko remediation run` all drive this.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ActionContext } from '../aws/actions/action-runtime.js';
import { actionById, type AnyAction } from '../aws/actions/index.js';
import type { AccountClients } from '../aws/clients/client-factory.js';
import { resourceModule } from '../aws/resources/registry.js';
import { isPlan, type ActionViolation, type JournalEntry } from '../core/action.js';
import { evaluateResource, type Policy } from '../core/engine/index.js';
import { NotFoundError, UsageError, errorMessage } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import { resourceKey, type Resource } from '../core/resource.js';
import { NO_ALERTS, type Alert, type AlertSink } from '../notify/alert.js';
import type { FindingTransition, Store } from '../store/store.js';
import { modeFor, type RemediationSettings } from './remediation-config.js';
import { blastRadiusAlert, taskAlert, type TaskOutcome } from './task-alerts.js';
import type { TaskQueue } from './task-queue.js';
import { backoffMs, taskIdOf, type RemediationTask, type TaskMode } from './task.js';

export interface CoordinatorOptions {
  readonly store: Store;
  readonly policy: Policy;
  readonly settings: RemediationSettings;
  /** AWS clients acting in `account` (the task's resource account); asked only when a task runs or is undone. */
  readonly clientsFor: (account: string) => AccountClients | Promise<AccountClients>;
  readonly alerts?: AlertSink;
  /** Delivery of runnable tasks; default: the store itself (embedded). */
  readonly queue?: TaskQueue;
  readonly now?: () => Date;
  /** Names this worker in attempts; default host:pid. */
  readonly worker?: string;
  readonly partition?: string;
  /** Polling of slow AWS changes, passed to actions. */
  readonly wait?: ActionContext['wait'];
}

export interface EnqueueResult {
  /** New tasks (and re-armed ones), by the state they start in. */
  readonly created: RemediationTask[];
  /** Findings whose task already existed and stays as it is. */
  readonly existing: number;
  /** Findings whose rule has no action or is `off`. */
  readonly skipped: number;
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  /** At most this many tasks in this call. */
  readonly limit?: number;
}

export interface RunSummary {
  readonly processed: number;
  readonly outcomes: Readonly<Partial<Record<TaskOutcome, number>>>;
  /** The blast radius stopped destructive tasks in this run. */
  readonly halted: boolean;
}

export interface UndoResult {
  readonly task: RemediationTask;
  /** reverted | already-reverted | irreversible | nothing-applied */
  readonly status: string;
  readonly message: string;
}

export interface Coordinator {
  /** Enqueues the findings that turned 'open' (new or reopened): what `leuko watch` calls after saveFindings. */
  enqueueFromTransitions(transitions: readonly FindingTransition[], resources?: readonly Resource[]): Promise<EnqueueResult>;
  /** Enqueues open findings (idempotent: one task per finding and action). */
  enqueueFindings(findings: readonly Finding[], options?: { resources?: readonly Resource[]; reopened?: ReadonlySet<string> }): Promise<EnqueueResult>;
  /** Runs queued tasks (auto, or approved) until none is runnable, `limit` is reached or `signal` aborts. */
  runPending(options?: RunOptions): Promise<RunSummary>;
  approve(taskId: string, by?: string): Promise<RemediationTask>;
  reject(taskId: string, reason: string): Promise<RemediationTask>;
  undo(taskId: string): Promise<UndoResult>;
}

const TERMINAL = new Set(['done', 'refused', 'dead', 'rejected', 'reverted']);

export function createCoordinator(options: CoordinatorOptions): Coordinator {
  const { store, policy, settings } = options;
  const tasks = store.tasks;
  const alerts = options.alerts ?? NO_ALERTS;
  const clock = options.now ?? (() => new Date());
  const nowIso = () => clock().toISOString();
  const worker = options.worker ?? `${hostname()}:${process.pid}`;
  const partition = options.partition ?? 'aws';
  const actionOfRule = new Map<string, string>();
  for (const compiled of policy.rules) {
    const action = compiled.rule.remediation?.action;
    if (action !== undefined) actionOfRule.set(compiled.id, action);
  }

  async function send(list: Alert[]): Promise<void> {
    if (list.length > 0) await alerts.send(list);
  }

  function params(): RemediationTask['params'] {
    return settings.allowlist.length > 0 ? { allowlist: settings.allowlist } : {};
  }

  /** The state a new task starts in, and why it waits if it does. */
  function startState(mode: TaskMode, action: AnyAction, ruleId: string): { state: RemediationTask['state']; note?: string } {
    if (mode === 'dry-run') return { state: 'proposed', note: 'dry-run: nothing is changed; set the rule to approve or auto to act' };
    if (mode === 'approve') return { state: 'awaiting-approval', note: `approve with \`leuko remediation approve\`` };
    if (action.destructive && settings.rules[ruleId]?.allowDestructive !== true) {
      return {
        state: 'awaiting-approval',
        note: `${action.id} cannot be undone; auto runs it only where the rule sets allowDestructive: true`,
      };
    }
    return { state: 'queued' };
  }

  async function resourceOf(finding: Finding, given: ReadonlyMap<string, Resource>): Promise<Resource | undefined> {
    const key = resourceKey(finding.resource);
    return given.get(key) ?? (await store.getResource(key))?.resource;
  }

  async function enqueueFindings(
    findings: readonly Finding[],
    enqueueOptions: { resources?: readonly Resource[]; reopened?: ReadonlySet<string> } = {},
  ): Promise<EnqueueResult> {
    const given = new Map((enqueueOptions.resources ?? []).map((resource) => [resourceKey(resource), resource]));
    const created: RemediationTask[] = [];
    const toAlert: Alert[] = [];
    let existing = 0;
    let skipped = 0;
    for (const finding of findings) {
      if (finding.status !== 'open') continue;
      const actionId = actionOfRule.get(finding.ruleId);
      const mode = modeFor(settings, finding.ruleId);
      const action = actionId === undefined ? undefined : actionById(actionId);
      if (!action || mode === 'off') {
        skipped++;
        continue;
      }
      const id = taskIdOf(finding.id, action.id);
      const prior = await tasks.get(id);
      // A finished task comes back only when its finding reopened (the problem returned); a person's reject
      // or undo stays as they left it, and a live task is not duplicated.
      const rearm =
        prior !== null && (prior.state === 'done' || prior.state === 'refused') && enqueueOptions.reopened?.has(finding.id) === true;
      const upgrade = prior !== null && prior.state === 'proposed' && prior.mode !== mode;
      if (prior !== null && !rearm && !upgrade) {
        existing++;
        continue;
      }
      const at = nowIso();
      const violations: ActionViolation[] = [{ part: finding.part, ...(finding.details ? { details: finding.details } : {}) }];
      const resource = await resourceOf(finding, given);
      const preview = resource
        ? action.plan({ resource, findingId: finding.id, ruleId: finding.ruleId, violations, params: params() })
        : undefined;
      const { state, note } = startState(mode, action, finding.ruleId);
      const task: RemediationTask = {
        id,
        findingId: finding.id,
        ruleId: finding.ruleId,
        actionId: action.id,
        mode,
        state,
        resource: finding.resource,
        violations,
        params: params(),
        destructive: action.destructive,
        reversible: action.reversible,
        ...(finding.actor ? { actor: finding.actor } : {}),
        ...(finding.eventId !== undefined ? { eventId: finding.eventId } : {}),
        ...(preview && isPlan(preview) ? { plan: preview } : {}),
        ...(preview && !isPlan(preview) ? { refusal: { reason: preview.reason, message: preview.message } } : {}),
        ...(note !== undefined ? { note } : {}),
        attempts: prior?.attempts ?? [],
        maxAttempts: settings.maxAttempts,
        notBefore: at,
        createdAt: prior?.createdAt ?? at,
        updatedAt: at,
      };
      if (prior === null) {
        if (!(await tasks.insert(task))) {
          existing++;
          continue;
        }
      } else {
        await tasks.update(task);
      }
      created.push(task);
      if (state === 'queued') await options.queue?.notify(task, clock());
      if (state === 'proposed') toAlert.push(taskAlert(task, 'proposed', at, { finding }));
      if (state === 'awaiting-approval') toAlert.push(taskAlert(task, 'awaiting-approval', at, { finding }));
    }
    await send(toAlert);
    return { created, existing, skipped };
  }

  async function enqueueFromTransitions(
    transitions: readonly FindingTransition[],
    resources?: readonly Resource[],
  ): Promise<EnqueueResult> {
    const opened = transitions.filter((transition) => transition.to === 'open');
    const reopened = new Set(opened.filter((transition) => transition.from !== null).map((transition) => transition.finding.id));
    return enqueueFindings(
      opened.map((transition) => transition.finding),
      { ...(resources ? { resources } : {}), reopened },
    );
  }

  async function contextFor(task: RemediationTask): Promise<ActionContext> {
    return {
      clients: await options.clientsFor(task.resource.account),
      partition,
      taskId: task.id,
      // Awaited by the runtime before AWS changes: a write that fails stops the change.
      journal: (entry: JournalEntry) => tasks.saveJournal(entry),
      now: nowIso,
      ...(options.wait ? { wait: options.wait } : {}),
    };
  }

  /** The finding's offending parts on the resource as AWS has it now; empty when they are gone. */
  function freshViolations(task: RemediationTask, resource: Resource): ActionViolation[] | 'rule-off' {
    if (!policy.rules.some((rule) => rule.id === task.ruleId)) return 'rule-off';
    const evaluation = evaluateResource(resource, policy, { now: clock() });
    return evaluation.candidates
      .filter((candidate) => candidate.id === task.findingId && candidate.status === 'open')
      .map((candidate) => ({ part: candidate.part, ...(candidate.details ? { details: candidate.details } : {}) }));
  }

  function finishAttempt(task: RemediationTask, outcome: string, at: string, error?: string): RemediationTask['attempts'] {
    const attempts = [...task.attempts];
    const last = attempts.pop();
    if (last) attempts.push({ ...last, finishedAt: at, outcome, ...(error !== undefined ? { error } : {}) });
    return attempts;
  }

  /** Runs one claimed task to an outcome; never throws for the task's own failure. */
  async function execute(claimed: RemediationTask): Promise<{ outcome: TaskOutcome; task: RemediationTask }> {
    const claim = claimed.claim;
    const action = actionById(claimed.actionId);
    const settle = async (
      outcome: TaskOutcome,
      changes: Partial<RemediationTask>,
      message?: string,
    ): Promise<{ outcome: TaskOutcome; task: RemediationTask }> => {
      const at = nowIso();
      const state: RemediationTask['state'] =
        outcome === 'applied' || outcome === 'already-done' ? 'done' : outcome === 'refused' ? 'refused' : outcome === 'dead' ? 'dead' : 'queued';
      const { leaseUntil: _lease, claim: _claim, ...rest } = claimed;
      const task: RemediationTask = {
        ...rest,
        ...changes,
        state,
        attempts: finishAttempt(claimed, outcome, at, outcome === 'failed' || outcome === 'dead' ? message : undefined),
        updatedAt: at,
      };
      // A stale claim (the lease ran out and another worker took over) must not overwrite the newer state.
      if (!(await tasks.update(task, claim))) return { outcome, task };
      await send([taskAlert(task, outcome, at, { ...(message !== undefined ? { message } : {}), attempt: task.attempts.length })]);
      return { outcome, task };
    };
    if (!action) return settle('dead', { lastError: `unknown action ${claimed.actionId}` }, `unknown action ${claimed.actionId}`);
    // Queued by auto, not by a person: if leuko.yaml no longer allows it (mode changed since, or allowDestructive
    // removed), it does not run. Safety first: the config in force now decides.
    if (claimed.approvedAt === undefined) {
      const now = modeFor(settings, claimed.ruleId);
      const destructiveDenied = claimed.destructive && settings.rules[claimed.ruleId]?.allowDestructive !== true;
      if (now !== 'auto' || destructiveDenied) {
        const message = destructiveDenied
          ? `${claimed.actionId} is irreversible and rule ${claimed.ruleId} no longer sets allowDestructive: true; not run`
          : `rule ${claimed.ruleId} is now ${now}, not auto; not run`;
        return settle('refused', { refusal: { reason: 'rule-off', message } }, message);
      }
    }
    try {
      const ctx = await contextFor(claimed);
      const resource = await resourceModule(claimed.resource.type).get(
        {
          account: claimed.resource.account,
          region: claimed.resource.region,
          partition,
          clients: ctx.clients,
          warn: () => undefined,
        },
        claimed.resource.id,
      );
      if (!resource) return settle('already-done', {}, `${claimed.resource.id} no longer exists; nothing to change`);
      const violations = freshViolations(claimed, resource);
      if (violations === 'rule-off') {
        const refusal = { reason: 'rule-off' as const, message: `rule ${claimed.ruleId} is off; leuko does not act on it` };
        return settle('refused', { refusal }, refusal.message);
      }
      if (violations.length === 0) {
        // The offending part is gone: fixed by someone, or by an earlier attempt that died before recording it.
        return settle('already-done', {}, `the offending part (${claimed.violations.map((v) => v.part).join(', ')}) is no longer there`);
      }
      const planned = action.plan({
        resource,
        findingId: claimed.findingId,
        ruleId: claimed.ruleId,
        violations,
        params: claimed.params,
      });
      if (!isPlan(planned)) {
        if (planned.reason === 'nothing-to-do') return settle('already-done', {}, planned.message);
        return settle('refused', { refusal: { reason: planned.reason, message: planned.message } }, planned.message);
      }
      const applied = await action.apply(planned, ctx);
      if (!(await action.verify(planned, ctx))) {
        throw new Error(`verification failed: ${planned.changes.join('; ')} not in effect after apply`);
      }
      return settle(applied.status, { plan: planned }, applied.message);
    } catch (error) {
      const message = errorMessage(error);
      const attempt = claimed.attempts.length;
      if (attempt >= claimed.maxAttempts) return settle('dead', { lastError: message }, message);
      const delay = backoffMs(attempt, settings.backoff.baseMs, settings.backoff.maxMs);
      return settle('failed', { lastError: message, notBefore: new Date(clock().getTime() + delay).toISOString() }, message);
    }
  }

  async function claimNext(nonDestructiveOnly: boolean): Promise<RemediationTask | null> {
    const claimOptions = { worker, now: nowIso(), leaseMs: settings.leaseMs, nonDestructiveOnly };
    if (!options.queue) return tasks.claim(claimOptions);
    return options.queue.claimNext(tasks, claimOptions);
  }

  /** Whether one more destructive action fits the limits; the limit that stops it otherwise. */
  async function blastLimit(destructiveThisRun: number): Promise<{ kind: 'run' | 'hour'; max: number } | undefined> {
    if (destructiveThisRun >= settings.blastRadius.perRun) return { kind: 'run', max: settings.blastRadius.perRun };
    const since = new Date(clock().getTime() - 3_600_000).toISOString();
    if ((await tasks.countDestructiveSince(since)) >= settings.blastRadius.perHour) {
      return { kind: 'hour', max: settings.blastRadius.perHour };
    }
    return undefined;
  }

  async function runPending(runOptions: RunOptions = {}): Promise<RunSummary> {
    const runId = randomUUID();
    const outcomes: Partial<Record<TaskOutcome, number>> = {};
    let processed = 0;
    let destructiveThisRun = 0;
    let halted = false;
    const limit = runOptions.limit ?? Number.POSITIVE_INFINITY;
    while (processed < limit && runOptions.signal?.aborted !== true) {
      const task = await claimNext(halted);
      if (!task) break;
      if (task.destructive) {
        const reached = await blastLimit(destructiveThisRun);
        if (reached) {
          // Put it back untouched (the attempt does not count) and stop claiming destructive tasks.
          const { leaseUntil: _lease, claim: _claim, ...rest } = task;
          await tasks.update({ ...rest, state: 'queued', attempts: task.attempts.slice(0, -1), updatedAt: nowIso() }, task.claim);
          await options.queue?.release(task);
          halted = true;
          const waiting = (await tasks.list({ states: ['queued'] })).filter((queued) => queued.destructive).length;
          await send([blastRadiusAlert(reached, waiting, nowIso(), runId)]);
          continue;
        }
        destructiveThisRun++;
      }
      const { outcome, task: after } = await execute(task);
      await options.queue?.settle(after);
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      processed++;
    }
    return { processed, outcomes, halted };
  }

  async function existingTask(taskId: string): Promise<RemediationTask> {
    const task = await tasks.get(taskId);
    if (!task) throw new NotFoundError(`no remediation task ${taskId} (see \`leuko remediation list\`)`);
    return task;
  }

  async function approve(taskId: string, by?: string): Promise<RemediationTask> {
    const task = await existingTask(taskId);
    if (task.state !== 'awaiting-approval') {
      throw new UsageError(`task ${taskId} is ${task.state}; only a task awaiting approval can be approved`);
    }
    const at = nowIso();
    const { note: _note, ...rest } = task;
    const approved: RemediationTask = {
      ...rest,
      state: 'queued',
      notBefore: at,
      approvedAt: at,
      updatedAt: at,
      ...(by ? { approvedBy: by } : {}),
    };
    await tasks.update(approved);
    await options.queue?.notify(approved, clock());
    return approved;
  }

  async function reject(taskId: string, reason: string): Promise<RemediationTask> {
    const task = await existingTask(taskId);
    if (TERMINAL.has(task.state) || task.state === 'running') {
      throw new UsageError(`task ${taskId} is ${task.state}; only a proposed, waiting or queued task can be rejected`);
    }
    const at = nowIso();
    const rejected: RemediationTask = { ...task, state: 'rejected', rejectedReason: reason, updatedAt: at };
    await tasks.update(rejected);
    await send([taskAlert(rejected, 'rejected', at, { message: reason })]);
    return rejected;
  }

  async function undo(taskId: string): Promise<UndoResult> {
    const task = await existingTask(taskId);
    const action = actionById(task.actionId);
    if (!action) throw new UsageError(`task ${taskId} names an unknown action ${task.actionId}`);
    const entries = await tasks.journal(taskId);
    // The latest entry that may have changed AWS: applied, or pending/failed (the change may have landed).
    const entry = [...entries].reverse().find((candidate) => candidate.result.status !== 'already-done') ?? entries.at(-1);
    if (!entry) {
      return { task, status: 'nothing-applied', message: `task ${taskId} never changed AWS (state ${task.state}); nothing to undo` };
    }
    const at = nowIso();
    let outcome;
    try {
      outcome = await action.revert(entry, await contextFor(task));
    } catch (error) {
      // Recorded, so `leuko remediation show` tells what the failed undo said.
      await tasks.update({ ...task, undo: { at, status: 'failed', message: errorMessage(error) }, updatedAt: at });
      throw error;
    }
    const undone: RemediationTask = {
      ...task,
      state: outcome.status === 'irreversible' ? task.state : 'reverted',
      undo: { at, status: outcome.status, message: outcome.message },
      updatedAt: at,
    };
    await tasks.update(undone);
    if (outcome.status !== 'irreversible') await send([taskAlert(undone, 'reverted', at, { message: outcome.message })]);
    return { task: undone, status: outcome.status, message: outcome.message };
  }

  return { enqueueFromTransitions, enqueueFindings, runPending, approve, reject, undo };
}
