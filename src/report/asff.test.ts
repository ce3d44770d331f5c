// Tests for ASFF: required fields, product ARN, severity/status/resource-type mapping, field limits.
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import { RESOURCE_TYPE_IDS } from '../core/resource-types.js';
import type { RuleMetadata } from '../core/rule.js';
import { ASFF_RESOURCE_TYPES, renderAsff, toAsff } from './asff.js';

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: 'f-0123456789abcdef0123',
    ruleId: 'rds-db-instance-public',
    severity: 'high',
    certainty: 'definite',
    status: 'open',
    resource: {
      type: 'aws.rds.db-instance',
      account: '111122223333',
      region: 'eu-central-1',
      id: 'orders',
      arn: 'arn:aws:rds:eu-central-1:111122223333:db:orders',
    },
    part: 'publiclyAccessible',
    message: 'DB instance is publicly accessible',
    firstSeen: '2025-01-01T00:00:00Z',
    lastSeen: '2025-01-02T03:04:05.678Z',
    ...overrides,
  };
}

const rule: RuleMetadata = {
  id: 'rds-db-instance-public',
  title: 'RDS instance is publicly accessible',
  severity: 'high',
  resourceTypes: ['aws.rds.db-instance'],
  rationale: 'A public endpoint exposes the database to password spraying.',
  references: [
    'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html',
  ],
  remediation: { action: 'modify-db-not-public', description: 'Set PubliclyAccessible to false.' },
  enabledByDefault: true,
};

const REQUIRED = [
  'SchemaVersion',
  'Id',
  'ProductArn',
  'GeneratorId',
  'AwsAccountId',
  'Types',
  'CreatedAt',
  'UpdatedAt',
  'Severity',
  'Title',
  'Description',
  'Resources',
];

