// CloudTrail records as AWS writes them, for tests and benches that drive the event path against moto:
// the request's ipPermissions (with CloudTrail's `items` lists) and the response's securityGroupRuleSet.
import { validateRecord, type CloudTrailRecord } from '../../src/sources/cloudtrail/record.js';

export interface AuthorizeIngressEvent {
  readonly account: string;
  readonly region: string;
  readonly actorArn: string;
  readonly groupId: string;
  /** The rule id AWS gave the added rule (responseElements.securityGroupRuleSet). */
  readonly ruleId: string;
  readonly port: number;
  readonly cidr?: string;
  readonly eventId: string;
  readonly eventTime?: string;
}

/** The AuthorizeSecurityGroupIngress record for one TCP rule from `cidr` (default the whole IPv4 internet). */
export function authorizeIngressRecord(event: AuthorizeIngressEvent): CloudTrailRecord {
  const cidr = event.cidr ?? '0.0.0.0/0';
  const userName = event.actorArn.split('/').pop() ?? 'user';
  const checked = validateRecord({
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLEUSER', arn: event.actorArn, accountId: event.account, userName },
    eventTime: event.eventTime ?? new Date().toISOString(),
    eventSource: 'ec2.amazonaws.com',
    eventName: 'AuthorizeSecurityGroupIngress',
    awsRegion: event.region,
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: {
      groupId: event.groupId,
      ipPermissions: {
        items: [{ ipProtocol: 'tcp', fromPort: event.port, toPort: event.port, groups: {}, ipRanges: { items: [{ cidrIp: cidr }] }, ipv6Ranges: {}, prefixListIds: {} }],
      },
    },
    responseElements: {
      requestId: event.eventId,
      _return: true,
      securityGroupRuleSet: {
        items: [
          { groupOwnerId: event.account, groupId: event.groupId, securityGroupRuleId: event.ruleId, isEgress: false, ipProtocol: 'tcp', fromPort: event.port, toPort: event.port, cidrIpv4: cidr },
        ],
      },
    },
    requestID: event.eventId,
    eventID: event.eventId,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: event.account,
    eventCategory: 'Management',
  });
  if (!checked.ok) throw new Error(checked.reason);
  return checked.record;
}

/** The EventBridge event an "AWS API Call via CloudTrail" rule delivers (to SQS, say) for `record`, as JSON. */
export function eventBridgeMessage(record: CloudTrailRecord): string {
  return JSON.stringify({
    version: '0',
    id: record.eventID,
    'detail-type': 'AWS API Call via CloudTrail',
    source: `aws.${record.eventSource.split('.')[0]}`,
    account: record.recipientAccountId ?? record.userIdentity.accountId,
    time: record.eventTime,
    region: record.awsRegion,
    resources: [],
    detail: record.raw,
  });
}
