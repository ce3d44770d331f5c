// Rule s3-public-policy: a bucket policy statement allows everyone ("*") without a restricting condition.
import * as z from 'zod';
import { certaintyOf, triAnd, triNot } from '../core/engine/tri.js';
import { defineRule, type Violation } from '../core/rule.js';
import { isType, NO_VIOLATIONS } from './shared/narrow.js';
import { memoByParams } from './shared/memo.js';
import { REF } from './shared/references.js';
import {
  BUCKET_TYPE,
  DEFAULT_RESTRICTING_KEYS,
  effectiveBlockFlag,
  judgeStatements,
  readPolicy,
  statementPart,
} from './shared/s3.js';

export interface S3PublicPolicyParams {
  /** Condition keys that make an Allow-to-"*" statement non-public when pinned to fixed values. */
  readonly restrictingConditionKeys: readonly string[];
  /** Also report Allow statements to AWS accounts outside trustedAccounts and the bucket's own account. */
  readonly flagUntrustedAccounts: boolean;
}

const restrictingKeys = memoByParams(
  (params: S3PublicPolicyParams): ReadonlySet<string> =>
    new Set(params.restrictingConditionKeys.map((key) => key.toLowerCase())),
);

export const s3PublicPolicy = defineRule<S3PublicPolicyParams>({
  id: 's3-public-policy',
  title: 'S3 bucket policy allows access to everyone',
  severity: 'high',
  resourceTypes: [BUCKET_TYPE],
  rationale:
    'An Allow statement whose Principal is "*" (or {"AWS": "*"}, a wildcard ARN, or any NotPrincipal) opens the ' +
    'bucket to the world unless a condition pins callers or networks to fixed values: aws:SourceIp (a range no ' +
    'wider than /8, or /32 for IPv6), aws:SourceVpc, aws:SourceVpce, aws:SourceArn, aws:SourceAccount, ' +
    'aws:SourceOwner, aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn, aws:userid, ' +
    's3:DataAccessPointAccount and the others in restrictingConditionKeys, under a positive operator ' +
    '(StringEquals, StringLike, ArnEquals, ArnLike, IpAddress; not Not*, not *IfExists, not ForAllValues). ' +
    'Not reported when RestrictPublicBuckets is on for the bucket or the account: S3 then refuses public and ' +
    'cross-account access through the policy. BlockPublicPolicy only refuses new public policies.',
  references: [
    REF.s3BlockPublicAccess,
    REF.s3BucketPolicies,
    REF.iamConditionKeys,
    `${REF.hubS3}#s3-2`,
    `${REF.hubS3}#s3-3`,
  ],
  remediation: {
    action: 'remove-s3-public-policy-statements',
    description:
      'Remove the public statements, or add a condition that restricts them (e.g. aws:SourceVpce).',
  },
  enabledByDefault: true,
  paramsSchema: z.strictObject({
    restrictingConditionKeys: z.array(z.string().min(1)),
    flagUntrustedAccounts: z.boolean(),
  }),
  defaultParams: { restrictingConditionKeys: DEFAULT_RESTRICTING_KEYS, flagUntrustedAccounts: false },
  check(resource, params, context) {
    if (!isType(resource, BUCKET_TYPE)) return NO_VIOLATIONS;
    const bucket = resource.config;
    if (bucket.policy === null) return NO_VIOLATIONS;
    const honoured = triNot(effectiveBlockFlag(bucket, 'restrictPublicBuckets'));
    if (honoured === 'no') return NO_VIOLATIONS;
    const policy = readPolicy(bucket.policy);
    if (policy.kind === 'none') return NO_VIOLATIONS;
    if (policy.kind === 'unknown') {
      return [
        {
          part: 'policy',
          certainty: 'possible',
          message: `bucket ${bucket.name}: policy unknown (${policy.reason}); it may allow public access`,
          path: ['policy'],
        },
      ];
    }
    const verdicts = judgeStatements(policy.statements, {
      restrictingKeys: restrictingKeys(params),
      flagUntrustedAccounts: params.flagUntrustedAccounts,
      ownAccount: resource.account,
      trustedAccounts: context.trustedAccounts,
    });
    if (verdicts.length === 0) return NO_VIOLATIONS;
    const out: Violation[] = [];
    for (const verdict of verdicts) {
      const tri = triAnd(verdict.tri, honoured);
      const name = verdict.sid ? `statement "${verdict.sid}"` : `statement ${verdict.index}`;
      const what =
        verdict.kind === 'public'
          ? `${verdict.reason} without a restricting condition`
          : `Allow to account${verdict.accounts.length === 1 ? '' : 's'} ${verdict.accounts.join(', ')} outside trustedAccounts`;
      out.push({
        part: statementPart(verdict, policy.statements),
        certainty: certaintyOf(tri),
        message: `bucket ${bucket.name}: policy ${name}: ${what}${tri === 'yes' ? '' : ' (depends on an unknown value)'}`,
        // Templates give the policy as an object, so the statement itself can carry a line number.
        path: policy.fromText ? ['policy'] : ['policy', 'Statement', verdict.index],
        details: {
          statement: verdict.index,
          ...(verdict.sid ? { sid: verdict.sid } : {}),
          kind: verdict.kind,
          reason: verdict.reason,
          ...(verdict.accounts.length ? { accounts: verdict.accounts } : {}),
        },
      });
    }
    return out;
  },
});
