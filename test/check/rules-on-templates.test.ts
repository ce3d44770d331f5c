// Every built-in rule on small hand-made templates: fires where it should, stays quiet where it should, with certainty and position.
import { describe, expect, it } from 'vitest';
import { BUILT_IN_RULES } from '../../src/core/engine/index.js';
import { MAPPED_CFN_TYPES, MAPPED_TERRAFORM_TYPES } from '../../src/sources/template/index.js';
import { check, of, rule, sgTemplate } from './support.js';

const bucket = (properties: string, extra = '') => `Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties:
${properties}${extra}`;

const openPab = `      PublicAccessBlockConfiguration:
        BlockPublicAcls: false
        BlockPublicPolicy: false
        IgnorePublicAcls: false
        RestrictPublicBuckets: false
`;

const policyFor = (principal: string) => `  DataPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Data
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: ${principal}
            Action: s3:GetObject
            Resource: !Sub '\${Data.Arn}/*'
`;

const db = (properties: string) => `Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t3.micro
      AllocatedStorage: '20'
${properties}`;

interface Case {
  readonly n: string;
  readonly name: string;
  readonly template: string;
  readonly config?: Parameters<typeof check>[1];
  readonly region?: string;
  /** Certainties of the rule's findings, in order; [] for none. */
  readonly expect: ReadonlyArray<'definite' | 'possible'>;
  /** Line of the first finding. */
  readonly line?: number;
}

