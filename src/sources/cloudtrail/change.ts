// What a CloudTrail event says changed, in canonical terms: a partial model, a deletion, or a call that failed.
import type { PublicAccessBlock } from '../../core/models/bucket.js';
import type { AnyResource } from '../../core/resource.js';
import type { ResourceTypeId } from '../../core/resource-types.js';

interface ChangeTarget {
  readonly type: ResourceTypeId;
  readonly account: string;
  readonly region: string;
  readonly id: string;
  readonly arn: string;
}

/**
 * A resource as far as one event shows it. Convention for the rest of the model:
 * - fields the schema allows to be Uncertain and the event does not show are explicit unknowns
 *   (`{ $unknown: true, reason: 'not shown by <EventName>' }`), so a rule that reads one answers "possible";
 * - required fields that cannot be unknown (a group's name, an instance's state) get a neutral
 *   placeholder (the id, 'unknown', an empty list) and are left out of `fields`;
 * - `fields` names the model fields the event does show (plus 'region' for a create), and only rules
 *   whose subject is among them judge the change: a rule never speaks about what the event cannot see.
 * `needsReRead` is always true: the event is the fastest signal, the next read of the resource is the truth.
 */
export interface UpsertPartialChange extends ChangeTarget {
  readonly kind: 'upsert-partial';
  readonly eventName: string;
  readonly resource: AnyResource;
  readonly fields: readonly string[];
  /** The event created the resource (CreateX, RunInstances): region-not-allowed judges it. */
  readonly created: boolean;
  readonly needsReRead: true;
  /**
   * Set when the event leaves a fact out that could turn a violation into none (ModifySecurityGroupRules
   * does not say whether the rule is ingress or egress): every finding from this change is "possible".
   */
  readonly uncertainty?: string;
}

export interface DeleteChange extends ChangeTarget {
  readonly kind: 'delete';
  readonly eventName: string;
}

/** The call was refused (errorCode): nothing changed, so no rule judges it, but it is recorded. */
export interface FailedCallChange {
  readonly kind: 'failed-call';
  readonly eventName: string;
  readonly eventSource: string;
  readonly account: string;
  readonly region: string;
  readonly errorCode: string;
  readonly errorMessage?: string;
}

/** An account-wide setting with no resource of its own (the account's S3 Block Public Access). */
export interface AccountSettingChange {
  readonly kind: 'account-setting';
  readonly eventName: string;
  readonly account: string;
  readonly region: string;
  readonly setting: 'accountPublicAccessBlock';
  readonly value: PublicAccessBlock | null;
  readonly needsReRead: true;
}

/** An event leuko maps whose record lacks what identifies the resource (a group named only by name). */
export interface UnresolvedChange {
  readonly kind: 'unresolved';
  readonly eventName: string;
  readonly account: string;
  readonly region: string;
  readonly reason: string;
}

export type CanonicalChange =
  | UpsertPartialChange
  | DeleteChange
  | FailedCallChange
  | AccountSettingChange
  | UnresolvedChange;
