// Table-driven cases for region-not-allowed: presets, globs, exact names, buckets judged by their own region.
import { describe, expect, it } from 'vitest';
import { bucket, runRuleCases, sg, table, volume } from '../../test/support/rule-fixtures.js';
import { regionAllowed, regionNotAllowed } from './region-not-allowed.js';

const inRegion = <R extends { region: string }>(resource: R, region: string): R => ({ ...resource, region });
const eu = { allowedRegions: ['eu'] };

describe('region-not-allowed', () => {
  runRuleCases(regionNotAllowed, [
    { n: 'C1', name: 'eu-west-1 with eu', params: eu, resource: inRegion(sg([]), 'eu-west-1'), expect: [] },
    {
      n: 'C2',
      name: 'eu-south-2 (Spain) with eu',
      params: eu,
      resource: inRegion(volume(true), 'eu-south-2'),
      expect: [],
    },
    {
      n: 'C3',
      name: 'eu-central-2 (Zurich) with eu',
      params: eu,
      resource: inRegion(table(true), 'eu-central-2'),
      expect: [],
    },
    { n: 'C4', name: 'not configured: nothing', resource: inRegion(sg([]), 'ap-south-1'), expect: [] },
    {
      n: 'C5',
      name: 'bucket judged by its own region',
      params: eu,
      resource: inRegion(bucket({ region: 'eu-west-1' }), 'us-east-1'),
      expect: [],
    },
    {
      n: 'C6',
      name: 'exact name',
      params: { allowedRegions: ['us-east-1'] },
      resource: inRegion(sg([]), 'us-east-1'),
      expect: [],
    },
    {
      n: 'C7',
      name: 'glob ap-*',
      params: { allowedRegions: ['ap-*'] },
      resource: inRegion(sg([]), 'ap-southeast-5'),
      expect: [],
    },
    {
      n: 'C8',
      name: 'gov preset',
      params: { allowedRegions: ['gov'] },
      resource: inRegion(sg([]), 'us-gov-west-1'),
      expect: [],
    },
    {
      n: 'N1',
      name: 'us-east-1 with eu',
      params: eu,
      resource: inRegion(sg([]), 'us-east-1'),
      expect: [{ certainty: 'definite', part: 'region' }],
    },
    {
      n: 'N2',
      name: 'a bucket in us-east-1 listed from eu-west-1',
      params: eu,
      resource: inRegion(bucket({ region: 'us-east-1' }), 'eu-west-1'),
      expect: [{ certainty: 'definite', path: ['region'] }],
    },
    {
      n: 'N3',
      name: 'us does not include GovCloud',
      params: { allowedRegions: ['us'] },
      resource: inRegion(sg([]), 'us-gov-east-1'),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N4',
      name: 'eusc (sovereign cloud) is not eu-*',
      params: eu,
      resource: inRegion(sg([]), 'eusc-de-east-1'),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N5',
      name: 'a template resource whose region is unknown: possible, not a pass',
      params: eu,
      resource: inRegion(sg([]), 'unknown'),
      expect: [{ certainty: 'possible', part: 'region' }],
    },
    {
      n: 'N6',
      name: 'a template bucket whose region is unknown',
      params: eu,
      resource: inRegion(bucket({ region: 'unknown' }), 'unknown'),
      expect: [{ certainty: 'possible', path: ['region'] }],
    },
  ]);

  it('presets match by pattern', () => {
    expect(regionAllowed('eu-north-1', eu)).toBe(true);
    expect(regionAllowed('me-central-1', eu)).toBe(false);
    expect(regionAllowed('us-west-2', { allowedRegions: ['us'] })).toBe(true);
  });

  it('validates entries', () => {
    expect(
      regionNotAllowed.paramsSchema.safeParse({ allowedRegions: ['eu', 'us-east-1', 'ap-*'] }).success,
    ).toBe(true);
    expect(regionNotAllowed.paramsSchema.safeParse({ allowedRegions: ['europe'] }).success).toBe(false);
    expect(regionNotAllowed.paramsSchema.safeParse({ allowedRegions: [] }).success).toBe(false);
  });
});
