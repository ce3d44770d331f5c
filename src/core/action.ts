// The action contract, pure half: metadata, declared IAM actions, and plan() — what an action would change, or why it refuses.
import type { Resource } from './resource.js';
import type { ResourceTypeId } from './resource-types.js';

/** The tag that keeps leuko's hands off a resource, whatever its value (even empty). */
export const PROTECT_TAG = 'leuko:protect';

/** The offending part of a resource, as a finding's violation names it. */
export interface ActionViolation {
  readonly part: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** What every action accepts besides the resource; actions add their own keys. */
export interface ActionParams {
  /**
   * Resources never touched: an id, a name or an ARN, each optionally with `*` wildcards
   * ("arn:aws:s3:::www-*"). Checked at plan time, so a dry run already shows the refusal.
   */
  readonly allowlist?: readonly string[];
  readonly [key: string]: unknown;
}

/** plan()'s input: a finding's resource (freshly read), its offending parts and the action's params. */
export interface ActionInput<T extends ResourceTypeId = ResourceTypeId> {
  readonly resource: Resource<T>;
  readonly findingId?: string;
  readonly ruleId?: string;
  readonly violations: readonly ActionViolation[];
  readonly params?: ActionParams;
}

export interface ActionResourceRef {
  readonly type: ResourceTypeId;
  readonly account: string;
  readonly region: string;
  readonly id: string;
  readonly arn: string;
  readonly name?: string;
}

/**
 * A plan: exactly what will change, as sentences for people (`changes`) and as data for apply (`spec`).
 * JSON-serialisable, so a queue can store it, a dry run can print it, and undo can read it back later.
 */
export interface ActionPlan<S = unknown> {
  readonly kind: 'plan';
  readonly actionId: string;
  readonly resource: ActionResourceRef;
  readonly findingId?: string;
  readonly ruleId?: string;
  readonly destructive: boolean;
  readonly reversible: boolean;
  /** One line per change, e.g. "revoke sgr-0abc (ingress tcp 22 from 0.0.0.0/0)". */
  readonly changes: readonly string[];
  /** Plain warnings a person should read before approving (downtime, a changed public IP). */
  readonly warnings: readonly string[];
  readonly spec: S;
}

export type RefusalReason =
  /** Tagged leuko:protect. */
  | 'protected'
  /** Listed in params.allowlist. */
  | 'allowlisted'
  /** The resource no longer has the offending part: there is nothing to change. */
  | 'nothing-to-do'
  /** The action cannot act on this resource (default security group delete, automated snapshot, …). */
  | 'not-applicable'
  /** The resource holds a value leuko could not know (a template resource, a denied read). */
  | 'unknown'
  /** AWS-side protection is on (deletion protection, termination protection): leuko does not switch it off. */
  | 'aws-protected';

export interface Refusal {
  readonly kind: 'refusal';
  readonly actionId: string;
  readonly resource: ActionResourceRef;
  readonly reason: RefusalReason;
  readonly message: string;
}

export type PlanResult<S = unknown> = ActionPlan<S> | Refusal;

export interface ActionPermissions {
  /** IAM actions apply() needs, including the reads it makes to capture the before-state. */
  readonly apply: readonly string[];
  /** IAM actions revert() needs; empty for an irreversible action. */
  readonly revert: readonly string[];
  /** Extra apply actions per resource type, for actions that act on several types (delete-resource). */
  readonly applyByType?: Partial<Readonly<Record<ResourceTypeId, readonly string[]>>>;
}

export interface ActionMetadata {
  /** Stable id, verb first; the rules' `remediation.action` names it. */
  readonly id: string;
  readonly title: string;
  readonly resourceTypes: readonly ResourceTypeId[];
  /** Destroys something (data, an instance) rather than changing a setting. */
  readonly destructive: boolean;
  /** revert() can restore the before-state. */
  readonly reversible: boolean;
  readonly permissions: ActionPermissions;
}

export interface ActionDefinition<
  T extends ResourceTypeId = ResourceTypeId,
  S = unknown,
> extends ActionMetadata {
  /** Pure: no I/O, no clock. A dry run is plan() and stop. */
  plan(input: ActionInput<T>): PlanResult<S>;
}

export function isPlan<S>(result: PlanResult<S>): result is ActionPlan<S> {
  return result.kind === 'plan';
}

export function resourceRef(resource: Resource): ActionResourceRef {
  return {
    type: resource.type,
    account: resource.account,
    region: resource.region,
    id: resource.id,
    arn: resource.arn,
    ...(resource.name !== undefined ? { name: resource.name } : {}),
  };
}

function globMatches(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(value);
}

/**
 * Why leuko must not touch this resource, or undefined when it may: the leuko:protect tag (any value),
 * tags that could not be read (a protect tag may be among them), or an allowlist entry matching its id,
 * name or ARN.
 */
export function protectionRefusal(actionId: string, input: ActionInput): Refusal | undefined {
  const { resource } = input;
  const ref = resourceRef(resource);
  if (resource.tagsUnknown === true) {
    return {
      kind: 'refusal',
      actionId,
      resource: ref,
      reason: 'unknown',
      message: `${resource.type} ${resource.id}: its tags could not be read, so a ${PROTECT_TAG} tag may be hidden; leuko does not touch it`,
    };
  }
  if (Object.prototype.hasOwnProperty.call(resource.tags, PROTECT_TAG)) {
    return {
      kind: 'refusal',
      actionId,
      resource: ref,
      reason: 'protected',
      message: `${resource.type} ${resource.id} is tagged ${PROTECT_TAG}; leuko does not touch it`,
    };
  }
  const names = [resource.id, resource.arn, ...(resource.name !== undefined ? [resource.name] : [])];
  const entry = input.params?.allowlist?.find((pattern) => names.some((name) => globMatches(pattern, name)));
  if (entry !== undefined) {
    return {
      kind: 'refusal',
      actionId,
      resource: ref,
      reason: 'allowlisted',
      message: `${resource.type} ${resource.id} matches allowlist entry "${entry}"; leuko does not touch it`,
    };
  }
  return undefined;
}

export function refusal(
  actionId: string,
  resource: Resource,
  reason: RefusalReason,
  message: string,
): Refusal {
  return { kind: 'refusal', actionId, resource: resourceRef(resource), reason, message };
}

/** A plan for `definition` on `input`, with the action's flags copied so a stored plan says them itself. */
export function makePlan<S>(
  definition: Pick<ActionMetadata, 'id' | 'destructive' | 'reversible'>,
  input: ActionInput,
  plan: { changes: readonly string[]; warnings?: readonly string[]; spec: S },
): ActionPlan<S> {
  return {
    kind: 'plan',
    actionId: definition.id,
    resource: resourceRef(input.resource),
    ...(input.findingId !== undefined ? { findingId: input.findingId } : {}),
    ...(input.ruleId !== undefined ? { ruleId: input.ruleId } : {}),
    destructive: definition.destructive,
    reversible: definition.reversible,
    changes: plan.changes,
    warnings: plan.warnings ?? [],
    spec: plan.spec,
  };
}

/** What apply did: changed AWS, or found the change already in effect (and did nothing). */
export type ApplyStatus = 'applied' | 'already-done';

/** What revert did. 'irreversible': the action cannot be undone, and the message says so plainly. */
export type RevertStatus = 'reverted' | 'already-reverted' | 'irreversible';

/**
 * The journal's record of one apply, written (status 'pending') before AWS is changed and again with the
 * outcome. `before` holds what revert needs, read from AWS just before the change.
 */
export interface JournalEntry<S = unknown, B = unknown> {
  readonly id: string;
  readonly taskId?: string;
  readonly actionId: string;
  readonly plan: ActionPlan<S>;
  readonly before: B;
  /** ISO time the entry was written, from the caller's clock. */
  readonly appliedAt: string;
  readonly result: {
    readonly status: 'pending' | ApplyStatus | 'failed';
    readonly message?: string;
    readonly after?: unknown;
  };
}

export function defineAction<T extends ResourceTypeId, S>(
  definition: ActionDefinition<T, S>,
): ActionDefinition<T, S> {
  return definition;
}
