// The interest filter: records nothing looks at pass by unparsed; anything in doubt goes to the parser.
import { describe, expect, it } from 'vitest';
import { BUILT_IN_DETECTIONS } from '../../detections/index.js';
import { createInterestFilter, eventNameOfText, identityTypeOfText } from './interest.js';

const filter = createInterestFilter(BUILT_IN_DETECTIONS);
const line = (fields: Record<string, unknown>) => JSON.stringify({ eventVersion: '1.09', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::1:user/a' }, eventSource: 'ec2.amazonaws.com', ...fields });

describe('createInterestFilter', () => {
  it.each([
    ['a mapped event', line({ eventName: 'AuthorizeSecurityGroupIngress' }), true],
    ['a detection event', line({ eventName: 'StopLogging' }), true],
    ['a root read (root-activity decides)', line({ eventName: 'ListBuckets', userIdentity: { type: 'Root' } }), true],
    ['an IAM user read', line({ eventName: 'DescribeInstances' }), false],
    ['a service role assumption', line({ eventName: 'AssumeRole', userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' } }), false],
    ['no eventName (the parser reports it)', JSON.stringify({ eventSource: 'x' }), true],
    ['a broken line', '{"eventName": tru', true],
    ['a whole log file on one line', JSON.stringify({ Records: [{ eventName: 'DescribeInstances' }, { eventName: 'DeleteTrail' }] }), true],
    ['an EventBridge envelope', JSON.stringify({ 'detail-type': 'AWS API Call via CloudTrail', detail: { eventName: 'DeleteFlowLogs' } }), true],
  ])('text: %s', (_label, text, expected) => {
    expect(filter.text(text)).toBe(expected);
  });

  it('value: the same decisions on parsed records', () => {
    expect(filter.value({ eventName: 'PutBucketAcl' })).toBe(true);
    expect(filter.value({ eventName: 'GetObject', userIdentity: { type: 'Root' } })).toBe(true);
    expect(filter.value({ eventName: 'GetObject', userIdentity: { type: 'IAMUser' } })).toBe(false);
    expect(filter.value({ eventName: 5 })).toBe(true);
  });

  it('reads names and identity types with spaces, and gives up on escapes', () => {
    expect(eventNameOfText('{ "eventName" :  "RunInstances" }')).toBe('RunInstances');
    expect(eventNameOfText('{"eventName":"Run\\u0049nstances"}')).toBeUndefined();
    expect(identityTypeOfText('{"userIdentity": {"type": "Root"}}')).toBe('Root');
    expect(identityTypeOfText('{"eventName":"X"}')).toBeNull();
  });

  it('a detection of any event without identity types makes every record matter', () => {
    const open = createInterestFilter([{ ...BUILT_IN_DETECTIONS[0]!, id: 'x', eventNames: [] }]);
    expect(open.text(line({ eventName: 'DescribeInstances' }))).toBe(true);
  });
});
