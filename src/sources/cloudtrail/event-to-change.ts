// From one CloudTrail record to the canonical changes it shows, with no AWS call: the event path's adapter.
import type { CanonicalChange } from './change.js';
import { EC2_COMPUTE_EVENTS } from './events/ec2-compute.js';
import { SECURITY_GROUP_EVENTS } from './events/ec2-security-group.js';
import { TABLE_AND_STACK_EVENTS } from './events/dynamodb-cloudformation.js';
import { RDS_EVENTS } from './events/rds.js';
import { S3_BUCKET_EVENTS } from './events/s3-bucket.js';
import { eventContext, type EventMapper } from './events/shared.js';
import { accountOf, type CloudTrailRecord } from './record.js';

/** Each mapped event name with the service that emits it: the same name from another service is not it. */
function withSource(
  events: Readonly<Record<string, EventMapper>>,
  source: (name: string) => string,
): Array<[string, { readonly source: string; readonly map: EventMapper }]> {
  return Object.entries(events).map(([name, map]) => [name, { source: source(name), map }]);
}

const MAPPERS: ReadonlyMap<string, { readonly source: string; readonly map: EventMapper }> = new Map([
  ...withSource(SECURITY_GROUP_EVENTS, () => 'ec2.amazonaws.com'),
  ...withSource(EC2_COMPUTE_EVENTS, () => 'ec2.amazonaws.com'),
  ...withSource(S3_BUCKET_EVENTS, () => 's3.amazonaws.com'),
  ...withSource(RDS_EVENTS, () => 'rds.amazonaws.com'),
  ...withSource(TABLE_AND_STACK_EVENTS, (name) =>
    name.endsWith('Table') ? 'dynamodb.amazonaws.com' : 'cloudformation.amazonaws.com',
  ),
]);

/** Event names that map to changes: a cheap test before any work on a record. */
export const MAPPED_EVENT_NAMES: ReadonlySet<string> = new Set(MAPPERS.keys());

/**
 * The changes a record shows: usually one; several for a RunInstances that launched several instances;
 * none for an event leuko does not map. A failed call (errorCode) is one 'failed-call' change and is
 * never judged. A mapper that meets a shape it cannot read gives an 'unresolved' change, never a throw.
 */
export function changesFromRecord(record: CloudTrailRecord): CanonicalChange[] {
  const mapper = MAPPERS.get(record.eventName);
  if (!mapper || (record.eventSource !== mapper.source && !record.eventSource.endsWith(`.${mapper.source}`))) return [];
  if (record.errorCode) {
    return [
      {
        kind: 'failed-call',
        eventName: record.eventName,
        eventSource: record.eventSource,
        account: accountOf(record),
        region: record.awsRegion,
        errorCode: record.errorCode,
        ...(record.errorMessage ? { errorMessage: record.errorMessage } : {}),
      },
    ];
  }
  const context = eventContext(record);
  try {
    return mapper.map(context);
  } catch (error) {
    return [
      {
        kind: 'unresolved',
        eventName: record.eventName,
        account: context.account,
        region: context.region,
        reason: `cannot read the record: ${error instanceof Error ? error.message : String(error)}`,
      },
    ];
  }
}

/** The first change of a record, or null: for callers that expect one resource per event. */
export function changeFromRecord(record: CloudTrailRecord): CanonicalChange | null {
  return changesFromRecord(record)[0] ?? null;
}
