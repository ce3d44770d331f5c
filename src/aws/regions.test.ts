import { describe, expect, it } from 'vitest';
import { enabledRegionNames, partitionOf } from './regions.js';

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
