// The registry of remediation actions, by id: what rules' `remediation.action` and the queue name.
import type { ResourceTypeId } from '../../core/resource-types.js';
import type { Action } from './action-runtime.js';
import { blockS3PublicAccess } from './block-s3-public-access.js';
import { deleteResource } from './delete-resource.js';
import { enableDynamodbPitr } from './enable-dynamodb-pitr.js';
import { quarantineInstance } from './quarantine-instance.js';
import { removeRdsSnapshotPublicRestore } from './remove-rds-snapshot-public-restore.js';
import { removeS3PublicAclGrants } from './remove-s3-public-acl-grants.js';
import { removeS3PublicPolicyStatements } from './remove-s3-public-policy-statements.js';
import { revokeSecurityGroupRules } from './revoke-security-group-rules.js';
import { setRdsNotPublic } from './set-rds-not-public.js';
import { stopInstance } from './stop-instance.js';
import { terminateInstance } from './terminate-instance.js';

/** Any action, seen through the common contract (each is typed by its own spec and before-state). */
export type AnyAction = Action<ResourceTypeId, unknown, unknown>;

const LIST: readonly AnyAction[] = [
  revokeSecurityGroupRules,
  blockS3PublicAccess,
  removeS3PublicAclGrants,
  removeS3PublicPolicyStatements,
  setRdsNotPublic,
  removeRdsSnapshotPublicRestore,
  enableDynamodbPitr,
  terminateInstance,
  quarantineInstance,
  stopInstance,
  deleteResource,
];

export const ACTIONS: Readonly<Record<string, AnyAction>> = Object.freeze(
  Object.fromEntries(LIST.map((action) => [action.id, action])),
);

export function actionById(id: string): AnyAction | undefined {
  return Object.prototype.hasOwnProperty.call(ACTIONS, id) ? ACTIONS[id] : undefined;
}

export {
  blockS3PublicAccess,
  deleteResource,
  enableDynamodbPitr,
  quarantineInstance,
  removeRdsSnapshotPublicRestore,
  removeS3PublicAclGrants,
  removeS3PublicPolicyStatements,
  revokeSecurityGroupRules,
  setRdsNotPublic,
  stopInstance,
  terminateInstance,
};
export type { Action, ActionContext, ApplyOutcome, RevertOutcome } from './action-runtime.js';
export { RemediationError } from './action-runtime.js';
