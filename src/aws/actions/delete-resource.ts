// Action delete-resource (Monocyte's answer to region-not-allowed): deletes a resource of any of the eight types, irreversibly.
import { DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteSecurityGroupCommand,
  DeleteVolumeCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { DeleteDBInstanceCommand, DeleteDBSnapshotCommand } from '@aws-sdk/client-rds';
import { DeleteBucketCommand } from '@aws-sdk/client-s3';
import {
  makePlan,
  protectionRefusal,
  refusal,
  type ActionInput,
  type PlanResult,
} from '../../core/action.js';
import type { AnyResource, Resource } from '../../core/resource.js';
import { RESOURCE_TYPE_IDS, type ResourceTypeId } from '../../core/resource-types.js';
import {
  alreadyDone,
  defineRuntimeAction,
  hasCode,
  irreversible,
  journaled,
  nothingToRevert,
  reread,
  send,
  type ActionContext,
} from './action-runtime.js';
import { emptyBucket } from './empty-bucket.js';

const ID = 'delete-resource';
const META = { id: ID, destructive: true, reversible: false } as const;

export interface DeleteSpec {
  readonly type: ResourceTypeId;
  readonly id: string;
  readonly region: string;
  /** DB instances: the final snapshot taken by the delete, so the data survives it. */
  readonly finalSnapshotIdentifier?: string;
}

export interface DeleteBefore {
  /** The resource's canonical model just before deletion (null: it was already gone). */
  readonly config: unknown;
  readonly tags: Readonly<Record<string, string>>;
}

/** States in which the resource is already on its way out: deleting again would fail or do nothing. */
const DELETING: Partial<Record<ResourceTypeId, (resource: AnyResource) => boolean>> = {
  'aws.ec2.instance': (resource) =>
    resource.type === 'aws.ec2.instance' && resource.config.state === 'shutting-down',
  'aws.ec2.volume': (resource) => resource.type === 'aws.ec2.volume' && resource.config.state === 'deleting',
  'aws.rds.db-instance': (resource) =>
    resource.type === 'aws.rds.db-instance' && resource.config.status === 'deleting',
  'aws.rds.db-snapshot': (resource) =>
    resource.type === 'aws.rds.db-snapshot' && resource.config.status === 'deleting',
  'aws.dynamodb.table': (resource) =>
    resource.type === 'aws.dynamodb.table' && resource.config.status === 'DELETING',
  'aws.cloudformation.stack': (resource) =>
    resource.type === 'aws.cloudformation.stack' && resource.config.status === 'DELETE_IN_PROGRESS',
};

/**
 * The final snapshot's name: fixed by the plan (pure, no clock), and distinct per finding so an instance
 * recreated under the same name later does not collide with an old final snapshot.
 */
export function finalSnapshotName(dbInstanceIdentifier: string, findingId: string | undefined): string {
  const suffix = findingId
    ? `-${findingId
        .replace(/^f-/, '')
        .replace(/[^a-zA-Z0-9]/g, '')
        .slice(0, 12)}`
    : '';
  return `leuko-final-${dbInstanceIdentifier}${suffix}`.replace(/-+/g, '-').replace(/-$/, '').slice(0, 255);
}

/** Why this resource cannot or must not be deleted by leuko, if so. */
function blocker(
  resource: AnyResource,
): { reason: 'not-applicable' | 'aws-protected'; message: string } | undefined {
  switch (resource.type) {
    case 'aws.ec2.security-group':
      return resource.config.isDefault
        ? {
            reason: 'not-applicable',
            message: `${resource.id} is a VPC's default group, which AWS does not delete`,
          }
        : undefined;
    case 'aws.ec2.volume':
      return resource.config.attachments.length > 0
        ? {
            reason: 'not-applicable',
            message: `volume ${resource.id} is attached to ${resource.config.attachments.map((a) => a.instanceId).join(', ')}; delete (terminate) the instance first`,
          }
        : undefined;
    case 'aws.rds.db-instance':
      if (resource.config.deletionProtection) {
        return {
          reason: 'aws-protected',
          message: `DB instance ${resource.id} has deletion protection on; leuko does not switch it off`,
        };
      }
      return resource.config.dbClusterIdentifier !== undefined
        ? {
            reason: 'not-applicable',
            message: `DB instance ${resource.id} belongs to cluster ${resource.config.dbClusterIdentifier}; delete the cluster`,
          }
        : undefined;
    case 'aws.rds.db-snapshot':
      return resource.config.snapshotType === 'automated'
        ? {
            reason: 'not-applicable',
            message: `DB snapshot ${resource.id} is automated; RDS deletes it with its retention period`,
          }
        : undefined;
    case 'aws.dynamodb.table':
      return resource.config.deletionProtection
        ? {
            reason: 'aws-protected',
            message: `table ${resource.id} has deletion protection on; leuko does not switch it off`,
          }
        : undefined;
    case 'aws.cloudformation.stack':
      if (resource.config.terminationProtection) {
        return {
          reason: 'aws-protected',
          message: `stack ${resource.id} has termination protection on; leuko does not switch it off`,
        };
      }
      return resource.config.parentId !== undefined
        ? {
            reason: 'not-applicable',
            message: `stack ${resource.id} is nested in ${resource.config.parentId}; delete the root stack`,
          }
        : undefined;
    default:
      return undefined;
  }
}

function changeLines(resource: AnyResource, spec: DeleteSpec): { changes: string[]; warnings: string[] } {
  const where = `in ${spec.region}`;
  switch (resource.type) {
    case 'aws.cloudformation.stack':
      return {
        changes: [`delete stack ${resource.id} ${where}, and with it every resource it created`],
        warnings: ['resources with DeletionPolicy Retain stay; the rest are deleted by CloudFormation'],
      };
    case 'aws.ec2.instance':
      return {
        changes: [`terminate instance ${resource.id} ${where}`],
        warnings: ['volumes with DeleteOnTermination are deleted with it'],
      };
    case 'aws.ec2.volume':
      return { changes: [`delete volume ${resource.id} ${where}`], warnings: [] };
    case 'aws.rds.db-instance':
      return {
        changes: [
          `delete DB instance ${resource.id} ${where}, taking final snapshot ${spec.finalSnapshotIdentifier ?? ''} first`,
        ],
        warnings: ['automated backups are kept until their retention ends'],
      };
    case 'aws.rds.db-snapshot':
      return { changes: [`delete DB snapshot ${resource.id} ${where}`], warnings: [] };
    case 'aws.dynamodb.table':
      return {
        changes: [`delete table ${resource.id} ${where}`],
        warnings: ['the table and its point-in-time recovery history are gone'],
      };
    case 'aws.s3.bucket':
      return {
        changes: [
          `delete every object version, delete marker and unfinished upload of bucket ${resource.id}`,
          `delete bucket ${resource.id} ${where}`,
        ],
        warnings: ['the data is gone for good: copy what must be kept first'],
      };
    case 'aws.ec2.security-group':
      return { changes: [`delete security group ${resource.id} ${where}`], warnings: [] };
  }
}

function deleted(resource: AnyResource | null): boolean {
  if (resource === null) return true;
  return DELETING[resource.type]?.(resource) === true;
}

async function remove(ctx: ActionContext, spec: DeleteSpec): Promise<{ after: unknown; message: string }> {
  const { region, id } = spec;
  const call = <R>(fn: () => Promise<R>) => send(ctx, region, fn);
  switch (spec.type) {
    case 'aws.cloudformation.stack':
      await call(() =>
        ctx.clients.client('cloudformation', region).send(new DeleteStackCommand({ StackName: id })),
      );
      return { after: {}, message: `deleting stack ${id}` };
    case 'aws.ec2.instance':
      await call(() =>
        ctx.clients.client('ec2', region).send(new TerminateInstancesCommand({ InstanceIds: [id] })),
      );
      return { after: {}, message: `terminated instance ${id}` };
    case 'aws.ec2.volume':
      await call(() => ctx.clients.client('ec2', region).send(new DeleteVolumeCommand({ VolumeId: id })));
      return { after: {}, message: `deleted volume ${id}` };
    case 'aws.ec2.security-group':
      await call(() =>
        ctx.clients.client('ec2', region).send(new DeleteSecurityGroupCommand({ GroupId: id })),
      );
      return { after: {}, message: `deleted security group ${id}` };
    case 'aws.rds.db-instance':
      await call(() =>
        ctx.clients.client('rds', region).send(
          new DeleteDBInstanceCommand({
            DBInstanceIdentifier: id,
            SkipFinalSnapshot: false,
            FinalDBSnapshotIdentifier: spec.finalSnapshotIdentifier,
            // Kept: they are the last copies besides the final snapshot, and expire by themselves.
            DeleteAutomatedBackups: false,
          }),
        ),
      );
      return {
        after: { finalSnapshotIdentifier: spec.finalSnapshotIdentifier },
        message: `deleting DB instance ${id} (final snapshot ${spec.finalSnapshotIdentifier ?? ''})`,
      };
    case 'aws.rds.db-snapshot':
      await call(() =>
        ctx.clients.client('rds', region).send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: id })),
      );
      return { after: {}, message: `deleted DB snapshot ${id}` };
    case 'aws.dynamodb.table':
      await call(() =>
        ctx.clients.client('dynamodb', region).send(new DeleteTableCommand({ TableName: id })),
      );
      return { after: {}, message: `deleting table ${id}` };
    case 'aws.s3.bucket': {
      const emptied = await emptyBucket(ctx, ID, id, region);
      await call(() => ctx.clients.client('s3', region).send(new DeleteBucketCommand({ Bucket: id })));
      return {
        after: emptied,
        message: `deleted bucket ${id} after deleting ${emptied.objectVersions} object version(s), ${emptied.deleteMarkers} delete marker(s), ${emptied.uploadsAborted} upload(s)`,
      };
    }
  }
}