const CASES: Readonly<Record<string, readonly Case[]>> = {
  'sg-ingress-open-all': [
    { n: 'N1', name: 'all protocols from 0.0.0.0/0', template: sgTemplate(rule('-1', -1, -1, 'CidrIp: 0.0.0.0/0')), expect: ['definite'], line: 8 },
    { n: 'N2', name: 'every tcp port from ::/0', template: sgTemplate(rule('tcp', 0, 65535, 'CidrIpv6: ::/0')), expect: ['definite'] },
    { n: 'C1', name: 'all protocols from a private range', template: sgTemplate(rule('-1', -1, -1, 'CidrIp: 10.0.0.0/8')), expect: [] },
  ],
  'sg-ingress-open-admin': [
    { n: 'N1', name: 'SSH from anywhere', template: sgTemplate(rule('tcp', 22, 22, 'CidrIp: 0.0.0.0/0')), expect: ['definite'], line: 8 },
    { n: 'N2', name: 'RDP inside a range', template: sgTemplate(rule('tcp', 3000, 4000, 'CidrIp: 0.0.0.0/0')), expect: ['definite'] },
    { n: 'C1', name: 'SSH from one host', template: sgTemplate(rule('tcp', 22, 22, 'CidrIp: 203.0.113.7/32')), expect: [] },
    { n: 'C2', name: 'HTTPS from anywhere', template: sgTemplate(rule('tcp', 443, 443, 'CidrIp: 0.0.0.0/0')), expect: [] },
  ],
  'sg-ingress-open-db': [
    { n: 'N1', name: 'PostgreSQL from ::/0', template: sgTemplate(rule('tcp', 5432, 5432, 'CidrIpv6: ::/0')), expect: ['definite'] },
    { n: 'C1', name: 'PostgreSQL from another group', template: sgTemplate(rule('tcp', 5432, 5432, 'SourceSecurityGroupId: sg-0123456789abcdef0')), expect: [] },
  ],
  'sg-ingress-open-port': [
    { n: 'N1', name: '8080 from anywhere', template: sgTemplate(rule('tcp', 8080, 8080, 'CidrIp: 0.0.0.0/0')), expect: ['definite'] },
    { n: 'N2', name: '80 with allowedPorts [] (the Checkov CKV_AWS_260 view)', template: sgTemplate(rule('tcp', 80, 80, 'CidrIp: 0.0.0.0/0')), config: { rules: { 'sg-ingress-open-port': { allowedPorts: [] } } }, expect: ['definite'] },
    { n: 'C1', name: '80 is allowed by default', template: sgTemplate(rule('tcp', 80, 80, 'CidrIp: 0.0.0.0/0')), expect: [] },
  ],
  'sg-ingress-baseline': [
    {
      n: 'N1',
      name: 'a rule outside the baseline',
      template: sgTemplate(rule('tcp', 8443, 8443, 'CidrIp: 10.0.0.0/8')),
      config: { rules: { 'sg-ingress-baseline': { baseline: [{ protocol: 'tcp', ports: 443, cidrs: ['10.0.0.0/8'] }] } } },
      expect: ['definite'],
    },
    {
      n: 'C1',
      name: 'a rule inside the baseline',
      template: sgTemplate(rule('tcp', 443, 443, 'CidrIp: 10.1.0.0/16')),
      config: { rules: { 'sg-ingress-baseline': { baseline: [{ protocol: 'tcp', ports: 443, cidrs: ['10.0.0.0/8'] }] } } },
      expect: [],
    },
  ],
  'sg-default-has-rules': [
    {
      n: 'N1',
      name: 'an ingress rule added to the VPC default group by name',
      template: `Resources:
  AddToDefault:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupName: default
      IpProtocol: tcp
      FromPort: 443
      ToPort: 443
      CidrIp: 10.0.0.0/8
`,
      expect: ['definite'],
    },
    { n: 'C1', name: 'a group of its own', template: sgTemplate(rule('tcp', 443, 443, 'CidrIp: 10.0.0.0/8')), expect: [] },
  ],
  'sg-egress-open-all': [
    { n: 'N1', name: 'no SecurityGroupEgress: AWS adds allow-all egress', template: sgTemplate(rule('tcp', 443, 443, 'CidrIp: 10.0.0.0/8')), config: { rules: { 'sg-egress-open-all': true } }, expect: ['definite'] },
    {
      n: 'C1',
      name: 'egress narrowed to one port',
      template: sgTemplate(rule('tcp', 443, 443, 'CidrIp: 10.0.0.0/8'), '      SecurityGroupEgress:\n        - IpProtocol: tcp\n          FromPort: 443\n          ToPort: 443\n          CidrIp: 10.0.0.0/8\n'),
      config: { rules: { 'sg-egress-open-all': true } },
      expect: [],
    },
  ],
  's3-public-acl': [
    { n: 'N1', name: 'PublicRead with ACLs enabled and no public access block', template: bucket(`      AccessControl: PublicRead\n      OwnershipControls:\n        Rules:\n          - ObjectOwnership: ObjectWriter\n${openPab}`), expect: ['possible'] },
    { n: 'C1', name: 'PublicRead with ACLs disabled (BucketOwnerEnforced, the default)', template: bucket('      AccessControl: PublicRead\n'), expect: [] },
  ],
  's3-public-policy': [
    { n: 'N1', name: 'Principal * on GetObject without a public access block', template: bucket(openPab, policyFor("'*'")), expect: ['possible'] },
    { n: 'C1', name: 'a named account', template: bucket(openPab, policyFor("{ AWS: 'arn:aws:iam::111122223333:root' }")), expect: [] },
  ],
  's3-public-access-block-off': [
    // Possible, not definite: the account-level block may still be on, and a template cannot tell.
    { n: 'N1', name: 'all four flags off (account-level block unknown)', template: bucket(openPab), expect: ['possible'] },
    { n: 'C1', name: 'left out: the 2023 defaults are on', template: bucket('      BucketName: data\n'), expect: [] },
  ],
  'ebs-unencrypted': [
    { n: 'N1', name: 'Encrypted: false', template: 'Resources:\n  Vol:\n    Type: AWS::EC2::Volume\n    Properties:\n      AvailabilityZone: eu-west-1a\n      Size: 10\n      Encrypted: false\n', expect: ['definite'], line: 7 },
    { n: 'N2', name: 'left out: depends on encryption by default', template: 'Resources:\n  Vol:\n    Type: AWS::EC2::Volume\n    Properties:\n      AvailabilityZone: eu-west-1a\n      Size: 10\n', expect: ['possible'] },
    { n: 'C1', name: 'Encrypted: true', template: 'Resources:\n  Vol:\n    Type: AWS::EC2::Volume\n    Properties:\n      AvailabilityZone: eu-west-1a\n      Size: 10\n      Encrypted: true\n', expect: [] },
  ],
  'rds-unencrypted': [
    { n: 'N1', name: 'StorageEncrypted left out', template: db(''), expect: ['definite'] },
    { n: 'C1', name: 'StorageEncrypted: true', template: db('      StorageEncrypted: true\n'), expect: [] },
  ],
  'rds-public': [
    { n: 'N1', name: 'PubliclyAccessible: true', template: db('      PubliclyAccessible: true\n'), expect: ['definite'] },
    { n: 'C1', name: 'PubliclyAccessible: false', template: db('      PubliclyAccessible: false\n'), expect: [] },
  ],
  'dynamodb-no-pitr': [
    {
      n: 'N1',
      name: 'no point-in-time recovery',
      template: 'Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]\n      KeySchema: [{ AttributeName: id, KeyType: HASH }]\n',
      expect: ['definite'],
    },
    {
      n: 'C1',
      name: 'PITR on',
      template:
        'Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]\n      KeySchema: [{ AttributeName: id, KeyType: HASH }]\n      PointInTimeRecoverySpecification:\n        PointInTimeRecoveryEnabled: true\n',
      expect: [],
    },
  ],
  'region-not-allowed': [
    { n: 'N1', name: 'deployed to us-east-1 with eu allowed', template: db('      StorageEncrypted: true\n'), config: { rules: { 'region-not-allowed': { allowedRegions: ['eu'] } } }, region: 'us-east-1', expect: ['definite'], line: 2 },
    { n: 'N2', name: 'region unknown: possible', template: db('      StorageEncrypted: true\n'), config: { rules: { 'region-not-allowed': { allowedRegions: ['eu'] } } }, expect: ['possible'] },
    { n: 'C1', name: 'deployed to eu-west-1', template: db('      StorageEncrypted: true\n'), config: { rules: { 'region-not-allowed': { allowedRegions: ['eu'] } } }, region: 'eu-west-1', expect: [] },
  ],
};

