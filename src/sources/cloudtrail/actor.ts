// Who made a CloudTrail call, as a finding's Actor: the ARN a responder can act on, for every identity type.
import type { Actor } from '../../core/finding.js';
import { partitionOf, type CloudTrailRecord } from './record.js';

/**
 * The actor of a record. The ARN is the most specific one CloudTrail gives: the assumed-role session
 * ARN (arn:aws:sts::…:assumed-role/Role/session) for AssumedRole, with the role itself in
 * sessionIssuerArn; the account root ARN for Root (built from the account when CloudTrail leaves the
 * ARN empty, as it does for some sign-in events); the service name for AWSService calls.
 */
export function actorFromRecord(record: CloudTrailRecord): Actor {
  const identity = record.userIdentity;
  const partition = partitionOf(record.awsRegion);
  const accountId = identity.accountId ?? identity.sessionIssuer?.accountId;
  let arn = identity.arn;
  switch (identity.type) {
    case 'Root':
    case 'AWSAccount':
      if (!arn && accountId && /^\d{12}$/.test(accountId)) arn = `arn:${partition}:iam::${accountId}:root`;
      break;
    case 'AssumedRole':
      arn ??= identity.sessionIssuer?.arn;
      break;
    case 'AWSService':
      // Service calls carry no ARN; the service is who acted.
      arn ??= identity.invokedBy;
      break;
    default:
      break;
  }
  const issuerArn = identity.type === 'AssumedRole' ? identity.sessionIssuer?.arn : undefined;
  // Built key by key rather than with conditional spreads: this runs once per judged record, and the
  // spreads cost more than the rest of the function (same keys, same order).
  const actor: { -readonly [K in keyof Actor]: Actor[K] } = {};
  if (arn) actor.arn = arn;
  if (identity.type) actor.type = identity.type;
  if (accountId) actor.accountId = accountId;
  if (identity.principalId) actor.principalId = identity.principalId;
  if (issuerArn && issuerArn !== arn) actor.sessionIssuerArn = issuerArn;
  if (record.sourceIPAddress) actor.sourceIp = record.sourceIPAddress;
  if (record.userAgent) actor.userAgent = record.userAgent;
  if (record.eventID) actor.eventId = record.eventID;
  actor.eventName = record.eventName;
  actor.eventTime = record.eventTime;
  return actor;
}
