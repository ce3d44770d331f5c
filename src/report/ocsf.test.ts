// Tests for OCSF Detection Finding: class and type ids, activity, severity and status ids, times in epoch ms.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/finding.js';
import type { RuleMetadata } from '../core/rule.js';
import { renderOcsf, toOcsf } from './ocsf.js';

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: 'f-abc',
    ruleId: 'dynamodb-table-no-pitr',
    severity: 'medium',
    certainty: 'definite',
    status: 'open',
    resource: {
      type: 'aws.dynamodb.table',
      account: '111122223333',
      region: 'us-west-2',
      id: 'orders',
      arn: 'arn:aws:dynamodb:us-west-2:111122223333:table/orders',
      name: 'orders',
    },
    part: 'pointInTimeRecovery',
    message: 'Point-in-time recovery is off',
    firstSeen: '2025-01-01T00:00:00Z',
    lastSeen: '2025-01-02T00:00:00Z',
    ...overrides,
  };
}

const rule: RuleMetadata = {
  id: 'dynamodb-table-no-pitr',
  title: 'DynamoDB table without point-in-time recovery',
  severity: 'medium',
  resourceTypes: ['aws.dynamodb.table'],
  rationale: 'Without PITR a bad write cannot be rolled back.',
  references: ['https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html'],
  remediation: { action: 'enable-dynamodb-pitr', description: 'Enable point-in-time recovery.' },
  enabledByDefault: true,
};

const JAN_1 = Date.UTC(2025, 0, 1);
const JAN_2 = Date.UTC(2025, 0, 2);

