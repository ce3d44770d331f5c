// Detection root-activity: the root user signed in or made a change (it should be locked away).
import { obj, str } from '../sources/cloudtrail/record.js';
import { defineDetection } from './detection.js';

/** Calls AWS makes for the root user during console flows, not the root user acting. */
const ROOT_NOISE = new Set(['CreateServiceLinkedRole']);

export const rootActivity = defineDetection({
  id: 'root-activity',
  title: 'Root user activity',
  severity: 'high',
  rationale:
    'The root user cannot be restricted by IAM or SCPs and should be used only for the few tasks that need ' +
    'it (CIS AWS Foundations 1.7). A console sign-in or a change made as root is reported. Read-only calls ' +
    'are not (the sign-in and the changes already are; console page loads make dozens of them), nor calls ' +
    'AWS makes on the root user\'s behalf (invokedBy, service events, CreateServiceLinkedRole), nor failed ' +
    'sign-ins.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-best-practices.html',
    'https://www.cisecurity.org/benchmark/amazon_web_services',
  ],
  eventNames: [],
  identityTypes: ['Root'],
  match(record) {
    const identity = record.userIdentity;
    if (identity.type !== 'Root') return null;
    if (identity.invokedBy || record.eventType === 'AwsServiceEvent') return null;
    if (record.readOnly === true || ROOT_NOISE.has(record.eventName)) return null;
    // Sign-in events report failure in the response, not as an errorCode.
    const response = record.responseElements;
    if (response && Object.values(response).some((value) => value === 'Failure')) return null;
    const login = record.eventName === 'ConsoleLogin';
    const mfa = str(obj(record.additionalEventData)?.MFAUsed);
    return {
      subject: 'root',
      message: login
        ? `root user signed in to the console${mfa === 'No' ? ' without MFA' : ''} from ${record.sourceIPAddress ?? 'an unknown address'}`
        : `root user called ${record.eventSource.replace('.amazonaws.com', '')}:${record.eventName}`,
      details: { eventName: record.eventName, eventSource: record.eventSource },
      ...(login ? {} : { severity: 'high' as const }),
    };
  },
});
