// Helpers for the intake tests: CloudTrail records in the shape real trails write them, for changes made in moto.
import { randomUUID } from 'node:crypto';
import type { SecurityGroupRule } from '@aws-sdk/client-ec2';

export function sessionArn(account: string, session = 'mallory'): string {
  return `arn:aws:sts::${account}:assumed-role/ops-admin/${session}`;
}

/** The userIdentity block of an assumed-role console session, as CloudTrail writes it. */
export function assumedRoleIdentity(account: string, session = 'mallory'): Record<string, unknown> {
  return {
    type: 'AssumedRole',
    principalId: `AROAEXAMPLEID:${session}`,
    arn: sessionArn(account, session),
    accountId: account,
    accessKeyId: 'ASIAEXAMPLE',
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEID', arn: `arn:aws:iam::${account}:role/ops-admin`, accountId: account, userName: 'ops-admin' },
      attributes: { creationDate: '2026-11-23T09:00:00Z', mfaAuthenticated: 'true' },
    },
  };
}

function envelope(account: string, region: string, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: assumedRoleIdentity(account),
    eventTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    awsRegion: region,
    sourceIPAddress: '203.0.113.9',
    userAgent: 'aws-cli/2.17.0 md/Botocore#1.35.0 ua/2.0 os/linux#6.8',
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
    ...fields,
  };
}

/** The record of an AuthorizeSecurityGroupIngress call, its response built from what the API answered. */
export function authorizeIngressRecord(
  account: string,
  region: string,
  groupId: string,
  permission: { protocol: string; port: number; cidr: string },
  rules: readonly SecurityGroupRule[],
): Record<string, unknown> {
  return envelope(account, region, {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'AuthorizeSecurityGroupIngress',
    requestParameters: {
      groupId,
      ipPermissions: {
        items: [
          {
            ipProtocol: permission.protocol,
            fromPort: permission.port,
            toPort: permission.port,
            groups: {},
            ipRanges: { items: [{ cidrIp: permission.cidr }] },
            ipv6Ranges: {},
            prefixListIds: {},
          },
        ],
      },
    },
    responseElements: {
      requestId: randomUUID(),
      _return: true,
      securityGroupRuleSet: {
        items: rules.map((rule) => ({
          groupOwnerId: account,
          groupId,
          securityGroupRuleId: rule.SecurityGroupRuleId,
          isEgress: rule.IsEgress ?? false,
          ipProtocol: rule.IpProtocol,
          fromPort: rule.FromPort,
          toPort: rule.ToPort,
          cidrIpv4: rule.CidrIpv4,
        })),
      },
    },
  });
}

export function deleteGroupRecord(account: string, region: string, groupId: string): Record<string, unknown> {
  return envelope(account, region, {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DeleteSecurityGroup',
    requestParameters: { groupId },
    responseElements: { requestId: randomUUID(), _return: true, groupId },
  });
}

/** A record no mapper or detection looks at (a read-only call). */
export function describeRecord(account: string, region: string): Record<string, unknown> {
  return envelope(account, region, { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', readOnly: true, requestParameters: null, responseElements: null });
}

/** As EventBridge delivers a CloudTrail record to a rule's target (SQS, a webhook). */
export function eventBridgeEvent(record: Record<string, unknown>): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: `aws.${String(record.eventSource).split('.')[0]}`,
    account: record.recipientAccountId,
    time: record.eventTime,
    region: record.awsRegion,
    resources: [],
    detail: record,
  };
}
