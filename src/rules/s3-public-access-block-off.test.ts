// Table-driven cases for s3-public-access-block-off: each setting applies when on for the bucket OR the account.
import { describe, expect, it } from 'vitest';
import {
  BLOCK_ALL,
  BLOCK_NONE,
  bucket,
  checkWith,
  runRuleCases,
  U,
} from '../../test/support/rule-fixtures.js';
import { s3PublicAccessBlockOff } from './s3-public-access-block-off.js';

describe('s3-public-access-block-off', () => {
  runRuleCases(s3PublicAccessBlockOff, [
    {
      n: 'C1',
      name: 'all four on for the bucket',
      resource: bucket({ publicAccessBlock: BLOCK_ALL }),
      expect: [],
    },
    {
      n: 'C2',
      name: 'none on the bucket, all on the account',
      resource: bucket({ publicAccessBlock: BLOCK_NONE, accountPublicAccessBlock: BLOCK_ALL }),
      expect: [],
    },
    {
      n: 'C3',
      name: 'two on the bucket, the other two on the account',
      resource: bucket({
        publicAccessBlock: { ...BLOCK_NONE, blockPublicAcls: true, ignorePublicAcls: true },
        accountPublicAccessBlock: { ...BLOCK_NONE, blockPublicPolicy: true, restrictPublicBuckets: true },
      }),
      expect: [],
    },
    {
      n: 'C4',
      name: 'bucket unknown but the account blocks all',
      resource: bucket({
        publicAccessBlock: {
          blockPublicAcls: U(),
          ignorePublicAcls: U(),
          blockPublicPolicy: U(),
          restrictPublicBuckets: U(),
        },
        accountPublicAccessBlock: BLOCK_ALL,
      }),
      expect: [],
    },
    {
      n: 'N1',
      name: 'no block anywhere',
      resource: bucket({ publicAccessBlock: null, accountPublicAccessBlock: null }),
      expect: [{ certainty: 'definite', part: 'public-access-block', path: ['publicAccessBlock'] }],
    },
    {
      n: 'N2',
      name: 'three of four',
      resource: bucket({ publicAccessBlock: { ...BLOCK_ALL, restrictPublicBuckets: false } }),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N3',
      name: 'one off and one unknown is definite',
      resource: bucket({
        publicAccessBlock: { ...BLOCK_ALL, blockPublicAcls: false, ignorePublicAcls: U() },
      }),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'P1',
      name: 'all unknown, no account block',
      resource: bucket({
        publicAccessBlock: {
          blockPublicAcls: U(),
          ignorePublicAcls: U(),
          blockPublicPolicy: U(),
          restrictPublicBuckets: U(),
        },
      }),
      expect: [{ certainty: 'possible' }],
    },
  ]);

  it('names the settings that are off', () => {
    const [violation] = checkWith(
      s3PublicAccessBlockOff,
      bucket({ publicAccessBlock: { ...BLOCK_ALL, restrictPublicBuckets: false, blockPublicPolicy: U() } }),
    );
    expect(violation?.details).toEqual({ off: ['RestrictPublicBuckets'], unknown: ['BlockPublicPolicy'] });
  });
});
