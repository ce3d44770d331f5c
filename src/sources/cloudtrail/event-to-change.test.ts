// Event-to-change mappings on realistic records, and the promise that an event finding is the scan's finding.
import { describe, expect, it } from 'vitest';
import { compilePolicy, evaluate } from '../../core/engine/index.js';
import { isUnknown } from '../../core/unknown.js';
import type { Resource } from '../../core/resource.js';
import { securityGroupFromAws } from '../../aws/resources/ec2-security-group.js';
import { BUILT_IN_DETECTIONS } from '../../detections/index.js';
import type { CanonicalChange, UpsertPartialChange } from './change.js';
import { changeFromRecord, changesFromRecord } from './event-to-change.js';
import { evaluateRecords } from './evaluate-events.js';
import { ACCOUNT, testRecord, USER_ARN } from './test-records.js';

function upsertOf(change: CanonicalChange | null): UpsertPartialChange {
  if (change?.kind !== 'upsert-partial') throw new Error(`expected upsert-partial, got ${change?.kind ?? 'null'}`);
  return change;
}

const openSsh = testRecord({
  eventName: 'AuthorizeSecurityGroupIngress',
  requestParameters: {
    groupId: 'sg-0123456789abcdef0',
    ipPermissions: {
      items: [
        {
          ipProtocol: 'tcp',
          fromPort: 22,
          toPort: 22,
          groups: {},
          ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }, { cidrIp: '10.0.0.0/8' }] },
          ipv6Ranges: {},
          prefixListIds: {},
        },
      ],
    },
  },
  responseElements: {
    requestId: 'r-1',
    _return: true,
    securityGroupRuleSet: {
      items: [
        { groupOwnerId: ACCOUNT, groupId: 'sg-0123456789abcdef0', securityGroupRuleId: 'sgr-00000000000000001', isEgress: false, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' },
        { groupOwnerId: ACCOUNT, groupId: 'sg-0123456789abcdef0', securityGroupRuleId: 'sgr-00000000000000002', isEgress: false, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '10.0.0.0/8' },
      ],
    },
  },
});

