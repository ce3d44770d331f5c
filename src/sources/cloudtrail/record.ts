// A CloudTrail record as leuko reads it: a light, hand-rolled validation of the fields it uses, never a crash.

/** A JSON object as it came off the wire: every field must be checked before use. */
export type JsonObject = { readonly [key: string]: unknown };

export interface CloudTrailUserIdentity {
  readonly type?: string;
  readonly arn?: string;
  readonly accountId?: string;
  readonly principalId?: string;
  readonly userName?: string;
  readonly invokedBy?: string;
  readonly sessionIssuer?: {
    readonly type?: string;
    readonly arn?: string;
    readonly accountId?: string;
    readonly principalId?: string;
    readonly userName?: string;
  };
  readonly mfaAuthenticated?: boolean;
}

/**
 * The fields leuko uses, checked and typed. `raw` keeps the whole record for detections that read
 * rarer fields (additionalEventData, readOnly). Parameters stay `JsonObject | undefined`: their shape
 * differs per API and is checked where it is read.
 */
export interface CloudTrailRecord {
  readonly eventName: string;
  readonly eventSource: string;
  readonly eventTime: string;
  readonly awsRegion: string;
  readonly eventID?: string;
  readonly eventType?: string;
  readonly userIdentity: CloudTrailUserIdentity;
  readonly requestParameters?: JsonObject;
  readonly responseElements?: JsonObject;
  readonly additionalEventData?: JsonObject;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly sourceIPAddress?: string;
  readonly userAgent?: string;
  readonly recipientAccountId?: string;
  readonly readOnly?: boolean;
  readonly raw: JsonObject;
}

export type RecordValidation =
  | { readonly ok: true; readonly record: CloudTrailRecord }
  | { readonly ok: false; readonly reason: string };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty string, else undefined (CloudTrail writes "" and null for "nothing"). */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function obj(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

/** Booleans appear as true/false and, in some services' records, as "true"/"false". */
export function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** Ports and counts appear as numbers and, in console-made records, as numeric strings. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/**
 * EC2 (query API) lists in CloudTrail are `{ items: [...] }`, sometimes a bare array, sometimes `{}`
 * for an empty list; all read as an array of objects here.
 */
export function items(value: unknown): JsonObject[] {
  const list = Array.isArray(value) ? value : isObject(value) ? value.items : undefined;
  if (!Array.isArray(list)) return [];
  return list.filter(isObject);
}

/** A value that may be one item or a list of them (S3 XML bodies turned into JSON). */
export function oneOrMany(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function identityOf(value: unknown): CloudTrailUserIdentity {
  const identity = obj(value);
  if (!identity) return {};
  const session = obj(identity.sessionContext);
  const issuer = obj(session?.sessionIssuer);
  // One fixed shape built by assignment: this runs for every record, so no spreads or per-field objects.
  const out: { -readonly [K in keyof CloudTrailUserIdentity]: CloudTrailUserIdentity[K] } = {};
  const type = str(identity.type);
  if (type !== undefined) out.type = type;
  const arn = str(identity.arn);
  if (arn !== undefined) out.arn = arn;
  const accountId = str(identity.accountId);
  if (accountId !== undefined) out.accountId = accountId;
  const principalId = str(identity.principalId);
  if (principalId !== undefined) out.principalId = principalId;
  const userName = str(identity.userName);
  if (userName !== undefined) out.userName = userName;
  const invokedBy = str(identity.invokedBy);
  if (invokedBy !== undefined) out.invokedBy = invokedBy;
  if (issuer) {
    out.sessionIssuer = {};
    const issuerOut = out.sessionIssuer as { -readonly [K in keyof NonNullable<CloudTrailUserIdentity['sessionIssuer']>]: string };
    for (const key of ['type', 'arn', 'accountId', 'principalId', 'userName'] as const) {
      const field = str(issuer[key]);
      if (field !== undefined) issuerOut[key] = field;
    }
  }
  const mfa = session ? bool(obj(session.attributes)?.mfaAuthenticated) : undefined;
  if (mfa !== undefined) out.mfaAuthenticated = mfa;
  return out;
}

/**
 * Checks the fields leuko relies on. eventName, eventSource and eventTime are required (without them a
 * record cannot be routed or placed in time); awsRegion is required but any spelling is kept, since
 * regions leuko has never heard of (new or synthetic ones) must still be judged, not dropped.
 */
export function validateRecord(value: unknown): RecordValidation {
  if (!isObject(value)) return { ok: false, reason: `a record must be a JSON object, got ${kindOf(value)}` };
  const eventName = str(value.eventName);
  if (!eventName) return { ok: false, reason: 'record has no eventName' };
  const eventSource = str(value.eventSource);
  if (!eventSource) return { ok: false, reason: `record ${eventName} has no eventSource` };
  // Logstash pipelines (OTRF datasets) move eventTime to @timestamp.
  const eventTime = str(value.eventTime) ?? str(value['@timestamp']);
  if (!eventTime) return { ok: false, reason: `record ${eventName} has no eventTime` };
  const awsRegion = str(value.awsRegion);
  if (!awsRegion) return { ok: false, reason: `record ${eventName} has no awsRegion` };
  const record: { -readonly [K in keyof CloudTrailRecord]: CloudTrailRecord[K] } = {
    eventName,
    eventSource,
    eventTime,
    awsRegion,
    userIdentity: identityOf(value.userIdentity),
    raw: value,
  };
  // Assigned one by one (absent fields stay absent): this runs for every record kept.
  const eventID = str(value.eventID);
  if (eventID !== undefined) record.eventID = eventID;
  const eventType = str(value.eventType);
  if (eventType !== undefined) record.eventType = eventType;
  const request = obj(value.requestParameters);
  if (request !== undefined) record.requestParameters = request;
  const response = obj(value.responseElements);
  if (response !== undefined) record.responseElements = response;
  const extra = obj(value.additionalEventData);
  if (extra !== undefined) record.additionalEventData = extra;
  const errorCode = str(value.errorCode);
  if (errorCode !== undefined) record.errorCode = errorCode;
  const errorMessage = str(value.errorMessage);
  if (errorMessage !== undefined) record.errorMessage = errorMessage;
  const sourceIp = str(value.sourceIPAddress);
  if (sourceIp !== undefined) record.sourceIPAddress = sourceIp;
  const userAgent = str(value.userAgent);
  if (userAgent !== undefined) record.userAgent = userAgent;
  const recipient = str(value.recipientAccountId);
  if (recipient !== undefined) record.recipientAccountId = recipient;
  const readOnly = bool(value.readOnly);
  if (readOnly !== undefined) record.readOnly = readOnly;
  return { ok: true, record };
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/** The account the event happened in: recipientAccountId, else the caller's. */
export function accountOf(record: CloudTrailRecord): string {
  return record.recipientAccountId ?? record.userIdentity.accountId ?? 'unknown';
}

/** aws, aws-cn or aws-us-gov, from the region name; unknown names fall to "aws". */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
