// Terraform S3 buckets: aws_s3_bucket joined with its _acl, _policy, _public_access_block, encryption, versioning, ownership.
import type { AclGrant, BucketModel, PublicAccessBlock } from '../../../core/models/index.js';
import type { Resource } from '../../../core/resource.js';
import { unknownValue } from '../../../core/unknown.js';
import { Unresolved, booleanOf, isCfnMap, scalarString, toPlain, uncertainOf, type CfnValue } from '../cfn-values.js';
import type { MappedResource } from '../mapped-resource.js';
import { TEMPLATE_OWNER_ID, cannedAclGrants } from '../s3-acl.js';
import { TfPaths, firstBlock, listOf, type TfMapContext, type TfResource } from './context.js';
import { tfTags } from './security-group.js';

const BUCKET = 'aws_s3_bucket';
const PARTS = [
  'aws_s3_bucket_acl',
  'aws_s3_bucket_policy',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_ownership_controls',
] as const;
type Part = (typeof PARTS)[number];

interface Joined {
  readonly bucket?: TfResource;
  readonly key: string;
  readonly parts: Map<Part, TfResource[]>;
}

/**
 * A bucket and the separate resources that configure it (AWS provider v4+), joined by the bucket
 * name when the plan knows it, else by the configuration's reference (aws_s3_bucket.b.id). Parts
 * whose bucket is neither go to a synthetic bucket that holds only them.
 */
export function mapTfBuckets(ctx: TfMapContext): MappedResource[] {
  const joined = new Map<TfResource | string, Joined>();
  for (const bucket of ctx.ofType(BUCKET)) joined.set(bucket, { bucket, key: bucketId(ctx, bucket), parts: new Map() });
  for (const type of PARTS) {
    for (const part of ctx.ofType(type)) {
      const name = part.values.bucket;
      let target: TfResource | string | undefined =
        typeof name === 'string' ? ctx.ofType(BUCKET).find((bucket) => bucket.values.bucket === name || bucket.values.id === name) : undefined;
      if (target === undefined) {
        const [referenced, ...others] = ctx.referenced(part, 'bucket', [BUCKET]);
        if (referenced && others.length === 0) target = referenced;
      }
      target ??= typeof name === 'string' ? name : part.address;
      const entry = joined.get(target) ?? { key: typeof target === 'string' ? target : bucketId(ctx, target), parts: new Map() };
      entry.parts.set(type, [...(entry.parts.get(type) ?? []), part]);
      joined.set(target, entry);
    }
  }
  return [...joined.values()].map((entry) => buildBucket(ctx, entry));
}

function bucketId(ctx: TfMapContext, bucket: TfResource): string {
  const name = bucket.values.bucket;
  return typeof name === 'string' ? name : bucket.address;
}

