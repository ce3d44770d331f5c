// Rule s3-public-acl: a bucket ACL grants AllUsers or AuthenticatedUsers, and nothing neutralises it.
import { certaintyOf, triNot, type Tri } from '../core/engine/tri.js';
import { defineRule, type Violation } from '../core/rule.js';
import { emptyParamsSchema, type EmptyParams } from './shared/empty-params.js';
import { isType, NO_VIOLATIONS } from './shared/narrow.js';
import { REF } from './shared/references.js';
import { BUCKET_TYPE, effectiveBlockFlag, publicGroupName } from './shared/s3.js';
import { isUnknown } from '../core/unknown.js';

export const s3PublicAcl = defineRule<EmptyParams>({
  id: 's3-public-acl',
  title: 'S3 bucket ACL grants access to everyone',
  severity: 'high',
  resourceTypes: [BUCKET_TYPE],
  rationale:
    'A grant to AllUsers opens the bucket to anyone on the internet; a grant to AuthenticatedUsers opens it to ' +
    'anyone with any AWS account, which is no better. Not reported where S3 ignores the ACL: IgnorePublicAcls on ' +
    'the bucket or the account, or Object Ownership "BucketOwnerEnforced" (ACLs disabled). BlockPublicAcls does ' +
    'not neutralise an existing grant: it only refuses new ones.',
  references: [
    REF.s3Acl,
    REF.s3BlockPublicAccess,
    REF.s3ObjectOwnership,
    `${REF.hubS3}#s3-2`,
    `${REF.hubS3}#s3-3`,
  ],
  remediation: {
    action: 'remove-s3-public-acl-grants',
    description: 'Remove the public grants (or set Object Ownership to BucketOwnerEnforced to disable ACLs).',
  },
  enabledByDefault: true,
  paramsSchema: emptyParamsSchema,
  defaultParams: {},
  check(resource) {
    if (!isType(resource, BUCKET_TYPE)) return NO_VIOLATIONS;
    const bucket = resource.config;
    if (bucket.objectOwnership === 'BucketOwnerEnforced') return NO_VIOLATIONS;
    const honoured: Tri = triNot(effectiveBlockFlag(bucket, 'ignorePublicAcls'));
    if (honoured === 'no') return NO_VIOLATIONS;
    const acl = bucket.acl;
    if (isUnknown(acl)) {
      return [
        {
          part: 'acl',
          certainty: 'possible',
          message: `bucket ${bucket.name}: ACL unknown (${acl.reason}); it may grant public access`,
          path: ['acl'],
        },
      ];
    }
    let out: Violation[] | undefined;
    for (let index = 0; index < acl.grants.length; index++) {
      const grant = acl.grants[index]!;
      if (grant.grantee.kind !== 'group') continue;
      const group = publicGroupName(grant.grantee.uri);
      if (!group) continue;
      const tri = honoured;
      (out ??= []).push({
        part: `grant:group:${group}:${grant.permission}`,
        certainty: certaintyOf(tri),
        message:
          `bucket ${bucket.name}: ACL grants ${grant.permission} to ${group}` +
          (tri === 'yes' ? '' : ' (IgnorePublicAcls unknown)'),
        path: ['acl', 'grants', index],
        details: { grantee: group, permission: grant.permission },
      });
    }
    return out ?? NO_VIOLATIONS;
  },
});
