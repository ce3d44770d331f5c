// Unit tests of the S3 bucket mapping: hand-made responses and real recorded S3 responses from the corpus.
import { readFileSync } from 'node:fs';
import type {
  GetBucketAclOutput,
  GetBucketEncryptionOutput,
  GetBucketOwnershipControlsOutput,
  GetBucketPolicyOutput,
  GetBucketTaggingOutput,
  GetBucketVersioningOutput,
  GetPublicAccessBlockOutput,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/harness/corpus.js';
import { placeboRecordings, readPlacebo, type PlaceboRecording } from '../../../test/harness/placebo.js';
import { ALL_USERS_URI, bucketSchema, type BucketModel } from '../../core/models/bucket.js';
import { unknownValue } from '../../core/unknown.js';
import { awsErrorCode, isAccessError, isNotFoundError } from '../aws-errors.js';
import {
  ABSENT_CODES,
  aclFromAws,
  bucketFromAws,
  bucketModule,
  bucketTagsFromAws,
  encryptionFromAws,
  policyFromAws,
  publicAccessBlockFromAws,
  regionFromLocationConstraint,
  type AwsBucketParts,
} from './s3-bucket.js';

function valid(model: BucketModel): BucketModel {
  // parse() drops keys the schema does not know, so equality also proves there are none.
  expect(bucketSchema.parse(model)).toEqual(model);
  return model;
}

const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';

/** A bucket with nothing configured, as the S3 reads report it. */
const BARE: AwsBucketParts = {
  name: 'bare',
  region: 'us-east-1',
  acl: {
    Owner: { ID: OWNER },
    Grants: [{ Grantee: { Type: 'CanonicalUser', ID: OWNER }, Permission: 'FULL_CONTROL' }],
  },
  policy: null,
  publicAccessBlock: null,
  accountPublicAccessBlock: null,
  encryption: null,
  versioning: {},
};

describe('regionFromLocationConstraint', () => {
  it.each([
    [undefined, 'us-east-1'],
    [null, 'us-east-1'],
    ['', 'us-east-1'],
    ['EU', 'eu-west-1'],
    ['eu-west-1', 'eu-west-1'],
    ['ap-southeast-2', 'ap-southeast-2'],
  ])('%j is %s', (constraint, region) => {
    expect(regionFromLocationConstraint(constraint)).toBe(region);
  });
});

describe('aclFromAws', () => {
  const grants: GetBucketAclOutput['Grants'] = [
    { Grantee: { Type: 'Group', URI: ALL_USERS_URI }, Permission: 'READ' },
    { Grantee: { Type: 'AmazonCustomerByEmail', EmailAddress: 'ops@example.com' }, Permission: 'READ_ACP' },
    { Grantee: { Type: 'CanonicalUser', ID: OWNER, DisplayName: 'owner' }, Permission: 'FULL_CONTROL' },
    { Grantee: { Type: 'CanonicalUser', ID: 'a'.repeat(64) }, Permission: 'WRITE' },
  ];
  const expected = {
    ownerId: OWNER,
    grants: [
      { grantee: { kind: 'canonical-user', id: OWNER, displayName: 'owner' }, permission: 'FULL_CONTROL' },
      { grantee: { kind: 'canonical-user', id: 'a'.repeat(64) }, permission: 'WRITE' },
      { grantee: { kind: 'email', email: 'ops@example.com' }, permission: 'READ_ACP' },
      { grantee: { kind: 'group', uri: ALL_USERS_URI }, permission: 'READ' },
    ],
  };

  it('maps each grantee type and sorts grants, whatever order AWS wrote them in', () => {
    expect(aclFromAws({ Owner: { ID: OWNER }, Grants: grants })).toEqual(expected);
    expect(aclFromAws({ Owner: { ID: OWNER }, Grants: [...(grants ?? [])].reverse() })).toEqual(expected);
  });

  it('makes the whole ACL unknown when one grantee cannot be read, rather than dropping the grant', () => {
    const acl = aclFromAws({ Grants: [{ Grantee: { Type: undefined }, Permission: 'READ' }] });
    expect(acl).toMatchObject({ $unknown: true });
    const noPermission = aclFromAws({ Grants: [{ Grantee: { Type: 'Group', URI: ALL_USERS_URI } }] });
    expect(noPermission).toMatchObject({ $unknown: true });
  });

  it('keeps an unknown ACL unknown', () => {
    expect(aclFromAws(unknownValue('s3:GetBucketAcl denied'))).toEqual(
      unknownValue('s3:GetBucketAcl denied'),
    );
  });
});

describe('policyFromAws, publicAccessBlockFromAws, encryptionFromAws', () => {
  it('parses the policy text; text that does not parse is unknown, never "no policy"', () => {
    expect(policyFromAws('{"Version":"2012-10-17","Statement":[]}')).toEqual({
      Version: '2012-10-17',
      Statement: [],
    });
    expect(policyFromAws(null)).toBeNull();
    expect(policyFromAws('{not json')).toEqual(unknownValue('bucket policy is not valid JSON'));
  });

  it('reads an unset block flag as off, and a denied block as four unknown flags', () => {
    expect(publicAccessBlockFromAws({ BlockPublicAcls: true })).toEqual({
      blockPublicAcls: true,
      ignorePublicAcls: false,
      blockPublicPolicy: false,
      restrictPublicBuckets: false,
    });
    const denied = unknownValue('s3:GetBucketPublicAccessBlock denied');
    expect(publicAccessBlockFromAws(denied)).toEqual({
      blockPublicAcls: denied,
      ignorePublicAcls: denied,
      blockPublicPolicy: denied,
      restrictPublicBuckets: denied,
    });
    expect(publicAccessBlockFromAws(null)).toBeNull();
  });

  it('keeps each default-encryption rule; none configured is null', () => {
    expect(
      encryptionFromAws({
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/data' },
            BucketKeyEnabled: true,
          },
        ],
      }),
    ).toEqual({ rules: [{ algorithm: 'aws:kms', kmsKeyId: 'alias/data', bucketKeyEnabled: true }] });
    expect(encryptionFromAws(null)).toBeNull();
  });
});

