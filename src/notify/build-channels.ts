// Builds the configured channels, reading secrets from the environment. A channel whose secret is missing
// still exists and fails each delivery with one clear line, so the other channels go on.
import { createAccountClients, type ClientFactoryOptions } from '../aws/clients/client-factory.js';
import type { ChannelConfig } from './alerts-config.js';
import { DeliveryError, type AlertChannel } from './channels/channel.js';
import { createEmailChannel } from './channels/email.js';
import type { FetchLike } from './channels/http-post.js';
import { createSlackChannel } from './channels/slack.js';
import { createSnsChannel } from './channels/sns.js';
import { createWebhookChannel } from './channels/webhook.js';

export interface ChannelDeps {
  readonly env: NodeJS.ProcessEnv;
  readonly fetch: FetchLike;
  /** Credentials, profile and endpoint settings for SNS (the same options every AWS client gets). */
  readonly aws: ClientFactoryOptions;
  readonly timeoutMs: number;
}

function secret(inline: string | undefined, envName: string | undefined, env: NodeJS.ProcessEnv, what: string): string {
  if (inline !== undefined) return inline;
  const value = envName ? env[envName] : undefined;
  if (value === undefined || value === '') throw new DeliveryError(`${what}: environment variable ${envName ?? '?'} is not set`, { retryable: false });
  return value;
}

/** A channel that cannot be built: every delivery fails with the reason (which never holds a secret). */
function brokenChannel(config: ChannelConfig, error: DeliveryError): AlertChannel {
  return {
    name: config.name,
    type: config.type,
    secrets: [],
    deliver: async () => {
      throw error;
    },
    close: async () => {},
  };
}

export function buildChannel(config: ChannelConfig, deps: ChannelDeps): AlertChannel {
  try {
    switch (config.type) {
      case 'slack':
        return createSlackChannel({ name: config.name, url: secret(config.url, config.urlEnv, deps.env, 'url'), fetch: deps.fetch });
      case 'webhook': {
        const key = config.secret ?? (config.secretEnv ? secret(undefined, config.secretEnv, deps.env, 'secret') : undefined);
        return createWebhookChannel({
          name: config.name,
          url: secret(config.url, config.urlEnv, deps.env, 'url'),
          ...(key ? { secret: key } : {}),
          ...(config.headers ? { headers: config.headers } : {}),
          fetch: deps.fetch,
        });
      }
      case 'email': {
        const { smtp } = config;
        const password = smtp.password ?? (smtp.passwordEnv ? secret(undefined, smtp.passwordEnv, deps.env, 'smtp.password') : undefined);
        return createEmailChannel({
          name: config.name,
          host: smtp.host,
          ...(smtp.port !== undefined ? { port: smtp.port } : {}),
          ...(smtp.secure !== undefined ? { secure: smtp.secure } : {}),
          ...(smtp.requireTls !== undefined ? { requireTls: smtp.requireTls } : {}),
          ...(smtp.rejectUnauthorized !== undefined ? { rejectUnauthorized: smtp.rejectUnauthorized } : {}),
          ...(smtp.user ? { user: smtp.user } : {}),
          ...(password !== undefined ? { password } : {}),
          from: config.from,
          to: config.to,
          timeoutMs: deps.timeoutMs,
        });
      }
      case 'sns': {
        // One attempt per SDK call: the sink's retry loop is the one policy for every channel.
        const clients = createAccountClients({
          ...deps.aws,
          maxAttempts: 1,
          ...(config.roleArn
            ? { assumeRole: { roleArn: config.roleArn, sessionName: 'leuko-alerts', ...(config.externalId ? { externalId: config.externalId } : {}) } }
            : {}),
        });
        return createSnsChannel({ name: config.name, topicArn: config.topicArn, clients });
      }
    }
  } catch (error) {
    if (error instanceof DeliveryError) return brokenChannel(config, error);
    return brokenChannel(config, new DeliveryError(`cannot set up: ${(error as { name?: string }).name ?? 'error'}`, { retryable: false }));
  }
}
