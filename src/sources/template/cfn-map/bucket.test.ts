// Tests of S3 bucket mapping: canned ACLs, AWS defaults for new buckets, public access block, policies.
import { describe, expect, it } from 'vitest';
import { ALL_USERS_URI, AUTHENTICATED_USERS_URI, LOG_DELIVERY_URI } from '../../../core/models/index.js';
import { isUnknown } from '../../../core/unknown.js';
import { mapYaml } from '../../../../test/templates/support/map-yaml.js';
import { locateInSource } from '../locate-violation.js';
import { EC2_CANONICAL_ID, TEMPLATE_OWNER_ID, cannedAclGrants } from '../s3-acl.js';

const bucket = (properties = '', extra = '') => `Resources:\n  Data:\n    Type: AWS::S3::Bucket\n${properties ? `    Properties:\n${properties}` : ''}${extra}`;
const owner = { grantee: { kind: 'canonical-user', id: TEMPLATE_OWNER_ID }, permission: 'FULL_CONTROL' };
const group = (uri: string, permission: string) => ({ grantee: { kind: 'group', uri }, permission });

describe('canned ACLs expand to the grants AWS creates', () => {
  it.each([
    ['Private', [owner]],
    ['PublicRead', [owner, group(ALL_USERS_URI, 'READ')]],
    ['PublicReadWrite', [owner, group(ALL_USERS_URI, 'READ'), group(ALL_USERS_URI, 'WRITE')]],
    ['AuthenticatedRead', [owner, group(AUTHENTICATED_USERS_URI, 'READ')]],
    ['LogDeliveryWrite', [owner, group(LOG_DELIVERY_URI, 'WRITE'), group(LOG_DELIVERY_URI, 'READ_ACP')]],
    ['AwsExecRead', [owner, { grantee: { kind: 'canonical-user', id: EC2_CANONICAL_ID, displayName: 'za-team' }, permission: 'READ' }]],
    ['BucketOwnerRead', [owner]],
    ['BucketOwnerFullControl', [owner]],
  ])('%s', (canned, grants) => {
    const { only } = mapYaml(bucket(`      AccessControl: ${canned}\n`));
    expect(only('Data', 'aws.s3.bucket').config.acl).toEqual({ ownerId: TEMPLATE_OWNER_ID, grants });
  });

  it('reads the S3 API spelling too (public-read)', () => {
    expect(cannedAclGrants('public-read')).toEqual(cannedAclGrants('PublicRead'));
    expect(cannedAclGrants('nonsense')).toBeUndefined();
  });

  it('an unknown AccessControl is an unknown ACL', () => {
    const { only } = mapYaml(`Parameters:\n  Acl: {Type: String}\n${bucket('      AccessControl: !Ref Acl\n')}`);
    expect(isUnknown(only('Data', 'aws.s3.bucket').config.acl)).toBe(true);
  });
});

