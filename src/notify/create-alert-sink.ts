// The alert sink: routes each alert to the channels that want it, turns a burst into one digest per
// channel, retries each delivery, and logs failures without secrets. One channel failing never stops another.
import type { ClientFactoryOptions } from '../aws/clients/client-factory.js';
import { severityRank } from '../core/rule.js';
import { NO_ALERTS, type Alert, type AlertSink } from './alert.js';
import { buildDigest } from './alert-text.js';
import { alertSettings, type AlertSettings, type AlertsConfig, type ChannelConfig, type ChannelType } from './alerts-config.js';
import { buildChannel } from './build-channels.js';
import { messageId, type AlertChannel, type OutgoingMessage } from './channels/channel.js';
import type { FetchLike } from './channels/http-post.js';
import { createRedactor, type Redactor } from './redact.js';
import { withRetries } from './retry.js';

type LogFields = Readonly<Record<string, unknown>>;

/** The slice of a structured logger the sink uses (src/watch's logger fits it). */
export interface AlertLogger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** What happened to one message on one channel. `error` is already scrubbed of secrets. */
export interface DeliveryReport {
  readonly channel: string;
  readonly type: ChannelType;
  readonly messageId: string;
  readonly digest: boolean;
  /** The alerts this message carried. */
  readonly alertIds: readonly string[];
  readonly ok: boolean;
  readonly attempts: number;
  readonly error?: string;
}

export interface AlertSinkDeps {
  /** Where urlEnv / passwordEnv / secretEnv are read. Default: process.env. */
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: AlertLogger;
  /** Options for the SNS client (profile, credentials; env defaults to `env`). */
  readonly aws?: ClientFactoryOptions;
  readonly fetch?: FetchLike;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onDelivery?: (report: DeliveryReport) => void;
}

/** An AlertSink that also says what it delivered (for `leuko alerts test`, exit codes and tests). */
export interface AlertDispatcher extends AlertSink {
  readonly channels: ReadonlyArray<{ readonly name: string; readonly type: ChannelType }>;
  deliveries(): readonly DeliveryReport[];
}

const SILENT: AlertLogger = { info: () => {}, warn: () => {}, error: () => {} };
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Ids remembered to drop re-sent alerts within one process (receivers de-duplicate across processes by id). */
const SEEN_LIMIT = 50_000;

export function routes(channel: ChannelConfig, alert: Alert): boolean {
  if (channel.minSeverity && severityRank(alert.severity) < severityRank(channel.minSeverity)) return false;
  if (channel.rules && !channel.rules.includes(alert.ruleId)) return false;
  if (channel.kinds && !channel.kinds.includes(alert.kind)) return false;
  return true;
}

interface ChannelState {
  readonly config: ChannelConfig;
  readonly channel: AlertChannel;
  /** When each recent message went out, for the digest threshold. */
  sentAt: number[];
  /** Alerts held for the next digest, once the threshold was passed. */
  held: Alert[];
  timer: NodeJS.Timeout | undefined;
  /** Deliveries to one channel go one after another, in order; channels run in parallel. */
  chain: Promise<void>;
}

/** Delivers one message with retries; resolves to a report, never rejects. */
async function deliver(
  state: ChannelState,
  message: OutgoingMessage,
  settings: AlertSettings,
  context: { log: AlertLogger; redact: Redactor; sleep: (ms: number) => Promise<void> },
): Promise<DeliveryReport> {
  const { channel } = state;
  const id = messageId(message);
  const alertIds = message.kind === 'alert' ? [message.alert.id] : message.digest.alerts.map((alert) => alert.id);
  const outcome = await withRetries(
    settings.retries,
    async () => {
      const signal = AbortSignal.timeout(settings.timeoutMs);
      await channel.deliver(message, signal);
    },
    {
      sleep: context.sleep,
      onRetry: (attempt, delayMs, error) =>
        context.log.warn('alert delivery failed, retrying', {
          channel: channel.name,
          type: channel.type,
          messageId: id,
          attempt,
          delayMs: Math.round(delayMs),
          reason: context.redact(error.message),
        }),
    },
  );
  const base = { channel: channel.name, type: channel.type, messageId: id, digest: message.kind === 'digest', alertIds, attempts: outcome.attempts };
  if (outcome.ok) {
    context.log.info('alert delivered', { ...base, alertIds: undefined, alerts: alertIds.length });
    return { ...base, ok: true };
  }
  const error = context.redact(outcome.error?.message ?? 'failed');
  context.log.error(`alert channel "${channel.name}" (${channel.type}) failed after ${outcome.attempts} attempt${outcome.attempts === 1 ? '' : 's'}: ${error}`, {
    ...base,
    alertIds: undefined,
    alerts: alertIds.length,
    error,
  });
  return { ...base, ok: false, error };
}

/**
 * The sink for leuko.yaml's `alerts:`. With no channel configured it is a no-op. `send` routes and queues;
 * `flush` sends held digests now and waits for every delivery; `close` flushes and releases connections.
 */
