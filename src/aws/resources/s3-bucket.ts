// Resource type aws.s3.bucket: lists every bucket of the account and reads its access, encryption and versioning.
import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  paginateListBuckets,
  type Bucket,
  type GetBucketAclOutput,
  type GetBucketVersioningOutput,
  type Grantee,
  type OwnershipControls,
  type ServerSideEncryptionConfiguration,
  type Tag,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import type { AclGrant, AclGrantee, BucketModel, PublicAccessBlock } from '../../core/models/bucket.js';
import { tagsFromList, type Resource } from '../../core/resource.js';
import { isUnknown, unknownValue, type UnknownValue } from '../../core/unknown.js';
import { awsErrorCode } from '../aws-errors.js';
import {
  absentOn,
  allPages,
  callAws,
  compareStrings,
  isoDate,
  optional,
  readOrUnknown,
} from './collect-helpers.js';
import type { CollectContext, ResourceTypeModule } from './resource-module.js';

const TYPE = 'aws.s3.bucket';

/** The largest page ListBuckets accepts. */
const LIST_PAGE_SIZE = 10_000;

/** A public access block as S3 and S3 Control return it (the two SDK shapes are the same). */
export interface AwsPublicAccessBlock {
  BlockPublicAcls?: boolean | undefined;
  IgnorePublicAcls?: boolean | undefined;
  BlockPublicPolicy?: boolean | undefined;
  RestrictPublicBuckets?: boolean | undefined;
}

/**
 * What the per-bucket reads returned. `null` means AWS said the configuration does not exist; an
 * UnknownValue means leuko could not read it (access denied), which rules must treat as "possible".
 */
export interface AwsBucketParts {
  readonly name: string;
  readonly region: string;
  readonly creationDate?: Date | string | undefined;
  readonly acl: Pick<GetBucketAclOutput, 'Owner' | 'Grants'> | UnknownValue;
  /** The policy document as the JSON text GetBucketPolicy returns. */
  readonly policy: string | null | UnknownValue;
  readonly publicAccessBlock: AwsPublicAccessBlock | null | UnknownValue;
  readonly accountPublicAccessBlock: AwsPublicAccessBlock | null | UnknownValue;
  readonly encryption: ServerSideEncryptionConfiguration | null | UnknownValue;
  readonly versioning: Pick<GetBucketVersioningOutput, 'Status' | 'MFADelete'> | UnknownValue;
  /** undefined when the bucket has no ownership controls (or they could not be read). */
  readonly ownershipControls?: OwnershipControls | undefined;
}

/** GetBucketLocation's LocationConstraint to a region: empty means us-east-1, and 'EU' is eu-west-1's legacy name. */
export function regionFromLocationConstraint(constraint: string | null | undefined): string {
  if (constraint === undefined || constraint === null || constraint === '') return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}

function granteeFromAws(grantee: Grantee | null | undefined): AclGrantee | undefined {
  if (!grantee) return undefined;
  // AWS always sets Type; the fallbacks read the field each type carries, for partial inputs (events).
  const type =
    grantee.Type ??
    (grantee.URI
      ? 'Group'
      : grantee.ID
        ? 'CanonicalUser'
        : grantee.EmailAddress
          ? 'AmazonCustomerByEmail'
          : undefined);
  if (type === 'CanonicalUser' && grantee.ID) {
    return {
      kind: 'canonical-user',
      id: grantee.ID,
      ...optional('displayName', grantee.DisplayName || undefined),
    };
  }
  if (type === 'Group' && grantee.URI) return { kind: 'group', uri: grantee.URI };
  if (type === 'AmazonCustomerByEmail' && grantee.EmailAddress)
    return { kind: 'email', email: grantee.EmailAddress };
  return undefined;
}

function grantSortKey(grant: AclGrant): string {
  const who =
    grant.grantee.kind === 'canonical-user'
      ? grant.grantee.id
      : grant.grantee.kind === 'group'
        ? grant.grantee.uri
        : grant.grantee.email;
  return `${grant.grantee.kind}\u0000${who}\u0000${grant.permission}`;
}

