// Tests of whole-template mapping: SAM and CDK templates, skipped resources, conditional resources, parameter files.
import { describe, expect, it } from 'vitest';
import { mapYaml } from '../../../test/templates/support/map-yaml.js';
import { loadTemplate } from './cfn-parse.js';
import { mapTemplate } from './cfn-map.js';
import { parseParameterFile } from './cfn-parameters.js';
import { combineVariantViolations, isConditional } from './mapped-resource.js';

describe('mapTemplate', () => {
  it('maps the plain resources of a SAM template and says the serverless ones are not', () => {
    const { mapping } = mapYaml(`Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {Timeout: 3}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {Handler: index.handler, Runtime: nodejs20.x, CodeUri: s3://b/k}
  Table:
    Type: AWS::DynamoDB::Table
    Properties: {BillingMode: PAY_PER_REQUEST}
`);
    expect(mapping.resources.map((r) => r.sourceId)).toEqual(['Table']);
    expect(mapping.skipped).toEqual([{ logicalId: 'Fn', type: 'AWS::Serverless::Function', reason: expect.stringMatching(/SAM/) }]);
    expect(mapping.transforms).toEqual(['AWS::Serverless-2016-10-31']);
    expect(mapping.warnings.some((w) => /AWS::Serverless::\* resources are not/.test(w.message))).toBe(true);
  });

  it('loads and maps a CDK synthesized template (cdk.out/*.template.json)', () => {
    const template = {
      Resources: {
        SiteBucket397A1860: {
          Type: 'AWS::S3::Bucket',
          Properties: { PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true } },
          UpdateReplacePolicy: 'Retain',
          DeletionPolicy: 'Retain',
          Metadata: { 'aws:cdk:path': 'Site/SiteBucket/Resource' },
        },
        SiteBucketPolicy3AC1D0F8: {
          Type: 'AWS::S3::BucketPolicy',
          Properties: {
            Bucket: { Ref: 'SiteBucket397A1860' },
            PolicyDocument: {
              Statement: [{ Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } }, Effect: 'Deny', Principal: { AWS: '*' }, Resource: [{ 'Fn::GetAtt': ['SiteBucket397A1860', 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['SiteBucket397A1860', 'Arn'] }, '/*']] }] }],
              Version: '2012-10-17',
            },
          },
        },
        CDKMetadata: { Type: 'AWS::CDK::Metadata', Properties: { Analytics: 'v2:deflate64:H4sI' }, Condition: 'CDKMetadataAvailable' },
      },
      Conditions: { CDKMetadataAvailable: { 'Fn::Or': [{ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] }] } },
      Parameters: { BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' } },
      Rules: { CheckBootstrapVersion: { Assertions: [{ Assert: { 'Fn::Not': [{ 'Fn::Contains': [['1', '2', '3', '4', '5'], { Ref: 'BootstrapVersion' }] }] }, AssertDescription: 'old' }] } },
    };
    const { only, get } = mapYaml(JSON.stringify(template, null, 1), {}, 'cdk.out/Site.template.json');
    const bucket = only('SiteBucket397A1860', 'aws.s3.bucket');
    expect((bucket.config.policy as { Statement: unknown[] }).Statement).toHaveLength(1);
    expect(isConditional(get('SiteBucket397A1860'))).toBe(false);
  });

  it('skips resources whose condition is false, and maps unknown-condition ones as maybe absent', () => {
    const { mapping, get } = mapYaml(`Parameters:
  Make: {Type: String}
Conditions:
  Never: !Equals [a, b]
  Maybe: !Equals [!Ref Make, "yes"]
Resources:
  Gone: {Type: AWS::S3::Bucket, Condition: Never}
  Perhaps: {Type: AWS::S3::Bucket, Condition: Maybe}
`);
    expect(mapping.skipped).toEqual([{ logicalId: 'Gone', type: 'AWS::S3::Bucket', reason: 'its condition Never is false' }]);
    const perhaps = get('Perhaps');
    expect(perhaps.mayBeAbsent).toBe(true);
    expect(perhaps.variants[0]?.when).toEqual([{ Maybe: true }]);
    const violation = { part: 'p', message: 'm', certainty: 'definite' as const };
    expect(combineVariantViolations(perhaps, [[violation]])[0]?.violation.certainty).toBe('possible');
  });

  it('reports Fn::ForEach loops and other types without failing', () => {
    const { mapping } = mapYaml(`Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Buckets:
    - Name
    - [a, b]
    - Bucket\${Name}: {Type: AWS::S3::Bucket}
  Role: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {}}}
`);
    expect(mapping.skipped[0]).toMatchObject({ type: 'Fn::ForEach' });
    expect(mapping.unmappedTypes).toEqual({ 'AWS::IAM::Role': 1 });
  });

  it('uses region and account options for every resource; ARNs name file and logical id', () => {
    const { only } = mapYaml('Resources:\n  B: {Type: AWS::S3::Bucket}\n', { region: 'eu-central-1', accountId: '111122223333' }, 'stacks/data.yaml');
    const bucket = only('B', 'aws.s3.bucket');
    expect([bucket.region, bucket.account, bucket.arn]).toEqual(['eu-central-1', '111122223333', 'arn:aws:cloudformation:template:stacks/data.yaml#B']);
    expect(bucket.config.region).toBe('eu-central-1');
    const defaults = mapYaml('Resources:\n  B: {Type: AWS::S3::Bucket}\n').only('B', 'aws.s3.bucket');
    expect([defaults.region, defaults.account]).toEqual(['unknown', 'unknown']);
  });

  it('maps odd property values without throwing (wrong types become warnings or unknowns)', () => {
    const loaded = loadTemplate(`Resources:
  S: {Type: AWS::EC2::SecurityGroup, Properties: {SecurityGroupIngress: "not a list", SecurityGroupEgress: [5, {IpProtocol: tcp}]}}
  B: {Type: AWS::S3::Bucket, Properties: {AccessControl: [1], BucketEncryption: 7, VersioningConfiguration: {}}}
  I: {Type: AWS::EC2::Instance, Properties: {SecurityGroupIds: 3, BlockDeviceMappings: [null, {Ebs: 1}], NetworkInterfaces: {}}}
  D: {Type: AWS::RDS::DBInstance, Properties: {PubliclyAccessible: maybe, StorageEncrypted: [], VPCSecurityGroups: [{}]}}
  T: {Type: AWS::DynamoDB::Table, Properties: {SSESpecification: [], PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: 2}}}
  X: {Type: AWS::S3::BucketPolicy, Properties: {Bucket: 5, PolicyDocument: "{not json"}}
  R: {Type: AWS::EC2::SecurityGroupIngress, Properties: {GroupId: [], IpProtocol: tcp}}
`, 'odd.yaml');
    const mapping = mapTemplate(loaded);
    expect(mapping.resources.length).toBeGreaterThan(0);
    expect(mapping.warnings.length).toBeGreaterThan(0);
  });
});

