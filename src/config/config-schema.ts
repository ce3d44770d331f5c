// The schema of leuko.yaml: accounts, regions, store; policy keys are validated by the engine's schema.
import * as z from 'zod';
import { RESOURCE_TYPE_IDS, RESOURCE_TYPE_ALIASES } from '../core/resource-types.js';
import { alertsConfigSchema } from '../notify/alerts-config.js';
import { remediationConfigSchema } from '../remediation/remediation-config.js';
import { watchConfigSchema } from '../watch/watch-config.js';

const accountIdSchema = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
const regionSchema = z.string().regex(/^[a-z]{2}(-[a-z0-9]+)+-\d+[a-z]?$/, 'is not an AWS region name (e.g. eu-west-1)');
const typeNames = [...RESOURCE_TYPE_IDS, ...Object.keys(RESOURCE_TYPE_ALIASES)] as [string, ...string[]];

export const accountConfigSchema = z.strictObject({
  id: z.coerce.string().pipe(accountIdSchema),
  name: z.string().optional(),
  /** Role to assume in this account; without it, the caller's own credentials are used. */
  roleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN').optional(),
  externalId: z.string().optional(),
  sessionName: z.string().optional(),
  profile: z.string().optional(),
});

export const configSchema = z.strictObject({
  accounts: z.array(accountConfigSchema).optional(),
  /** Regions to scan: a list, or "all" for every region enabled in the account. */
  regions: z.union([z.literal('all'), z.array(regionSchema).min(1)]).optional(),
  types: z.array(z.enum(typeNames)).optional(),
  store: z.strictObject({ path: z.string().optional() }).optional(),
  concurrency: z
    .strictObject({
      perRegion: z.number().int().min(1).max(64).optional(),
      regions: z.number().int().min(1).max(64).optional(),
    })
    .optional(),
  retries: z.strictObject({ maxAttempts: z.number().int().min(1).max(20).optional() }).optional(),
  // Policy keys: shape checked by the policy engine's schema (see policy-config in core/engine).
  trustedAccounts: z.array(z.coerce.string().pipe(accountIdSchema)).optional(),
  rules: z.record(z.string(), z.unknown()).optional(),
  customRules: z.array(z.unknown()).optional(),
  exceptions: z.array(z.unknown()).optional(),
  remediation: remediationConfigSchema.optional(),
  /** Alert channels, routing, digest and retries (src/notify). */
  alerts: alertsConfigSchema.optional(),
  watch: watchConfigSchema.optional(),
});

export type AccountConfig = z.infer<typeof accountConfigSchema>;
export type LeukoConfig = z.infer<typeof configSchema>;
