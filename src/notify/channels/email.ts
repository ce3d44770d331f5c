// Email over SMTP (nodemailer): the subject is the headline, the body the facts; TLS and auth as configured.
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { alertHeadline, alertText, digestHeadline, digestText } from '../alert-text.js';
import { DeliveryError, messageId, type AlertChannel, type OutgoingMessage } from './channel.js';

export interface EmailChannelOptions {
  readonly name: string;
  readonly host: string;
  readonly port?: number;
  readonly secure?: boolean;
  readonly requireTls?: boolean;
  readonly rejectUnauthorized?: boolean;
  readonly user?: string;
  readonly password?: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly timeoutMs: number;
}

// Connection-level failures worth another try; an auth or envelope refusal is not.
const RETRYABLE_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNRESET', 'ECONNREFUSED']);

/** nodemailer's own first line ("self-signed certificate", "Invalid login: 535 …"); the sink scrubs secrets from it. */
function reason(error: unknown): string {
  const message = (error as { message?: unknown }).message;
  if (typeof message !== 'string') return '';
  const line = message.split('\n')[0] ?? '';
  return line ? ` (${line.length > 160 ? `${line.slice(0, 159)}…` : line})` : '';
}

function classify(error: unknown, host: string): DeliveryError {
  const { code, responseCode } = error as { code?: unknown; responseCode?: unknown };
  const codeText = typeof code === 'string' ? code : 'error';
  if (typeof responseCode === 'number') {
    // SMTP 4xx replies are transient by definition (RFC 5321 §4.2.1); 5xx are permanent.
    return new DeliveryError(`SMTP ${host}: ${codeText} ${responseCode}${reason(error)}`, { retryable: responseCode >= 400 && responseCode < 500 });
  }
  // A certificate the client refuses will not become valid by retrying.
  const certificate = /certificate/i.test(reason(error));
  return new DeliveryError(`SMTP ${host}: ${codeText}${reason(error)}`, { retryable: RETRYABLE_CODES.has(codeText) && !certificate });
}

export function createEmailChannel(options: EmailChannelOptions): AlertChannel {
  const port = options.port ?? (options.secure ? 465 : 587);
  const transportOptions: SMTPTransport.Options = {
    host: options.host,
    port,
    secure: options.secure ?? port === 465,
    ...(options.requireTls !== undefined ? { requireTLS: options.requireTls } : {}),
    tls: { rejectUnauthorized: options.rejectUnauthorized ?? true },
    ...(options.user ? { auth: { user: options.user, pass: options.password ?? '' } } : {}),
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    // Never let nodemailer log: its debug output includes the AUTH exchange.
    logger: false,
    debug: false,
  };
  const transport = nodemailer.createTransport(transportOptions);
  return {
    name: options.name,
    type: 'email',
    secrets: options.password ? [options.password] : [],
    async deliver(message: OutgoingMessage, signal: AbortSignal) {
      const subject = message.kind === 'alert' ? alertHeadline(message.alert) : digestHeadline(message.digest);
      const text = message.kind === 'alert' ? alertText(message.alert) : digestText(message.digest);
      if (signal.aborted) throw new DeliveryError(`SMTP ${options.host}: timed out`, { retryable: true });
      try {
        await transport.sendMail({
          from: options.from,
          to: [...options.to],
          subject,
          text,
          headers: { 'X-Leuko-Alert-Id': messageId(message) },
        });
      } catch (error) {
        throw classify(error, options.host);
      }
    },
    close: async () => {
      transport.close();
    },
  };
}
