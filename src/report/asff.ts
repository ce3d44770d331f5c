// AWS Security Hub findings (ASFF, schema 2018-10-08) for BatchImportFindings through the account's default custom product.
import { InputError } from '../core/errors.js';
import type { Finding, FindingStatus } from '../core/finding.js';
import type { ResourceTypeId } from '../core/resource-types.js';
import type { RuleMetadata, Severity } from '../core/rule.js';
import { epochMs, partitionOf, ruleIndex, type ReportInput } from './report-input.js';

export const ASFF_SCHEMA_VERSION = '2018-10-08';

/** Security Hub's resource type names for leuko's types; a record so a new type fails to compile until mapped. */
export const ASFF_RESOURCE_TYPES: Readonly<Record<ResourceTypeId, string>> = {
  'aws.ec2.security-group': 'AwsEc2SecurityGroup',
  'aws.ec2.instance': 'AwsEc2Instance',
  'aws.ec2.volume': 'AwsEc2Volume',
  'aws.s3.bucket': 'AwsS3Bucket',
  'aws.rds.db-instance': 'AwsRdsDbInstance',
  'aws.rds.db-snapshot': 'AwsRdsDbSnapshot',
  'aws.dynamodb.table': 'AwsDynamoDbTable',
  'aws.cloudformation.stack': 'AwsCloudFormationStack',
};

export type AsffSeverityLabel = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

const SEVERITY_LABEL: Readonly<Record<Severity, AsffSeverityLabel>> = {
  info: 'INFORMATIONAL',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  critical: 'CRITICAL',
};

/** Compliance, workflow and record state per leuko status: a justified finding is still failing, but accepted. */
const STATUS_MAPPING: Readonly<
  Record<
    FindingStatus,
    {
      compliance: 'FAILED' | 'PASSED';
      workflow: 'NEW' | 'SUPPRESSED' | 'RESOLVED';
      record: 'ACTIVE' | 'ARCHIVED';
    }
  >
> = {
  open: { compliance: 'FAILED', workflow: 'NEW', record: 'ACTIVE' },
  justified: { compliance: 'FAILED', workflow: 'SUPPRESSED', record: 'ACTIVE' },
  resolved: { compliance: 'PASSED', workflow: 'RESOLVED', record: 'ARCHIVED' },
};

// Field limits from the ASFF reference; BatchImportFindings rejects a finding that exceeds one.
const LIMITS = {
  id: 512,
  generatorId: 512,
  title: 256,
  description: 1024,
  productFieldKey: 128,
  productFieldValue: 2048,
  noteText: 512,
  recommendationText: 512,
  resourceId: 512,
} as const;

export const DEFAULT_ASFF_TYPE = 'Software and Configuration Checks/AWS Security Best Practices';

export interface AsffOptions {
  /**
   * Account that calls BatchImportFindings (owner of the product ARN). Defaults to each finding's
   * account, which is right when every account imports its own findings; set it when one
   * Security Hub administrator account imports for its members.
   */
  readonly productAccount?: string;
  /** Region of the Security Hub endpoint that will receive the import; defaults to each finding's region. */
  readonly securityHubRegion?: string;
  /** ASFF finding types (namespace/category/classifier); at most 50. */
  readonly types?: readonly string[];
}

export interface AsffFinding {
  readonly SchemaVersion: typeof ASFF_SCHEMA_VERSION;
  readonly Id: string;
  readonly ProductArn: string;
  readonly ProductName: string;
  readonly CompanyName: string;
  readonly GeneratorId: string;
  readonly AwsAccountId: string;
  readonly Types: readonly string[];
  readonly FirstObservedAt: string;
  readonly LastObservedAt: string;
  readonly CreatedAt: string;
  readonly UpdatedAt: string;
  readonly Severity: { readonly Label: AsffSeverityLabel; readonly Original: string };
  readonly Confidence: number;
  readonly Title: string;
  readonly Description: string;
  readonly Remediation?: { readonly Recommendation: { readonly Text?: string; readonly Url?: string } };
  readonly ProductFields: Readonly<Record<string, string>>;
  readonly Resources: ReadonlyArray<{
    readonly Type: string;
    readonly Id: string;
    readonly Partition: string;
    readonly Region: string;
  }>;
  readonly Compliance: { readonly Status: 'FAILED' | 'PASSED' };
  readonly Workflow: { readonly Status: 'NEW' | 'SUPPRESSED' | 'RESOLVED' };
  readonly RecordState: 'ACTIVE' | 'ARCHIVED';
  readonly Note?: { readonly Text: string; readonly UpdatedBy: string; readonly UpdatedAt: string };
}

export function toAsff(
  input: Pick<ReportInput, 'findings' | 'rules'>,
  options: AsffOptions = {},
): AsffFinding[] {
  const rules = ruleIndex(input.rules);
  const types = (options.types ?? [DEFAULT_ASFF_TYPE]).slice(0, 50);
  return input.findings.map((finding) => toAsffFinding(finding, rules.get(finding.ruleId), types, options));
}

/** A JSON array of ASFF findings; BatchImportFindings takes at most 100 per call, so the caller batches. */
export function renderAsff(
  input: Pick<ReportInput, 'findings' | 'rules'>,
  options: AsffOptions = {},
): string {
  return `${JSON.stringify(toAsff(input, options), null, 2)}\n`;
}