/** AWS codes meaning the resource was deleted between the re-read and the delete call. */
const GONE_CODES = [
  'InvalidInstanceID.NotFound',
  'InvalidVolume.NotFound',
  'InvalidGroup.NotFound',
  'DBInstanceNotFound',
  'DBInstanceNotFoundFault',
  'DBSnapshotNotFound',
  'DBSnapshotNotFoundFault',
  'ResourceNotFoundException',
  'NoSuchBucket',
];

export const deleteResource = defineRuntimeAction<ResourceTypeId, DeleteSpec, DeleteBefore>({
  ...META,
  title: 'Delete the resource (all eight types); irreversible',
  resourceTypes: [...RESOURCE_TYPE_IDS],
  permissions: {
    apply: [],
    revert: [],
    applyByType: {
      'aws.cloudformation.stack': ['cloudformation:DeleteStack'],
      'aws.ec2.instance': ['ec2:TerminateInstances'],
      'aws.ec2.volume': ['ec2:DeleteVolume'],
      // A final snapshot is made under the caller's rights: DeleteDBInstance needs rds:CreateDBSnapshot too.
      'aws.rds.db-instance': ['rds:DeleteDBInstance', 'rds:CreateDBSnapshot'],
      'aws.rds.db-snapshot': ['rds:DeleteDBSnapshot'],
      'aws.dynamodb.table': ['dynamodb:DeleteTable'],
      'aws.s3.bucket': [
        's3:ListBucketVersions',
        's3:DeleteObject',
        's3:DeleteObjectVersion',
        's3:ListBucketMultipartUploads',
        's3:AbortMultipartUpload',
        's3:DeleteBucket',
      ],
      'aws.ec2.security-group': ['ec2:DeleteSecurityGroup'],
    },
  },

  plan(input: ActionInput): PlanResult<DeleteSpec> {
    const protectedBy = protectionRefusal(ID, input);
    if (protectedBy) return protectedBy;
    const resource = input.resource as AnyResource;
    const blocked = blocker(resource);
    if (blocked) return refusal(ID, resource as Resource, blocked.reason, blocked.message);
    // A bucket lives in its own region, whatever region listed it.
    const region = resource.type === 'aws.s3.bucket' ? resource.config.region : resource.region;
    const spec: DeleteSpec = {
      type: resource.type,
      id: resource.id,
      region,
      ...(resource.type === 'aws.rds.db-instance'
        ? { finalSnapshotIdentifier: finalSnapshotName(resource.id, input.findingId) }
        : {}),
    };
    return makePlan(META, input, { ...changeLines(resource, spec), spec });
  },

  async apply(plan, ctx) {
    const { spec } = plan;
    const current = (await reread(
      { ...plan, resource: { ...plan.resource, region: spec.region } },
      spec.type,
      ctx,
    )) as AnyResource | null;
    const before: DeleteBefore = { config: current?.config ?? null, tags: current?.tags ?? {} };
    if (deleted(current))
      return alreadyDone(plan, ctx, before, `${spec.type} ${spec.id} is already gone or being deleted`);
    return journaled(plan, ctx, before, async () => {
      try {
        return await remove(ctx, spec);
      } catch (error) {
        if (!hasCode(error, GONE_CODES)) throw error;
        return { after: {}, message: `${spec.type} ${spec.id} was deleted meanwhile` };
      }
    });
  },

  async verify(plan, ctx) {
    const current = (await reread(
      { ...plan, resource: { ...plan.resource, region: plan.spec.region } },
      plan.spec.type,
      ctx,
    )) as AnyResource | null;
    // A stack can still fail to delete (DELETE_FAILED): only gone is done.
    if (plan.spec.type === 'aws.cloudformation.stack') return current === null;
    return deleted(current);
  },

  async revert(entry) {
    const skip = nothingToRevert(entry);
    if (skip) return skip;
    const { spec } = entry.plan;
    const what: Record<ResourceTypeId, string> = {
      'aws.cloudformation.stack':
        'the stack and the resources it created were deleted; deploy the template again to recreate them',
      'aws.ec2.instance': 'the instance was terminated and AWS cannot bring it back',
      'aws.ec2.volume': 'the volume was deleted and its data is gone',
      'aws.rds.db-instance': `the DB instance was deleted; its data survives in final snapshot ${spec.finalSnapshotIdentifier ?? '(none)'}, from which a new instance can be restored`,
      'aws.rds.db-snapshot': 'the DB snapshot was deleted and is gone',
      'aws.dynamodb.table': 'the table was deleted with its items',
      'aws.s3.bucket': 'the bucket and every object version in it were deleted',
      'aws.ec2.security-group':
        'the security group was deleted; its rules are in the journal entry, but a new group gets a new id',
    };
    return irreversible(entry, what[spec.type]);
  },
});
