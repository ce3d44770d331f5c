// The action contract, runtime half: apply / verify / revert against AWS, and the journal-first discipline they share.
import { randomUUID } from 'node:crypto';
import type {
  ActionDefinition,
  ActionPlan,
  ApplyStatus,
  JournalEntry,
  RevertStatus,
} from '../../core/action.js';
import { LeukoError } from '../../core/errors.js';
import type { Resource } from '../../core/resource.js';
import type { ResourceTypeId } from '../../core/resource-types.js';
import { awsErrorCode } from '../aws-errors.js';
import type { AccountClients } from '../clients/client-factory.js';
import { resourceModule } from '../resources/registry.js';
import type { CollectContext, CollectWarning } from '../resources/resource-module.js';

export interface ActionContext {
  readonly clients: AccountClients;
  /** aws | aws-cn | aws-us-gov; default aws. */
  readonly partition?: string;
  readonly taskId?: string;
  /**
   * Persists a journal entry. Called with status 'pending' before AWS is changed, and awaited: if it
   * throws, nothing is changed. Called again with the outcome (same entry id).
   */
  journal(entry: JournalEntry): void | Promise<void>;
  /** The caller's clock (ISO time); default the system clock. */
  now?(): string;
  /** Polling of slow AWS changes (snapshots completing, stacks deleting). */
  readonly wait?: { readonly intervalMs: number; readonly timeoutMs: number };
  warn?(warning: CollectWarning): void;
}

export interface ApplyOutcome<S = unknown, B = unknown> {
  readonly status: ApplyStatus;
  readonly before: B;
  readonly after: unknown;
  readonly message: string;
  readonly entry: JournalEntry<S, B>;
}

export interface RevertOutcome {
  readonly status: RevertStatus;
  /** Plain words for `leuko undo`: what was restored, or that it cannot be. */
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface Action<
  T extends ResourceTypeId = ResourceTypeId,
  S = unknown,
  B = unknown,
> extends ActionDefinition<T, S> {
  /** Reads the before-state, journals it, then changes AWS. Idempotent: an effect already in place is 'already-done'. */
  apply(plan: ActionPlan<S>, ctx: ActionContext): Promise<ApplyOutcome<S, B>>;
  /** Re-reads the resource and checks that the offending part is gone. */
  verify(plan: ActionPlan<S>, ctx: ActionContext): Promise<boolean>;
  /** Restores the before-state where it can; an irreversible action says plainly that it cannot. */
  revert(entry: JournalEntry<S, B>, ctx: ActionContext): Promise<RevertOutcome>;
}

/** An action failed (or refused at apply time because AWS no longer matches the plan). */
export class RemediationError extends LeukoError {
  readonly actionId: string;
  readonly resourceId: string;
  readonly awsCode: string | undefined;

