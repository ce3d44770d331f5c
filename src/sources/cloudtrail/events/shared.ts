// Helpers every event family uses: the event's account/region/partition, ARNs, AWS-shape conversion, unknowns.
import type { Resource } from '../../../core/resource.js';
import type { ResourceTypeId } from '../../../core/resource-types.js';
import { unknownValue, type UnknownValue } from '../../../core/unknown.js';
import type { CanonicalChange, DeleteChange, UpsertPartialChange } from '../change.js';
import { accountOf, isObject, partitionOf, type CloudTrailRecord } from '../record.js';

export interface EventContext {
  readonly record: CloudTrailRecord;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly request: Readonly<Record<string, unknown>>;
  readonly response: Readonly<Record<string, unknown>>;
}

export type EventMapper = (context: EventContext) => CanonicalChange[];

export function eventContext(record: CloudTrailRecord): EventContext {
  return {
    record,
    account: accountOf(record),
    region: record.awsRegion,
    partition: partitionOf(record.awsRegion),
    request: record.requestParameters ?? {},
    response: record.responseElements ?? {},
  };
}

/** The explicit unknown for a model field the event does not show. */
export function notShown(context: EventContext, what: string): UnknownValue {
  return unknownValue(`${what} is not shown by ${context.record.eventName}`);
}

/**
 * CloudTrail's camelCase JSON ("dBInstanceIdentifier", "sSEDescription") to the SDK's PascalCase shape
 * ("DBInstanceIdentifier", "SSEDescription"), deeply, so the scan's own AWS-shape mappers build the model.
 * Newer EC2 APIs wrap values as {"content": v, "tag": n}; those are unwrapped.
 */
export function toSdkShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toSdkShape);
  if (!isObject(value)) return value;
  if ('content' in value && 'tag' in value && Object.keys(value).length === 2) return toSdkShape(value.content);
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (key === '') continue;
    out[key.charAt(0).toUpperCase() + key.slice(1)] = toSdkShape(field);
  }
  return out;
}

/** {"content": v, "tag": n} → v, for single values of newer EC2 APIs. */
export function unwrap(value: unknown): unknown {
  return isObject(value) && 'content' in value ? value.content : value;
}

export function upsert<T extends ResourceTypeId>(
  context: EventContext,
  resource: Resource<T>,
  fields: readonly string[],
  options: { created?: boolean; uncertainty?: string } = {},
): UpsertPartialChange {
  return {
    kind: 'upsert-partial',
    eventName: context.record.eventName,
    type: resource.type,
    account: resource.account,
    region: resource.region,
    id: resource.id,
    arn: resource.arn,
    resource: resource as unknown as UpsertPartialChange['resource'],
    fields: options.created ? [...fields, 'region'] : fields,
    created: options.created ?? false,
    needsReRead: true,
    ...(options.uncertainty ? { uncertainty: options.uncertainty } : {}),
  };
}

export function deletion(context: EventContext, type: ResourceTypeId, id: string, arn: string, region = context.region): DeleteChange {
  return { kind: 'delete', eventName: context.record.eventName, type, account: context.account, region, id, arn };
}

export function unresolved(context: EventContext, reason: string): CanonicalChange[] {
  return [{ kind: 'unresolved', eventName: context.record.eventName, account: context.account, region: context.region, reason }];
}

export function regionalArn(context: EventContext, service: string, resource: string, region = context.region): string {
  return `arn:${context.partition}:${service}:${region}:${context.account}:${resource}`;
}

/** Tags as CloudTrail shows them in a create request (tagSpecificationSet / Tags / tags), best effort. */
export function tagsOf(list: unknown): Record<string, string> {
  const tags: Record<string, string> = {};
  const entries = Array.isArray(list) ? list : isObject(list) && Array.isArray(list.items) ? list.items : [];
  for (const entry of entries) {
    if (!isObject(entry)) continue;
    const key = entry.key ?? entry.Key;
    const value = entry.value ?? entry.Value;
    if (typeof key === 'string') tags[key] = typeof value === 'string' ? value : '';
  }
  return tags;
}