describe('every built-in rule on templates', () => {
  for (const [ruleId, cases] of Object.entries(CASES)) {
    describe(ruleId, () => {
      for (const testCase of cases) {
        it(`${testCase.n}: ${testCase.name}`, () => {
          const report = check(testCase.template, testCase.config, testCase.region ? { region: testCase.region } : {});
          expect(report.status, JSON.stringify(report.problems)).toBe('checked');
          const findings = of(report, ruleId);
          expect(findings.map((finding) => finding.certainty)).toEqual(testCase.expect);
          if (testCase.line !== undefined) expect(findings[0]?.line).toBe(testCase.line);
          for (const finding of findings) {
            expect(finding.line).toBeGreaterThanOrEqual(1);
            expect(finding.column).toBeGreaterThanOrEqual(1);
            expect(finding.message.length).toBeGreaterThan(0);
          }
        });
      }
    });
  }

  it('covers every built-in rule that a template can trigger', () => {
    // rds-snapshot-public judges aws.rds.db-snapshot: CloudFormation and Terraform cannot share a snapshot
    // publicly (there is no resource type for it), so no template maps to that type.
    const templateRules = BUILT_IN_RULES.filter((definition) => !definition.resourceTypes.every((type) => type === 'aws.rds.db-snapshot'));
    expect(templateRules.map((definition) => definition.id).sort()).toEqual(Object.keys(CASES).sort());
    expect(MAPPED_CFN_TYPES.some((type) => /Snapshot/i.test(type))).toBe(false);
    expect(MAPPED_TERRAFORM_TYPES.some((type) => /snapshot/i.test(type))).toBe(false);
  });
});

