// The `remediation:` key of leuko.yaml (default mode, allowlist, limits, retries, queue backend) and the
// per-rule settings resolved from `rules:` — what the coordinator needs to decide a task's mode.
//
//   remediation:
//     default: dry-run            # off | dry-run | approve | auto, for every rule without its own
//     allowlist: [sg-0abc, "arn:aws:s3:::www-*"]   # never touched (ids, names, ARNs, * globs)
//     blastRadius: { perRun: 3, perHour: 10 }       # destructive actions; auto halts when reached
//     maxAttempts: 5              # a task failing this often is dead (dead-letter state)
//     backoff: { baseSeconds: 30, maxSeconds: 3600 }
//     leaseSeconds: 300           # a claimed task whose worker vanished is re-claimed after this
//     queue: { backend: embedded }                  # or { backend: sqs, url: https://sqs…, region: … }
import * as z from 'zod';
import { REMEDIATION_MODES, type RemediationMode } from '../core/engine/policy-config.js';

export const remediationConfigSchema = z.strictObject({
  default: z.enum(REMEDIATION_MODES).optional(),
  allowlist: z.array(z.string().min(1)).optional(),
  blastRadius: z
    .strictObject({
      perRun: z.number().int().min(0).optional(),
      perHour: z.number().int().min(0).optional(),
    })
    .optional(),
  maxAttempts: z.number().int().min(1).max(100).optional(),
  backoff: z
    .strictObject({
      baseSeconds: z.number().min(0).optional(),
      maxSeconds: z.number().min(0).optional(),
    })
    .optional(),
  leaseSeconds: z.number().int().min(1).max(43_200).optional(),
  queue: z
    .discriminatedUnion('backend', [
      z.strictObject({ backend: z.literal('embedded') }),
      z.strictObject({
        backend: z.literal('sqs'),
        url: z.url({ message: 'must be the SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>)' }),
        region: z.string().optional(),
      }),
    ])
    .optional(),
});

export type RemediationConfigInput = z.infer<typeof remediationConfigSchema>;

export type QueueBackendConfig =
  | { readonly backend: 'embedded' }
  | { readonly backend: 'sqs'; readonly url: string; readonly region?: string };

export interface RuleRemediationSetting {
  readonly mode?: RemediationMode;
  readonly allowDestructive?: boolean;
}

/** Everything resolved, defaults filled in. */
export interface RemediationSettings {
  readonly defaultMode: RemediationMode;
  readonly rules: Readonly<Record<string, RuleRemediationSetting>>;
  readonly allowlist: readonly string[];
  readonly blastRadius: { readonly perRun: number; readonly perHour: number };
  readonly maxAttempts: number;
  readonly backoff: { readonly baseMs: number; readonly maxMs: number };
  readonly leaseMs: number;
  readonly queue: QueueBackendConfig;
}

/** Small on purpose: a wrong rule in `auto` can do only this much harm before a person looks. */
export const DEFAULT_BLAST_RADIUS = { perRun: 3, perHour: 10 } as const;

export function resolveRemediationSettings(
  input: RemediationConfigInput | undefined,
  rules: Readonly<Record<string, { readonly remediation?: RemediationMode; readonly allowDestructive?: boolean }>> = {},
): RemediationSettings {
  const perRule: Record<string, RuleRemediationSetting> = {};
  for (const [id, setting] of Object.entries(rules)) {
    perRule[id] = {
      ...(setting.remediation !== undefined ? { mode: setting.remediation } : {}),
      ...(setting.allowDestructive !== undefined ? { allowDestructive: setting.allowDestructive } : {}),
    };
  }
  const queue = input?.queue;
  return {
    // dry-run, not off: a fresh install shows what leuko would do without ever changing AWS.
    defaultMode: input?.default ?? 'dry-run',
    rules: perRule,
    allowlist: input?.allowlist ?? [],
    blastRadius: {
      perRun: input?.blastRadius?.perRun ?? DEFAULT_BLAST_RADIUS.perRun,
      perHour: input?.blastRadius?.perHour ?? DEFAULT_BLAST_RADIUS.perHour,
    },
    maxAttempts: input?.maxAttempts ?? 5,
    backoff: {
      baseMs: (input?.backoff?.baseSeconds ?? 30) * 1000,
      maxMs: (input?.backoff?.maxSeconds ?? 3600) * 1000,
    },
    leaseMs: (input?.leaseSeconds ?? 300) * 1000,
    queue:
      queue?.backend === 'sqs'
        ? { backend: 'sqs', url: queue.url, ...(queue.region !== undefined ? { region: queue.region } : {}) }
        : { backend: 'embedded' },
  };
}

/** The mode a rule's tasks take: its own setting, else the default. */
export function modeFor(settings: RemediationSettings, ruleId: string): RemediationMode {
  return settings.rules[ruleId]?.mode ?? settings.defaultMode;
}