/** GetBucketAcl to the model's ACL; a grantee leuko cannot read makes the whole ACL unknown, never safe. */
export function aclFromAws(
  acl: Pick<GetBucketAclOutput, 'Owner' | 'Grants'> | UnknownValue,
): BucketModel['acl'] {
  if (isUnknown(acl)) return acl;
  const grants: AclGrant[] = [];
  for (const grant of acl.Grants ?? []) {
    const grantee = granteeFromAws(grant.Grantee);
    if (!grantee || !grant.Permission) {
      return unknownValue(`ACL grant with unrecognised grantee ${JSON.stringify(grant.Grantee ?? null)}`);
    }
    grants.push({ grantee, permission: grant.Permission });
  }
  // AWS returns grants in the order they were written; the store hashes the model, so order must not matter.
  grants.sort((a, b) => compareStrings(grantSortKey(a), grantSortKey(b)));
  return { ...optional('ownerId', acl.Owner?.ID), grants };
}

/** A public access block to the model; an unset flag is off, as S3 treats it. */
export function publicAccessBlockFromAws(
  block: AwsPublicAccessBlock | null | UnknownValue,
): PublicAccessBlock | null {
  if (block === null) return null;
  if (isUnknown(block)) {
    return {
      blockPublicAcls: block,
      ignorePublicAcls: block,
      blockPublicPolicy: block,
      restrictPublicBuckets: block,
    };
  }
  return {
    blockPublicAcls: block.BlockPublicAcls ?? false,
    ignorePublicAcls: block.IgnorePublicAcls ?? false,
    blockPublicPolicy: block.BlockPublicPolicy ?? false,
    restrictPublicBuckets: block.RestrictPublicBuckets ?? false,
  };
}

/** The policy text to a JSON document; text that does not parse is unknown rather than "no policy". */
export function policyFromAws(policy: string | null | UnknownValue): BucketModel['policy'] {
  if (policy === null || isUnknown(policy)) return policy;
  try {
    return JSON.parse(policy) as unknown;
  } catch {
    return unknownValue('bucket policy is not valid JSON');
  }
}

export function encryptionFromAws(
  encryption: ServerSideEncryptionConfiguration | null | UnknownValue,
): BucketModel['encryption'] {
  if (encryption === null || isUnknown(encryption)) return encryption;
  const rules: Array<{ algorithm: string; kmsKeyId?: string; bucketKeyEnabled?: boolean }> = [];
  for (const rule of encryption.Rules ?? []) {
    const byDefault = rule.ApplyServerSideEncryptionByDefault;
    // A rule without a default algorithm encrypts nothing by itself; keeping it would need a fake algorithm.
    if (!byDefault?.SSEAlgorithm) continue;
    rules.push({
      algorithm: byDefault.SSEAlgorithm,
      ...optional('kmsKeyId', byDefault.KMSMasterKeyID || undefined),
      ...optional('bucketKeyEnabled', rule.BucketKeyEnabled),
    });
  }
  return { rules };
}

/** Builds the canonical bucket model from the S3 responses (also used by CloudTrail event code). */
export function bucketFromAws(parts: AwsBucketParts): BucketModel {
  const versioning = parts.versioning;
  return {
    name: parts.name,
    region: parts.region,
    ...optional('creationDate', isoDate(parts.creationDate)),
    acl: aclFromAws(parts.acl),
    ...optional('objectOwnership', parts.ownershipControls?.Rules?.[0]?.ObjectOwnership),
    policy: policyFromAws(parts.policy),
    publicAccessBlock: publicAccessBlockFromAws(parts.publicAccessBlock),
    accountPublicAccessBlock: publicAccessBlockFromAws(parts.accountPublicAccessBlock),
    encryption: encryptionFromAws(parts.encryption),
    // GetBucketVersioning says nothing at all for a bucket whose versioning was never enabled.
    versioning: isUnknown(versioning) ? versioning : (versioning.Status ?? 'Off'),
    ...optional('mfaDelete', isUnknown(versioning) ? undefined : versioning.MFADelete),
  };
}

export function bucketTagsFromAws(tagSet: readonly Tag[] | undefined): Record<string, string> {
  return tagsFromList(tagSet);
}

function bucketArn(partition: string, name: string): string {
  return `arn:${partition}:s3:::${name}`;
}

const NO_SUCH_BUCKET = 'NoSuchBucket';

/**
 * Per S3 operation, the error codes that mean "this bucket (or account) has no such configuration": the
 * part is absent (null, {} for tags), not unreadable. Any other code is a failure or, if denied, unknown.
 */
export const ABSENT_CODES = {
  GetBucketPolicy: ['NoSuchBucketPolicy'],
  GetPublicAccessBlock: ['NoSuchPublicAccessBlockConfiguration'],
  GetBucketEncryption: ['ServerSideEncryptionConfigurationNotFoundError'],
  GetBucketOwnershipControls: ['OwnershipControlsNotFoundError'],
  GetBucketTagging: ['NoSuchTagSet'],
  GetBucketAcl: [],
  GetBucketVersioning: [],
} as const satisfies Record<string, readonly string[]>;