describe('toAsff', () => {
  it('fills every required ASFF field', () => {
    const [out] = toAsff({ findings: [finding()], rules: [rule] });
    for (const key of REQUIRED) expect(out, key).toHaveProperty(key);
    expect(out).toMatchObject({
      SchemaVersion: '2018-10-08',
      Id: 'f-0123456789abcdef0123',
      ProductArn: 'arn:aws:securityhub:eu-central-1:111122223333:product/111122223333/default',
      GeneratorId: 'rds-db-instance-public',
      AwsAccountId: '111122223333',
      Types: ['Software and Configuration Checks/AWS Security Best Practices'],
      CreatedAt: '2025-01-01T00:00:00.000Z',
      UpdatedAt: '2025-01-02T03:04:05.678Z',
      FirstObservedAt: '2025-01-01T00:00:00.000Z',
      LastObservedAt: '2025-01-02T03:04:05.678Z',
      Severity: { Label: 'HIGH', Original: 'high' },
      Title: 'RDS instance is publicly accessible',
      Resources: [
        {
          Type: 'AwsRdsDbInstance',
          Id: 'arn:aws:rds:eu-central-1:111122223333:db:orders',
          Partition: 'aws',
          Region: 'eu-central-1',
        },
      ],
      Compliance: { Status: 'FAILED' },
      Workflow: { Status: 'NEW' },
      RecordState: 'ACTIVE',
      Remediation: { Recommendation: { Text: 'Set PubliclyAccessible to false.', Url: rule.references[0] } },
    });
    expect(out?.Description).toContain('DB instance is publicly accessible');
    expect(out?.ProductFields['leuko/RuleId']).toBe('rds-db-instance-public');
  });

  it.each([
    ['critical', 'CRITICAL'],
    ['high', 'HIGH'],
    ['medium', 'MEDIUM'],
    ['low', 'LOW'],
    ['info', 'INFORMATIONAL'],
  ] as const)('maps severity %s to %s', (severity, label) => {
    expect(toAsff({ findings: [finding({ severity })] })[0]?.Severity.Label).toBe(label);
  });

  it.each([
    ['open', 'FAILED', 'NEW', 'ACTIVE'],
    ['justified', 'FAILED', 'SUPPRESSED', 'ACTIVE'],
    ['resolved', 'PASSED', 'RESOLVED', 'ARCHIVED'],
  ] as const)(
    'maps status %s to compliance %s, workflow %s, record %s',
    (status, compliance, workflow, record) => {
      const [out] = toAsff({ findings: [finding({ status })] });
      expect(out?.Compliance.Status).toBe(compliance);
      expect(out?.Workflow.Status).toBe(workflow);
      expect(out?.RecordState).toBe(record);
    },
  );

  it('maps every leuko resource type to a Security Hub type', () => {
    expect(Object.keys(ASFF_RESOURCE_TYPES).sort()).toEqual([...RESOURCE_TYPE_IDS].sort());
    expect(Object.values(ASFF_RESOURCE_TYPES).sort()).toEqual([
      'AwsCloudFormationStack',
      'AwsDynamoDbTable',
      'AwsEc2Instance',
      'AwsEc2SecurityGroup',
      'AwsEc2Volume',
      'AwsRdsDbInstance',
      'AwsRdsDbSnapshot',
      'AwsS3Bucket',
    ]);
  });

  it('takes the partition from the resource ARN', () => {
    const [out] = toAsff({
      findings: [
        finding({
          resource: {
            type: 'aws.s3.bucket',
            account: '111122223333',
            region: 'cn-north-1',
            id: 'b',
            arn: 'arn:aws-cn:s3:::b',
          },
        }),
      ],
    });
    expect(out?.ProductArn).toBe(
      'arn:aws-cn:securityhub:cn-north-1:111122223333:product/111122223333/default',
    );
    expect(out?.Resources[0]).toEqual({
      Type: 'AwsS3Bucket',
      Id: 'arn:aws-cn:s3:::b',
      Partition: 'aws-cn',
      Region: 'cn-north-1',
    });
  });

  it('uses an importing account and region when given', () => {
    const [out] = toAsff(
      { findings: [finding()] },
      { productAccount: '999999999999', securityHubRegion: 'us-east-1' },
    );
    expect(out?.ProductArn).toBe('arn:aws:securityhub:us-east-1:999999999999:product/999999999999/default');
    expect(out?.AwsAccountId).toBe('111122223333');
  });

  it('records a justification as a suppression note and a resolution as the last update', () => {
    const [justified, resolved] = toAsff({
      findings: [
        finding({
          status: 'justified',
          justification: { reason: 'Read replica for BI', expires: '2026-01-01', source: 'leuko.yaml' },
        }),
        finding({ status: 'resolved', resolvedAt: '2025-01-05T00:00:00Z' }),
      ],
    });
    expect(justified?.Note?.Text).toBe('Justified: Read replica for BI (expires 2026-01-01)');
    expect(resolved?.UpdatedAt).toBe('2025-01-05T00:00:00.000Z');
    expect(resolved?.Note).toBeUndefined();
  });

  it('keeps Title, Description and ProductFields within the ASFF limits', () => {
    const long = 'x'.repeat(5000);
    const [out] = toAsff({
      findings: [finding({ message: long, part: long })],
      rules: [{ ...rule, title: long }],
    });
    expect(out?.Title.length).toBe(256);
    expect(out?.Description.length).toBe(1024);
    expect(out?.Title.endsWith('…')).toBe(true);
    for (const [key, value] of Object.entries(out?.ProductFields ?? {})) {
      expect(key.length).toBeLessThanOrEqual(128);
      expect(value.length).toBeLessThanOrEqual(2048);
      expect(value.length).toBeGreaterThan(0);
    }
  });

  it('records the actor in product fields and uses the rule id as title without metadata', () => {
    const [out] = toAsff({
      findings: [
        finding({
          actor: { arn: 'arn:aws:iam::111122223333:user/bob', eventName: 'ModifyDBInstance' },
          eventId: 'ev-9',
        }),
      ],
    });
    expect(out?.Title).toBe('rds-db-instance-public');
    expect(out?.Remediation).toBeUndefined();
    expect(out?.ProductFields).toMatchObject({
      'leuko/ActorArn': 'arn:aws:iam::111122223333:user/bob',
      'leuko/EventName': 'ModifyDBInstance',
      'leuko/EventId': 'ev-9',
    });
  });

  it('refuses a finding whose time is not a date', () => {
    expect(() => toAsff({ findings: [finding({ firstSeen: 'soon' })] })).toThrow(InputError);
  });

  it('renders a JSON array, empty for no findings', () => {
    expect(JSON.parse(renderAsff({ findings: [] }))).toEqual([]);
    expect(JSON.parse(renderAsff({ findings: [finding()] }))).toHaveLength(1);
  });
});