describe('security-group events', () => {
  it('AuthorizeSecurityGroupIngress: the added rules with their sgr- ids, from the response', () => {
    const change = upsertOf(changeFromRecord(openSsh));
    expect(change).toMatchObject({ type: 'aws.ec2.security-group', id: 'sg-0123456789abcdef0', account: ACCOUNT, region: 'eu-west-1', needsReRead: true, created: false });
    expect(change.fields).toEqual(['groupId', 'rules']);
    const config = change.resource.config as { rules: Array<{ ruleId?: string; peer: unknown }> };
    expect(config.rules.map((rule) => rule.ruleId)).toEqual(['sgr-00000000000000001', 'sgr-00000000000000002']);
    expect(change.arn).toBe(`arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/sg-0123456789abcdef0`);
  });

  it('the world-open rule is judged by its rule id, and the finding id equals the scan finding id', () => {
    const policy = compilePolicy();
    const result = evaluateRecords([openSsh], policy, BUILT_IN_DETECTIONS);
    expect(result.findings.map((finding) => [finding.ruleId, finding.part, finding.certainty])).toEqual([
      ['sg-ingress-open-admin', 'sgr-00000000000000001', 'definite'],
    ]);
    const finding = result.findings[0]!;
    expect(finding.actor.arn).toBe(USER_ARN);
    expect(finding.eventId).toBe('e-0001');
    // The same group as a scan reads it, with more rules besides.
    const scanned: Resource<'aws.ec2.security-group'> = {
      type: 'aws.ec2.security-group',
      account: ACCOUNT,
      region: 'eu-west-1',
      id: 'sg-0123456789abcdef0',
      arn: finding.resource.arn,
      tags: {},
      config: securityGroupFromAws({ GroupId: 'sg-0123456789abcdef0', GroupName: 'web', VpcId: 'vpc-1' }, [
        { SecurityGroupRuleId: 'sgr-00000000000000001', GroupId: 'sg-0123456789abcdef0', IsEgress: false, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '0.0.0.0/0' },
        { SecurityGroupRuleId: 'sgr-00000000000000009', GroupId: 'sg-0123456789abcdef0', IsEgress: false, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv4: '0.0.0.0/0' },
        { SecurityGroupRuleId: 'sgr-0000000000000000e', GroupId: 'sg-0123456789abcdef0', IsEgress: true, IpProtocol: '-1', CidrIpv4: '0.0.0.0/0' },
      ]),
    };
    const scan = evaluate([scanned], policy).candidates.filter((candidate) => candidate.ruleId === 'sg-ingress-open-admin');
    expect(scan.map((candidate) => candidate.id)).toEqual([finding.id]);
  });

  it('without a rule set (older records) the request gives content-keyed rules; the legacy top-level form too', () => {
    const request = testRecord({
      eventName: 'AuthorizeSecurityGroupIngress',
      requestParameters: { groupId: 'sg-1', ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: '3306', toPort: '3306', ipv6Ranges: { items: [{ cidrIpv6: '::/0' }] } }] } },
      responseElements: { _return: true },
    });
    const result = evaluateRecords([request], compilePolicy(), []);
    expect(result.findings.map((finding) => [finding.ruleId, finding.part])).toEqual([['sg-ingress-open-db', 'ingress|tcp|3306-3306|ipv6:::/0']]);
    const legacy = testRecord({
      eventName: 'AuthorizeSecurityGroupIngress',
      requestParameters: { groupId: 'sg-2', cidrIp: '0.0.0.0/0', ipProtocol: '-1', ipPermissions: {} },
      responseElements: { _return: true },
    });
    expect(evaluateRecords([legacy], compilePolicy(), []).findings.map((finding) => finding.ruleId)).toEqual(['sg-ingress-open-all']);
  });

  it('AuthorizeSecurityGroupEgress: egress rules, judged only by egress rules', () => {
    const record = testRecord({
      eventName: 'AuthorizeSecurityGroupEgress',
      requestParameters: { groupId: 'sg-3', ipPermissions: { items: [{ ipProtocol: '-1', ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] } },
      responseElements: { _return: true },
    });
    const change = upsertOf(changeFromRecord(record));
    expect((change.resource.config as { rules: Array<{ direction: string }> }).rules[0]?.direction).toBe('egress');
    const policy = compilePolicy({ rules: { 'sg-egress-open-all': true } });
    expect(evaluateRecords([record], policy, []).findings.map((finding) => finding.ruleId)).toEqual(['sg-egress-open-all']);
  });

  it('a rule added to the default group (named in the request) is judged by sg-default-has-rules', () => {
    const record = testRecord({
      eventName: 'AuthorizeSecurityGroupIngress',
      requestParameters: { groupId: 'sg-4', groupName: 'default', ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, ipRanges: { items: [{ cidrIp: '10.1.0.0/16' }] } }] } },
    });
    expect(evaluateRecords([record], compilePolicy(), []).findings.map((finding) => finding.ruleId)).toEqual(['sg-default-has-rules']);
  });

  it('ModifySecurityGroupRules: the edited rule by id, "possible" because the record omits the direction', () => {
    const record = testRecord({
      eventName: 'ModifySecurityGroupRules',
      requestParameters: {
        ModifySecurityGroupRulesRequest: {
          GroupId: 'sg-5',
          SecurityGroupRule: {
            tag: 1,
            SecurityGroupRuleId: 'sgr-0aa',
            SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, CidrIpv4: '0.0.0.0/0' },
          },
        },
      },
      responseElements: { ModifySecurityGroupRulesResponse: { return: true } },
    });
    const result = evaluateRecords([record], compilePolicy(), []);
    expect(result.findings.map((finding) => [finding.ruleId, finding.part, finding.certainty])).toEqual([
      ['sg-ingress-open-admin', 'sgr-0aa', 'possible'],
    ]);
  });

  it('CreateSecurityGroup: a created group (region rule applies), DeleteSecurityGroup: a deletion', () => {
    const created = upsertOf(
      changeFromRecord(
        testRecord({
          eventName: 'CreateSecurityGroup',
          awsRegion: 'ap-southeast-9',
          requestParameters: { groupName: 'web', groupDescription: 'web tier', vpcId: 'vpc-1' },
          responseElements: { _return: true, groupId: 'sg-6' },
        }),
      ),
    );
    expect(created).toMatchObject({ id: 'sg-6', region: 'ap-southeast-9', created: true });
    expect(created.fields).toContain('region');
    expect(changeFromRecord(testRecord({ eventName: 'DeleteSecurityGroup', requestParameters: { groupId: 'sg-6' } }))).toMatchObject({ kind: 'delete', id: 'sg-6' });
  });

  it('a failed call is a failed-call change and raises nothing', () => {
    const failed = testRecord({ ...openSsh.raw, errorCode: 'Client.UnauthorizedOperation', errorMessage: 'not allowed' });
    expect(changesFromRecord(failed)).toEqual([
      expect.objectContaining({ kind: 'failed-call', errorCode: 'Client.UnauthorizedOperation', eventName: 'AuthorizeSecurityGroupIngress' }),
    ]);
    const result = evaluateRecords([failed], compilePolicy(), BUILT_IN_DETECTIONS);
    expect(result.findings).toEqual([]);
    expect(result.failedCalls).toHaveLength(1);
    expect(result.failedCalls[0]?.actor.arn).toBe(USER_ARN);
  });

  it('the same event name from another service is not mapped', () => {
    expect(changesFromRecord(testRecord({ eventName: 'CreateBucket', eventSource: 'example.amazonaws.com' }))).toEqual([]);
  });
});