/** Reads one bucket's configuration in its own region; null when the bucket vanished meanwhile. */
async function readBucket(
  context: CollectContext,
  bucket: { name: string; region: string; creationDate?: Date | undefined },
  accountPublicAccessBlock: AwsPublicAccessBlock | null | UnknownValue,
): Promise<Resource<typeof TYPE> | null> {
  const { name, region } = bucket;
  const s3 = context.clients.client('s3', region);
  const read = <T>(action: string, send: () => Promise<T>) =>
    readOrUnknown(context, { type: TYPE, region, resourceId: name, action }, send);
  let parts;
  try {
    parts = await Promise.all([
      read('s3:GetBucketAcl', () => s3.send(new GetBucketAclCommand({ Bucket: name }))),
      read(
        's3:GetBucketPolicy',
        absentOn(ABSENT_CODES.GetBucketPolicy, () => s3.send(new GetBucketPolicyCommand({ Bucket: name }))),
      ),
      read(
        's3:GetBucketPublicAccessBlock',
        absentOn(ABSENT_CODES.GetPublicAccessBlock, () =>
          s3.send(new GetPublicAccessBlockCommand({ Bucket: name })),
        ),
      ),
      read(
        's3:GetEncryptionConfiguration',
        absentOn(ABSENT_CODES.GetBucketEncryption, () =>
          s3.send(new GetBucketEncryptionCommand({ Bucket: name })),
        ),
      ),
      read('s3:GetBucketVersioning', () => s3.send(new GetBucketVersioningCommand({ Bucket: name }))),
      read(
        's3:GetBucketOwnershipControls',
        absentOn(ABSENT_CODES.GetBucketOwnershipControls, () =>
          s3.send(new GetBucketOwnershipControlsCommand({ Bucket: name })),
        ),
      ),
      read(
        's3:GetBucketTagging',
        absentOn(ABSENT_CODES.GetBucketTagging, () => s3.send(new GetBucketTaggingCommand({ Bucket: name }))),
      ),
    ]);
  } catch (error) {
    // Deleted between ListBuckets and these reads: gone, not a failure.
    if (awsErrorCode(error) === NO_SUCH_BUCKET) return null;
    throw error;
  }
  const [acl, policy, publicAccessBlock, encryption, versioning, ownership, tagging] = parts;
  const config = bucketFromAws({
    name,
    region,
    creationDate: bucket.creationDate,
    acl,
    policy: policy === null || isUnknown(policy) ? policy : (policy.Policy ?? null),
    publicAccessBlock:
      publicAccessBlock === null || isUnknown(publicAccessBlock)
        ? publicAccessBlock
        : (publicAccessBlock.PublicAccessBlockConfiguration ?? null),
    accountPublicAccessBlock,
    encryption:
      encryption === null || isUnknown(encryption)
        ? encryption
        : (encryption.ServerSideEncryptionConfiguration ?? null),
    versioning,
    // The model has no unknown for ownership; unreadable controls stay undefined, so ACLs count as in
    // force, the cautious reading.
    ownershipControls: ownership === null || isUnknown(ownership) ? undefined : ownership.OwnershipControls,
  });
  return {
    type: TYPE,
    account: context.account,
    region,
    id: name,
    arn: bucketArn(context.partition, name),
    name,
    // Unreadable tags were warned about; with none, no tag-based exception applies, which errs toward reporting,
    // and tagsUnknown keeps remediation from taking the missing leuko:protect tag for absent.
    tags: tagging === null || isUnknown(tagging) ? {} : bucketTagsFromAws(tagging.TagSet),
    ...(isUnknown(tagging) ? { tagsUnknown: true as const } : {}),
    config,
  };
}

/** The account-wide block (S3 Control); read once per listing because it applies to every bucket. */
async function readAccountPublicAccessBlock(
  context: CollectContext,
): Promise<AwsPublicAccessBlock | null | UnknownValue> {
  const s3control = context.clients.client('s3control', context.region);
  const response = await readOrUnknown(
    context,
    {
      type: TYPE,
      region: context.region,
      resourceId: `account ${context.account}`,
      action: 's3:GetAccountPublicAccessBlock',
    },
    absentOn(ABSENT_CODES.GetPublicAccessBlock, () =>
      s3control.send(new GetAccountPublicAccessBlockCommand({ AccountId: context.account })),
    ),
  );
  if (response === null || isUnknown(response)) return response;
  return response.PublicAccessBlockConfiguration ?? null;
}