describe('certainty through parameters and conditions', () => {
  it('an ingress CIDR from a parameter without a default is possible', () => {
    const template = `Parameters:\n  Cidr:\n    Type: String\n${sgTemplate(rule('tcp', 22, 22, 'CidrIp: !Ref Cidr'))}`;
    expect(of(check(template), 'sg-ingress-open-admin').map((finding) => finding.certainty)).toEqual(['possible']);
  });

  it('the same parameter given a private value in a parameter file is clean; given 0.0.0.0/0 it is definite', () => {
    const template = `Parameters:\n  Cidr:\n    Type: String\n${sgTemplate(rule('tcp', 22, 22, 'CidrIp: !Ref Cidr'))}`;
    expect(of(check(template, {}, { parameters: { Cidr: '10.0.0.0/8' } }), 'sg-ingress-open-admin')).toEqual([]);
    expect(of(check(template, {}, { parameters: { Cidr: '0.0.0.0/0' } }), 'sg-ingress-open-admin').map((finding) => finding.certainty)).toEqual(['definite']);
  });

  it('Fn::If on an unknown condition: open in one branch only is possible, and points at the If', () => {
    const template = `Parameters:
  Env:
    Type: String
    AllowedValues: [prod, dev]
Conditions:
  IsProd: !Equals [!Ref Env, prod]
${sgTemplate(rule('tcp', 22, 22, 'CidrIp: !If [IsProd, 10.0.0.0/8, 0.0.0.0/0]'))}`;
    const findings = of(check(template), 'sg-ingress-open-admin');
    expect(findings.map((finding) => finding.certainty)).toEqual(['possible']);
    expect(findings[0]?.line).toBe(14);
  });

  it('Fn::If open in every branch is definite', () => {
    const template = `Parameters:
  Env:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Env, prod]
${sgTemplate(rule('tcp', 22, 22, 'CidrIp: !If [IsProd, 0.0.0.0/0, 0.0.0.0/0]'))}`;
    expect(of(check(template), 'sg-ingress-open-admin').map((finding) => finding.certainty)).toEqual(['definite']);
  });

  it('a resource whose own Condition is unknown has only possible findings', () => {
    const template = `Parameters:
  Env:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Vol:
    Type: AWS::EC2::Volume
    Condition: IsProd
    Properties:
      AvailabilityZone: eu-west-1a
      Size: 10
      Encrypted: false
`;
    expect(of(check(template), 'ebs-unencrypted').map((finding) => finding.certainty)).toEqual(['possible']);
  });

  it('a rule switched off in leuko.yaml does not run', () => {
    const template = sgTemplate(rule('tcp', 22, 22, 'CidrIp: 0.0.0.0/0'));
    expect(of(check(template, { rules: { 'sg-ingress-open-admin': false } }), 'sg-ingress-open-admin')).toEqual([]);
  });

  // check skips the resolver for templates with no mapped type, deciding on the read data: a type spelled
  // with escapes must still be mapped (a test of the text would let such a template hide its groups).
  it.each([
    ['YAML \\x escape', sgTemplate(rule('tcp', 22, 22, 'CidrIp: 0.0.0.0/0')).replace('Type: AWS::EC2::SecurityGroup', 'Type: "AWS::EC2::Security\\x47roup"'), 'template.yaml'],
    [
      'JSON \\u escape',
      JSON.stringify({
        Resources: {
          WebSG: {
            Type: 'AWS::EC2::SecurityGroup',
            Properties: { GroupDescription: 'web', SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' }] },
          },
        },
      }).replace('AWS::EC2::SecurityGroup', 'AWS::EC2::Security\\u0047roup'),
      'template.json',
    ],
  ])('a mapped type written with an escape (%s) is still checked', (_name, template, file) => {
    expect(template).not.toContain('AWS::EC2::SecurityGroup');
    const report = check(template, {}, {}, file);
    expect(report.resources).toBe(1);
    expect(of(report, 'sg-ingress-open-admin').map((finding) => finding.certainty)).toEqual(['definite']);
  });
});