function toAsffFinding(
  finding: Finding,
  rule: RuleMetadata | undefined,
  types: readonly string[],
  options: AsffOptions,
): AsffFinding {
  const { resource } = finding;
  const partition = partitionOf(resource.arn);
  const productAccount = options.productAccount ?? resource.account;
  const productRegion = options.securityHubRegion ?? resource.region;
  const mapping = STATUS_MAPPING[finding.status];
  const firstSeen = isoTime(finding.firstSeen, finding.id);
  const lastSeen = isoTime(finding.lastSeen, finding.id);
  // UpdatedAt must not precede CreatedAt, and a resolution is the latest change to the finding.
  const updatedAt = latest([
    firstSeen,
    lastSeen,
    finding.resolvedAt === undefined ? undefined : isoTime(finding.resolvedAt, finding.id),
  ]);
  const recommendation = rule?.remediation?.description;
  const url = rule?.references.find((ref) => /^https:\/\//.test(ref));
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: truncateUnits(finding.id, LIMITS.id),
    ProductArn: `arn:${partition}:securityhub:${productRegion}:${productAccount}:product/${productAccount}/default`,
    // Only a custom integration may set these two; they make the findings filterable by product in the console.
    ProductName: 'leuko',
    CompanyName: 'leuko',
    GeneratorId: truncateUnits(finding.ruleId, LIMITS.generatorId),
    AwsAccountId: resource.account,
    Types: [...types],
    FirstObservedAt: firstSeen,
    LastObservedAt: lastSeen,
    CreatedAt: firstSeen,
    UpdatedAt: updatedAt,
    Severity: { Label: SEVERITY_LABEL[finding.severity], Original: finding.severity },
    // A "possible" finding depends on a value leuko could not know (a template parameter).
    Confidence: finding.certainty === 'definite' ? 100 : 50,
    Title: truncateUnits(rule?.title ?? finding.ruleId, LIMITS.title),
    Description: truncateUnits(
      rule ? `${finding.message} — ${rule.rationale}` : finding.message,
      LIMITS.description,
    ),
    ...((recommendation !== undefined || url !== undefined) && {
      Remediation: {
        Recommendation: {
          ...(recommendation !== undefined && {
            Text: truncateUnits(recommendation, LIMITS.recommendationText),
          }),
          ...(url !== undefined && { Url: url }),
        },
      },
    }),
    ProductFields: productFields(finding),
    Resources: [
      {
        Type: ASFF_RESOURCE_TYPES[resource.type],
        Id: truncateUnits(resource.arn, LIMITS.resourceId),
        Partition: partition,
        Region: resource.region,
      },
    ],
    Compliance: { Status: mapping.compliance },
    Workflow: { Status: mapping.workflow },
    RecordState: mapping.record,
    ...(finding.justification && {
      Note: {
        Text: truncateUnits(
          `Justified: ${finding.justification.reason}${finding.justification.expires ? ` (expires ${finding.justification.expires})` : ''}`,
          LIMITS.noteText,
        ),
        UpdatedBy: truncateUnits(`leuko:${finding.justification.source}`, 512),
        UpdatedAt: updatedAt,
      },
    }),
  };
}

/** leuko's own fields, under a "leuko/" prefix so they never collide with the "aws/" keys Security Hub adds. */
function productFields(finding: Finding): Record<string, string> {
  const fields: Array<[string, string | undefined]> = [
    ['leuko/RuleId', finding.ruleId],
    ['leuko/FindingId', finding.id],
    ['leuko/ResourceType', finding.resource.type],
    ['leuko/ResourceName', finding.resource.name],
    ['leuko/Part', finding.part],
    ['leuko/Certainty', finding.certainty],
    ['leuko/Status', finding.status],
    ['leuko/JustificationReason', finding.justification?.reason],
    ['leuko/JustificationExpires', finding.justification?.expires],
    ['leuko/JustificationSource', finding.justification?.source],
    ['leuko/ActorArn', finding.actor?.arn],
    ['leuko/ActorType', finding.actor?.type],
    ['leuko/ActorSourceIp', finding.actor?.sourceIp],
    ['leuko/EventName', finding.actor?.eventName],
    ['leuko/EventTime', finding.actor?.eventTime],
    ['leuko/EventId', finding.eventId ?? finding.actor?.eventId],
  ];
  const out: Record<string, string> = {};
  // Empty values are left out: Security Hub rejects ProductFields values shorter than one character.
  for (const [key, value] of fields)
    if (value !== undefined && value !== '')
      out[truncateUnits(key, LIMITS.productFieldKey)] = truncateUnits(value, LIMITS.productFieldValue);
  return out;
}

/**
 * ASFF timestamps are RFC 3339 with a "T" and a zone; normalised here. A value that is not a date is
 * refused rather than replaced, since inventing a time would misreport when a problem began.
 */
function isoTime(value: string, findingId: string): string {
  const ms = epochMs(value);
  if (ms === undefined)
    throw new InputError(`not a timestamp: ${JSON.stringify(value)}`, `finding ${findingId}`);
  return new Date(ms).toISOString();
}

function latest(values: ReadonlyArray<string | undefined>): string {
  return values.filter((v): v is string => v !== undefined).reduce((a, b) => (b > a ? b : a));
}

/** Truncates to a UTF-16 length (what the limits count) without splitting a surrogate pair. */
export function truncateUnits(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…`;
}
