// `leuko remediation list|show|approve|reject|run`: the remediation queue, for people and for the worker loop.
import type { Command } from 'commander';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { AccountClients } from '../../aws/clients/client-factory.js';
import { regionOfQueueUrl } from '../../aws/regions.js';
import type { LoadedConfig } from '../../config/load-config.js';
import { loadPolicy } from '../../config/load-policy.js';
import { UsageError, errorMessage } from '../../core/errors.js';
import { createConsoleAlertLogger } from '../../notify/console-log.js';
import type { AlertSink } from '../../notify/alert.js';
import { createAlertSink } from '../../notify/index.js';
import { createCoordinator, type Coordinator, type RunSummary } from '../../remediation/coordinator.js';
import { loadRemediationSettings } from '../../remediation/load-remediation.js';
import { createSqsTaskQueue } from '../../remediation/sqs-task-queue.js';
import type { TaskQueue } from '../../remediation/task-queue.js';
import { TASK_STATES, type RemediationTask, type TaskState } from '../../remediation/task.js';
import type { ScanAccount } from '../../scan/scan.js';
import { abortableSleep as sleep } from '../../util/abortable-sleep.js';
import type { Store } from '../../store/store.js';
import { buildAccounts, clientsByAccountId } from '../accounts.js';
import { loadCliConfig, openStore, parseList, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { createOutput, formatTable, type Output } from '../output.js';
import { summaryOf } from './catalog.js';

export interface OpenedCoordinator {
  readonly coordinator: Coordinator;
  readonly alerts: AlertSink;
  close(): Promise<void>;
}

/** The SQS region: the config's, else the one in the queue URL (sqs.<region>.amazonaws.com), else AWS_REGION. */
function sqsRegion(url: string, configured: string | undefined): string {
  return configured ?? regionOfQueueUrl(url) ?? process.env.AWS_REGION ?? 'us-east-1';
}

/** The coordinator as the CLI runs it: accounts from leuko.yaml, the configured queue and alert channels. */
export async function openCoordinator(
  globals: GlobalOptions,
  loaded: LoadedConfig,
  store: Store,
  output: Output,
  shared?: {
    readonly alerts?: AlertSink;
    /**
     * A caller that already built and resolved its accounts (leuko watch) passes them: no second set of
     * clients and no second round of sts calls; the caller then destroys them.
     */
    readonly accounts?: { readonly list: readonly ScanAccount[]; readonly byId: ReadonlyMap<string, AccountClients> };
  },
): Promise<OpenedCoordinator> {
  const policy = loadPolicy(loaded);
  const settings = loadRemediationSettings(loaded);
  const ownAccounts = shared?.accounts === undefined;
  const accounts = shared?.accounts?.list ?? buildAccounts(globals, loaded);
  // Account ids are resolved (one sts call each) only when a task first needs AWS: listing and enqueueing don't.
  let byAccount: Promise<ReadonlyMap<string, AccountClients>> | undefined = shared?.accounts ? Promise.resolve(shared.accounts.byId) : undefined;
  const resolveAccounts = () =>
    clientsByAccountId(accounts, (account, error) => output.error(`leuko: no usable credentials for ${account.label}: ${errorMessage(error)}`));
  const ownAlerts = shared?.alerts === undefined;
  const alerts =
    shared?.alerts ??
    createAlertSink(loaded.config.alerts, {
      log: createConsoleAlertLogger((line) => output.error(line), globals.debug === true),
      aws: { ...(globals.profile ? { profile: globals.profile } : {}) },
    });
  let sqs: SQSClient | undefined;
  let queue: TaskQueue | undefined;
  if (settings.queue.backend === 'sqs') {
    const first = accounts[0]?.clients;
    const region = sqsRegion(settings.queue.url, settings.queue.region);
    sqs = first ? first.client('sqs', region) : new SQSClient({ region });
    queue = createSqsTaskQueue({ client: sqs, queueUrl: settings.queue.url, leaseMs: settings.leaseMs });
  }
  const coordinator = createCoordinator({
    store,
    policy,
    settings,
    clientsFor: async (account) => {
      byAccount ??= resolveAccounts();
      const clients = (await byAccount).get(account);
      if (!clients) throw new UsageError(`no credentials for account ${account}; list it under accounts in leuko.yaml`);
      return clients;
    },
    alerts,
    ...(queue ? { queue } : {}),
  });
  return {
    coordinator,
    alerts,
    async close() {
      if (ownAlerts) await alerts.close();
      if (ownAccounts) for (const account of accounts) account.clients.destroy();
    },
  };
}

function parseStates(value: string | undefined): TaskState[] | undefined {
  const states = parseList(value);
  if (!states) return undefined;
  for (const state of states) {
    if (!(TASK_STATES as readonly string[]).includes(state)) {
      throw new UsageError(`--state: unknown state "${state}"; states: ${TASK_STATES.join(', ')}`);
    }
  }
  return states as TaskState[];
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new UsageError(`${flag} must be a whole number of 1 or more`);
  return number;
}

function summaryLine(task: RemediationTask): string {
  return task.plan?.changes[0] ?? task.refusal?.message ?? task.lastError ?? task.note ?? '';
}

function printTask(output: Output, task: RemediationTask, journal: readonly unknown[]): void {
  const lines: Array<[string, string]> = [
    ['Task', task.id],
    ['State', task.state],
    ['Mode', task.mode],
    ['Rule', task.ruleId],
    ['Action', `${task.actionId}${task.destructive ? ' (destructive)' : ''}${task.reversible ? '' : ' (irreversible)'}`],
    ['Resource', `${task.resource.type} ${task.resource.id} (${task.resource.account} ${task.resource.region})`],
    ['Finding', task.findingId],
  ];
  if (task.actor?.arn) lines.push(['Actor', task.actor.arn]);
  if (task.note) lines.push(['Note', task.note]);
  if (task.refusal) lines.push(['Refused', `${task.refusal.reason}: ${task.refusal.message}`]);
  if (task.rejectedReason) lines.push(['Rejected', task.rejectedReason]);
  if (task.lastError) lines.push(['Last error', task.lastError]);
  if (task.undo) lines.push(['Undo', `${task.undo.status} at ${task.undo.at}: ${task.undo.message}`]);
  for (const [key, value] of lines) output.line(`${`${key}:`.padEnd(12)}${value}`);
  output.line('Plan:');
  for (const change of task.plan?.changes ?? []) output.line(`  - ${change}`);
  for (const warning of task.plan?.warnings ?? []) output.line(`  ! ${warning}`);
  if (!task.plan) output.line('  (none)');
  output.line(`Attempts (${task.attempts.length} of ${task.maxAttempts}):`);
  for (const attempt of task.attempts) {
    output.line(
      `  ${attempt.n}. ${attempt.startedAt} ${attempt.worker} ${attempt.outcome ?? 'unfinished'}${attempt.error ? `: ${attempt.error}` : ''}`,
    );
  }
  output.line(`Journal: ${journal.length} entr${journal.length === 1 ? 'y' : 'ies'} (--json shows the before-state)`);
}

function printSummary(output: Output, summary: RunSummary): void {
  const parts = Object.entries(summary.outcomes).map(([outcome, count]) => `${count} ${outcome}`);
  output.line(
    `Ran ${summary.processed} task(s)${parts.length ? `: ${parts.join(', ')}` : ''}.` +
      (summary.halted ? ' Destructive tasks halted by the blast-radius limit.' : ''),
  );
}

/** Opens config and store, runs `work`, closes the store whatever happens. */
async function withStore<T>(command: Command, work: (store: Store, loaded: LoadedConfig, globals: GlobalOptions) => Promise<T>): Promise<T> {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const loaded = loadCliConfig(globals);
  const store = await openStore(globals, loaded);
  try {
    return await work(store, loaded, globals);
  } finally {
    await store.close();
  }
}

export function registerRemediation(program: Command): void {
  const remediation = program
    .command('remediation')
    .description(summaryOf('remediation'));

  remediation
    .command('list')
    .description('List remediation tasks.')
    .option('--state <states>', `comma-separated states (${TASK_STATES.join(', ')})`)
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  leuko remediation list\n  leuko remediation list --state awaiting-approval --json')
    .action(async (flags: { state?: string; json?: boolean }, command: Command) => {
      const states = parseStates(flags.state);
      const output = createOutput();
      await withStore(command, async (store) => {
        const tasks = await store.tasks.list(states ? { states } : {});
        if (flags.json) {
          output.json(tasks);
          return;
        }
        if (tasks.length === 0) {
          output.line('No remediation tasks.');
          return;
        }
        const rows = [['TASK', 'STATE', 'MODE', 'RULE', 'ACTION', 'RESOURCE', 'WHAT']];
        for (const task of tasks) {
          rows.push([task.id, task.state, task.mode, task.ruleId, task.actionId, task.resource.id, summaryLine(task)]);
        }
        output.line(formatTable(rows));
      });
    });

  remediation
    .command('show')
    .description('Show one task: its plan, journal, attempts and errors.')
    .argument('<task>', 'task id (rt-…)')
    .option('--json', 'print JSON (the task and its journal entries)')
    .action(async (taskId: string, flags: { json?: boolean }, command: Command) => {
      const output = createOutput();
      await withStore(command, async (store) => {
        const task = await store.tasks.get(taskId);
        if (!task) {
          output.error(`leuko: no remediation task ${taskId} (see \`leuko remediation list\`)`);
          process.exitCode = EXIT.notFound;
          return;
        }
        const journal = await store.tasks.journal(taskId);
        if (flags.json) output.json({ task, journal });
        else printTask(output, task, journal);
      });
    });

  remediation
    .command('approve')
    .description('Approve a task that waits for approval; `leuko remediation run` then carries it out.')
    .argument('<task>', 'task id (rt-…)')
    .option('--by <name>', 'who approves (recorded on the task)', process.env.USER)
    .option('--json', 'print the approved task as JSON')
    .action(async (taskId: string, flags: { by?: string; json?: boolean }, command: Command) => {
      const output = createOutput();
      await withStore(command, async (store, loaded, globals) => {
        const opened = await openCoordinator(globals, loaded, store, output);
        try {
          const task = await opened.coordinator.approve(taskId, flags.by);
          if (flags.json) output.json(task);
          else output.line(`Approved ${task.id}: ${summaryLine(task)}. Run \`leuko remediation run --once\` to carry it out.`);
        } finally {
          await opened.close();
        }
      });
    });

  remediation
    .command('reject')
    .description('Reject a task: it never runs, and the reason is recorded.')
    .argument('<task>', 'task id (rt-…)')
    .requiredOption('--reason <text>', 'why (recorded on the task)')
    .option('--json', 'print the rejected task as JSON')
    .action(async (taskId: string, flags: { reason: string; json?: boolean }, command: Command) => {
      if (flags.reason.trim() === '') throw new UsageError('--reason must say why');
      const output = createOutput();
      await withStore(command, async (store, loaded, globals) => {
        const opened = await openCoordinator(globals, loaded, store, output);
        try {
          const task = await opened.coordinator.reject(taskId, flags.reason);
          if (flags.json) output.json(task);
          else output.line(`Rejected ${task.id}.`);
        } finally {
          await opened.close();
        }
      });
    });

  remediation
    .command('run')
    .description('Run the coordinator: carry out queued tasks (auto, or approved) until stopped, or once with --once.')
    .option('--once', 'one pass over the runnable tasks, then exit')
    .option('--limit <n>', 'at most this many tasks (per pass)')
    .option('--interval <seconds>', 'pause between passes without --once', '10')
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', '\nExamples:\n  leuko remediation run --once\n  leuko remediation run --interval 5')
    .action(async (flags: { once?: boolean; limit?: string; interval?: string; json?: boolean }, command: Command) => {
      const limit = positiveInt(flags.limit, '--limit');
      const interval = positiveInt(flags.interval, '--interval') ?? 10;
      const output = createOutput();
      await withStore(command, async (store, loaded, globals) => {
        const opened = await openCoordinator(globals, loaded, store, output);
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
        const total: Record<string, number> = {};
        let processed = 0;
        let halted = false;
        try {
          do {
            const summary = await opened.coordinator.runPending({ signal: controller.signal, ...(limit ? { limit } : {}) });
            processed += summary.processed;
            halted ||= summary.halted;
            for (const [outcome, count] of Object.entries(summary.outcomes)) total[outcome] = (total[outcome] ?? 0) + count;
            if (!flags.once && !flags.json && summary.processed > 0) printSummary(output, summary);
            if (!flags.once) await sleep(interval * 1000, controller.signal);
          } while (!flags.once && !controller.signal.aborted);
        } finally {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          await opened.close();
        }
        const summary: RunSummary = { processed, outcomes: total, halted };
        if (flags.json) output.json(summary);
        else if (flags.once) printSummary(output, summary);
        if ((total.failed ?? 0) > 0 || (total.dead ?? 0) > 0 || halted) process.exitCode = EXIT.partial;
      });
    });
}
