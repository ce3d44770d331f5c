// S3 bucket events to canonical changes: ACLs, policies, Block Public Access (bucket and account), creation.
import type { Grant } from '@aws-sdk/client-s3';
import {
  ALL_USERS_URI,
  AUTHENTICATED_USERS_URI,
  LOG_DELIVERY_URI,
  type BucketModel,
  type PublicAccessBlock,
} from '../../../core/models/bucket.js';
import type { Resource } from '../../../core/resource.js';
import { unknownValue } from '../../../core/unknown.js';
import {
  aclFromAws,
  policyFromAws,
  publicAccessBlockFromAws,
  regionFromLocationConstraint,
} from '../../../aws/resources/s3-bucket.js';
import { bool, isObject, obj, oneOrMany, str, type JsonObject } from '../record.js';
import { deletion, notShown, unresolved, upsert, type EventContext, type EventMapper } from './shared.js';

const TYPE = 'aws.s3.bucket';

/** Canned ACLs as grants, after the S3 documentation's table (the owner's FULL_CONTROL is left out). */
const CANNED_ACLS: Readonly<Record<string, ReadonlyArray<readonly [uri: string, permission: string]>>> = {
  private: [],
  'public-read': [[ALL_USERS_URI, 'READ']],
  'public-read-write': [
    [ALL_USERS_URI, 'READ'],
    [ALL_USERS_URI, 'WRITE'],
  ],
  'authenticated-read': [[AUTHENTICATED_USERS_URI, 'READ']],
  'log-delivery-write': [
    [LOG_DELIVERY_URI, 'WRITE'],
    [LOG_DELIVERY_URI, 'READ_ACP'],
  ],
  'bucket-owner-read': [],
  'bucket-owner-full-control': [],
};

const GRANT_HEADERS: ReadonlyArray<readonly [header: string, permission: string]> = [
  ['x-amz-grant-read', 'READ'],
  ['x-amz-grant-write', 'WRITE'],
  ['x-amz-grant-read-acp', 'READ_ACP'],
  ['x-amz-grant-write-acp', 'WRITE_ACP'],
  ['x-amz-grant-full-control', 'FULL_CONTROL'],
];

/** CloudTrail shows S3 headers as a string or a one-element list. */
function header(request: JsonObject, name: string): string | undefined {
  for (const value of oneOrMany(request[name])) {
    const text = str(value);
    if (text) return text;
  }
  return undefined;
}

/** `uri="http://…/AllUsers", id="…", emailAddress="…"` (an x-amz-grant-* header) to SDK grants. */
function grantsOfHeader(value: string, permission: string): Grant[] {
  const grants: Grant[] = [];
  for (const part of value.split(',')) {
    const match = /^\s*(uri|id|emailAddress)\s*=\s*"?([^"]*)"?\s*$/i.exec(part);
    if (!match) continue;
    const [, kind = '', who = ''] = match;
    const key = kind.toLowerCase();
    const grantee = key === 'uri' ? { Type: 'Group' as const, URI: who } : key === 'id' ? { Type: 'CanonicalUser' as const, ID: who } : { Type: 'AmazonCustomerByEmail' as const, EmailAddress: who };
    grants.push({ Grantee: grantee, Permission: permission as Grant['Permission'] });
  }
  return grants;
}

/** The ACL a request sets: the AccessControlPolicy body, a canned x-amz-acl, or x-amz-grant-* headers. */
function aclOfRequest(context: EventContext): BucketModel['acl'] | undefined {
  const request = context.request;
  const policy = obj(request.AccessControlPolicy);
  if (policy) {
    const list = obj(policy.AccessControlList);
    const grants: Grant[] = [];
    for (const grant of oneOrMany(list?.Grant)) {
      if (!isObject(grant)) continue;
      const grantee = obj(grant.Grantee);
      const type = str(grantee?.['xsi:type']) ?? str(grantee?.Type);
      grants.push({
        Grantee: {
          Type: type as 'Group' | 'CanonicalUser' | 'AmazonCustomerByEmail' | undefined,
          URI: str(grantee?.URI),
          ID: str(grantee?.ID),
          DisplayName: str(grantee?.DisplayName),
          EmailAddress: str(grantee?.EmailAddress),
        },
        Permission: str(grant.Permission) as Grant['Permission'],
      });
    }
    return aclFromAws({ Owner: { ID: str(obj(policy.Owner)?.ID) }, Grants: grants });
  }
  const canned = header(request, 'x-amz-acl');
  if (canned) {
    const grants = CANNED_ACLS[canned];
    if (!grants) return unknownValue(`canned ACL "${canned}" is not one leuko knows`);
    return aclFromAws({ Grants: grants.map(([uri, permission]) => ({ Grantee: { Type: 'Group', URI: uri }, Permission: permission as Grant['Permission'] })) });
  }
  const fromHeaders = GRANT_HEADERS.flatMap(([name, permission]) => {
    const value = header(request, name);
    return value ? grantsOfHeader(value, permission) : [];
  });
  return fromHeaders.length > 0 ? aclFromAws({ Grants: fromHeaders }) : undefined;
}

function blockOf(value: unknown): PublicAccessBlock | null {
  const config = obj(value);
  if (!config) return null;
  return publicAccessBlockFromAws({
    BlockPublicAcls: bool(config.BlockPublicAcls),
    IgnorePublicAcls: bool(config.IgnorePublicAcls),
    BlockPublicPolicy: bool(config.BlockPublicPolicy),
    RestrictPublicBuckets: bool(config.RestrictPublicBuckets),
  });
}