/** Buckets of the account, optionally only names starting with `prefix` (ListBuckets filters server-side). */
async function listBuckets(
  context: CollectContext,
  prefix?: string,
): Promise<Array<Bucket & { Name: string }>> {
  const pages = await allPages(
    context,
    context.region,
    's3:ListAllMyBuckets',
    paginateListBuckets(
      { client: context.clients.client('s3', context.region), pageSize: LIST_PAGE_SIZE },
      prefix ? { Prefix: prefix } : {},
    ),
  );
  return pages.flatMap((page) =>
    (page.Buckets ?? []).flatMap((bucket) =>
      bucket.Name === undefined ? [] : [{ ...bucket, Name: bucket.Name }],
    ),
  );
}

/**
 * The bucket's region: from ListBuckets when AWS reports it (it does since late 2024), else from
 * GetBucketLocation. undefined when the bucket is gone.
 */
async function bucketRegion(
  context: CollectContext,
  bucket: Bucket & { Name: string },
): Promise<string | undefined> {
  if (bucket.BucketRegion) return bucket.BucketRegion;
  const s3 = context.clients.client('s3', context.region);
  try {
    const response = await callAws(context, context.region, 's3:GetBucketLocation', () =>
      s3.send(new GetBucketLocationCommand({ Bucket: bucket.Name })),
    );
    return regionFromLocationConstraint(response.LocationConstraint);
  } catch (error) {
    if (awsErrorCode(error) === NO_SUCH_BUCKET) return undefined;
    throw error;
  }
}

async function collectBucket(
  context: CollectContext,
  bucket: Bucket & { Name: string },
  accountBlock: AwsPublicAccessBlock | null | UnknownValue,
): Promise<Resource<typeof TYPE> | null> {
  // An unreadable location fails the listing: skipping the bucket would mark it deleted in the store
  // and resolve its findings, the silent pass leuko must never give.
  const region = await bucketRegion(context, bucket);
  if (region === undefined) return null;
  return readBucket(context, { name: bucket.Name, region, creationDate: bucket.CreationDate }, accountBlock);
}

export const bucketModule: ResourceTypeModule<typeof TYPE> = {
  type: TYPE,
  service: 's3',
  cloudFormationType: 'AWS::S3::Bucket',
  listingScope: 'account',
  notFoundCodes: [NO_SUCH_BUCKET],
  permissions: {
    list: [
      's3:ListAllMyBuckets',
      's3:GetBucketLocation',
      's3:GetAccountPublicAccessBlock',
      's3:GetBucketAcl',
      's3:GetBucketPolicy',
      's3:GetBucketPublicAccessBlock',
      's3:GetEncryptionConfiguration',
      's3:GetBucketVersioning',
      's3:GetBucketOwnershipControls',
      's3:GetBucketTagging',
    ],
    // get() lists with a name prefix too: ListBuckets is the only source of the creation date, and
    // without it a bucket read by get() would hash differently from the same bucket read by list().
    get: [
      's3:ListAllMyBuckets',
      's3:GetBucketLocation',
      's3:GetAccountPublicAccessBlock',
      's3:GetBucketAcl',
      's3:GetBucketPolicy',
      's3:GetBucketPublicAccessBlock',
      's3:GetEncryptionConfiguration',
      's3:GetBucketVersioning',
      's3:GetBucketOwnershipControls',
      's3:GetBucketTagging',
    ],
  },

  async list(context) {
    const buckets = await listBuckets(context);
    if (buckets.length === 0) return [];
    const accountBlock = await readAccountPublicAccessBlock(context);
    const resources = await Promise.all(
      buckets.map((bucket) => collectBucket(context, bucket, accountBlock)),
    );
    return resources
      .filter((resource): resource is Resource<typeof TYPE> => resource !== null)
      .sort((a, b) => compareStrings(a.id, b.id));
  },

  async get(context, id) {
    // Only this account's buckets: a name owned by another account is "not ours", like a missing one.
    const bucket = (await listBuckets(context, id)).find((candidate) => candidate.Name === id);
    if (!bucket) return null;
    const region = await bucketRegion(context, bucket);
    if (region === undefined) return null;
    const accountBlock = await readAccountPublicAccessBlock(context);
    return readBucket(context, { name: id, region, creationDate: bucket.CreationDate }, accountBlock);
  },

  arn({ partition, id }) {
    return bucketArn(partition, id);
  },
};
