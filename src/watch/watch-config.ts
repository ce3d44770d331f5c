// The `watch:` key of leuko.yaml: what `leuko watch` runs — scheduled scans, queue and HTTP intake, the
// remediation coordinator — each of which the command line can override.
import * as z from 'zod';
import { parseCron } from './cron.js';

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name (e.g. LEUKO_HTTP_TOKEN)');

const cronExpression = z.string().superRefine((value, context) => {
  try {
    parseCron(value);
  } catch (error) {
    context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
  }
});

const queueUrl = z
  .string()
  .refine((value) => /^https?:\/\/\S+\/\d{12}\/[A-Za-z0-9_-]+(\.fifo)?$/.test(value), 'must be an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>)');

export const watchConfigSchema = z.strictObject({
  /** Cron (5 fields, UTC) for scan + audit, e.g. "0 * * * *"; omit for no scheduled scans. */
  schedule: cronExpression.optional(),
  /** Scan + audit once at start, before the first scheduled slot. Default false. */
  runOnStart: z.boolean().optional(),
  /** CloudTrail events from SQS queues (EventBridge rule -> SQS, or S3 notifications of new log files). */
  sqs: z
    .array(
      z.strictObject({
        queueUrl,
        /** Default: the region in the queue URL. */
        region: z.string().optional(),
        visibilityTimeoutSeconds: z.number().int().min(5).max(43_200).optional(),
        waitTimeSeconds: z.number().int().min(0).max(20).optional(),
      }),
    )
    .optional(),
  /** CloudTrail events POSTed to http://host:port/events. */
  http: z
    .strictObject({
      port: z.number().int().min(0).max(65_535),
      /** Default 127.0.0.1: expose it deliberately, behind TLS. */
      host: z.string().optional(),
      /** Environment variable holding the bearer token requests must carry. */
      tokenEnv: envName.optional(),
      maxBodyBytes: z.number().int().min(1024).optional(),
    })
    .optional(),
  /** How often the remediation coordinator looks for approved or retryable tasks. Default 30 s; 0 turns it off. */
  remediationEverySeconds: z.number().int().min(0).max(86_400).optional(),
  /** How long a stop (SIGTERM) waits for a scan in progress. Default 30 s. */
  shutdownGraceSeconds: z.number().int().min(0).max(3_600).optional(),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).optional(),
});

export type WatchConfig = z.infer<typeof watchConfigSchema>;
