// OCSF 1.1.0 Detection Finding events (class 2004) for security lakes and SIEMs that read OCSF.
import { isIP } from 'node:net';
import { InputError } from '../core/errors.js';
import type { Actor, Finding, FindingStatus } from '../core/finding.js';
import type { RuleMetadata, Severity } from '../core/rule.js';
import { ASFF_RESOURCE_TYPES } from './asff.js';
import { epochMs, partitionOf, ruleIndex, type ReportInput } from './report-input.js';

export const OCSF_VERSION = '1.1.0';
const CLASS_UID = 2004;
const CATEGORY_UID = 2;

const ACTIVITIES = {
  create: { id: 1, name: 'Create' },
  update: { id: 2, name: 'Update' },
  close: { id: 3, name: 'Close' },
} as const;
type Activity = (typeof ACTIVITIES)[keyof typeof ACTIVITIES];

// OCSF severity_id: 1 Informational .. 5 Critical (6 Fatal is for things that stop a system; leuko never says it).
const SEVERITY: Readonly<Record<Severity, { id: 1 | 2 | 3 | 4 | 5; name: string }>> = {
  info: { id: 1, name: 'Informational' },
  low: { id: 2, name: 'Low' },
  medium: { id: 3, name: 'Medium' },
  high: { id: 4, name: 'High' },
  critical: { id: 5, name: 'Critical' },
};

const STATUS: Readonly<Record<FindingStatus, { id: 1 | 3 | 4; name: string }>> = {
  open: { id: 1, name: 'New' },
  justified: { id: 3, name: 'Suppressed' },
  resolved: { id: 4, name: 'Resolved' },
};

// OCSF account type 10 is "AWS Account".
const AWS_ACCOUNT_TYPE = { type_id: 10, type: 'AWS Account' } as const;

export interface OcsfOptions {
  /** leuko's version, for metadata.product.version. */
  readonly productVersion?: string;
}

export interface OcsfAccount {
  readonly uid: string;
  readonly type_id: 10;
  readonly type: 'AWS Account';
}

export interface OcsfEvidence {
  readonly actor: { readonly user: Readonly<Record<string, unknown>> };
  readonly api?: { readonly operation: string };
  readonly src_endpoint?: { readonly ip?: string; readonly domain?: string };
  readonly data?: Readonly<Record<string, string>>;
}

export interface OcsfDetectionFinding {
  readonly activity_id: Activity['id'];
  readonly activity_name: Activity['name'];
  readonly category_uid: typeof CATEGORY_UID;
  readonly category_name: 'Findings';
  readonly class_uid: typeof CLASS_UID;
  readonly class_name: 'Detection Finding';
  readonly type_uid: number;
  readonly type_name: string;
  readonly severity_id: 1 | 2 | 3 | 4 | 5;
  readonly severity: string;
  readonly status_id: 1 | 3 | 4;
  readonly status: string;
  readonly status_detail?: string;
  readonly confidence_id: 2 | 3;
  readonly confidence: 'Medium' | 'High';
  readonly time: number;
  readonly message: string;
  readonly finding_info: {
    readonly uid: string;
    readonly title: string;
    readonly desc: string;
    readonly created_time: number;
    readonly first_seen_time: number;
    readonly last_seen_time: number;
    readonly modified_time: number;
    readonly analytic: {
      readonly uid: string;
      readonly name: string;
      readonly type_id: 1;
      readonly type: 'Rule';
    };
  };
  readonly resources: ReadonlyArray<{
    readonly uid: string;
    readonly name?: string;
    readonly type: string;
    readonly region: string;
    readonly cloud_partition: string;
    readonly owner: { readonly account: OcsfAccount };
    readonly data: Readonly<Record<string, string>>;
  }>;
  readonly cloud: { readonly provider: 'AWS'; readonly region: string; readonly account: OcsfAccount };
  readonly metadata: {
    readonly version: string;
    readonly profiles: readonly string[];
    readonly product: { readonly name: 'leuko'; readonly vendor_name: 'leuko'; readonly version?: string };
  };
  readonly remediation?: { readonly desc: string; readonly references?: readonly string[] };
  readonly evidences?: readonly OcsfEvidence[];
  readonly unmapped?: Readonly<Record<string, unknown>>;
}

export function toOcsf(
  input: Pick<ReportInput, 'findings' | 'rules'>,
  options: OcsfOptions = {},
): OcsfDetectionFinding[] {
  const rules = ruleIndex(input.rules);
  return input.findings.map((finding) => toOcsfFinding(finding, rules.get(finding.ruleId), options));
}

/** A JSON array of Detection Finding events. */
export function renderOcsf(
  input: Pick<ReportInput, 'findings' | 'rules'>,
  options: OcsfOptions = {},
): string {
  return `${JSON.stringify(toOcsf(input, options), null, 2)}\n`;
}

