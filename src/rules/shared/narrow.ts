// Narrowing a generic Resource to one type, so a rule reads its model with the right TypeScript type.
import type { Resource } from '../../core/resource.js';
import type { ResourceTypeId } from '../../core/resource-types.js';
import type { Violation } from '../../core/rule.js';

export function isType<T extends ResourceTypeId>(resource: Resource, type: T): resource is Resource<T> {
  return resource.type === type;
}

/**
 * Shared empty result: most resources comply, and the engine reads but never mutates a rule's result,
 * so one array serves them all instead of an allocation per check.
 */
export const NO_VIOLATIONS: Violation[] = Object.freeze<Violation[]>([]) as Violation[];
