// The six detections, table-driven: numbered cases that fire and that must not.
import { describe, expect, it } from 'vitest';
import { testRecord, ACCOUNT } from '../sources/cloudtrail/test-records.js';
import type { CloudTrailRecord } from '../sources/cloudtrail/record.js';
import { BUILT_IN_DETECTIONS } from './index.js';
import type { DetectionDefinition } from './detection.js';

const context = { trustedAccounts: ['111111111111'] };
const root = { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT };

function byId(id: string): DetectionDefinition {
  const detection = BUILT_IN_DETECTIONS.find((candidate) => candidate.id === id);
  if (!detection) throw new Error(id);
  return detection;
}

type Case = readonly [label: string, record: CloudTrailRecord, fires: boolean];

const cases: Record<string, readonly Case[]> = {
  'sg-created': [
    ['1 fires: a new group', testRecord({ eventName: 'CreateSecurityGroup', requestParameters: { groupName: 'web', vpcId: 'vpc-1' }, responseElements: { groupId: 'sg-1' } }), true],
    ['2 quiet: a deletion', testRecord({ eventName: 'DeleteSecurityGroup', requestParameters: { groupId: 'sg-1' } }), false],
  ],
  'cloudtrail-tampering': [
    ['1 fires: StopLogging', testRecord({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', requestParameters: { name: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/main` } }), true],
    ['2 fires: DeleteTrail', testRecord({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'DeleteTrail', requestParameters: { name: 'main' } }), true],
    ['3 fires: UpdateTrail', testRecord({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'UpdateTrail', requestParameters: { name: 'main', s3BucketName: 'elsewhere' } }), true],
    ['4 fires: PutEventSelectors', testRecord({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'PutEventSelectors', requestParameters: { trailName: 'main', eventSelectors: [{ includeManagementEvents: false, readWriteType: 'All' }] } }), true],
    ['5 quiet: StartLogging', testRecord({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'StartLogging', requestParameters: { name: 'main' } }), false],
    ['6 quiet: another service\'s DeleteTrail', testRecord({ eventSource: 'example.amazonaws.com', eventName: 'DeleteTrail' }), false],
  ],
  'flowlogs-deleted': [
    ['1 fires: flowLogIds', testRecord({ eventName: 'DeleteFlowLogs', requestParameters: { DeleteFlowLogsRequest: { FlowLogId: { content: 'fl-1', tag: 1 } } } }), true],
    ['2 quiet: CreateFlowLogs', testRecord({ eventName: 'CreateFlowLogs', requestParameters: {} }), false],
  ],
  'root-activity': [
    ['1 fires: a root change', testRecord({ userIdentity: root, eventSource: 's3.amazonaws.com', eventName: 'PutBucketVersioning', requestParameters: { bucketName: 'b' } }), true],
    ['2 fires: a root console login', testRecord({ userIdentity: root, eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn', responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: 'Yes' } }), true],
    ['3 quiet: a failed root login', testRecord({ userIdentity: root, eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 'Failure' } }), false],
    ['4 quiet: a root read', testRecord({ userIdentity: root, eventSource: 'iam.amazonaws.com', eventName: 'ListAccessKeys', readOnly: true }), false],
    ['5 quiet: AWS acting for root', testRecord({ userIdentity: { ...root, invokedBy: 'support.amazonaws.com' }, eventName: 'CreateServiceLinkedRole' }), false],
    ['6 quiet: an IAM user', testRecord({ eventSource: 's3.amazonaws.com', eventName: 'PutBucketVersioning' }), false],
  ],
  'console-login-without-mfa': [
    ['1 fires: IAM user, no MFA', testRecord({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: 'No' } }), true],
    ['2 quiet: with MFA', testRecord({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: 'Yes' } }), false],
    ['3 quiet: SAML', testRecord({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: 'No', SamlProviderArn: 'arn:aws:iam::1:saml-provider/x' } }), false],
    ['4 quiet: assumed role (SSO)', testRecord({ userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/r/s' }, eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: 'No' } }), false],
    ['5 quiet: failed login', testRecord({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 'Failure' }, additionalEventData: { MFAUsed: 'No' } }), false],
  ],
  'snapshot-shared-external': [
    ['1 fires: EBS snapshot public', testRecord({ eventName: 'ModifySnapshotAttribute', requestParameters: { snapshotId: 'snap-1', attributeType: 'CREATE_VOLUME_PERMISSION', createVolumePermission: { add: { items: [{ group: 'all' }] } } } }), true],
    ['2 fires: EBS snapshot to an outside account', testRecord({ eventName: 'ModifySnapshotAttribute', requestParameters: { snapshotId: 'snap-1', attributeType: 'CREATE_VOLUME_PERMISSION', createVolumePermission: { add: { items: [{ userId: '999999999999' }] } } } }), true],
    ['3 quiet: to a trusted account', testRecord({ eventName: 'ModifySnapshotAttribute', requestParameters: { snapshotId: 'snap-1', attributeType: 'CREATE_VOLUME_PERMISSION', createVolumePermission: { add: { items: [{ userId: '111111111111' }] } } } }), false],
    ['4 quiet: a removal', testRecord({ eventName: 'ModifySnapshotAttribute', requestParameters: { snapshotId: 'snap-1', attributeType: 'CREATE_VOLUME_PERMISSION', createVolumePermission: { remove: { items: [{ group: 'all' }] } } } }), false],
    ['5 fires: AMI public', testRecord({ eventName: 'ModifyImageAttribute', requestParameters: { imageId: 'ami-1', attributeType: 'launchPermission', launchPermission: { add: { items: [{ group: 'all' }] } } } }), true],
    ['6 fires: RDS snapshot to an outside account', testRecord({ eventSource: 'rds.amazonaws.com', eventName: 'ModifyDBSnapshotAttribute', requestParameters: { dBSnapshotIdentifier: 's', attributeName: 'restore', valuesToAdd: ['999999999999'] } }), true],
    ['7 fires: RDS cluster snapshot public', testRecord({ eventSource: 'rds.amazonaws.com', eventName: 'ModifyDBClusterSnapshotAttribute', requestParameters: { dBClusterSnapshotIdentifier: 'c', attributeName: 'restore', valuesToAdd: ['all'] } }), true],
    ['8 quiet: shared with its own account', testRecord({ eventName: 'ModifyImageAttribute', requestParameters: { imageId: 'ami-1', attributeType: 'launchPermission', launchPermission: { add: { items: [{ userId: ACCOUNT }] } } } }), false],
    ['9 quiet: another AMI attribute', testRecord({ eventName: 'ModifyImageAttribute', requestParameters: { imageId: 'ami-1', attributeType: 'description', description: { value: 'x' } } }), false],
  ],
};

describe.each(Object.entries(cases))('%s', (id, table) => {
  const detection = byId(id);
  it.each(table)('%s', (_label, record, fires) => {
    const hit = detection.match(record, context);
    expect(hit !== null).toBe(fires);
    if (hit) expect(hit.message.length).toBeGreaterThan(0);
  });
  it('declares the event names it matches (or none, for every event)', () => {
    for (const [, record, fires] of table) if (fires && detection.eventNames.length > 0) expect(detection.eventNames).toContain(record.eventName);
  });
});

describe('registry', () => {
  it('ids are unique and kebab-case; every detection has a rationale and references', () => {
    const ids = BUILT_IN_DETECTIONS.map((detection) => detection.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(['cloudtrail-tampering', 'console-login-without-mfa', 'flowlogs-deleted', 'root-activity', 'sg-created', 'snapshot-shared-external']);
    for (const detection of BUILT_IN_DETECTIONS) {
      expect(detection.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(detection.rationale.length).toBeGreaterThan(40);
      expect(detection.references.length).toBeGreaterThan(0);
    }
  });

  it('public sharing is critical, sharing with an account is high', () => {
    const detection = byId('snapshot-shared-external');
    expect(detection.match(cases['snapshot-shared-external']![0]![1], context)?.severity).toBe('critical');
    expect(detection.match(cases['snapshot-shared-external']![1]![1], context)?.severity).toBe('high');
  });
});
