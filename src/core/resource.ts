// A resource as leuko sees it, whatever the source (AWS API, template, CloudTrail event).
import type { ModelOf } from './models/index.js';
import type { ResourceTypeId } from './resource-types.js';

export interface Resource<T extends ResourceTypeId = ResourceTypeId> {
  readonly type: T;
  readonly account: string;
  readonly region: string;
  /** The AWS id (sg-…, i-…, bucket name, DB identifier, table name, stack name). */
  readonly id: string;
  readonly arn: string;
  readonly name?: string;
  readonly tags: Readonly<Record<string, string>>;
  /**
   * True when the tags could not be read (a denied or failed tag call): `tags` is then empty for want of
   * knowledge, not because the resource has none, so a leuko:protect tag may be hiding. Absent when read.
   */
  readonly tagsUnknown?: true;
  readonly config: ModelOf<T>;
}

/** Any resource, discriminated on `type` so `config` narrows with it. */
export type AnyResource = { [T in ResourceTypeId]: Resource<T> }[ResourceTypeId];

/** The key that identifies a resource across versions: type, account, region and id. */
export function resourceKey(resource: Pick<Resource, 'type' | 'account' | 'region' | 'id'>): string {
  return `${resource.type}|${resource.account}|${resource.region}|${resource.id}`;
}

/** AWS tag lists ([{Key, Value}]) to a plain record. */
export function tagsFromList(list: ReadonlyArray<{ Key?: string; Value?: string }> | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const tag of list ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
  return tags;
}