describe('parameter files', () => {
  const template = `Parameters:
  Cidr: {Type: String}
  Ports: {Type: CommaDelimitedList}
  Keep: {Type: String, Default: d}
Resources:
  S:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: !Ref Keep
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: !Select [0, !Ref Ports], ToPort: !Select [1, !Ref Ports], CidrIp: !Ref Cidr}
`;

  it('reads the CLI array form and overrides defaults', () => {
    const parameters = parseParameterFile('[{"ParameterKey": "Cidr", "ParameterValue": "0.0.0.0/0"}, {"ParameterKey": "Ports", "ParameterValue": "22, 23"}]', 'params.json');
    const sg = mapYaml(template, { parameters }).only('S', 'aws.ec2.security-group');
    expect(sg.config.rules[0]).toMatchObject({ fromPort: 22, toPort: 23, peer: { kind: 'ipv4', cidr: '0.0.0.0/0' } });
  });

  it('reads the {"Parameters": {...}} form', () => {
    expect(parseParameterFile('{"Parameters": {"Cidr": "10.0.0.0/8", "Port": 22}, "Tags": {}}', 'config.json')).toEqual({ Cidr: '10.0.0.0/8', Port: '22' });
  });

  it('UsePreviousValue means unknown, not the Default', () => {
    const parameters = parseParameterFile('[{"ParameterKey": "Keep", "UsePreviousValue": true}]', 'p.json');
    const sg = mapYaml(template, { parameters }).only('S', 'aws.ec2.security-group');
    expect(sg.config.description).toBeUndefined();
  });

  it('refuses malformed files with one clear error naming the file (and line)', () => {
    expect(() => parseParameterFile('[{"ParameterKey": "A",\n "ParameterValue": }]', 'p.json')).toThrow(/^p\.json:2:\d+: invalid JSON/);
    expect(() => parseParameterFile('{"Other": 1}', 'p.json')).toThrow(/not a parameter file/);
    expect(() => parseParameterFile('[{"ParameterValue": "x"}]', 'p.json')).toThrow(/no ParameterKey/);
  });
});
