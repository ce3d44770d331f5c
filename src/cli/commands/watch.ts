// `leuko watch`: the long-running process — CloudTrail events from SQS and HTTP judged as they arrive, scans on
// a cron schedule, alerts on changes of state, and the remediation coordinator; JSON-line logs; a clean stop.
import type { Command } from 'commander';
import { runAudit } from '../../audit/run-audit.js';
import { regionOfQueueUrl } from '../../aws/regions.js';
import { loadPolicy } from '../../config/load-policy.js';
import { UsageError, errorMessage } from '../../core/errors.js';
import { createEventPipeline } from '../../events/process-records.js';
import { createAlertSink } from '../../notify/index.js';
import { alertsFromTransitions } from '../../notify/alerts-from-transitions.js';
import { runScan } from '../../scan/scan.js';
import { startHttpIntake } from '../../sources/cloudtrail/http-intake.js';
import { runSqsIntake } from '../../sources/cloudtrail/sqs-intake.js';
import { parseCron } from '../../watch/cron.js';
import { createEventHandler } from '../../watch/event-handler.js';
import { createLogger, type LogLevel } from '../../watch/log.js';
import type { WatchConfig } from '../../watch/watch-config.js';
import { runWatch, type PeriodicJob, type ScheduledJob, type WatchIntake } from '../../watch/watch.js';
import { buildAccounts, clientsByAccountId } from '../accounts.js';
import { loadCliConfig, openStore, parseList, parseTypes, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { createOutput } from '../output.js';
import { openCoordinator, type OpenedCoordinator } from './remediation.js';
import { summaryOf } from './catalog.js';

interface WatchFlags {
  schedule?: string;
  runNow?: boolean;
  queueUrl?: string[];
  httpPort?: string;
  httpHost?: string;
  remediation?: boolean;
  logLevel?: string;
  accounts?: string;
  regions?: string;
  types?: string;
}

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];


function port(value: string | number | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65_535) throw new UsageError(`${flag} must be a port number (0-65535)`);
  return number;
}