describe('bucketFromAws', () => {
  it('builds a bucket with nothing configured', () => {
    expect(valid(bucketFromAws({ ...BARE, creationDate: new Date('2024-03-01T10:00:00Z') }))).toEqual({
      name: 'bare',
      region: 'us-east-1',
      creationDate: '2024-03-01T10:00:00.000Z',
      acl: {
        ownerId: OWNER,
        grants: [{ grantee: { kind: 'canonical-user', id: OWNER }, permission: 'FULL_CONTROL' }],
      },
      policy: null,
      publicAccessBlock: null,
      accountPublicAccessBlock: null,
      encryption: null,
      versioning: 'Off',
    });
  });

  it('carries ownership, versioning with MFA delete, and the account block', () => {
    const model = valid(
      bucketFromAws({
        ...BARE,
        versioning: { Status: 'Enabled', MFADelete: 'Enabled' },
        ownershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        accountPublicAccessBlock: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
    expect(model.versioning).toBe('Enabled');
    expect(model.mfaDelete).toBe('Enabled');
    expect(model.objectOwnership).toBe('BucketOwnerEnforced');
    expect(model.accountPublicAccessBlock).toEqual({
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    });
  });

  it('keeps every unreadable part unknown', () => {
    const denied = (action: string) => unknownValue(`${action} denied`);
    const model = valid(
      bucketFromAws({
        ...BARE,
        acl: denied('s3:GetBucketAcl'),
        policy: denied('s3:GetBucketPolicy'),
        encryption: denied('s3:GetEncryptionConfiguration'),
        versioning: denied('s3:GetBucketVersioning'),
      }),
    );
    expect(model.acl).toEqual(denied('s3:GetBucketAcl'));
    expect(model.policy).toEqual(denied('s3:GetBucketPolicy'));
    expect(model.encryption).toEqual(denied('s3:GetEncryptionConfiguration'));
    expect(model.versioning).toEqual(denied('s3:GetBucketVersioning'));
    expect(model).not.toHaveProperty('mfaDelete');
  });
});

describe('bucketModule', () => {
  it('is one account-wide listing, declares its IAM actions, and builds bucket ARNs', () => {
    expect(bucketModule.listingScope).toBe('account');
    expect(bucketModule.cloudFormationType).toBe('AWS::S3::Bucket');
    for (const action of [
      's3:ListAllMyBuckets',
      's3:GetBucketAcl',
      's3:GetBucketPolicy',
      's3:GetBucketPublicAccessBlock',
      's3:GetAccountPublicAccessBlock',
      's3:GetEncryptionConfiguration',
      's3:GetBucketVersioning',
      's3:GetBucketOwnershipControls',
      's3:GetBucketTagging',
    ]) {
      expect(bucketModule.permissions.list).toContain(action);
      expect(bucketModule.permissions.get).toContain(action);
    }
    expect(
      bucketModule.arn({ partition: 'aws-cn', region: 'cn-north-1', account: '111122223333', id: 'logs' }),
    ).toBe('arn:aws-cn:s3:::logs');
  });
});

describe('S3 mapping on botocore response-parsing fixtures (corpus)', () => {
  const dir = corpusPath('api-responses', 'botocore-response-parsing');
  const read = <T>(name: string): T => JSON.parse(readFileSync(`${dir ?? ''}/${name}`, 'utf8')) as T;

  it.skipIf(!dir)('maps GetBucketAcl: the owner with full control, display name kept', () => {
    expect(aclFromAws(read<GetBucketAclOutput>('s3-get-bucket-acl.json'))).toEqual({
      ownerId: '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a',
      grants: [
        {
          grantee: {
            kind: 'canonical-user',
            id: '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a',
            displayName: 'CustomersName@amazon.com',
          },
          permission: 'FULL_CONTROL',
        },
      ],
    });
  });

  it.skipIf(!dir)('parses GetBucketPolicy text into the policy document', () => {
    expect(policyFromAws(read<GetBucketPolicyOutput>('s3-get-bucket-policy.json').Policy ?? null)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AddPerm',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::bucket-name/*',
        },
      ],
    });
  });

  it.skipIf(!dir)('turns every ListBuckets entry into a valid model, creation dates as ISO strings', () => {
    const listed = read<{ Buckets: Array<{ Name: string; CreationDate: string }> }>('s3-list-buckets.json');
    expect(listed.Buckets).toHaveLength(36);
    for (const bucket of listed.Buckets) {
      const model = valid(bucketFromAws({ ...BARE, name: bucket.Name, creationDate: bucket.CreationDate }));
      expect(model.creationDate).toBe(new Date(bucket.CreationDate).toISOString());
    }
    expect(bucketFromAws({ ...BARE, creationDate: listed.Buckets[0]?.CreationDate }).creationDate).toBe(
      '2012-02-20T17:45:32.000Z',
    );
  });
});

