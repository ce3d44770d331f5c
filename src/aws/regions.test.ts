import { describe, expect, it } from 'vitest';
import { enabledRegionNames, partitionOf, regionOfQueueUrl } from './regions.js';

describe('region discovery', () => {
  it('keeps opted-in regions and those needing no opt-in, skips the rest', () => {
    expect(
      enabledRegionNames([
        { RegionName: 'eu-west-1', OptInStatus: 'opt-in-not-required' },
        { RegionName: 'af-south-1', OptInStatus: 'not-opted-in' },
        { RegionName: 'me-central-1', OptInStatus: 'opted-in' },
        { RegionName: 'us-east-1' },
        { OptInStatus: 'opted-in' },
      ]),
    ).toEqual(['eu-west-1', 'me-central-1', 'us-east-1']);
  });

  it('knows the partition of a region, including ones it has never seen', () => {
    expect(partitionOf('cn-north-1')).toBe('aws-cn');
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
    expect(partitionOf('ca-northsouth-2r')).toBe('aws');
  });
});

describe('regionOfQueueUrl', () => {
  it('reads the region from an SQS queue URL, and gives none for a local endpoint', () => {
    expect(regionOfQueueUrl('https://sqs.eu-west-1.amazonaws.com/111122223333/leuko-events')).toBe('eu-west-1');
    expect(regionOfQueueUrl('https://sqs-fips.us-gov-west-1.amazonaws.com/111122223333/q')).toBe('us-gov-west-1');
    expect(regionOfQueueUrl('https://sqs.cn-north-1.amazonaws.com.cn/111122223333/q')).toBe('cn-north-1');
    expect(regionOfQueueUrl('http://127.0.0.1:4566/111122223333/leuko-events')).toBeUndefined();
  });
});
