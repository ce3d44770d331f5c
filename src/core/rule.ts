// The rule contract: metadata plus a pure check of one canonical resource. No I/O, no clock, no AWS,
// so the same rule judges a template resource, a CloudTrail change and a scanned resource.
import type { z } from 'zod';
import type { Resource } from './resource.js';
import type { ResourceTypeId } from './resource-types.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** 'possible': the violation depends on a value leuko could not know (template parameter, Fn::If). */
export type Certainty = 'definite' | 'possible';

export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

export interface Violation {
  /**
   * Stable key of the offending part within the resource (a security-group rule, an ACL grant, a
   * policy statement); with rule id and resource it makes the finding id, so keep it deterministic.
   */
  readonly part: string;
  readonly message: string;
  readonly certainty: Certainty;
  /** Path into `resource.config` of the offending value, so templates can point at file:line:column. */
  readonly path?: ReadonlyArray<string | number>;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** What a rule may know besides the resource: configuration, not the outside world. */
export interface RuleContext {
  readonly trustedAccounts: readonly string[];
}

export interface RuleMetadata {
  /** Stable id, `<service>-<noun>-<problem>`; never changes once released. */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly resourceTypes: readonly ResourceTypeId[];
  readonly rationale: string;
  readonly references: readonly string[];
  /** The remediation action that fixes a violation, by action id, if there is one. */
  readonly remediation?: { readonly action: string; readonly description: string };
  /** Off-by-default rules need configuration (a baseline, an allowed-region list) or are noisy. */
  readonly enabledByDefault: boolean;
}

export interface RuleDefinition<P = unknown> extends RuleMetadata {
  readonly paramsSchema: z.ZodType<P>;
  readonly defaultParams: P;
  check(resource: Resource, params: P, context: RuleContext): Violation[];
  /**
   * Optional, run once when a policy is compiled: adjusts params from other rules' resolved params
   * (`paramsOf` gives undefined for a disabled rule), so related rules can agree on who reports what
   * (e.g. one world-open security-group rule is reported by one sg-ingress-open-* rule only).
   */
  linkParams?(params: P, paramsOf: (ruleId: string) => unknown): P;
}

export function defineRule<P>(definition: RuleDefinition<P>): RuleDefinition<P> {
  return definition;
}