describe('S3 mapping on Cloud Custodian placebo recordings (corpus)', () => {
  const dir = corpusPath('api-responses', 'cloud-custodian-placebo');
  const recorded = (operation: string): PlaceboRecording[] => placeboRecordings(dir ?? '', `s3.${operation}`);
  const ok = (operation: string) => recorded(operation).filter((recording) => recording.statusCode === 200);
  const one = <T>(path: string): T => readPlacebo(`${dir ?? ''}/${path}`).data as T;

  it.skipIf(!dir)('maps a recorded world-writable ACL (AllUsers WRITE) and an empty one', () => {
    expect(aclFromAws(one<GetBucketAclOutput>('test_s3_grants/s3.GetBucketAcl_1.json'))).toEqual({
      ownerId: '904fc4c4790937100e9eb293a15e6a0a1f265a064888055b43d030034f8881ee',
      grants: [{ grantee: { kind: 'group', uri: ALL_USERS_URI }, permission: 'WRITE' }],
    });
    expect(aclFromAws(one<GetBucketAclOutput>('test_s3_grants/s3.GetBucketAcl_2.json'))).toEqual({
      ownerId: '904fc4c4790937100e9eb293a15e6a0a1f265a064888055b43d030034f8881ee',
      grants: [],
    });
  });

  it.skipIf(!dir)('maps every recorded GetBucketAcl, keeping every grant and every group grantee', () => {
    const recordings = ok('GetBucketAcl');
    expect(recordings.length).toBeGreaterThanOrEqual(10);
    for (const recording of recordings) {
      const output = recording.data as GetBucketAclOutput;
      const acl = aclFromAws(output);
      const model = valid(bucketFromAws({ ...BARE, acl: output }));
      expect(model.acl, recording.file).toEqual(acl);
      if (!('grants' in acl)) throw new Error(`${recording.file}: ACL unexpectedly unknown`);
      expect(acl.grants, recording.file).toHaveLength(output.Grants?.length ?? 0);
      const groups = (output.Grants ?? [])
        .flatMap((grant) => (grant.Grantee?.URI ? [grant.Grantee.URI] : []))
        .sort();
      expect(
        acl.grants.flatMap((grant) => (grant.grantee.kind === 'group' ? [grant.grantee.uri] : [])).sort(),
        recording.file,
      ).toEqual(groups);
    }
  });

  it.skipIf(!dir)('maps recorded public access blocks flag by flag', () => {
    expect(
      publicAccessBlockFromAws(
        one<GetPublicAccessBlockOutput>('test_s3_check_public_block/s3.GetPublicAccessBlock_2.json')
          .PublicAccessBlockConfiguration ?? null,
      ),
    ).toEqual({
      blockPublicAcls: true,
      ignorePublicAcls: false,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    });
    for (const recording of ok('GetPublicAccessBlock')) {
      const block = (recording.data as GetPublicAccessBlockOutput).PublicAccessBlockConfiguration;
      expect(publicAccessBlockFromAws(block ?? null), recording.file).toEqual({
        blockPublicAcls: block?.BlockPublicAcls,
        ignorePublicAcls: block?.IgnorePublicAcls,
        blockPublicPolicy: block?.BlockPublicPolicy,
        restrictPublicBuckets: block?.RestrictPublicBuckets,
      });
    }
  });

  it.skipIf(!dir)('maps recorded default encryption, including a rule that names no algorithm', () => {
    expect(
      encryptionFromAws(
        one<GetBucketEncryptionOutput>('test_s3_bucket_key_enabled/s3.GetBucketEncryption_2.json')
          .ServerSideEncryptionConfiguration ?? null,
      ),
    ).toEqual({
      rules: [
        {
          algorithm: 'aws:kms',
          kmsKeyId: 'arn:aws:kms:us-east-1:644160558196:key/845ab6f1-744c-4edc-b702-efae6836818a',
          bucketKeyEnabled: true,
        },
      ],
    });
    // A configuration with only BucketKeyEnabled sets no default encryption at all.
    expect(
      encryptionFromAws(
        one<GetBucketEncryptionOutput>(
          'test_s3_filter_bucket_encryption_disabled_malformed_statement/s3.GetBucketEncryption_1.json',
        ).ServerSideEncryptionConfiguration ?? null,
      ),
    ).toEqual({ rules: [] });
    for (const recording of ok('GetBucketEncryption')) {
      const encryption =
        (recording.data as GetBucketEncryptionOutput).ServerSideEncryptionConfiguration ?? null;
      valid(bucketFromAws({ ...BARE, encryption }));
    }
  });

  it.skipIf(!dir)(
    'maps recorded versioning (nothing reported is Off), ownership controls, tags and locations',
    () => {
      const versions = ok('GetBucketVersioning').map(
        (recording) =>
          bucketFromAws({ ...BARE, versioning: recording.data as GetBucketVersioningOutput }).versioning,
      );
      expect(new Set(versions)).toEqual(new Set(['Enabled', 'Suspended', 'Off']));
      expect(
        bucketFromAws({
          ...BARE,
          ownershipControls: one<GetBucketOwnershipControlsOutput>(
            'test_s3_ownership_defined/s3.GetBucketOwnershipControls_3.json',
          ).OwnershipControls,
        }).objectOwnership,
      ).toBe('BucketOwnerEnforced');
      expect(
        bucketTagsFromAws(
          one<GetBucketTaggingOutput>('test_s3_get_resources/s3.GetBucketTagging_1.json').TagSet,
        ),
      ).toEqual({
        Application: 'test',
        Env: 'Dev',
        Owner: 'nicholase',
        Retention: '2',
        Retention2: '3',
        test: 'test',
      });
      expect(
        ok('GetBucketLocation').map((recording) =>
          regionFromLocationConstraint(
            (recording.data as { LocationConstraint?: string }).LocationConstraint,
          ),
        ),
      ).toEqual(['us-west-2', 'us-east-1', 'us-east-1', 'us-east-1']);
    },
  );

  it.skipIf(!dir)(
    'declares exactly the "not configured" codes AWS really sent; a recorded denial is access, not absence',
    () => {
      const seen = new Set<string>();
      for (const [operation, codes] of Object.entries(ABSENT_CODES)) {
        for (const recording of recorded(operation).filter((candidate) => candidate.statusCode !== 200)) {
          const error = (recording.data as { Error: { Code: string } }).Error;
          if (recording.statusCode === 404) {
            expect(codes as readonly string[], `${recording.file}: ${error.Code}`).toContain(error.Code);
            seen.add(error.Code);
          } else {
            expect(recording.statusCode, recording.file).toBe(403);
            expect(isAccessError(error), recording.file).toBe(true);
            expect(codes as readonly string[]).not.toContain(awsErrorCode(error));
          }
        }
      }
      // Every declared code has at least one real 404 behind it.
      expect([...seen].sort()).toEqual([
        'NoSuchBucketPolicy',
        'NoSuchPublicAccessBlockConfiguration',
        'NoSuchTagSet',
        'OwnershipControlsNotFoundError',
        'ServerSideEncryptionConfigurationNotFoundError',
      ]);
    },
  );

  it.skipIf(!dir)('treats a recorded NoSuchBucket as gone', () => {
    const gone = placeboRecordings(dir ?? '', 's3.ListObjectVersions').find(
      (recording) => recording.statusCode === 404,
    );
    const error = (gone?.data as { Error: { Code: string } }).Error;
    expect(isNotFoundError(error, bucketModule.notFoundCodes)).toBe(true);
  });
});