export function createAlertSink(config: AlertsConfig | undefined, deps: AlertSinkDeps = {}): AlertDispatcher {
  const channelConfigs = config?.channels ?? [];
  const reports: DeliveryReport[] = [];
  if (channelConfigs.length === 0) return { ...NO_ALERTS, channels: [], deliveries: () => reports };

  const settings = alertSettings(config);
  const env = deps.env ?? process.env;
  const log = deps.log ?? SILENT;
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? defaultSleep;
  const fetchImpl: FetchLike = deps.fetch ?? ((url, init) => fetch(url, init));
  const states: ChannelState[] = channelConfigs.map((channelConfig) => ({
    config: channelConfig,
    channel: buildChannel(channelConfig, { env, fetch: fetchImpl, aws: { env, ...deps.aws }, timeoutMs: settings.timeoutMs }),
    sentAt: [],
    held: [],
    timer: undefined,
    chain: Promise.resolve(),
  }));
  const redact = createRedactor(states.flatMap((state) => state.channel.secrets));
  const context = { log, redact, sleep };
  const seen = new Set<string>();
  let closed = false;

  const enqueue = (state: ChannelState, message: OutgoingMessage) => {
    state.sentAt.push(now());
    state.chain = state.chain.then(async () => {
      const report = await deliver(state, message, settings, context);
      // An alert that could not be delivered may be sent again (a redelivered queue message) and get another try.
      if (!report.ok) for (const id of report.alertIds) seen.delete(id);
      reports.push(report);
      deps.onDelivery?.(report);
    });
  };

  const releaseHeld = (state: ChannelState) => {
    if (state.timer) clearTimeout(state.timer);
    state.timer = undefined;
    const held = state.held;
    state.held = [];
    if (held.length === 1 && held[0]) enqueue(state, { kind: 'alert', alert: held[0] });
    else if (held.length > 1) enqueue(state, { kind: 'digest', digest: buildDigest(held, settings.digest.top) });
  };

  const accept = (state: ChannelState, alerts: readonly Alert[]) => {
    const cutoff = now() - settings.digest.windowMs;
    state.sentAt = state.sentAt.filter((time) => time > cutoff);
    // A burst (this batch on top of what the window already saw passes the threshold) becomes one digest,
    // sent when the window ends or on flush, gathering whatever else arrives meanwhile.
    if (state.held.length > 0 || state.sentAt.length + alerts.length > settings.digest.threshold) {
      state.held.push(...alerts);
      if (!state.timer) {
        state.timer = setTimeout(() => releaseHeld(state), settings.digest.windowMs);
        state.timer.unref();
      }
      return;
    }
    for (const alert of alerts) enqueue(state, { kind: 'alert', alert });
  };

  const flush = async () => {
    for (const state of states) releaseHeld(state);
    await Promise.all(states.map((state) => state.chain));
  };

  return {
    channels: states.map((state) => ({ name: state.channel.name, type: state.channel.type })),
    deliveries: () => reports,
    async send(alerts) {
      if (closed) {
        log.warn('alert sink is closed; alerts dropped', { alerts: alerts.length });
        return;
      }
      const fresh = alerts.filter((alert) => !seen.has(alert.id));
      for (const alert of fresh) {
        if (seen.size >= SEEN_LIMIT) seen.clear();
        seen.add(alert.id);
      }
      for (const state of states) {
        const routed = fresh.filter((alert) => routes(state.config, alert));
        if (routed.length > 0) accept(state, routed);
      }
    },
    flush,
    async close() {
      if (closed) return;
      await flush();
      closed = true;
      await Promise.all(states.map((state) => state.channel.close().catch(() => {})));
    },
  };
}

/** One sample alert, as a user setting up a channel wants to see it (`leuko alerts test`). */
export function sampleAlert(at: Date): Alert {
  const iso = at.toISOString();
  return {
    kind: 'finding-opened',
    id: `a-test-${at.getTime().toString(36)}`,
    severity: 'high',
    ruleId: 'sg-ingress-open-admin',
    title: 'Test alert from leuko: sg-ingress-open-admin on sg-0123456789abcdef0',
    message: 'This is a test. A real alert would say: security group sg-0123456789abcdef0 allows SSH (tcp 22) from 0.0.0.0/0.',
    resource: {
      type: 'aws.ec2.security-group',
      account: '111122223333',
      region: 'eu-west-1',
      id: 'sg-0123456789abcdef0',
      arn: 'arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0123456789abcdef0',
      name: 'example',
    },
    account: '111122223333',
    region: 'eu-west-1',
    actor: { arn: 'arn:aws:iam::111122223333:user/example', type: 'IAMUser', sourceIp: '198.51.100.7', eventName: 'AuthorizeSecurityGroupIngress' },
    at: iso,
  };
}

/** Sends the sample alert to each channel (or the one named), bypassing routing and digests. */
export async function sendTestAlert(
  config: AlertsConfig | undefined,
  deps: AlertSinkDeps & { readonly channel?: string; readonly at?: Date },
): Promise<DeliveryReport[]> {
  const channels = (config?.channels ?? []).filter((channel) => deps.channel === undefined || channel.name === deps.channel);
  const testConfig: AlertsConfig = {
    ...config,
    channels: channels.map(({ minSeverity: _s, rules: _r, kinds: _k, ...channel }) => channel as ChannelConfig),
    digest: { ...config?.digest, threshold: 10_000 },
  };
  const sink = createAlertSink(testConfig, deps);
  await sink.send([sampleAlert(deps.at ?? new Date())]);
  await sink.close();
  return [...sink.deliveries()];
}