describe('S3 bucket events', () => {
  const s3 = { eventSource: 's3.amazonaws.com' };

  it('PutBucketAcl with an AllUsers grant: s3-public-acl, possible while Block Public Access is unknown', () => {
    const record = testRecord({
      ...s3,
      eventName: 'PutBucketAcl',
      requestParameters: {
        bucketName: 'reports',
        acl: [''],
        AccessControlPolicy: {
          AccessControlList: {
            Grant: [
              { Grantee: { 'xsi:type': 'CanonicalUser', ID: 'abc' }, Permission: 'FULL_CONTROL' },
              { Grantee: { 'xsi:type': 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
            ],
          },
          Owner: { ID: 'abc' },
        },
      },
    });
    const change = upsertOf(changeFromRecord(record));
    expect(change.fields).toEqual(['name', 'acl']);
    const config = change.resource.config as { policy: unknown; publicAccessBlock: { ignorePublicAcls: unknown } };
    expect(isUnknown(config.policy)).toBe(true);
    expect(isUnknown(config.publicAccessBlock.ignorePublicAcls)).toBe(true);
    const result = evaluateRecords([record], compilePolicy(), []);
    expect(result.findings.map((finding) => [finding.ruleId, finding.part, finding.certainty])).toEqual([
      ['s3-public-acl', 'grant:group:AllUsers:READ', 'possible'],
    ]);
  });

  it('a canned public-read ACL (x-amz-acl header) counts too', () => {
    const record = testRecord({ ...s3, eventName: 'PutBucketAcl', requestParameters: { bucketName: 'b', 'x-amz-acl': ['public-read'] } });
    expect(evaluateRecords([record], compilePolicy(), []).findings.map((finding) => finding.part)).toEqual(['grant:group:AllUsers:READ']);
  });

  it('PutBucketPolicy with Principal "*": s3-public-policy; a service principal: nothing', () => {
    const policy = (principal: unknown) =>
      testRecord({
        ...s3,
        eventName: 'PutBucketPolicy',
        requestParameters: { bucketName: 'b', policy: [''], bucketPolicy: { Version: '2012-10-17', Statement: [{ Sid: 'x', Effect: 'Allow', Principal: principal, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] } },
      });
    expect(evaluateRecords([policy({ AWS: '*' })], compilePolicy(), []).findings.map((finding) => finding.ruleId)).toEqual(['s3-public-policy']);
    expect(evaluateRecords([policy({ Service: 'cloudtrail.amazonaws.com' })], compilePolicy(), []).findings).toEqual([]);
  });

  it('Put/DeleteBucketPublicAccessBlock judge the block; account-level calls are account settings', () => {
    const on = testRecord({ ...s3, eventName: 'PutBucketPublicAccessBlock', requestParameters: { bucketName: 'b', PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } } });
    expect(evaluateRecords([on], compilePolicy(), []).findings).toEqual([]);
    const off = testRecord({ ...s3, eventName: 'DeleteBucketPublicAccessBlock', requestParameters: { bucketName: 'b', publicAccessBlock: '' } });
    expect(evaluateRecords([off], compilePolicy(), []).findings.map((finding) => [finding.ruleId, finding.certainty])).toEqual([
      ['s3-public-access-block-off', 'possible'],
    ]);
    const account = testRecord({ ...s3, eventName: 'PutAccountPublicAccessBlock', requestParameters: { PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false } } });
    expect(changeFromRecord(account)).toMatchObject({ kind: 'account-setting', setting: 'accountPublicAccessBlock', value: { blockPublicAcls: false } });
  });

  it('CreateBucket in a region outside the allowed list, by its LocationConstraint', () => {
    const record = testRecord({ ...s3, eventName: 'CreateBucket', awsRegion: 'us-west-2', requestParameters: { bucketName: 'x', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } } });
    const policy = compilePolicy({ rules: { 'region-not-allowed': { allowedRegions: ['eu'] } } });
    const result = evaluateRecords([record], policy, []);
    expect(result.findings.map((finding) => [finding.ruleId, finding.resource.region])).toEqual([['region-not-allowed', 'us-west-2']]);
  });
});

