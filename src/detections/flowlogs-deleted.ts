// Detection flowlogs-deleted: VPC flow logs deleted, which blinds network forensics.
import { isObject, items, str } from '../sources/cloudtrail/record.js';
import { defineDetection } from './detection.js';

/** Flow log ids from either record shape: {flowLogIds: [...]} or the newer {DeleteFlowLogsRequest: {FlowLogId: …}}. */
function flowLogIds(parameters: Readonly<Record<string, unknown>> | undefined): string[] {
  if (!parameters) return [];
  const ids: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'string' && value) ids.push(value);
    else if (isObject(value) && typeof value.content === 'string') ids.push(value.content);
    else if (isObject(value) && typeof value.flowLogId === 'string') ids.push(value.flowLogId);
  };
  const request = isObject(parameters.DeleteFlowLogsRequest) ? parameters.DeleteFlowLogsRequest : parameters;
  for (const key of ['FlowLogId', 'flowLogId', 'flowLogIds', 'FlowLogIds']) {
    const value = request[key];
    if (Array.isArray(value)) value.forEach(add);
    else if (isObject(value) && Array.isArray(value.items)) items(value).forEach(add);
    else add(value);
  }
  return ids;
}

export const flowlogsDeleted = defineDetection({
  id: 'flowlogs-deleted',
  title: 'VPC flow logs deleted',
  severity: 'high',
  rationale:
    'Deleting flow logs removes the record of network traffic just before exfiltration or lateral movement ' +
    '(MITRE T1562.008; Stratus Red Team aws.defense-evasion.vpc-remove-flow-logs).',
  references: [
    'https://attack.mitre.org/techniques/T1562/008/',
    'https://stratus-red-team.cloud/attack-techniques/AWS/aws.defense-evasion.vpc-remove-flow-logs/',
  ],
  eventNames: ['DeleteFlowLogs'],
  match(record) {
    if (record.eventName !== 'DeleteFlowLogs' || record.eventSource !== 'ec2.amazonaws.com') return null;
    const ids = flowLogIds(record.requestParameters);
    return {
      subject: ids.length > 0 ? ids.join(',') : 'flow-logs',
      message: `VPC flow log${ids.length === 1 ? '' : 's'} ${ids.join(', ') || '(unnamed)'} deleted`,
      details: { flowLogIds: ids, ...(str(record.requestParameters?.vpcId) ? { vpcId: str(record.requestParameters?.vpcId) } : {}) },
    };
  },
});