export function registerWatch(program: Command): void {
  program
    .command('watch')
    .description(summaryOf('watch'))
    .option('--schedule <cron>', 'scan + audit on this cron schedule (5 fields, UTC), e.g. "0 * * * *"; overrides watch.schedule')
    .option('--run-now', 'scan + audit once at start')
    .option('--queue-url <url...>', 'SQS queue(s) receiving CloudTrail events (EventBridge rule or S3 notifications); overrides watch.sqs')
    .option('--http-port <port>', 'accept events on POST http://<host>:<port>/events (token from $LEUKO_INTAKE_TOKEN or watch.http.tokenEnv)')
    .option('--http-host <host>', 'address the HTTP intake binds (default 127.0.0.1)')
    .option('--no-remediation', 'do not create or run remediation tasks')
    .option('--log-level <level>', 'debug, info, warn or error', undefined)
    .option('--accounts <ids>', 'comma-separated account ids or names (default: leuko.yaml accounts)')
    .option('--regions <regions>', 'comma-separated regions for scheduled scans, or "all"')
    .option('--types <types>', 'comma-separated resource types for scheduled scans')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  leuko watch --queue-url https://sqs.eu-west-1.amazonaws.com/111122223333/leuko-events --schedule "0 */6 * * *"\n' +
        '  LEUKO_INTAKE_TOKEN=s3cret leuko watch --http-port 8787 --run-now\n' +
        '\nExit codes: 0 stopped cleanly, 2 usage or config error, 5 could not start (store, credentials).',
    )
    .action(async (flags: WatchFlags, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions & WatchFlags>();
      const loaded = loadCliConfig(globals);
      const watchConfig = loaded.config.watch ?? {};
      const level = (flags.logLevel ?? watchConfig.logLevel ?? 'info') as LogLevel;
      if (!LOG_LEVELS.includes(level)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
      const scheduleText = flags.schedule ?? watchConfig.schedule;
      const schedule = scheduleText !== undefined ? parseCron(scheduleText) : undefined;
      const queues: NonNullable<WatchConfig['sqs']> = flags.queueUrl?.map((queueUrl) => ({ queueUrl })) ?? watchConfig.sqs ?? [];
      const httpPort = port(flags.httpPort, '--http-port') ?? watchConfig.http?.port;
      const runOnStart = flags.runNow === true || watchConfig.runOnStart === true;
      if (!schedule && !runOnStart && queues.length === 0 && httpPort === undefined) {
        throw new UsageError('nothing to watch: give --schedule, --run-now, --queue-url or --http-port (or watch: in leuko.yaml)');
      }
      const tokenEnv = watchConfig.http?.tokenEnv ?? 'LEUKO_INTAKE_TOKEN';
      const token = httpPort !== undefined ? process.env[tokenEnv] : undefined;
      // Refused at start, once, rather than by an intake that would fail and restart forever.
      if (httpPort !== undefined && !token) throw new UsageError(`the HTTP intake needs a bearer token: set ${tokenEnv}`);
      const policy = loadPolicy(loaded);
      const types = parseTypes(flags.types, loaded.config.types);
      const regionsFlag = parseList(flags.regions);
      const scanRegions = regionsFlag?.includes('all') ? 'all' : (regionsFlag ?? loaded.config.regions ?? 'all');
      const output = createOutput();
      const log = createLogger({ level });
      const store = await openStore(globals, loaded);
      const accounts = buildAccounts(globals, loaded);
      const controller = new AbortController();
      const stop = (signal: string) => {
        if (controller.signal.aborted) return;
        log.info('stopping', { signal });
        controller.abort();
      };
      const onSigterm = () => stop('SIGTERM');
      const onSigint = () => stop('SIGINT');
      process.on('SIGTERM', onSigterm);
      process.on('SIGINT', onSigint);

      const alerts = createAlertSink(loaded.config.alerts, {
        log: log.child({ component: 'alerts' }),
        aws: { ...(globals.profile ? { profile: globals.profile } : {}) },
      });
      let opened: OpenedCoordinator | undefined;
      try {
        // Which credentials act in which account: the event pipeline re-reads resources in the account the event names.
        const byAccount = await clientsByAccountId(accounts, (account, error) =>
          log.error('no usable credentials', { account: account.label, error: errorMessage(error) }),
        );
        if (byAccount.size === 0) {
          output.error('leuko: watch: no account has usable credentials (see the log line above)');
          process.exitCode = EXIT.failed;
          return;
        }
        const first = accounts[0]!.clients;
        if (flags.remediation !== false) {
          opened = await openCoordinator(globals, loaded, store, output, { alerts, accounts: { list: accounts, byId: byAccount } });
        }
        const coordinator = opened?.coordinator;
        const pipeline = createEventPipeline({ store, policy, now: () => new Date(), clientsFor: (account) => byAccount.get(account) });
        const handle = createEventHandler({ pipeline, alerts, log: log.child({ component: 'events' }), ...(coordinator ? { coordinator } : {}) });

        const intakes: WatchIntake[] = queues.map((queue) => {
          const region = queue.region ?? regionOfQueueUrl(queue.queueUrl) ?? process.env.AWS_REGION ?? 'us-east-1';
          const name = `sqs:${queue.queueUrl.split('/').pop() ?? queue.queueUrl}`;
          const sqsLog = log.child({ component: name });
          return {
            name,
            start: async (signal) => {
              const stats = await runSqsIntake({
                sqs: first.client('sqs', region),
                queueUrl: queue.queueUrl,
                signal,
                s3For: (bucketRegion) => first.client('s3', bucketRegion ?? region),
                ...(queue.waitTimeSeconds !== undefined ? { waitTimeSeconds: queue.waitTimeSeconds } : {}),
                ...(queue.visibilityTimeoutSeconds !== undefined ? { visibilityTimeoutSeconds: queue.visibilityTimeoutSeconds } : {}),
                handle: async (message) => {
                  for (const error of message.errors) sqsLog.warn('bad record in message', { messageId: message.messageId, error: error.message });
                  await handle(message.records, { intake: name, messageId: message.messageId, receiveCount: message.receiveCount });
                },
                onEvent: (event) => {
                  if (event.kind === 'failed' || event.kind.endsWith('-failed')) sqsLog.warn(`sqs ${event.kind}`, { ...event });
                  else sqsLog.debug(`sqs ${event.kind}`, { ...event });
                },
              });
              sqsLog.info('queue intake drained', { ...stats });
            },
          };
        });
        if (httpPort !== undefined && token !== undefined) {
          const httpLog = log.child({ component: 'http' });
          intakes.push({
            name: 'http',
            start: async (signal) => {
              const server = await startHttpIntake({
                port: httpPort,
                ...(flags.httpHost ?? watchConfig.http?.host ? { host: flags.httpHost ?? watchConfig.http?.host } : {}),
                token,
                ...(watchConfig.http?.maxBodyBytes ? { maxBodyBytes: watchConfig.http.maxBodyBytes } : {}),
                handle: async (batch) => {
                  const handled = await handle(batch.records, { intake: 'http' });
                  return { records: handled.result.records, transitions: handled.result.transitions.length, alerts: handled.alerts };
                },
                onEvent: (event) => (event.kind === 'accepted' ? httpLog.debug : httpLog.warn)(`http ${event.kind}`, { ...event }),
              });
              httpLog.info('http intake listening', { url: server.url });
              await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
              await server.close();
            },
          });
        }

        const scheduled: ScheduledJob = {
          name: 'scan+audit',
          run: async (signal) => {
            const scan = await runScan({ accounts, regions: scanRegions, types, store, signal });
            for (const failure of scan.failures) {
              if (failure.kind !== 'cancelled') log.warn('could not read', { ...failure });
            }
            const regions = [...new Set(Object.values(scan.regions).flat())];
            const audit = await runAudit(store, policy, {
              now: new Date(),
              filter: { types, accounts: scan.accounts, ...(regions.length > 0 ? { regions } : {}) },
            });
            const sent = alertsFromTransitions(audit.transitions);
            if (sent.length > 0) await alerts.send(sent);
            let tasks = 0;
            if (coordinator && audit.transitions.length > 0) tasks = (await coordinator.enqueueFromTransitions(audit.transitions)).created.length;
            return {
              scan: scan.status,
              resources: audit.resources,
              created: scan.changes.created.length,
              modified: scan.changes.modified.length,
              deleted: scan.changes.deleted.length,
              opened: audit.opened.length + audit.reopened.length,
              resolved: audit.resolved.length,
              alerts: sent.length,
              tasksCreated: tasks,
            };
          },
        };

        const everySeconds = watchConfig.remediationEverySeconds ?? 30;
        const periodic: PeriodicJob[] =
          coordinator && everySeconds > 0
            ? [
                {
                  name: 'remediation',
                  everyMs: everySeconds * 1000,
                  run: async (signal) => {
                    const summary = await coordinator.runPending({ signal });
                    return summary.processed > 0 ? { ...summary } : {};
                  },
                },
              ]
            : [];

        await runWatch({
          log,
          signal: controller.signal,
          ...(schedule ? { schedule } : {}),
          scheduled,
          runOnStart,
          intakes,
          periodic,
          shutdownGraceMs: (watchConfig.shutdownGraceSeconds ?? 30) * 1000,
          onStop: async () => {
            await alerts.flush();
          },
        });
      } finally {
        process.off('SIGTERM', onSigterm);
        process.off('SIGINT', onSigint);
        await alerts.close();
        await opened?.close();
        for (const account of accounts) account.clients.destroy();
        await store.close();
      }
    });
}