describe('EC2, RDS, DynamoDB and CloudFormation events', () => {
  const regionPolicy = () => compilePolicy({ rules: { 'region-not-allowed': { allowedRegions: ['eu'] } } });

  it('RunInstances: one change per instance launched, region judged, even in a region leuko never heard of', () => {
    const record = testRecord({
      eventName: 'RunInstances',
      awsRegion: 'xx-nowhere-7r',
      requestParameters: { instancesSet: { items: [{ imageId: 'ami-1', minCount: 2, maxCount: 2 }] }, instanceType: 't3.micro' },
      responseElements: {
        instancesSet: {
          items: [
            { instanceId: 'i-1', imageId: 'ami-1', instanceState: { code: 0, name: 'pending' }, instanceType: 't3.micro', launchTime: 1722513600000, placement: { availabilityZone: 'xx-nowhere-7ra' }, groupSet: { items: [{ groupId: 'sg-1', groupName: 'web' }] }, vpcId: 'vpc-1', subnetId: 'subnet-1' },
            { instanceId: 'i-2', imageId: 'ami-1', instanceState: { code: 0, name: 'pending' } },
          ],
        },
      },
    });
    const changes = changesFromRecord(record).map(upsertOf);
    expect(changes.map((change) => change.id)).toEqual(['i-1', 'i-2']);
    expect(changes[0]?.resource.config).toMatchObject({ instanceId: 'i-1', state: 'pending', securityGroupIds: ['sg-1'], launchTime: '2024-08-01T12:00:00.000Z' });
    expect(evaluateRecords([record], regionPolicy(), []).findings.map((finding) => [finding.ruleId, finding.resource.id, finding.resource.region])).toEqual([
      ['region-not-allowed', 'i-1', 'xx-nowhere-7r'],
      ['region-not-allowed', 'i-2', 'xx-nowhere-7r'],
    ]);
  });

  it('CreateVolume unencrypted: ebs-unencrypted; encrypted by default (response says so): nothing', () => {
    const volume = (encrypted: boolean) =>
      testRecord({ eventName: 'CreateVolume', requestParameters: { size: 8, zone: 'eu-west-1a', volumeType: 'gp3' }, responseElements: { volumeId: 'vol-1', size: 8, zone: 'eu-west-1a', status: 'creating', volumeType: 'gp3', encrypted } });
    expect(evaluateRecords([volume(false)], compilePolicy(), []).findings.map((finding) => finding.ruleId)).toEqual(['ebs-unencrypted']);
    expect(evaluateRecords([volume(true)], compilePolicy(), []).findings).toEqual([]);
  });

  it('CreateDBInstance public and unencrypted; ModifyDBInstance publiclyAccessible=true', () => {
    const create = testRecord({
      eventSource: 'rds.amazonaws.com',
      eventName: 'CreateDBInstance',
      requestParameters: { dBInstanceIdentifier: 'db1', engine: 'postgres', publiclyAccessible: true },
      responseElements: { dBInstanceIdentifier: 'db1', engine: 'postgres', dBInstanceStatus: 'creating', publiclyAccessible: true, storageEncrypted: false, vpcSecurityGroups: [{ vpcSecurityGroupId: 'sg-9', status: 'active' }], dBInstanceArn: `arn:aws:rds:eu-west-1:${ACCOUNT}:db:db1` },
    });
    expect(evaluateRecords([create], compilePolicy(), []).findings.map((finding) => finding.ruleId).sort()).toEqual(['rds-public', 'rds-unencrypted']);
    const modify = testRecord({ eventSource: 'rds.amazonaws.com', eventName: 'ModifyDBInstance', requestParameters: { dBInstanceIdentifier: 'db1', publiclyAccessible: true, applyImmediately: true }, responseElements: { dBInstanceIdentifier: 'db1', publiclyAccessible: false, pendingModifiedValues: { publiclyAccessible: true } } });
    expect(evaluateRecords([modify], compilePolicy(), []).findings.map((finding) => finding.ruleId)).toEqual(['rds-public']);
    const other = testRecord({ eventSource: 'rds.amazonaws.com', eventName: 'ModifyDBInstance', requestParameters: { dBInstanceIdentifier: 'db1', allocatedStorage: 200 } });
    expect(evaluateRecords([other], compilePolicy(), []).findings).toEqual([]);
  });

  it('ModifyDBSnapshotAttribute restore=all: rds-snapshot-public with the scan part', () => {
    const record = testRecord({
      eventSource: 'rds.amazonaws.com',
      eventName: 'ModifyDBSnapshotAttribute',
      requestParameters: { dBSnapshotIdentifier: 'snap1', attributeName: 'restore', valuesToAdd: ['all'] },
      responseElements: { dBSnapshotIdentifier: 'snap1', dBSnapshotAttributes: [{ attributeName: 'restore', attributeValues: ['all'] }] },
    });
    const result = evaluateRecords([record], compilePolicy(), BUILT_IN_DETECTIONS);
    expect(result.findings.map((finding) => [finding.ruleId, finding.part])).toEqual([['rds-snapshot-public', 'restore:all']]);
    expect(result.detectionHits.map((hit) => [hit.detectionId, hit.severity])).toEqual([['snapshot-shared-external', 'critical']]);
  });

  it('CreateTable and CreateStack: created resources for the region rule; PITR is not judged at creation', () => {
    const table = testRecord({ eventSource: 'dynamodb.amazonaws.com', eventName: 'CreateTable', awsRegion: 'us-east-1', requestParameters: { tableName: 't' }, responseElements: { tableDescription: { tableName: 't', tableStatus: 'CREATING', billingModeSummary: { billingMode: 'PAY_PER_REQUEST' } } } });
    const stack = testRecord({ eventSource: 'cloudformation.amazonaws.com', eventName: 'CreateStack', awsRegion: 'us-east-1', requestParameters: { stackName: 's' }, responseElements: { stackId: `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/s/abc` } });
    const result = evaluateRecords([table, stack], regionPolicy(), []);
    expect(result.findings.map((finding) => [finding.ruleId, finding.resource.type, finding.resource.arn])).toEqual([
      ['region-not-allowed', 'aws.dynamodb.table', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/t`],
      ['region-not-allowed', 'aws.cloudformation.stack', `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/s/abc`],
    ]);
  });

  it('a mapped event whose record lacks what it needs is unresolved, not a crash', () => {
    const odd = testRecord({ eventName: 'AuthorizeSecurityGroupIngress', requestParameters: { groupName: 'web', ipPermissions: 'garbage' } });
    expect(changeFromRecord(odd)).toMatchObject({ kind: 'unresolved' });
    const worse = testRecord({ eventName: 'RunInstances', responseElements: { instancesSet: 42 } });
    expect(changesFromRecord(worse)).toEqual([]);
  });
});
