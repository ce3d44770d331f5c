// Detection console-login-without-mfa: a successful console sign-in by an IAM user or root without MFA.
import { obj, str } from '../sources/cloudtrail/record.js';
import { defineDetection } from './detection.js';

export const consoleLoginWithoutMfa = defineDetection({
  id: 'console-login-without-mfa',
  title: 'Console sign-in without MFA',
  severity: 'high',
  rationale:
    'A password alone is phished, reused and sprayed; console users must use MFA (CIS AWS Foundations 1.10). ' +
    'Reported for IAM users and root. Not for federated sign-ins (SAML, IAM Identity Center, assumed roles), ' +
    'where MFA is the identity provider\'s and CloudTrail always says MFAUsed "No".',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa.html',
    'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html',
  ],
  eventNames: ['ConsoleLogin'],
  match(record) {
    if (record.eventName !== 'ConsoleLogin') return null;
    const type = record.userIdentity.type;
    if (type !== 'IAMUser' && type !== 'Root') return null;
    if (str(record.responseElements?.ConsoleLogin) !== 'Success') return null;
    const extra = obj(record.additionalEventData);
    if (str(extra?.MFAUsed) !== 'No' || str(extra?.SamlProviderArn)) return null;
    const who = record.userIdentity.arn ?? record.userIdentity.userName ?? type;
    return {
      subject: record.userIdentity.arn ?? record.userIdentity.principalId ?? type,
      message: `${who} signed in to the console without MFA from ${record.sourceIPAddress ?? 'an unknown address'}`,
      details: { userType: type },
    };
  },
});
