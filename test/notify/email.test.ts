// The email channel against a real SMTP server (smtp-server): STARTTLS, AUTH, and what actually arrived.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertSink, type AlertsConfig } from '../../src/notify/index.js';
import { ACTOR_ARN, captureLog, openedAlerts } from './fixtures.js';

const USER = 'leuko';
const PASSWORD = 'correct-horse-battery-staple-42';

interface Received {
  readonly session: SMTPServerSession;
  readonly from: string;
  readonly to: string[];
  readonly raw: string;
}

/** Headers (unfolded, lower-case names) and the body, decoding quoted-printable where declared. */
function parseMessage(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headerText = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of headerText.split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  let body = raw.slice(split + 4);
  if (headers.get('content-transfer-encoding') === 'quoted-printable') {
    body = Buffer.from(
      body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8');
  }
  return { headers, body: body.replace(/\r\n/g, '\n') };
}

describe('email alerts, received by a real SMTP server', () => {
  const received: Received[] = [];
  let server: SMTPServer;
  let port: number;

  beforeAll(async () => {
    server = new SMTPServer({
      // Self-signed certificate (smtp-server's default): STARTTLS happens, verification is the client's choice.
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth(auth, _session, callback) {
        if (auth.username === USER && auth.password === PASSWORD) callback(null, { user: USER });
        else callback(new Error('Invalid username or password'));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push({
            session: { ...session },
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
      logger: false,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const channel = (overrides: Partial<Extract<NonNullable<AlertsConfig['channels']>[number], { type: 'email' }>['smtp']> = {}) => ({
    name: 'mail',
    type: 'email' as const,
    smtp: { host: '127.0.0.1', port, secure: false, rejectUnauthorized: false, user: USER, passwordEnv: 'SMTP_PASSWORD', ...overrides },
    from: 'leuko@example.com',
    to: ['secops@example.com', 'oncall@example.com'],
  });

  it('sends over STARTTLS with AUTH; the mail names resource, rule, problem, actor ARN and what was done', async () => {
    const before = received.length;
    const [alert] = openedAlerts(1, { start: 7 });
    const sink = createAlertSink({ channels: [channel({ requireTls: true })] }, { env: { SMTP_PASSWORD: PASSWORD } });
    await sink.send([alert!]);
    await sink.close();

    expect(sink.deliveries()).toEqual([expect.objectContaining({ channel: 'mail', ok: true, attempts: 1 })]);
    const mail = received[before]!;
    expect(mail.session.user).toBe(USER);
    expect(mail.session.secure).toBe(true);
    expect(mail.from).toBe('leuko@example.com');
    expect(mail.to).toEqual(['secops@example.com', 'oncall@example.com']);
    const { headers, body } = parseMessage(mail.raw);
    expect(headers.get('subject')).toBe(`[HIGH] New finding: sg-ingress-open-admin on ${alert!.resource!.id}`);
    expect(headers.get('x-leuko-alert-id')).toBe(alert!.id);
    expect(body).toContain(`Resource: ${alert!.resource!.arn}`);
    expect(body).toContain('Rule: sg-ingress-open-admin (high)');
    expect(body).toContain(`What was wrong: ${alert!.message}`);
    expect(body).toContain(`Actor: ${ACTOR_ARN} (from 203.0.113.9 via AuthorizeSecurityGroupIngress)`);
    expect(body).toContain('What was done: nothing yet (alert only)');
  });

  it('a burst arrives as one digest mail', async () => {
    const before = received.length;
    const sink = createAlertSink({ channels: [channel()], digest: { threshold: 2 } }, { env: { SMTP_PASSWORD: PASSWORD } });
    await sink.send(openedAlerts(6, { start: 40 }));
    await sink.close();
    expect(received.length - before).toBe(1);
    const { headers, body } = parseMessage(received[before]!.raw);
    expect(headers.get('subject')).toBe('leuko: 6 alerts (6 high)');
    expect(body).toContain('  sg-ingress-open-admin: 6');
    expect(body.match(/^ {2}\[HIGH\] New finding/gm)).toHaveLength(6);
  });

  it('a refused login fails once (not retried), names the server, and never shows the password', async () => {
    const before = received.length;
    const wrong = 'wrong-password-must-not-leak-77';
    const { log, lines } = captureLog();
    const sink = createAlertSink({ channels: [channel()], retries: { maxAttempts: 3, baseDelayMs: 10 } }, { env: { SMTP_PASSWORD: wrong }, log });
    await sink.send(openedAlerts(1, { start: 60 }));
    await sink.close();
    expect(received.length).toBe(before);
    const [report] = sink.deliveries();
    expect(report).toMatchObject({ ok: false, attempts: 1 });
    expect(report?.error).toMatch(/^SMTP 127\.0\.0\.1: EAUTH 535 \(Invalid login/);
    expect([...lines, JSON.stringify(report)].join('\n')).not.toContain(wrong);
  });

  it('verifies the server certificate unless told not to', async () => {
    const sink = createAlertSink(
      { channels: [channel({ rejectUnauthorized: true })], retries: { maxAttempts: 3, baseDelayMs: 10 } },
      { env: { SMTP_PASSWORD: PASSWORD } },
    );
    await sink.send(openedAlerts(1, { start: 70 }));
    await sink.close();
    expect(sink.deliveries()[0]).toMatchObject({ ok: false, attempts: 1 });
    expect(sink.deliveries()[0]?.error).toMatch(/^SMTP 127\.0\.0\.1: ESOCKET \(.*certificate/);
  });
});
