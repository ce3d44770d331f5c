// What template and plan mapping produce: canonical resources, their variants, and paths back to the source.
import type { AnyResource } from '../../core/resource.js';
import type { ResourceTypeId } from '../../core/resource-types.js';
import type { Violation } from '../../core/rule.js';
import type { PathMapEntry, SourcePath } from './source-path.js';

export interface ResourceVariant {
  readonly resource: AnyResource;
  /** Config path → source path: a template path (CloudFormation) or [address, ...attribute path] (Terraform). */
  readonly paths: readonly PathMapEntry[];
  /**
   * The values of unknown conditions under which this variant arises, one record per scenario that
   * produced it; empty when nothing about it is conditional.
   */
  readonly when: ReadonlyArray<Readonly<Record<string, boolean>>>;
}

export interface MappedResource {
  readonly origin: 'cloudformation' | 'terraform';
  readonly file: string;
  /** Logical id (CloudFormation) or resource address (Terraform); for a synthetic resource, what it stands for. */
  readonly sourceId: string;
  /** The CloudFormation or Terraform type it was built from. */
  readonly sourceType: string;
  readonly type: ResourceTypeId;
  /**
   * Built only to hold rules or policies the source attaches to a group or bucket it does not define
   * (an existing sg-…, an imported bucket name). Holds only what the source adds: the rest is not known.
   */
  readonly synthetic: boolean;
  /** Where the resource itself is in the source, for violations without a more precise path. */
  readonly sourcePath: SourcePath;
  /** One model per distinct outcome of the unknown conditions (usually exactly one). */
  readonly variants: readonly ResourceVariant[];
  /** In some scenario the resource is not created at all (its Condition may be false). */
  readonly mayBeAbsent: boolean;
  /**
   * More unknown inputs than the scenario cap: some were left unknown (their Fn::If values are
   * unknown), and parts whose existence was undecided were included. Its violations are only 'possible'.
   */
  readonly truncated: boolean;
}

/** True when the resource's model depends on values the source cannot know (Fn::If on unknown conditions). */
export function isConditional(mapped: MappedResource): boolean {
  return mapped.variants.length > 1 || mapped.mayBeAbsent || mapped.truncated;
}

export interface VariantViolation {
  readonly violation: Violation;
  /** Index into `mapped.variants` of the variant it was first seen in (its path map locates it). */
  readonly variant: number;
}

/**
 * Merges the violations a rule found on each variant (`perVariant[i]` for `mapped.variants[i]`): one
 * per `part`. A violation stays 'definite' only if every variant has it as definite and the resource
 * surely exists; one that some variants lack depends on an unknown condition and becomes 'possible'.
 */
export function combineVariantViolations(
  mapped: MappedResource,
  perVariant: ReadonlyArray<readonly Violation[]>,
): VariantViolation[] {
  const byPart = new Map<string, { first: VariantViolation; count: number; allDefinite: boolean }>();
  perVariant.forEach((violations, variant) => {
    const seen = new Set<string>();
    for (const violation of violations) {
      if (seen.has(violation.part)) continue;
      seen.add(violation.part);
      const entry = byPart.get(violation.part);
      if (entry === undefined) byPart.set(violation.part, { first: { violation, variant }, count: 1, allDefinite: violation.certainty === 'definite' });
      else {
        entry.count += 1;
        entry.allDefinite &&= violation.certainty === 'definite';
      }
    }
  });
  const everywhere = perVariant.length === mapped.variants.length && !mapped.mayBeAbsent && !mapped.truncated;
  return [...byPart.values()].map(({ first, count, allDefinite }) => {
    const definite = everywhere && allDefinite && count === mapped.variants.length;
    return definite ? first : { ...first, violation: { ...first.violation, certainty: 'possible' } };
  });
}
