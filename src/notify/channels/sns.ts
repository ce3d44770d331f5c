// SNS Publish through the project's client factory, so credentials, assumed roles and endpoint overrides
// work as for every other AWS call. Subscribers get text by default and the JSON alert on SQS, Lambda and HTTP.
import { PublishCommand } from '@aws-sdk/client-sns';
import type { AccountClients } from '../../aws/clients/client-factory.js';
import { alertHeadline, alertText, digestHeadline, digestText } from '../alert-text.js';
import { DeliveryError, messageId, type AlertChannel, type OutgoingMessage } from './channel.js';
import { webhookBody } from './webhook.js';

export interface SnsChannelOptions {
  readonly name: string;
  readonly topicArn: string;
  /** Clients for the topic's account (built by the sink from the factory, assumed role included). */
  readonly clients: AccountClients;
}

/** The region is part of the ARN: arn:aws:sns:<region>:<account>:<name>. */
export function topicRegion(topicArn: string): string {
  return topicArn.split(':')[3] ?? 'us-east-1';
}

/** SNS subjects: at most 100 printable ASCII characters, no line breaks. */
export function snsSubject(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= 100 ? ascii : `${ascii.slice(0, 97)}...`;
}

// SNS takes at most 256 KiB per message; a large digest keeps its counts and top alerts, not every alert.
const MAX_JSON_BYTES = 100_000;

function machineBody(message: OutgoingMessage): string {
  const full = JSON.stringify(webhookBody(message));
  if (message.kind === 'alert' || Buffer.byteLength(full) <= MAX_JSON_BYTES) return full;
  return JSON.stringify(webhookBody({ kind: 'digest', digest: { ...message.digest, alerts: message.digest.top } }));
}

function classify(error: unknown): DeliveryError {
  const { name, $metadata, $retryable } = error as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  const status = $metadata?.httpStatusCode;
  const code = name ?? 'Error';
  const retryable = $retryable !== undefined || status === undefined || status === 429 || status >= 500 || /Throttl/.test(code);
  return new DeliveryError(`SNS Publish failed: ${code}${status ? ` (HTTP ${status})` : ''}`, { retryable });
}

export function createSnsChannel(options: SnsChannelOptions): AlertChannel {
  const client = options.clients.client('sns', topicRegion(options.topicArn));
  return {
    name: options.name,
    type: 'sns',
    secrets: [],
    async deliver(message: OutgoingMessage, signal: AbortSignal) {
      const subject = message.kind === 'alert' ? alertHeadline(message.alert) : digestHeadline(message.digest);
      const text = message.kind === 'alert' ? alertText(message.alert) : digestText(message.digest);
      const json = machineBody(message);
      const severity = message.kind === 'alert' ? message.alert.severity : 'digest';
      try {
        await client.send(
          new PublishCommand({
            TopicArn: options.topicArn,
            Subject: snsSubject(subject),
            // Per-protocol bodies: people (email, SMS) read text, programs (SQS, Lambda, HTTP) parse JSON.
            MessageStructure: 'json',
            Message: JSON.stringify({ default: text, sqs: json, lambda: json, http: json, https: json }),
            MessageAttributes: {
              'leuko.alert-id': { DataType: 'String', StringValue: messageId(message) },
              'leuko.kind': { DataType: 'String', StringValue: message.kind === 'alert' ? message.alert.kind : 'digest' },
              'leuko.severity': { DataType: 'String', StringValue: severity },
            },
          }),
          { abortSignal: signal },
        );
      } catch (error) {
        throw classify(error);
      }
    },
    close: async () => {
      options.clients.destroy();
    },
  };
}
