// Detection cloudtrail-tampering: logging stopped, a trail deleted or reconfigured, event selectors changed.
import { isObject, str } from '../sources/cloudtrail/record.js';
import { defineDetection } from './detection.js';

const ACTIONS: Readonly<Record<string, string>> = {
  StopLogging: 'logging stopped',
  DeleteTrail: 'trail deleted',
  UpdateTrail: 'trail updated',
  PutEventSelectors: 'event selectors changed',
};

/** The trail's name from the parameter each call uses (name, trailName, or an ARN). */
function trailOf(parameters: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const value = str(parameters?.name) ?? str(parameters?.trailName);
  if (!value) return undefined;
  const slash = value.lastIndexOf(':trail/');
  return slash === -1 ? value : value.slice(slash + ':trail/'.length);
}

export const cloudtrailTampering = defineDetection({
  id: 'cloudtrail-tampering',
  title: 'CloudTrail logging stopped, deleted or reconfigured',
  severity: 'high',
  rationale:
    'Attackers blind the defenders before acting: StopLogging, DeleteTrail, an UpdateTrail that points the ' +
    'trail elsewhere, or PutEventSelectors that stop recording management events (Stratus Red Team ' +
    'cloudtrail-stop, cloudtrail-delete, cloudtrail-event-selectors; MITRE T1562.008). Every such call is ' +
    'reported; a PutEventSelectors that excludes management events, or records only reads, is critical.',
  references: [
    'https://attack.mitre.org/techniques/T1562/008/',
    'https://stratus-red-team.cloud/attack-techniques/AWS/aws.defense-evasion.cloudtrail-stop/',
    'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html',
  ],
  eventNames: Object.keys(ACTIONS),
  match(record) {
    const action = ACTIONS[record.eventName];
    if (!action || record.eventSource !== 'cloudtrail.amazonaws.com') return null;
    const trail = trailOf(record.requestParameters) ?? 'trail';
    // StopLogging and DeleteTrail always blind; selectors only when management writes stop being recorded
    // (advanced selectors, or selectors keeping management writes, may be legitimate tuning); UpdateTrail
    // may be routine, so it is reported at lower severity.
    let blinding = record.eventName === 'StopLogging' || record.eventName === 'DeleteTrail';
    if (record.eventName === 'PutEventSelectors') {
      const selectors = record.requestParameters?.eventSelectors;
      blinding =
        Array.isArray(selectors) &&
        selectors.length > 0 &&
        selectors.every(
          (selector) =>
            isObject(selector) &&
            (selector.includeManagementEvents === false || selector.readWriteType === 'ReadOnly'),
        );
    }
    const note = blinding && record.eventName === 'PutEventSelectors' ? ' (management write events no longer recorded)' : '';
    return {
      subject: trail,
      message: `CloudTrail ${trail}: ${action}${note}`,
      details: { trail, action: record.eventName, blinding },
      severity: blinding ? 'critical' : 'medium',
    };
  },
});
