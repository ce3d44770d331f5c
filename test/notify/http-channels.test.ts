// Slack and webhook channels against a real local HTTP server: Block Kit content, HMAC signatures,
// retries on 500/429 (Retry-After honoured), digests on bursts, routing, and secrets kept out of logs.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/notify/alert.js';
import { createAlertSink, verifyWebhookSignature, type AlertsConfig } from '../../src/notify/index.js';
import { ACTOR_ARN, captureLog, finding, openedAlerts } from './fixtures.js';
import { startReceiver, type Receiver } from './receiver.js';
import { alertsFromTransitions } from '../../src/notify/alerts-from-transitions.js';

interface SlackBody {
  text: string;
  blocks: Array<{ type: string; text?: { type: string; text: string }; fields?: Array<{ type: string; text: string }>; elements?: Array<{ text: string }> }>;
}
interface WebhookJson {
  type: 'alert' | 'digest';
  alert?: Alert;
  digest?: { id: string; count: number; bySeverity: Record<string, number>; byRule: Array<{ ruleId: string; count: number }>; top: Alert[]; alerts: Alert[] };
}

const FAST = { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 5000 };
const SLACK_PATH = '/services/T0LEUKO/B0ALERTS/xoxSlackSecretToken123';
const HMAC_SECRET = 'hmac-secret-0123456789abcdef';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('Slack and webhook alerts, received by a local HTTP server', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('Slack gets a Block Kit message naming resource, rule, what was wrong, the actor ARN and what was done', async () => {
    const path = `${SLACK_PATH}/a`;
    const f = finding(1);
    const [alert] = alertsFromTransitions([{ finding: f, from: null, to: 'open', at: '2026-11-23T10:00:00.000Z' }], {
      remediationFor: () => ({
        taskId: 't-1',
        actionId: 'revoke-security-group-rules',
        mode: 'auto',
        outcome: 'applied',
        changes: ['revoke sgr-0abc (ingress tcp 22 from 0.0.0.0/0)'],
      }),
    });
    const sink = createAlertSink(
      { channels: [{ name: 'sec', type: 'slack', urlEnv: 'SLACK_URL' }], retries: FAST },
      { env: { SLACK_URL: `${receiver.url}${path}` } },
    );
    await sink.send([alert!]);
    await sink.close();

    const [request] = receiver.accepted(path);
    expect(request?.headers['content-type']).toBe('application/json');
    const body = JSON.parse(request!.body) as SlackBody;
    expect(body.blocks.map((block) => block.type)).toEqual(['header', 'section', 'context']);
    expect(body.blocks[0]?.text).toEqual({ type: 'plain_text', text: `[HIGH] New finding: sg-ingress-open-admin on ${f.resource.id}` });
    const fields = Object.fromEntries((body.blocks[1]?.fields ?? []).map((field) => field.text.split('\n') as [string, string]));
    expect(fields['*Resource*']).toBe(f.resource.arn);
    expect(fields['*Rule*']).toBe('sg-ingress-open-admin (high)');
    expect(fields['*What was wrong*']).toBe(f.message);
    expect(fields['*Actor*']).toBe(`${ACTOR_ARN} (from 203.0.113.9 via AuthorizeSecurityGroupIngress)`);
    expect(fields['*What was done*']).toBe('revoke-security-group-rules applied [auto]: revoke sgr-0abc (ingress tcp 22 from 0.0.0.0/0)');
    expect(body.blocks[2]?.elements?.[0]?.text).toContain(alert!.id);
    // The fallback text carries the same facts, for notifications and clients without blocks.
    expect(body.text).toContain(ACTOR_ARN);
    expect(body.text).toContain(f.resource.arn);
    expect(sink.deliveries()).toEqual([expect.objectContaining({ channel: 'sec', ok: true, attempts: 1, digest: false })]);
  });

  it('the webhook posts the alert as JSON with an HMAC-SHA256 signature a receiver can verify', async () => {
    const path = '/hooks/signed';
    const [alert] = openedAlerts(1, { start: 10 });
    const sink = createAlertSink(
      { channels: [{ name: 'siem', type: 'webhook', url: `${receiver.url}${path}`, secretEnv: 'HOOK_SECRET', headers: { 'X-Team': 'sec' } }] },
      { env: { HOOK_SECRET: HMAC_SECRET } },
    );
    await sink.send([alert!]);
    await sink.close();

    const [request] = receiver.accepted(path);
    const timestamp = String(request!.headers['x-leuko-timestamp']);
    const signature = String(request!.headers['x-leuko-signature']);
    // Verified independently of leuko's own helper, as a receiver would.
    const expected = `sha256=${createHmac('sha256', HMAC_SECRET).update(`${timestamp}.${request!.body}`).digest('hex')}`;
    expect(signature).toBe(expected);
    expect(verifyWebhookSignature(HMAC_SECRET, timestamp, request!.body, signature)).toBe(true);
    expect(verifyWebhookSignature(HMAC_SECRET, timestamp, request!.body.replace('mallory', 'alice'), signature)).toBe(false);
    expect(verifyWebhookSignature('another-secret-0123456789', timestamp, request!.body, signature)).toBe(false);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(request!.headers['x-leuko-alert-id']).toBe(alert!.id);
    expect(request!.headers['x-team']).toBe('sec');
    const body = JSON.parse(request!.body) as WebhookJson;
    expect(body).toEqual({ type: 'alert', alert: JSON.parse(JSON.stringify(alert)) as Alert });
    expect(body.alert?.actor?.arn).toBe(ACTOR_ARN);
  });

  it('retries after a 500 and a 429, waiting out Retry-After, then delivers once', async () => {
    const path = '/hooks/flaky';
    receiver.script(path, [{ status: 500 }, { status: 429, headers: { 'retry-after': '1' } }]);
    const { log, lines } = captureLog();
    const [alert] = openedAlerts(1, { start: 20 });
    const sink = createAlertSink({ channels: [{ name: 'flaky', type: 'webhook', url: `${receiver.url}${path}` }], retries: FAST }, { log });
    await sink.send([alert!]);
    await sink.close();

    const hits = receiver.requests.filter((request) => request.path === path);
    expect(hits).toHaveLength(3);
    expect(hits[2]!.at - hits[1]!.at).toBeGreaterThanOrEqual(950);
    expect(new Set(hits.map((hit) => hit.headers['x-leuko-alert-id']))).toEqual(new Set([alert!.id]));
    expect(sink.deliveries()).toEqual([expect.objectContaining({ ok: true, attempts: 3 })]);
    expect(lines.filter((line) => line.startsWith('warn'))).toHaveLength(2);
    expect(lines.some((line) => line.includes('HTTP 429'))).toBe(true);
  });

  it('does not retry a 404 (a revoked webhook) and reports the failure', async () => {
    const path = '/hooks/gone';
    receiver.script(path, [{ status: 404 }]);
    const sink = createAlertSink({ channels: [{ name: 'gone', type: 'webhook', url: `${receiver.url}${path}` }], retries: FAST });
    await sink.send(openedAlerts(1, { start: 30 }));
    await sink.close();
    expect(receiver.requests.filter((request) => request.path === path)).toHaveLength(1);
    expect(sink.deliveries()).toEqual([expect.objectContaining({ ok: false, attempts: 1, error: `POST to ${new URL(receiver.url).host} failed: HTTP 404` })]);
  });

  it('turns a burst into one digest per channel: counts by rule and severity and the top lines', async () => {
    const hookPath = '/hooks/burst';
    const slackPath = `${SLACK_PATH}/burst`;
    const burst = [
      ...openedAlerts(9, { start: 100, severity: 'high' }),
      ...openedAlerts(3, { start: 200, severity: 'critical', ruleId: 'sg-ingress-open-all' }),
    ];
    const sink = createAlertSink({
      channels: [
        { name: 'hook', type: 'webhook', url: `${receiver.url}${hookPath}` },
        { name: 'slack', type: 'slack', url: `${receiver.url}${slackPath}` },
      ],
      digest: { threshold: 5, windowSeconds: 60, top: 4 },
    });
    await sink.send(burst);
    await sink.close();

    const hook = receiver.accepted(hookPath);
    expect(hook).toHaveLength(1);
    const body = JSON.parse(hook[0]!.body) as WebhookJson;
    expect(body.type).toBe('digest');
    expect(body.digest?.count).toBe(12);
    expect(body.digest?.bySeverity).toEqual({ high: 9, critical: 3 });
    expect(body.digest?.byRule).toEqual([
      { ruleId: 'sg-ingress-open-admin', count: 9 },
      { ruleId: 'sg-ingress-open-all', count: 3 },
    ]);
    expect(body.digest?.top.map((alert) => alert.severity)).toEqual(['critical', 'critical', 'critical', 'high']);
    expect(body.digest?.alerts.map((alert) => alert.id).sort()).toEqual(burst.map((alert) => alert.id).sort());

    const slack = receiver.accepted(slackPath);
    expect(slack).toHaveLength(1);
    const message = JSON.parse(slack[0]!.body) as SlackBody;
    expect(message.blocks[0]?.text?.text).toBe('leuko: 12 alerts (3 critical, 9 high)');
    const lines = message.blocks[2]?.text?.text.split('\n') ?? [];
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^• \[CRITICAL\] New finding: sg-ingress-open-all on sg-0+200 \(by arn:aws:iam::111122223333:user\/mallory\)$/);
    expect(lines[4]).toBe('… and 8 more');
    expect(sink.deliveries().map((delivery) => [delivery.channel, delivery.digest, delivery.alertIds.length])).toEqual(
      expect.arrayContaining([
        ['hook', true, 12],
        ['slack', true, 12],
      ]),
    );
  });

  it('sends alerts one by one under the threshold, then holds the rest of the window for a digest', async () => {
    const path = '/hooks/trickle';
    const sink = createAlertSink({ channels: [{ name: 'hook', type: 'webhook', url: `${receiver.url}${path}` }], digest: { threshold: 3, windowSeconds: 60 } });
    await sink.send(openedAlerts(1, { start: 300 }));
    await sink.send(openedAlerts(1, { start: 301 }));
    await sink.send(openedAlerts(4, { start: 302 }));
    await sink.send(openedAlerts(1, { start: 306 }));
    await sink.flush();
    const kinds = receiver.accepted(path).map((request) => (JSON.parse(request.body) as WebhookJson).type);
    expect(kinds).toEqual(['alert', 'alert', 'digest']);
    const digest = JSON.parse(receiver.accepted(path)[2]!.body) as WebhookJson;
    expect(digest.digest?.count).toBe(5);
    await sink.close();
  });

  it('a long-running sink sends the held digest when the window ends, without a flush', async () => {
    const path = '/hooks/window';
    const sink = createAlertSink({ channels: [{ name: 'hook', type: 'webhook', url: `${receiver.url}${path}` }], digest: { threshold: 2, windowSeconds: 1 } });
    await sink.send(openedAlerts(3, { start: 350 }));
    await sink.send(openedAlerts(1, { start: 353 }));
    expect(receiver.accepted(path)).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const bodies = receiver.accepted(path).map((request) => JSON.parse(request.body) as WebhookJson);
    expect(bodies.map((body) => [body.type, body.digest?.count])).toEqual([['digest', 4]]);
    await sink.close();
    expect(receiver.accepted(path)).toHaveLength(1);
  });

  it('an alert that finally failed gets another try when it is sent again; a delivered one does not', async () => {
    const path = '/hooks/second-chance';
    receiver.script(path, [{ status: 400 }]);
    const sink = createAlertSink({ channels: [{ name: 'hook', type: 'webhook', url: `${receiver.url}${path}` }] });
    const alerts = openedAlerts(1, { start: 360 });
    await sink.send(alerts);
    await sink.flush();
    await sink.send(alerts);
    await sink.flush();
    await sink.send(alerts);
    await sink.close();
    expect(sink.deliveries().map((delivery) => delivery.ok)).toEqual([false, true]);
    expect(receiver.accepted(path)).toHaveLength(1);
  });

  it('routes by severity, rule and kind, and drops an alert id it already sent', async () => {
    const path = (name: string) => `/hooks/route-${name}`;
    const channels: AlertsConfig['channels'] = [
      { name: 'critical', type: 'webhook', url: `${receiver.url}${path('critical')}`, minSeverity: 'critical' },
      { name: 'all-rule', type: 'webhook', url: `${receiver.url}${path('all-rule')}`, rules: ['sg-ingress-open-all'] },
      { name: 'resolved', type: 'webhook', url: `${receiver.url}${path('resolved')}`, kinds: ['finding-resolved'] },
    ];
    const high = openedAlerts(1, { start: 400 });
    const critical = openedAlerts(1, { start: 401, severity: 'critical', ruleId: 'sg-ingress-open-all' });
    const resolved = alertsFromTransitions([{ finding: finding(402, { status: 'resolved' }), from: 'open', to: 'resolved', at: '2026-11-23T11:00:00.000Z' }]);
    const sink = createAlertSink({ channels });
    await sink.send([...high, ...critical, ...resolved]);
    await sink.send(critical);
    await sink.close();
    const ids = (name: string) => receiver.accepted(path(name)).map((request) => request.headers['x-leuko-alert-id']);
    expect(ids('critical')).toEqual([critical[0]!.id]);
    expect(ids('all-rule')).toEqual([critical[0]!.id]);
    expect(ids('resolved')).toEqual([resolved[0]!.id]);
  });

  it('a failing channel is reported clearly, does not stop the others, and no secret reaches a log line or error', async () => {
    const goodPath = '/hooks/good';
    const badPath = '/hooks/always-500/token-in-path-SECRETPART';
    receiver.script(badPath, Array.from({ length: 10 }, () => ({ status: 503 })));
    const downPort = await closedPort();
    const slackDown = `http://127.0.0.1:${downPort}/services/T0/B0/slackDownSecret999`;
    const smtpPassword = 'smtp-Pa55word-never-logged';
    const { log, lines } = captureLog();
    const sink = createAlertSink(
      {
        channels: [
          { name: 'slack-down', type: 'slack', urlEnv: 'SLACK_DOWN' },
          { name: 'hook-500', type: 'webhook', urlEnv: 'HOOK_BAD', secretEnv: 'HOOK_SECRET' },
          { name: 'mail-down', type: 'email', smtp: { host: '127.0.0.1', port: downPort, user: 'leuko', passwordEnv: 'SMTP_PASSWORD' }, from: 'leuko@example.com', to: ['sec@example.com'] },
          { name: 'missing-env', type: 'webhook', urlEnv: 'NOT_SET_ANYWHERE' },
          { name: 'good', type: 'webhook', url: `${receiver.url}${goodPath}` },
        ],
        retries: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
        timeoutSeconds: 5,
      },
      { env: { SLACK_DOWN: slackDown, HOOK_BAD: `${receiver.url}${badPath}`, HOOK_SECRET: HMAC_SECRET, SMTP_PASSWORD: smtpPassword }, log },
    );
    const alerts = openedAlerts(2, { start: 500 });
    await sink.send(alerts);
    await sink.close();

    expect(receiver.accepted(goodPath)).toHaveLength(2);
    expect(receiver.requests.filter((request) => request.path === badPath)).toHaveLength(6);
    const byChannel = (name: string) => sink.deliveries().filter((delivery) => delivery.channel === name);
    expect(byChannel('good').every((delivery) => delivery.ok)).toBe(true);
    expect(byChannel('hook-500').map((delivery) => [delivery.ok, delivery.attempts])).toEqual([
      [false, 3],
      [false, 3],
    ]);
    expect(byChannel('slack-down')[0]).toMatchObject({ ok: false, attempts: 3, error: `POST to 127.0.0.1:${downPort} failed: network error ECONNREFUSED` });
    expect(byChannel('mail-down')[0]).toMatchObject({ ok: false, attempts: 3 });
    expect(byChannel('missing-env')[0]).toMatchObject({ ok: false, attempts: 1, error: 'url: environment variable NOT_SET_ANYWHERE is not set' });
    expect(lines.filter((line) => line.startsWith('error'))).toEqual(
      expect.arrayContaining([expect.stringContaining('alert channel "hook-500" (webhook) failed after 3 attempts: POST to')]),
    );

    const everything = [...lines, ...sink.deliveries().map((delivery) => JSON.stringify(delivery))].join('\n');
    for (const secret of [slackDown, '/services/T0/B0/slackDownSecret999', 'slackDownSecret999', 'SECRETPART', HMAC_SECRET, smtpPassword]) {
      expect(everything).not.toContain(secret);
    }
  });
});
