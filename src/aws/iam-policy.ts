// The least-privilege IAM policy for what leuko is asked to do, derived from what resource modules and actions declare.
import { UsageError } from '../core/errors.js';
import { RESOURCE_TYPE_IDS, type ResourceTypeId } from '../core/resource-types.js';
import type { RuleMetadata } from '../core/rule.js';
import { ACTIONS, actionById, type AnyAction } from './actions/index.js';
import { RESOURCE_MODULES } from './resources/registry.js';

export interface IamStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: string[];
  readonly Resource: '*';
}

export interface IamPolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: IamStatement[];
}

export interface IamPolicyOptions {
  /** Resource types leuko reads (default: all). */
  readonly types?: readonly ResourceTypeId[];
  /** Read only: list and get, no action. */
  readonly readOnly: boolean;
  /**
   * Actions leuko may run, by id. Default: those the given rules name as their remediation, or, without
   * rules, every registered action that acts on one of the types.
   */
  readonly actions?: readonly string[];
  readonly rules?: readonly Pick<RuleMetadata, 'id' | 'remediation'>[];
  /** Include what undo needs (default true). */
  readonly undo?: boolean;
  /** Live intake: 'sqs' consumes the CloudTrail queue, 's3' reads log objects (replay s3://, S3 notifications). */
  readonly intake?: ReadonlyArray<'sqs' | 's3'>;
  /** Alerts through SNS channels: sns:Publish. */
  readonly snsAlerts?: boolean;
  /** The remediation queue on SQS (remediation.queue.backend: sqs): workers send, receive, delete and extend. */
  readonly sqsTaskQueue?: boolean;
}

/** What the SQS remediation queue calls. */
export const SQS_TASK_QUEUE_PERMISSIONS: readonly string[] = ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:ReceiveMessage', 'sqs:SendMessage'];

/** What the queue intake calls (ChangeMessageVisibilityBatch is authorised as sqs:ChangeMessageVisibility). */
export const SQS_INTAKE_PERMISSIONS: readonly string[] = ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:ReceiveMessage'];
/** What reading CloudTrail log objects calls: ListObjectsV2 is authorised as s3:ListBucket. */
export const S3_LOG_PERMISSIONS: readonly string[] = ['s3:GetObject', 's3:ListBucket'];

/** Identity of the credentials: every command resolves its account id with it. */
const ALWAYS = ['sts:GetCallerIdentity'];

function sorted(actions: Iterable<string>): string[] {
  return [...new Set(actions)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The remediation actions named by `rules`, in order, once each. */
export function remediationActions(rules: readonly Pick<RuleMetadata, 'remediation'>[]): string[] {
  return [...new Set(rules.flatMap((rule) => (rule.remediation ? [rule.remediation.action] : [])))];
}

function selectActions(options: IamPolicyOptions, types: readonly ResourceTypeId[]): AnyAction[] {
  const ids = options.actions ?? (options.rules ? remediationActions(options.rules) : undefined);
  const acts = (action: AnyAction) => action.resourceTypes.some((type) => types.includes(type));
  if (ids === undefined) return Object.values(ACTIONS).filter(acts);
  return ids.map((id) => {
    const action = actionById(id);
    if (!action) throw new UsageError(`unknown action "${id}"; known: ${Object.keys(ACTIONS).join(', ')}`);
    if (!acts(action)) {
      throw new UsageError(
        `action ${id} acts on ${action.resourceTypes.join(', ')}, none of the selected types`,
      );
    }
    return action;
  });
}

/** IAM actions one action needs for the selected types: apply (per type too), undo, and the re-reads verify makes. */
export function actionPermissions(
  action: AnyAction,
  types: readonly ResourceTypeId[],
  undo = true,
): string[] {
  const inScope = action.resourceTypes.filter((type) => types.includes(type));
  return sorted([
    ...action.permissions.apply,
    ...(undo ? action.permissions.revert : []),
    ...inScope.flatMap((type) => action.permissions.applyByType?.[type] ?? []),
    ...inScope.flatMap((type) => RESOURCE_MODULES[type].permissions.get),
  ]);
}

export function iamPolicy(options: IamPolicyOptions): IamPolicyDocument {
  const types = options.types && options.types.length > 0 ? options.types : RESOURCE_TYPE_IDS;
  const read = sorted([
    ...ALWAYS,
    ...types.flatMap((type) => [
      ...RESOURCE_MODULES[type].permissions.list,
      ...RESOURCE_MODULES[type].permissions.get,
    ]),
  ]);
  const statements: IamStatement[] = [{ Sid: 'LeukoRead', Effect: 'Allow', Action: read, Resource: '*' }];
  if (options.intake && options.intake.length > 0) {
    const intake = sorted([
      ...(options.intake.includes('sqs') ? SQS_INTAKE_PERMISSIONS : []),
      ...(options.intake.includes('s3') ? S3_LOG_PERMISSIONS : []),
    ]);
    statements.push({ Sid: 'LeukoIntake', Effect: 'Allow', Action: intake, Resource: '*' });
  }
  if (options.snsAlerts) statements.push({ Sid: 'LeukoAlerts', Effect: 'Allow', Action: ['sns:Publish'], Resource: '*' });
  if (options.sqsTaskQueue && !options.readOnly) {
    statements.push({ Sid: 'LeukoRemediationQueue', Effect: 'Allow', Action: [...SQS_TASK_QUEUE_PERMISSIONS], Resource: '*' });
  }
  if (!options.readOnly) {
    const readSet = new Set(read);
    // Only what reading does not already grant, so the remediation statement shows what acting adds.
    const remediate = sorted(
      selectActions(options, types).flatMap((action) =>
        actionPermissions(action, types, options.undo ?? true),
      ),
    ).filter((action) => !readSet.has(action));
    if (remediate.length > 0)
      statements.push({ Sid: 'LeukoRemediate', Effect: 'Allow', Action: remediate, Resource: '*' });
  }
  return { Version: '2012-10-17', Statement: statements };
}
