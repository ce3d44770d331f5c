// Rule s3-public-access-block-off: S3 Block Public Access is not fully on for a bucket (bucket OR account).
import { certaintyOf, type Tri } from '../core/engine/tri.js';
import { defineRule } from '../core/rule.js';
import { emptyParamsSchema, type EmptyParams } from './shared/empty-params.js';
import { isType, NO_VIOLATIONS } from './shared/narrow.js';
import { REF } from './shared/references.js';
import { BLOCK_FLAG_NAMES, BLOCK_FLAGS, BUCKET_TYPE, effectiveBlockFlag } from './shared/s3.js';

export const s3PublicAccessBlockOff = defineRule<EmptyParams>({
  id: 's3-public-access-block-off',
  title: 'S3 Block Public Access is not fully on',
  severity: 'medium',
  resourceTypes: [BUCKET_TYPE],
  rationale:
    'Block Public Access is the guard rail that keeps a future ACL or policy mistake from publishing data. Each of ' +
    'its four settings (BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets) applies when ' +
    'it is on for the bucket or for the account; this rule reports a bucket where any of the four is off at both ' +
    'levels. Buckets that must be public (static websites) are what exceptions are for.',
  references: [REF.s3BlockPublicAccess, `${REF.hubS3}#s3-1`, `${REF.hubS3}#s3-8`, REF.cisAws],
  remediation: {
    action: 'block-s3-public-access',
    description: 'Turn on all four Block Public Access settings for the bucket (or for the account).',
  },
  enabledByDefault: true,
  paramsSchema: emptyParamsSchema,
  defaultParams: {},
  check(resource) {
    if (!isType(resource, BUCKET_TYPE)) return NO_VIOLATIONS;
    const bucket = resource.config;
    // Most buckets are fully blocked: decide that before building any list.
    let allOn = true;
    for (const flag of BLOCK_FLAGS) if (effectiveBlockFlag(bucket, flag) !== 'yes') allOn = false;
    if (allOn) return NO_VIOLATIONS;
    const off: string[] = [];
    const unknown: string[] = [];
    for (const flag of BLOCK_FLAGS) {
      const tri = effectiveBlockFlag(bucket, flag);
      if (tri === 'no') off.push(BLOCK_FLAG_NAMES[flag]);
      else if (tri === 'maybe') unknown.push(BLOCK_FLAG_NAMES[flag]);
    }
    const tri: Tri = off.length > 0 ? 'yes' : 'maybe';
    return [
      {
        part: 'public-access-block',
        certainty: certaintyOf(tri),
        message:
          off.length > 0
            ? `bucket ${bucket.name}: Block Public Access off (bucket and account) for ${off.join(', ')}`
            : `bucket ${bucket.name}: Block Public Access unknown for ${unknown.join(', ')}`,
        path: ['publicAccessBlock'],
        details: { off, unknown },
      },
    ];
  },
});