describe('toOcsf', () => {
  it('fills the Detection Finding class, category, metadata and cloud', () => {
    const [out] = toOcsf({ findings: [finding()], rules: [rule] }, { productVersion: '0.1.0' });
    expect(out).toMatchObject({
      class_uid: 2004,
      class_name: 'Detection Finding',
      category_uid: 2,
      category_name: 'Findings',
      activity_id: 2,
      activity_name: 'Update',
      type_uid: 200402,
      type_name: 'Detection Finding: Update',
      severity_id: 3,
      severity: 'Medium',
      status_id: 1,
      status: 'New',
      confidence_id: 3,
      time: JAN_2,
      message: 'Point-in-time recovery is off',
      cloud: { provider: 'AWS', region: 'us-west-2', account: { uid: '111122223333', type_id: 10 } },
      metadata: { version: '1.1.0', product: { name: 'leuko', vendor_name: 'leuko', version: '0.1.0' } },
      remediation: { desc: 'Enable point-in-time recovery.', references: rule.references },
    });
    expect(out?.finding_info).toEqual({
      uid: 'f-abc',
      title: 'DynamoDB table without point-in-time recovery',
      desc: 'Without PITR a bad write cannot be rolled back.',
      created_time: JAN_1,
      first_seen_time: JAN_1,
      last_seen_time: JAN_2,
      modified_time: JAN_2,
      analytic: {
        uid: 'dynamodb-table-no-pitr',
        name: 'DynamoDB table without point-in-time recovery',
        type_id: 1,
        type: 'Rule',
      },
    });
    expect(out?.resources).toEqual([
      {
        uid: 'arn:aws:dynamodb:us-west-2:111122223333:table/orders',
        name: 'orders',
        type: 'AwsDynamoDbTable',
        region: 'us-west-2',
        cloud_partition: 'aws',
        owner: { account: { uid: '111122223333', type_id: 10, type: 'AWS Account' } },
        data: { leuko_type: 'aws.dynamodb.table', id: 'orders', part: 'pointInTimeRecovery' },
      },
    ]);
  });

  it.each([
    ['info', 1, 'Informational'],
    ['low', 2, 'Low'],
    ['medium', 3, 'Medium'],
    ['high', 4, 'High'],
    ['critical', 5, 'Critical'],
  ] as const)('maps severity %s to %i', (severity, id, name) => {
    const [out] = toOcsf({ findings: [finding({ severity })] });
    expect([out?.severity_id, out?.severity]).toEqual([id, name]);
  });

  it.each([
    ['open', 1, 'New'],
    ['justified', 3, 'Suppressed'],
    ['resolved', 4, 'Resolved'],
  ] as const)('maps status %s to %i', (status, id, name) => {
    const [out] = toOcsf({ findings: [finding({ status })] });
    expect([out?.status_id, out?.status]).toEqual([id, name]);
  });

  it('creates on first sighting, updates after, closes on resolution', () => {
    const [created, updated, closed] = toOcsf({
      findings: [
        finding({ lastSeen: '2025-01-01T00:00:00Z' }),
        finding(),
        finding({ status: 'resolved', resolvedAt: '2025-01-03T00:00:00Z' }),
      ],
    });
    expect([created?.activity_id, created?.type_uid, created?.time]).toEqual([1, 200401, JAN_1]);
    expect([updated?.activity_id, updated?.type_uid, updated?.time]).toEqual([2, 200402, JAN_2]);
    expect([closed?.activity_id, closed?.type_uid, closed?.time]).toEqual([3, 200403, Date.UTC(2025, 0, 3)]);
    expect(closed?.finding_info.modified_time).toBe(Date.UTC(2025, 0, 3));
  });

  it('records the actor as evidence, an IP as ip and a service name as domain', () => {
    const [byUser, byService] = toOcsf({
      findings: [
        finding({
          actor: {
            arn: 'arn:aws:iam::111122223333:user/alice',
            type: 'IAMUser',
            accountId: '111122223333',
            principalId: 'AIDAEXAMPLE',
            sourceIp: '203.0.113.7',
            userAgent: 'aws-cli/2',
            eventName: 'UpdateContinuousBackups',
            eventId: 'ev-1',
          },
        }),
        finding({ actor: { sourceIp: 'dynamodb.amazonaws.com' } }),
      ],
    });
    expect(byUser?.evidences).toEqual([
      {
        actor: {
          user: {
            uid: 'arn:aws:iam::111122223333:user/alice',
            uid_alt: 'AIDAEXAMPLE',
            type_id: 99,
            type: 'IAMUser',
            account: { uid: '111122223333', type_id: 10, type: 'AWS Account' },
          },
        },
        api: { operation: 'UpdateContinuousBackups' },
        src_endpoint: { ip: '203.0.113.7' },
        data: { user_agent: 'aws-cli/2', cloudtrail_event_id: 'ev-1' },
      },
    ]);
    expect(byService?.evidences?.[0]?.src_endpoint).toEqual({ domain: 'dynamodb.amazonaws.com' });
  });

  it('keeps the justification as status detail', () => {
    const [out] = toOcsf({
      findings: [
        finding({
          status: 'justified',
          justification: { reason: 'cache table', expires: '2026-01-01', source: 'tag' },
        }),
      ],
    });
    expect(out?.status_detail).toBe('cache table');
    expect(out?.unmapped).toEqual({
      justification: { reason: 'cache table', expires: '2026-01-01', source: 'tag' },
    });
  });

  it('falls back to the rule id and message without metadata, and leaves optional parts out', () => {
    const [out] = toOcsf({ findings: [finding()] });
    expect(out?.finding_info.title).toBe('dynamodb-table-no-pitr');
    expect(out?.finding_info.desc).toBe('Point-in-time recovery is off');
    for (const key of ['remediation', 'evidences', 'unmapped', 'status_detail'])
      expect(out).not.toHaveProperty(key);
    expect(out?.metadata.product).toEqual({ name: 'leuko', vendor_name: 'leuko' });
  });

  it('renders a JSON array, empty for no findings', () => {
    expect(JSON.parse(renderOcsf({ findings: [] }))).toEqual([]);
  });
});