function buildBucket(ctx: TfMapContext, { bucket, key, parts }: Joined): MappedResource {
  const paths = new TfPaths();
  const values = bucket?.values ?? {};
  const synthetic = bucket === undefined;
  const notInPlan = unknownValue('a bucket the plan does not define; only the settings the plan adds are known');
  // An inline (provider v3) setting counts only when configured: otherwise the plan shows it as computed
  // from the separate resources. Without a configuration section (a state), the values are the truth.
  const inline = (attribute: string): CfnValue | undefined => {
    if (bucket === undefined) return undefined;
    if (bucket.expressions !== undefined && !bucket.configured.has(attribute)) return undefined;
    const value = values[attribute];
    return value === null || (Array.isArray(value) && value.length === 0) ? undefined : value;
  };
  const one = (type: Part) => {
    const list = parts.get(type) ?? [];
    if (list.length > 1) ctx.warn(`${list.length} ${type} resources configure bucket ${key}; the first is used`, list[1]?.address);
    return list[0];
  };

  // ACL: aws_s3_bucket_acl, or the inline acl, or private.
  let acl: BucketModel['acl'] = synthetic ? notInPlan : { ownerId: TEMPLATE_OWNER_ID, grants: cannedAclGrants('private') ?? [] };
  const aclPart = one('aws_s3_bucket_acl');
  if (aclPart) {
    acl = aclOf(aclPart.values.acl, aclPart.values.access_control_policy);
    paths.add(['acl'], aclPart.address);
  } else if (inline('acl') !== undefined && bucket) {
    acl = aclOf(inline('acl'), undefined);
    paths.add(['acl'], bucket.address, 'acl');
  }

  // Policy: aws_s3_bucket_policy or the inline policy (a JSON string).
  let policy: BucketModel['policy'] = synthetic ? notInPlan : null;
  const policyPart = one('aws_s3_bucket_policy');
  if (policyPart) {
    policy = policyOf(ctx, policyPart.values.policy, policyPart.address);
    paths.add(['policy'], policyPart.address, 'policy');
  } else if (inline('policy') !== undefined && bucket) {
    policy = policyOf(ctx, inline('policy'), bucket.address);
    paths.add(['policy'], bucket.address, 'policy');
  }

  // Public access block: the resource's flags (Terraform's defaults are false), else S3's defaults for new buckets.
  let publicAccessBlock: PublicAccessBlock = synthetic
    ? { blockPublicAcls: notInPlan, ignorePublicAcls: notInPlan, blockPublicPolicy: notInPlan, restrictPublicBuckets: notInPlan }
    : { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
  const blockPart = one('aws_s3_bucket_public_access_block');
  if (blockPart) {
    const flag = (field: keyof PublicAccessBlock, attribute: string): PublicAccessBlock[keyof PublicAccessBlock] => {
      paths.add(['publicAccessBlock', field], blockPart.address, attribute);
      // Terraform's default for a flag left out is false.
      const value = blockPart.values[attribute];
      const parsed = value === undefined || value === null ? false : booleanOf(value);
      return parsed === undefined ? unknownValue(`${attribute} is not a boolean`) : uncertainOf(parsed);
    };
    publicAccessBlock = {
      blockPublicAcls: flag('blockPublicAcls', 'block_public_acls'),
      ignorePublicAcls: flag('ignorePublicAcls', 'ignore_public_acls'),
      blockPublicPolicy: flag('blockPublicPolicy', 'block_public_policy'),
      restrictPublicBuckets: flag('restrictPublicBuckets', 'restrict_public_buckets'),
    };
    paths.add(['publicAccessBlock'], blockPart.address);
  }

  // Encryption: the configuration resource, the inline block, or SSE-S3 (S3's default since 2023).
  let encryption: BucketModel['encryption'] = synthetic ? notInPlan : { rules: [{ algorithm: 'AES256' }] };
  const encryptionPart = one('aws_s3_bucket_server_side_encryption_configuration');
  if (encryptionPart) {
    encryption = encryptionOf(encryptionPart.values.rule);
    paths.add(['encryption'], encryptionPart.address);
  } else if (inline('server_side_encryption_configuration') !== undefined && bucket) {
    const block = inline('server_side_encryption_configuration');
    encryption = block instanceof Unresolved ? unknownValue(block.reason) : encryptionOf(firstBlock(block)?.rule);
    paths.add(['encryption'], bucket.address, 'server_side_encryption_configuration');
  }

  // Versioning: aws_s3_bucket_versioning (Disabled = never enabled), the inline block, or off.
  let versioning: BucketModel['versioning'] = synthetic ? notInPlan : 'Off';
  const versioningPart = one('aws_s3_bucket_versioning');
  if (versioningPart) {
    const status = firstBlock(versioningPart.values.versioning_configuration)?.status;
    const text = scalarString(status);
    versioning = text === undefined ? unknownValue('versioning status is missing') : uncertainOf(text === 'Disabled' ? 'Off' : text);
    paths.add(['versioning'], versioningPart.address, 'versioning_configuration');
  } else if (inline('versioning') !== undefined && bucket) {
    const enabled = booleanOf(firstBlock(inline('versioning'))?.enabled);
    versioning = enabled instanceof Unresolved ? unknownValue(enabled.reason) : enabled === true ? 'Enabled' : 'Off';
    paths.add(['versioning'], bucket.address, 'versioning');
  }

  // Ownership: BucketOwnerEnforced (ACLs disabled) unless ownership controls say otherwise.
  let objectOwnership: string | undefined = synthetic ? undefined : 'BucketOwnerEnforced';
  const ownershipPart = one('aws_s3_bucket_ownership_controls');
  if (ownershipPart) {
    const setting = scalarString(firstBlock(ownershipPart.values.rule)?.object_ownership);
    objectOwnership = typeof setting === 'string' ? setting : undefined;
    paths.add(['objectOwnership'], ownershipPart.address);
  }

  const region = scalarString(values.region);
  const config: BucketModel = {
    name: key,
    region: typeof region === 'string' ? region : ctx.region,
    acl,
    ...(objectOwnership !== undefined ? { objectOwnership } : {}),
    policy,
    publicAccessBlock,
    accountPublicAccessBlock: ctx.options.accountPublicAccessBlock ?? {
      blockPublicAcls: unknownValue('the account-level S3 public access block is not part of a plan'),
      ignorePublicAcls: unknownValue('the account-level S3 public access block is not part of a plan'),
      blockPublicPolicy: unknownValue('the account-level S3 public access block is not part of a plan'),
      restrictPublicBuckets: unknownValue('the account-level S3 public access block is not part of a plan'),
    },
    encryption,
    versioning,
  };
  const first = bucket ?? ([...parts.values()][0]?.[0] as TfResource);
  const name = typeof values.bucket === 'string' ? values.bucket : undefined;
  const resource: Resource<'aws.s3.bucket'> = {
    type: 'aws.s3.bucket',
    account: ctx.account,
    region: config.region,
    id: key,
    arn: bucket ? ctx.arn(bucket) : `arn:aws:terraform:plan:${ctx.file}#${key}`,
    ...(name !== undefined ? { name } : {}),
    tags: tfTags(values.tags),
    config,
  };
  return {
    origin: 'terraform',
    file: ctx.file,
    sourceId: bucket ? bucket.address : key,
    sourceType: bucket ? BUCKET : first.type,
    type: 'aws.s3.bucket',
    synthetic,
    sourcePath: [first.address],
    variants: [{ resource, paths: paths.entries, when: [] }],
    mayBeAbsent: false,
    truncated: false,
  };
}

function aclOf(canned: CfnValue | undefined, policy: CfnValue | undefined): BucketModel['acl'] {
  const block = firstBlock(policy);
  if (block) {
    const grants: AclGrant[] = [];
    for (const grant of listOf(block.grant)) {
      if (!isCfnMap(grant)) continue;
      const grantee = firstBlock(grant.grantee);
      const permission = scalarString(grant.permission);
      if (!grantee || typeof permission !== 'string') return unknownValue('an ACL grant is unknown');
      const type = scalarString(grantee.type);
      const uri = scalarString(grantee.uri);
      const id = scalarString(grantee.id);
      const email = scalarString(grantee.email_address);
      if (type === 'Group' && typeof uri === 'string') grants.push({ grantee: { kind: 'group', uri }, permission });
      else if (type === 'CanonicalUser' && typeof id === 'string') grants.push({ grantee: { kind: 'canonical-user', id }, permission });
      else if (type === 'AmazonCustomerByEmail' && typeof email === 'string') grants.push({ grantee: { kind: 'email', email }, permission });
      else return unknownValue('an ACL grantee is unknown');
    }
    const owner = scalarString(firstBlock(block.owner)?.id);
    return { ...(typeof owner === 'string' ? { ownerId: owner } : {}), grants };
  }
  if (canned instanceof Unresolved) return unknownValue(`acl: ${canned.reason}`);
  const name = scalarString(canned);
  const grants = typeof name === 'string' ? cannedAclGrants(name) : undefined;
  return grants ? { ownerId: TEMPLATE_OWNER_ID, grants } : unknownValue(`acl ${String(name)} is not a canned ACL`);
}

function policyOf(ctx: TfMapContext, value: CfnValue | undefined, address: string): BucketModel['policy'] {
  if (value instanceof Unresolved) return unknownValue(`policy: ${value.reason}`);
  if (typeof value === 'string') {
    if (value.trim() === '') return null;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.warn('the bucket policy is not valid JSON', address);
      return unknownValue('the bucket policy is not valid JSON');
    }
  }
  return value === undefined || value === null ? null : toPlain(value);
}

function encryptionOf(rules: CfnValue | undefined): BucketModel['encryption'] {
  if (rules instanceof Unresolved) return unknownValue(rules.reason);
  const out: Array<{ algorithm: string; kmsKeyId?: string; bucketKeyEnabled?: boolean }> = [];
  for (const rule of listOf(rules)) {
    if (!isCfnMap(rule)) continue;
    const byDefault = firstBlock(rule.apply_server_side_encryption_by_default);
    const algorithm = scalarString(byDefault?.sse_algorithm);
    if (typeof algorithm !== 'string') return unknownValue('sse_algorithm is unknown');
    const key = scalarString(byDefault?.kms_master_key_id);
    const bucketKey = booleanOf(rule.bucket_key_enabled);
    out.push({
      algorithm,
      ...(typeof key === 'string' && key !== '' ? { kmsKeyId: key } : {}),
      ...(typeof bucketKey === 'boolean' ? { bucketKeyEnabled: bucketKey } : {}),
    });
  }
  return out.length === 0 ? unknownValue('no encryption rule') : { rules: out };
}