function toOcsfFinding(
  finding: Finding,
  rule: RuleMetadata | undefined,
  options: OcsfOptions,
): OcsfDetectionFinding {
  const { resource } = finding;
  const firstSeen = ms(finding.firstSeen, finding.id);
  const lastSeen = ms(finding.lastSeen, finding.id);
  const resolvedAt = finding.resolvedAt === undefined ? undefined : ms(finding.resolvedAt, finding.id);
  // The event reports what last happened to the finding: it closed, it was first seen, or seen again.
  const activity =
    finding.status === 'resolved'
      ? ACTIVITIES.close
      : firstSeen === lastSeen
        ? ACTIVITIES.create
        : ACTIVITIES.update;
  const time =
    activity === ACTIVITIES.close
      ? (resolvedAt ?? lastSeen)
      : activity === ACTIVITIES.create
        ? firstSeen
        : lastSeen;
  const account: OcsfAccount = { uid: resource.account, ...AWS_ACCOUNT_TYPE };
  const severity = SEVERITY[finding.severity];
  const status = STATUS[finding.status];
  const evidence = finding.actor ? actorEvidence(finding.actor, finding.eventId) : undefined;
  const remediation = rule?.remediation?.description;
  return {
    activity_id: activity.id,
    activity_name: activity.name,
    category_uid: CATEGORY_UID,
    category_name: 'Findings',
    class_uid: CLASS_UID,
    class_name: 'Detection Finding',
    type_uid: CLASS_UID * 100 + activity.id,
    type_name: `Detection Finding: ${activity.name}`,
    severity_id: severity.id,
    severity: severity.name,
    status_id: status.id,
    status: status.name,
    ...(finding.justification && { status_detail: finding.justification.reason }),
    // "possible" means the violation depends on a value leuko could not know (a template parameter).
    confidence_id: finding.certainty === 'definite' ? 3 : 2,
    confidence: finding.certainty === 'definite' ? 'High' : 'Medium',
    time,
    message: finding.message,
    finding_info: {
      uid: finding.id,
      title: rule?.title ?? finding.ruleId,
      desc: rule?.rationale ?? finding.message,
      created_time: firstSeen,
      first_seen_time: firstSeen,
      last_seen_time: lastSeen,
      modified_time: Math.max(lastSeen, resolvedAt ?? lastSeen),
      analytic: { uid: finding.ruleId, name: rule?.title ?? finding.ruleId, type_id: 1, type: 'Rule' },
    },
    resources: [
      {
        uid: resource.arn,
        ...(resource.name !== undefined && { name: resource.name }),
        // Security Hub's type names, as AWS's own OCSF mappings (Security Lake) use them.
        type: ASFF_RESOURCE_TYPES[resource.type],
        region: resource.region,
        cloud_partition: partitionOf(resource.arn),
        owner: { account },
        data: { leuko_type: resource.type, id: resource.id, part: finding.part },
      },
    ],
    cloud: { provider: 'AWS', region: resource.region, account },
    metadata: {
      version: OCSF_VERSION,
      profiles: ['cloud'],
      product: {
        name: 'leuko',
        vendor_name: 'leuko',
        ...(options.productVersion !== undefined && { version: options.productVersion }),
      },
    },
    ...(remediation !== undefined && {
      remediation: {
        desc: remediation,
        ...(rule && rule.references.length > 0 && { references: [...rule.references] }),
      },
    }),
    ...(evidence && { evidences: [evidence] }),
    ...(finding.justification && {
      unmapped: {
        justification: {
          reason: finding.justification.reason,
          ...(finding.justification.expires !== undefined && { expires: finding.justification.expires }),
          source: finding.justification.source,
        },
      },
    }),
  };
}

/** The CloudTrail identity behind a change: the ARN as uid (unique and readable), principalId as uid_alt. */
function actorEvidence(actor: Actor, eventId: string | undefined): OcsfEvidence {
  const user: Record<string, unknown> = {};
  if (actor.arn !== undefined) user['uid'] = actor.arn;
  if (actor.principalId !== undefined) user['uid_alt'] = actor.principalId;
  if (actor.type !== undefined) Object.assign(user, { type_id: 99, type: actor.type });
  if (actor.accountId !== undefined) user['account'] = { uid: actor.accountId, ...AWS_ACCOUNT_TYPE };
  const cloudTrailEventId = actor.eventId ?? eventId;
  // CloudTrail's sourceIPAddress is a service name ("ec2.amazonaws.com") when AWS acted on a user's behalf.
  const source =
    actor.sourceIp === undefined
      ? undefined
      : isIP(actor.sourceIp) !== 0
        ? { ip: actor.sourceIp }
        : { domain: actor.sourceIp };
  const data: Record<string, string> = {};
  if (actor.userAgent !== undefined) data['user_agent'] = actor.userAgent;
  if (actor.eventTime !== undefined) data['event_time'] = actor.eventTime;
  // A CloudTrail eventID is not the API request id (requestID), so it is kept as data, not api.request.uid.
  if (cloudTrailEventId !== undefined) data['cloudtrail_event_id'] = cloudTrailEventId;
  return {
    actor: { user },
    ...(actor.eventName !== undefined && { api: { operation: actor.eventName } }),
    ...(source && { src_endpoint: source }),
    ...(Object.keys(data).length > 0 && { data }),
  };
}

function ms(value: string, findingId: string): number {
  const result = epochMs(value);
  if (result === undefined)
    throw new InputError(`not a timestamp: ${JSON.stringify(value)}`, `finding ${findingId}`);
  return result;
}
