// Detection sg-created: a new security group (information: new network exposure to keep an eye on).
import { str } from '../sources/cloudtrail/record.js';
import { defineDetection } from './detection.js';

export const sgCreated = defineDetection({
  id: 'sg-created',
  title: 'Security group created',
  severity: 'info',
  rationale:
    'A new security group is new network surface. On its own it is harmless; next to the rules added to it ' +
    '(reported by the sg-ingress-* rules from the same event stream) it tells who opened what, and when.',
  references: ['https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html'],
  eventNames: ['CreateSecurityGroup'],
  match(record) {
    if (record.eventName !== 'CreateSecurityGroup' || record.eventSource !== 'ec2.amazonaws.com') return null;
    const groupId = str(record.responseElements?.groupId);
    const name = str(record.requestParameters?.groupName);
    const vpcId = str(record.requestParameters?.vpcId);
    return {
      subject: groupId ?? name ?? 'security-group',
      message: `security group ${groupId ?? '(no id)'}${name ? ` "${name}"` : ''} created${vpcId ? ` in ${vpcId}` : ''}`,
      details: { ...(groupId ? { groupId } : {}), ...(name ? { groupName: name } : {}), ...(vpcId ? { vpcId } : {}) },
    };
  },
});
