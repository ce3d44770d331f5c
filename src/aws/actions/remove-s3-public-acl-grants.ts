// Action remove-s3-public-acl-grants: removes the AllUsers / AuthenticatedUsers grants of a bucket ACL, keeping every other grant.
import { GetBucketAclCommand, PutBucketAclCommand, type Grant } from '@aws-sdk/client-s3';
import { makePlan, protectionRefusal, refusal } from '../../core/action.js';
import { isUnknown } from '../../core/unknown.js';
import { publicGroupName } from '../../rules/shared/s3.js';
import {
  alreadyDone,
  defineRuntimeAction,
  journaled,
  nothingToRevert,
  RemediationError,
  reread,
  send,
} from './action-runtime.js';

const TYPE = 'aws.s3.bucket';
const ID = 'remove-s3-public-acl-grants';
const META = { id: ID, destructive: false, reversible: true } as const;

export interface PublicGrant {
  readonly uri: string;
  readonly permission: string;
}

export interface AclSpec {
  readonly bucket: string;
  readonly region: string;
  readonly grants: readonly PublicGrant[];
}

/** The ACL as GetBucketAcl returned it just before, and the grants that were removed from it. */
export interface AclBefore {
  readonly owner: { readonly ID?: string; readonly DisplayName?: string } | undefined;
  readonly grants: readonly Grant[];
  readonly removed: readonly PublicGrant[];
}

function matches(grant: Grant, target: PublicGrant): boolean {
  return (
    grant.Grantee?.Type === 'Group' &&
    grant.Grantee.URI === target.uri &&
    grant.Permission === target.permission
  );
}

async function readAcl(ctx: Parameters<typeof send>[0], bucket: string, region: string) {
  const s3 = ctx.clients.client('s3', region);
  return send(ctx, region, () => s3.send(new GetBucketAclCommand({ Bucket: bucket })));
}

export const removeS3PublicAclGrants = defineRuntimeAction<typeof TYPE, AclSpec, AclBefore>({
  ...META,
  title: 'Remove the public grants (AllUsers, AuthenticatedUsers) from a bucket ACL',
  resourceTypes: [TYPE],
  permissions: {
    apply: ['s3:GetBucketAcl', 's3:PutBucketAcl'],
    revert: ['s3:GetBucketAcl', 's3:PutBucketAcl'],
  },

  plan(input) {
    const protectedBy = protectionRefusal(ID, input);
    if (protectedBy) return protectedBy;
    const bucket = input.resource.config;
    if (isUnknown(bucket.acl))
      return refusal(ID, input.resource, 'unknown', `bucket ${bucket.name}: ACL unknown`);
    // The finding names group and permission; the grants to remove are those of the current ACL that match.
    const wanted = new Set(
      input.violations.map((violation) => {
        const details = violation.details ?? {};
        return `${String(details.grantee)}:${String(details.permission)}`;
      }),
    );
    const grants: PublicGrant[] = [];
    for (const grant of bucket.acl.grants) {
      if (grant.grantee.kind !== 'group') continue;
      const group = publicGroupName(grant.grantee.uri);
      if (group && wanted.has(`${group}:${grant.permission}`))
        grants.push({ uri: grant.grantee.uri, permission: grant.permission });
    }
    if (grants.length === 0) {
      return refusal(ID, input.resource, 'nothing-to-do', `bucket ${bucket.name} has no such public grant`);
    }
    return makePlan(META, input, {
      changes: grants.map(
        (grant) =>
          `remove ACL grant ${grant.permission} to ${publicGroupName(grant.uri) ?? grant.uri} from bucket ${bucket.name}`,
      ),
      spec: { bucket: bucket.name, region: bucket.region, grants },
    });
  },

  async apply(plan, ctx) {
    const { bucket, region, grants } = plan.spec;
    const acl = await readAcl(ctx, bucket, region);
    const current = acl.Grants ?? [];
    const removed = grants.filter((target) => current.some((grant) => matches(grant, target)));
    const before: AclBefore = { owner: acl.Owner, grants: current, removed };
    if (removed.length === 0)
      return alreadyDone(plan, ctx, before, `bucket ${bucket}: public grants already gone`);
    const kept = current.filter((grant) => !grants.some((target) => matches(grant, target)));
    const s3 = ctx.clients.client('s3', region);
    return journaled(plan, ctx, before, async () => {
      await send(ctx, region, () =>
        s3.send(
          new PutBucketAclCommand({
            Bucket: bucket,
            AccessControlPolicy: { Owner: acl.Owner, Grants: kept },
          }),
        ),
      );
      return {
        after: { grants: kept },
        message: `bucket ${bucket}: removed ${removed.length} public grant(s)`,
      };
    });
  },

  async verify(plan, ctx) {
    const current = await reread(plan, TYPE, ctx);
    if (!current) return true;
    const acl = current.config.acl;
    if (isUnknown(acl)) return false;
    return !acl.grants.some(
      (grant) =>
        grant.grantee.kind === 'group' &&
        plan.spec.grants.some(
          (target) =>
            grant.grantee.kind === 'group' &&
            grant.grantee.uri === target.uri &&
            grant.permission === target.permission,
        ),
    );
  },

  async revert(entry, ctx) {
    const skip = nothingToRevert(entry);
    if (skip) return skip;
    const { bucket, region } = entry.plan.spec;
    // Only the removed grants come back; grants changed since (by people) are kept, not overwritten.
    const acl = await readAcl(ctx, bucket, region);
    const current = acl.Grants ?? [];
    const missing = entry.before.removed.filter((target) => !current.some((grant) => matches(grant, target)));
    if (missing.length === 0)
      return { status: 'already-reverted', message: `bucket ${bucket} already has the grants again` };
    const grants: Grant[] = [
      ...current,
      ...missing.map((target) => ({
        Grantee: { Type: 'Group' as const, URI: target.uri },
        Permission: target.permission as Grant['Permission'],
      })),
    ];
    const s3 = ctx.clients.client('s3', region);
    try {
      await send(ctx, region, () =>
        s3.send(
          new PutBucketAclCommand({
            Bucket: bucket,
            AccessControlPolicy: { Owner: acl.Owner, Grants: grants },
          }),
        ),
      );
    } catch (error) {
      throw new RemediationError(
        ID,
        bucket,
        'could not restore the public grants (is BlockPublicAcls on now?)',
        error,
      );
    }
    return { status: 'reverted', message: `bucket ${bucket}: restored ${missing.length} public grant(s)` };
  },
});