function unknownBlock(context: EventContext, what: string): PublicAccessBlock {
  const unknown = notShown(context, what);
  return { blockPublicAcls: unknown, ignorePublicAcls: unknown, blockPublicPolicy: unknown, restrictPublicBuckets: unknown };
}

/** A bucket model where everything the event does not set is an explicit unknown. */
function partialBucket(context: EventContext, name: string, region: string, known: Partial<BucketModel>): BucketModel {
  return {
    name,
    region,
    acl: notShown(context, 'the bucket ACL'),
    policy: notShown(context, 'the bucket policy'),
    publicAccessBlock: unknownBlock(context, 'the bucket public access block'),
    accountPublicAccessBlock: unknownBlock(context, 'the account public access block'),
    encryption: notShown(context, 'the bucket encryption'),
    versioning: notShown(context, 'versioning'),
    ...known,
  };
}

function bucketResource(context: EventContext, config: BucketModel): Resource<typeof TYPE> {
  return { type: TYPE, account: context.account, region: config.region, id: config.name, arn: `arn:${context.partition}:s3:::${config.name}`, name: config.name, tags: {}, config };
}

function bucketName(context: EventContext): string | undefined {
  return str(context.request.bucketName);
}

/** A mapper for an event that sets some bucket fields. */
function bucketEvent(known: (context: EventContext) => Partial<BucketModel> | undefined, options: { created?: boolean } = {}): EventMapper {
  return (context) => {
    const name = bucketName(context);
    if (!name) return unresolved(context, 'the record names no bucket');
    const set = known(context);
    if (!set) return [];
    const config = partialBucket(context, name, set.region ?? context.region, set);
    const fields = Object.keys(set).filter((field) => field !== 'name' && field !== 'region');
    return [upsert(context, bucketResource(context, config), ['name', ...fields], options)];
  };
}

const createBucket = bucketEvent(
  (context) => {
    const constraint = str(obj(context.request.CreateBucketConfiguration)?.LocationConstraint);
    // Without a constraint the bucket lands in the region the request was sent to (us-east-1 or nowhere).
    const region = constraint ? regionFromLocationConstraint(constraint) : context.region;
    const acl = aclOfRequest(context);
    const ownership = header(context.request, 'x-amz-object-ownership');
    return {
      region,
      ...(acl !== undefined ? { acl } : {}),
      ...(ownership ? { objectOwnership: ownership } : {}),
    };
  },
  { created: true },
);

const putBucketAcl = bucketEvent((context) => {
  const acl = aclOfRequest(context);
  return { acl: acl ?? unknownValue('PutBucketAcl without a readable ACL') };
});

const putBucketPolicy = bucketEvent((context) => {
  const policy = context.request.bucketPolicy ?? context.request.policy;
  if (typeof policy === 'string') return { policy: policyFromAws(policy) };
  if (isObject(policy)) return { policy };
  return { policy: unknownValue('PutBucketPolicy without a readable policy') };
});

const deleteBucketPolicy = bucketEvent(() => ({ policy: null }));

const putBucketBlock = bucketEvent((context) => ({
  publicAccessBlock: blockOf(context.request.PublicAccessBlockConfiguration) ?? unknownBlock(context, 'the new public access block'),
}));

const deleteBucketBlock = bucketEvent(() => ({ publicAccessBlock: null }));

function accountBlock(value: (context: EventContext) => PublicAccessBlock | null): EventMapper {
  return (context) => [
    {
      kind: 'account-setting',
      eventName: context.record.eventName,
      account: str(context.request['x-amz-account-id']) ?? context.account,
      region: context.region,
      setting: 'accountPublicAccessBlock',
      value: value(context),
      needsReRead: true,
    },
  ];
}

const putAccountBlock = accountBlock((context) => blockOf(context.request.PublicAccessBlockConfiguration));
const deleteAccountBlock = accountBlock(() => null);

/** PutPublicAccessBlock / DeletePublicAccessBlock name a bucket for the bucket's block, none for the account's. */
function eitherBlock(bucket: EventMapper, account: EventMapper): EventMapper {
  return (context) => (bucketName(context) ? bucket(context) : account(context));
}

const deleteBucket: EventMapper = (context) => {
  const name = bucketName(context);
  if (!name) return unresolved(context, 'the record names no bucket');
  return [deletion(context, TYPE, name, `arn:${context.partition}:s3:::${name}`)];
};

export const S3_BUCKET_EVENTS: Readonly<Record<string, EventMapper>> = {
  CreateBucket: createBucket,
  PutBucketAcl: putBucketAcl,
  PutBucketPolicy: putBucketPolicy,
  DeleteBucketPolicy: deleteBucketPolicy,
  PutBucketPublicAccessBlock: putBucketBlock,
  DeleteBucketPublicAccessBlock: deleteBucketBlock,
  PutPublicAccessBlock: eitherBlock(putBucketBlock, putAccountBlock),
  DeletePublicAccessBlock: eitherBlock(deleteBucketBlock, deleteAccountBlock),
  PutAccountPublicAccessBlock: putAccountBlock,
  DeleteAccountPublicAccessBlock: deleteAccountBlock,
  DeleteBucket: deleteBucket,
};
