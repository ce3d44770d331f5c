// The `alerts:` key of leuko.yaml: channels (slack, email, sns, webhook), routing, digest and retries.
import * as z from 'zod';
import { SEVERITIES } from '../core/rule.js';
import { ALERT_KINDS } from './alert.js';

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name (e.g. SLACK_WEBHOOK_URL)');
const httpUrl = z
  .string()
  .refine((value) => /^https?:\/\/[^\s]+$/i.test(value) && URL.canParse(value), 'must be an http(s) URL');

/** Which alerts a channel receives; every filter given must match. */
const routingShape = {
  /** Only alerts at or above this severity. */
  minSeverity: z.enum(SEVERITIES).optional(),
  /** Only these rule or detection ids. */
  rules: z.array(z.string().min(1)).min(1).optional(),
  /** Only these kinds of alert. */
  kinds: z.array(z.enum(ALERT_KINDS)).min(1).optional(),
};

const channelName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be letters, digits, "-", "_" or "."');

/** A secret given inline or, preferably, by the name of the environment variable holding it. */
function oneOf(value: { url?: string | undefined; urlEnv?: string | undefined }, context: z.RefinementCtx): void {
  if ((value.url === undefined) === (value.urlEnv === undefined)) {
    context.addIssue({ code: 'custom', path: ['url'], message: 'give exactly one of url or urlEnv (urlEnv keeps the secret URL out of the file)' });
  }
}

export const slackChannelSchema = z
  .strictObject({
    name: channelName,
    type: z.literal('slack'),
    url: httpUrl.optional(),
    urlEnv: envName.optional(),
    ...routingShape,
  })
  .superRefine(oneOf);

export const webhookChannelSchema = z
  .strictObject({
    name: channelName,
    type: z.literal('webhook'),
    url: httpUrl.optional(),
    urlEnv: envName.optional(),
    /** HMAC-SHA256 key; with it each request carries X-Leuko-Signature so receivers can verify it. */
    secret: z.string().min(16, 'must be at least 16 characters').optional(),
    secretEnv: envName.optional(),
    /** Extra request headers (e.g. a routing key). Not for secrets: use secretEnv. */
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name'), z.string()).optional(),
    ...routingShape,
  })
  .superRefine((value, context) => {
    oneOf(value, context);
    if (value.secret !== undefined && value.secretEnv !== undefined) {
      context.addIssue({ code: 'custom', path: ['secret'], message: 'give secret or secretEnv, not both' });
    }
  });

export const emailChannelSchema = z
  .strictObject({
    name: channelName,
    type: z.literal('email'),
    smtp: z
      .strictObject({
        host: z.string().min(1),
        port: z.number().int().min(1).max(65535).optional(),
        /** true: TLS from the start (port 465); false: STARTTLS when offered (587, 25). */
        secure: z.boolean().optional(),
        /** Refuse to send unless the server upgrades to TLS (STARTTLS). */
        requireTls: z.boolean().optional(),
        /** false only for a test server with a self-signed certificate. */
        rejectUnauthorized: z.boolean().optional(),
        user: z.string().min(1).optional(),
        password: z.string().optional(),
        passwordEnv: envName.optional(),
      })
      .superRefine((smtp, context) => {
        if (smtp.password !== undefined && smtp.passwordEnv !== undefined) {
          context.addIssue({ code: 'custom', path: ['password'], message: 'give password or passwordEnv, not both' });
        }
        if ((smtp.password !== undefined || smtp.passwordEnv !== undefined) && smtp.user === undefined) {
          context.addIssue({ code: 'custom', path: ['user'], message: 'a password needs a user' });
        }
      }),
    from: z.email('must be an email address'),
    to: z.array(z.email('must be an email address')).min(1),
    ...routingShape,
  });

export const snsChannelSchema = z.strictObject({
  name: channelName,
  type: z.literal('sns'),
  topicArn: z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/, 'must be an SNS topic ARN'),
  /** Role to assume for Publish (a topic in another account); default: leuko's own credentials. */
  roleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN').optional(),
  externalId: z.string().optional(),
  ...routingShape,
});

export const channelConfigSchema = z.discriminatedUnion('type', [slackChannelSchema, emailChannelSchema, snsChannelSchema, webhookChannelSchema]);

export const alertsConfigSchema = z.strictObject({
  channels: z
    .array(channelConfigSchema)
    .superRefine((channels, context) => {
      const seen = new Set<string>();
      channels.forEach((channel, index) => {
        if (seen.has(channel.name)) context.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate channel name "${channel.name}"` });
        seen.add(channel.name);
      });
    })
    .optional(),
  /** More than `threshold` alerts for one channel within `windowSeconds` become one digest message. */
  digest: z
    .strictObject({
      threshold: z.number().int().min(1).max(10_000).optional(),
      windowSeconds: z.number().min(1).max(86_400).optional(),
      /** How many alerts a digest lists line by line (the rest are counted). */
      top: z.number().int().min(1).max(100).optional(),
    })
    .optional(),
  /** Retries on HTTP 429/5xx, SMTP 4xx and network errors, with exponential backoff (and Retry-After). */
  retries: z
    .strictObject({
      maxAttempts: z.number().int().min(1).max(20).optional(),
      baseDelayMs: z.number().int().min(0).max(60_000).optional(),
      maxDelayMs: z.number().int().min(0).max(600_000).optional(),
    })
    .optional(),
  /** Per attempt. */
  timeoutSeconds: z.number().min(1).max(300).optional(),
});

export type SlackChannelConfig = z.infer<typeof slackChannelSchema>;
export type WebhookChannelConfig = z.infer<typeof webhookChannelSchema>;
export type EmailChannelConfig = z.infer<typeof emailChannelSchema>;
export type SnsChannelConfig = z.infer<typeof snsChannelSchema>;
export type ChannelConfig = z.infer<typeof channelConfigSchema>;
export type ChannelType = ChannelConfig['type'];
export type AlertsConfig = z.infer<typeof alertsConfigSchema>;

/** The settings in force, with defaults filled in. */
export interface AlertSettings {
  readonly digest: { readonly threshold: number; readonly windowMs: number; readonly top: number };
  readonly retries: { readonly maxAttempts: number; readonly baseDelayMs: number; readonly maxDelayMs: number };
  readonly timeoutMs: number;
}

export function alertSettings(config: AlertsConfig | undefined): AlertSettings {
  return {
    digest: {
      threshold: config?.digest?.threshold ?? 10,
      windowMs: (config?.digest?.windowSeconds ?? 60) * 1000,
      top: config?.digest?.top ?? 10,
    },
    retries: {
      maxAttempts: config?.retries?.maxAttempts ?? 4,
      baseDelayMs: config?.retries?.baseDelayMs ?? 1000,
      maxDelayMs: config?.retries?.maxDelayMs ?? 30_000,
    },
    timeoutMs: (config?.timeoutSeconds ?? 10) * 1000,
  };
}