describe('what AWS does for properties the template leaves out', () => {
  it('new buckets: all four block flags on, ACLs disabled, SSE-S3, versioning off, private ACL', () => {
    const config = mapYaml(bucket()).only('Data', 'aws.s3.bucket').config;
    expect(config.publicAccessBlock).toEqual({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true });
    expect(config.objectOwnership).toBe('BucketOwnerEnforced');
    expect(config.encryption).toEqual({ rules: [{ algorithm: 'AES256' }] });
    expect(config.versioning).toBe('Off');
    expect(config.policy).toBeNull();
    expect(config.acl).toEqual({ ownerId: TEMPLATE_OWNER_ID, grants: [owner] });
  });

  it('the account-level block is unknown (not "off"), unless the caller knows it', () => {
    const unknownBlock = mapYaml(bucket()).only('Data', 'aws.s3.bucket').config.accountPublicAccessBlock;
    expect(unknownBlock && Object.values(unknownBlock).every(isUnknown)).toBe(true);
    const known = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false };
    expect(mapYaml(bucket(), { accountPublicAccessBlock: known }).only('Data', 'aws.s3.bucket').config.accountPublicAccessBlock).toEqual(known);
  });

  it('a given PublicAccessBlockConfiguration: flags left out are false', () => {
    const config = mapYaml(bucket('      PublicAccessBlockConfiguration:\n        BlockPublicAcls: true\n        IgnorePublicAcls: "true"\n')).only('Data', 'aws.s3.bucket').config;
    expect(config.publicAccessBlock).toEqual({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false });
  });

  it('reads encryption, versioning and ownership controls', () => {
    const config = mapYaml(
      bucket(`      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: {SSEAlgorithm: "aws:kms", KMSMasterKeyID: !GetAtt Key.Arn}
            BucketKeyEnabled: true
      VersioningConfiguration: {Status: Enabled}
      OwnershipControls: {Rules: [{ObjectOwnership: ObjectWriter}]}
      BucketName: my-data
      Tags: [{Key: team, Value: data}]
`, '  Key:\n    Type: AWS::KMS::Key\n'),
    ).only('Data', 'aws.s3.bucket');
    expect(config.config.encryption).toEqual({ rules: [{ algorithm: 'aws:kms', kmsKeyId: 'Key', bucketKeyEnabled: true }] });
    expect(config.config.versioning).toBe('Enabled');
    expect(config.config.objectOwnership).toBe('ObjectWriter');
    expect(config.config.name).toBe('my-data');
    expect(config.id).toBe('my-data');
    expect(config.name).toBe('my-data');
    expect(config.tags).toEqual({ team: 'data' });
  });
});

describe('AWS::S3::BucketPolicy', () => {
  const policy = (bucketRef: string) => `  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: ${bucketRef}
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: !Sub "arn:\${AWS::Partition}:s3:::\${Data}/*"
`;

  it('attaches to the bucket it references, keeping unknown parts inside the document unknown', () => {
    const { only, get, loaded } = mapYaml(bucket('', policy('!Ref Data')));
    const config = only('Data', 'aws.s3.bucket').config;
    const document = config.policy as { Statement: Array<{ Principal: unknown; Resource: unknown }> };
    expect(document.Statement[0]?.Principal).toBe('*');
    expect(isUnknown(document.Statement[0]?.Resource)).toBe(true);
    expect(locateInSource(get('Data'), 0, ['policy', 'Statement', 0, 'Principal'], loaded)).toMatchObject({ line: 11 });
  });

  it('attaches by bucket name', () => {
    const { only } = mapYaml(bucket('      BucketName: named\n', policy('named')));
    const named = only('Data', 'aws.s3.bucket');
    expect(named.id).toBe('named');
    expect(named.config.policy).not.toBeNull();
  });

  it('a policy for a bucket outside the template lands on a synthetic bucket whose other settings are unknown', () => {
    const { only, get } = mapYaml(`Resources:\n${policy('existing-bucket')}`);
    const config = only('existing-bucket', 'aws.s3.bucket').config;
    expect(get('existing-bucket').synthetic).toBe(true);
    expect(config.policy).not.toBeNull();
    expect(isUnknown(config.acl)).toBe(true);
    expect(Object.values(config.publicAccessBlock ?? {}).every(isUnknown)).toBe(true);
  });

  it('a conditional policy makes the bucket conditional', () => {
    const { get } = mapYaml(`Parameters:\n  Public: {Type: String}\nConditions:\n  IsPublic: !Equals [!Ref Public, "yes"]\n${bucket('', policy('!Ref Data').replace('Type: AWS::S3::BucketPolicy', 'Type: AWS::S3::BucketPolicy\n    Condition: IsPublic'))}`);
    const mapped = get('Data');
    expect(mapped.variants).toHaveLength(2);
    expect(mapped.variants.map((v) => (v.resource.config as { policy: unknown }).policy === null).sort()).toEqual([false, true]);
  });
});
