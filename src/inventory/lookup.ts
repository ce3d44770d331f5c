// Finds the one stored resource a user means by an id, an ARN or a full resource key.
import { NotFoundError, UsageError } from '../core/errors.js';
import type { StoredResource, Store } from '../store/store.js';

export async function lookupResource(store: Store, reference: string): Promise<StoredResource> {
  if (reference.split('|').length === 4) {
    const byKey = await store.getResource(reference);
    if (byKey) return byKey;
    throw new NotFoundError(`no resource with key ${reference} in the store`);
  }
  const matches = await store.findResources(reference);
  if (matches.length === 0) throw new NotFoundError(`no resource "${reference}" in the store (run \`leuko scan\` first?)`);
  if (matches.length > 1) {
    const live = matches.filter((match) => !match.deletedAt);
    if (live.length === 1 && live[0]) return live[0];
    throw new UsageError(
      `"${reference}" matches ${matches.length} resources; give one of these keys: ${matches.map((match) => match.key).join(', ')}`,
    );
  }
  return matches[0] as StoredResource;
}