  constructor(actionId: string, resourceId: string, message: string, cause?: unknown) {
    super('REMEDIATION', `${actionId} on ${resourceId}: ${message}`, { cause });
    this.actionId = actionId;
    this.resourceId = resourceId;
    this.awsCode = cause === undefined ? undefined : awsErrorCode(cause);
  }
}

export function defineRuntimeAction<T extends ResourceTypeId, S, B>(
  action: Action<T, S, B>,
): Action<T, S, B> {
  return action;
}

function nowOf(ctx: ActionContext): string {
  return ctx.now ? ctx.now() : new Date().toISOString();
}

/** The resource module's context for re-reading the plan's resource. */
export function collectContextFor(
  plan: ActionPlan,
  ctx: ActionContext,
  region = plan.resource.region,
): CollectContext {
  return {
    account: plan.resource.account,
    region,
    partition: ctx.partition ?? 'aws',
    clients: ctx.clients,
    warn: (warning) => ctx.warn?.(warning),
  };
}

/** The plan's resource as AWS has it now (null when gone), via its resource module's get(). */
export async function reread<T extends ResourceTypeId>(
  plan: ActionPlan,
  type: T,
  ctx: ActionContext,
): Promise<Resource<T> | null> {
  return resourceModule(type).get(collectContextFor(plan, ctx), plan.resource.id);
}

/** One AWS call under the region's limiter. */
export function send<R>(ctx: ActionContext, region: string, call: () => Promise<R>): Promise<R> {
  return ctx.clients.limiter(region).run(call);
}

export function hasCode(error: unknown, codes: readonly string[]): boolean {
  const code = awsErrorCode(error);
  return code !== undefined && codes.includes(code);
}

/**
 * Journal first, then change: the pending entry (with the before-state) is persisted before `change` runs,
 * and the outcome (or the failure) is journaled after it.
 */
export async function journaled<S, B>(
  plan: ActionPlan<S>,
  ctx: ActionContext,
  before: B,
  change: () => Promise<{ after: unknown; message: string }>,
): Promise<ApplyOutcome<S, B>> {
  const pending: JournalEntry<S, B> = {
    id: randomUUID(),
    ...(ctx.taskId !== undefined ? { taskId: ctx.taskId } : {}),
    actionId: plan.actionId,
    plan,
    before,
    appliedAt: nowOf(ctx),
    result: { status: 'pending' },
  };
  await ctx.journal(pending as JournalEntry);
  let done: { after: unknown; message: string };
  try {
    done = await change();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await ctx.journal({ ...pending, result: { status: 'failed', message } } as JournalEntry);
    throw error instanceof RemediationError
      ? error
      : new RemediationError(plan.actionId, plan.resource.id, message, error);
  }
  const entry: JournalEntry<S, B> = {
    ...pending,
    result: { status: 'applied', message: done.message, after: done.after },
  };
  await ctx.journal(entry as JournalEntry);
  return { status: 'applied', before, after: done.after, message: done.message, entry };
}

/** Nothing to change: journaled once, so the task's history still shows what leuko saw. */
export async function alreadyDone<S, B>(
  plan: ActionPlan<S>,
  ctx: ActionContext,
  before: B,
  message: string,
): Promise<ApplyOutcome<S, B>> {
  const entry: JournalEntry<S, B> = {
    id: randomUUID(),
    ...(ctx.taskId !== undefined ? { taskId: ctx.taskId } : {}),
    actionId: plan.actionId,
    plan,
    before,
    appliedAt: nowOf(ctx),
    result: { status: 'already-done', message, after: before },
  };
  await ctx.journal(entry as JournalEntry);
  return { status: 'already-done', before, after: before, message, entry };
}

/** The undo answer of an irreversible action: says what was done and that it cannot come back. */
export function irreversible(entry: JournalEntry, what: string): RevertOutcome {
  return {
    status: 'irreversible',
    message: `cannot undo ${entry.actionId} on ${entry.plan.resource.id}: ${what}`,
  };
}

/**
 * revert() of an entry whose apply found nothing to change. A 'pending' or 'failed' entry is reverted like an
 * applied one: the change may have been made before a crash or a later step failed, and every revert compares
 * AWS with the before-state first, so it restores only what differs.
 */
export function nothingToRevert(entry: JournalEntry): RevertOutcome | undefined {
  if (entry.result.status !== 'already-done') return undefined;
  return {
    status: 'already-reverted',
    message: `${entry.actionId} on ${entry.plan.resource.id} changed nothing (it was already done); nothing to undo`,
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `done` until true or the context's wait runs out; answers whether it became true. */
export async function waitUntil(ctx: ActionContext, done: () => Promise<boolean>): Promise<boolean> {
  const { intervalMs, timeoutMs } = ctx.wait ?? { intervalMs: 5_000, timeoutMs: 600_000 };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await done()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}

/** JSON with object keys sorted, so equal content compares equal whatever order its source wrote it in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) => {
    if (typeof field !== 'object' || field === null || Array.isArray(field)) return field;
    return Object.fromEntries(Object.entries(field).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}
