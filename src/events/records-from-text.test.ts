import { describe, expect, it } from 'vitest';
import { testRecord } from '../sources/cloudtrail/test-records.js';
import { recordsFromText } from './records-from-text.js';

const record = testRecord({ eventName: 'DeleteTrail', eventSource: 'cloudtrail.amazonaws.com', requestParameters: { name: 'main' } }).raw;

describe('recordsFromText', () => {
  it('unwraps SNS notifications, and takes log-object notices from S3, EventBridge and CloudTrail itself', () => {
    const sns = JSON.stringify({ Type: 'Notification', MessageId: 'm-1', Message: JSON.stringify({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.cloudtrail', detail: record }) });
    expect(recordsFromText(sns, 'sns').records.map(({ record: read }) => read.eventName)).toEqual(['DeleteTrail']);

    const s3Notice = JSON.stringify({
      Records: [
        { eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', awsRegion: 'eu-west-1', s3: { bucket: { name: 'trail' }, object: { key: 'AWSLogs/a+b%3Dc.json.gz' } } },
        { eventSource: 'aws:s3', eventName: 'ObjectRemoved:Delete', awsRegion: 'eu-west-1', s3: { bucket: { name: 'trail' }, object: { key: 'gone.json.gz' } } },
      ],
    });
    const fromS3 = recordsFromText(s3Notice, 'n');
    expect(fromS3.objects).toEqual([{ bucket: 'trail', key: 'AWSLogs/a b=c.json.gz', region: 'eu-west-1' }]);
    expect(fromS3.skipped).toBe(1);

    const bridge = JSON.stringify({ source: 'aws.s3', 'detail-type': 'Object Created', region: 'us-east-1', detail: { bucket: { name: 'trail' }, object: { key: 'k.json.gz' } } });
    expect(recordsFromText(bridge, 'b').objects).toEqual([{ bucket: 'trail', key: 'k.json.gz', region: 'us-east-1' }]);

    const trailNotice = JSON.stringify({ Type: 'Notification', Message: JSON.stringify({ s3Bucket: 'trail', s3ObjectKey: ['a.json.gz', 'b.json.gz'] }) });
    expect(recordsFromText(trailNotice, 't').objects.map((object) => object.key)).toEqual(['a.json.gz', 'b.json.gz']);
  });

  it('a body that is not JSON throws naming its origin; an empty one too', () => {
    expect(() => recordsFromText('not json', 'sqs message m-9')).toThrow(/^sqs message m-9: malformed JSON/);
    expect(() => recordsFromText('  \n', 'request body')).toThrow('request body: empty body');
  });

  it('select drops records before validation, and bad records are reported with their position', () => {
    const text = JSON.stringify([record, { eventName: 'Nope' }, { ...record, eventName: 'DescribeTrails' }]);
    const read = recordsFromText(text, 'body', { select: (value) => value.eventName !== 'DescribeTrails' });
    expect(read.records.map(({ source }) => source)).toEqual([{ file: 'body', index: 0 }]);
    expect(read.errors.map((error) => error.message)).toEqual(['body [record 1]: record Nope has no eventSource']);
  });
});
