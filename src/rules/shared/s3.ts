// S3 access facts shared by the s3-* rules: effective public access block, public ACL grants, public policy
// statements. AWS's own notion of "public" is followed, so a bucket AWS calls private is not reported.
import { triAnd, triFromFlag, triNot, triOr, type Tri } from '../../core/engine/tri.js';
import type { BucketModel, PublicAccessBlock } from '../../core/models/bucket.js';
import { parseCidr } from '../../core/net/cidr.js';
import { isUnknown } from '../../core/unknown.js';

export const BUCKET_TYPE = 'aws.s3.bucket';

export type BlockFlag = keyof PublicAccessBlock;

export const BLOCK_FLAGS: readonly BlockFlag[] = [
  'blockPublicAcls',
  'ignorePublicAcls',
  'blockPublicPolicy',
  'restrictPublicBuckets',
];

/** AWS's names, for messages that match the console and the API. */
export const BLOCK_FLAG_NAMES: Readonly<Record<BlockFlag, string>> = {
  blockPublicAcls: 'BlockPublicAcls',
  ignorePublicAcls: 'IgnorePublicAcls',
  blockPublicPolicy: 'BlockPublicPolicy',
  restrictPublicBuckets: 'RestrictPublicBuckets',
};

/** A flag as S3 applies it: on when the bucket's or the account's block has it on (the stricter wins). */
export function effectiveBlockFlag(bucket: BucketModel, flag: BlockFlag): Tri {
  const own = bucket.publicAccessBlock ? triFromFlag(bucket.publicAccessBlock[flag]) : 'no';
  const account = bucket.accountPublicAccessBlock ? triFromFlag(bucket.accountPublicAccessBlock[flag]) : 'no';
  return triOr(own, account);
}

// ---- ACLs ----------------------------------------------------------------------------------------

const PUBLIC_GROUPS: ReadonlyArray<readonly [suffix: string, name: string]> = [
  ['/global/AllUsers', 'AllUsers'],
  ['/global/AuthenticatedUsers', 'AuthenticatedUsers'],
];

/** 'AllUsers' or 'AuthenticatedUsers' (any AWS account in the world) for a grantee URI, else undefined. */
export function publicGroupName(uri: string): string | undefined {
  for (const [suffix, name] of PUBLIC_GROUPS) if (uri.endsWith(suffix)) return name;
  return undefined;
}

// ---- policies ------------------------------------------------------------------------------------

/**
 * Condition keys that tie a statement to a fixed set of callers or networks, after the S3 documentation's
 * "meaning of public" (plus the principal-organisation keys that Access Analyzer also honours). Matched
 * lower-case, as IAM does.
 */
export const DEFAULT_RESTRICTING_KEYS: readonly string[] = [
  'aws:SourceIp',
  'aws:SourceVpc',
  'aws:SourceVpce',
  'aws:SourceArn',
  'aws:SourceAccount',
  'aws:SourceOwner',
  'aws:SourceOrgID',
  'aws:SourceOrgPaths',
  'aws:PrincipalOrgID',
  'aws:PrincipalOrgPaths',
  'aws:PrincipalAccount',
  'aws:PrincipalArn',
  'aws:userid',
  's3:DataAccessPointArn',
  's3:DataAccessPointAccount',
  's3:x-amz-server-side-encryption-aws-kms-key-id',
];

/** Operators that pin a key to values. Negations and *IfExists pass when the key is absent, so they don't. */
const POSITIVE_OPERATORS = new Set([
  'stringequals',
  'stringequalsignorecase',
  'stringlike',
  'arnequals',
  'arnlike',
  'ipaddress',
]);

/** Source ranges wider than these admit a large share of the internet; such a condition restricts nothing. */
const MIN_SOURCE_IP_PREFIX = { 4: 8, 6: 32 } as const;

export interface PolicyCheckOptions {
  /** Lower-cased restricting condition keys. */
  readonly restrictingKeys: ReadonlySet<string>;
  /** Report Allow statements naming AWS accounts outside `trustedAccounts` and the bucket's own account. */
  readonly flagUntrustedAccounts: boolean;
  readonly ownAccount: string;
  readonly trustedAccounts: readonly string[];
}

export interface StatementVerdict {
  readonly index: number;
  readonly sid: string | undefined;
  /** 'public': anyone; 'untrusted': named accounts outside the trusted set. */
  readonly kind: 'public' | 'untrusted';
  readonly tri: Tri;
  readonly accounts: readonly string[];
  readonly reason: string;
}

export type PolicyDocument =
  | { readonly kind: 'none' }
  | { readonly kind: 'unknown'; readonly reason: string }
  | { readonly kind: 'document'; readonly statements: readonly unknown[]; readonly fromText: boolean };

/** The policy as statements: AWS returns JSON text, templates give objects; either may be unknown. */
export function readPolicy(policy: unknown): PolicyDocument {
  if (policy === null || policy === undefined) return { kind: 'none' };
  if (isUnknown(policy)) return { kind: 'unknown', reason: policy.reason };
  let document: unknown = policy;
  let fromText = false;
  if (typeof policy === 'string') {
    fromText = true;
    try {
      document = JSON.parse(policy) as unknown;
    } catch {
      return { kind: 'unknown', reason: 'the bucket policy is not valid JSON' };
    }
  }
  if (typeof document !== 'object' || document === null)
    return { kind: 'unknown', reason: 'the bucket policy is not a JSON object' };
  const statement = (document as { Statement?: unknown }).Statement;
  if (isUnknown(statement)) return { kind: 'unknown', reason: statement.reason };
  if (statement === undefined) return { kind: 'document', statements: [], fromText };
  return { kind: 'document', statements: Array.isArray(statement) ? statement : [statement], fromText };
}

function valuesOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

const WILDCARD_ONLY = /^[*?]+$/;

function principalValuePublic(value: unknown): Tri {
  if (isUnknown(value)) return 'maybe';
  if (typeof value !== 'string') return 'no';
  // "*", and ARNs with a wildcard account ("arn:aws:iam::*:root"), name anyone.
  return value === '*' || value.includes('*') ? 'yes' : 'no';
}

/** Does the Principal name anyone at all? */
export function principalPublic(principal: unknown): Tri {
  if (principal === undefined) return 'no';
  if (isUnknown(principal)) return 'maybe';
  if (typeof principal === 'string') return principalValuePublic(principal);
  if (typeof principal !== 'object' || principal === null) return 'no';
  let result: Tri = 'no';
  for (const [type, value] of Object.entries(principal)) {
    // A service principal is a fixed AWS service, never "the public".
    if (type === 'Service') continue;
    if (isUnknown(value)) {
      result = triOr(result, 'maybe');
      continue;
    }
    for (const item of valuesOf(value)) result = triOr(result, principalValuePublic(item));
  }
  return result;
}

const ACCOUNT_ARN = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/;
const ACCOUNT_ID = /^\d{12}$/;

/** Account ids named in an AWS principal ("123456789012", "arn:aws:iam::123456789012:root"). */
export function principalAccounts(principal: unknown): string[] {
  if (typeof principal !== 'object' || principal === null || isUnknown(principal)) return [];
  const aws = (principal as { AWS?: unknown }).AWS;
  const accounts: string[] = [];
  for (const item of valuesOf(aws)) {
    if (typeof item !== 'string') continue;
    const account = ACCOUNT_ID.test(item) ? item : ACCOUNT_ARN.exec(item)?.[1];
    if (account && !accounts.includes(account)) accounts.push(account);
  }
  return accounts;
}

function fixedValue(value: unknown, key: string, operator: string): Tri {
  if (isUnknown(value)) return 'maybe';
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return 'no';
  const text = String(value);
  if (text === '' || WILDCARD_ONLY.test(text)) return 'no';
  if (key === 'aws:sourceip') {
    if (operator !== 'ipaddress') return 'no';
    const cidr = parseCidr(text);
    return cidr && cidr.prefix >= MIN_SOURCE_IP_PREFIX[cidr.version] ? 'yes' : 'no';
  }
  // Partial wildcards still pin something ("AROAEXAMPLE:*" is one role's sessions, an ARN pattern one account).
  return operator === 'ipaddress' ? 'no' : 'yes';
}

/** Does the Condition block pin the statement to fixed callers or networks? */
export function conditionRestricts(condition: unknown, restrictingKeys: ReadonlySet<string>): Tri {
  if (condition === undefined || condition === null) return 'no';
  if (isUnknown(condition)) return 'maybe';
  if (typeof condition !== 'object') return 'no';
  let result: Tri = 'no';
  for (const [rawOperator, block] of Object.entries(condition)) {
    let operator = rawOperator.toLowerCase();
    if (operator.startsWith('forallvalues:')) continue;
    if (operator.startsWith('foranyvalue:')) operator = operator.slice('foranyvalue:'.length);
    if (!POSITIVE_OPERATORS.has(operator)) continue;
    if (isUnknown(block)) {
      result = triOr(result, 'maybe');
      continue;
    }
    if (typeof block !== 'object' || block === null) continue;
    for (const [rawKey, values] of Object.entries(block)) {
      const key = rawKey.toLowerCase();
      if (!restrictingKeys.has(key)) continue;
      if (isUnknown(values)) {
        result = triOr(result, 'maybe');
        continue;
      }
      const list = valuesOf(values);
      if (list.length === 0) continue;
      // Every value must be fixed: one "*" among them opens the statement again.
      let all: Tri = 'yes';
      for (const value of list) all = triAnd(all, fixedValue(value, key, operator));
      result = triOr(result, all);
      if (result === 'yes') return result;
    }
  }
  return result;
}

function statementSid(statement: unknown): string | undefined {
  if (typeof statement !== 'object' || statement === null || isUnknown(statement)) return undefined;
  const sid = (statement as { Sid?: unknown }).Sid;
  return typeof sid === 'string' && sid.length > 0 ? sid : undefined;
}

/** Public (or, if asked, untrusted-account) Allow statements of a policy, with how sure we are. */
export function judgeStatements(
  statements: readonly unknown[],
  options: PolicyCheckOptions,
): StatementVerdict[] {
  const out: StatementVerdict[] = [];
  for (let index = 0; index < statements.length; index++) {
    const statement = statements[index];
    const sid = statementSid(statement);
    if (isUnknown(statement)) {
      out.push({
        index,
        sid,
        kind: 'public',
        tri: 'maybe',
        accounts: [],
        reason: `unknown statement (${statement.reason})`,
      });
      continue;
    }
    if (typeof statement !== 'object' || statement === null) continue;
    const fields = statement as {
      Effect?: unknown;
      Principal?: unknown;
      NotPrincipal?: unknown;
      Condition?: unknown;
    };
    const allow: Tri = isUnknown(fields.Effect) ? 'maybe' : fields.Effect === 'Allow' ? 'yes' : 'no';
    if (allow === 'no') continue;
    // Allow with NotPrincipal grants everyone except the listed principals.
    const anyone = fields.NotPrincipal !== undefined ? 'yes' : principalPublic(fields.Principal);
    const restricted = conditionRestricts(fields.Condition, options.restrictingKeys);
    const open = triAnd(allow, triNot(restricted));
    const isPublic = triAnd(open, anyone);
    if (isPublic !== 'no') {
      out.push({
        index,
        sid,
        kind: 'public',
        tri: isPublic,
        accounts: [],
        reason: fields.NotPrincipal !== undefined ? 'Allow with NotPrincipal' : 'Allow to principal "*"',
      });
      continue;
    }
    if (!options.flagUntrustedAccounts) continue;
    const untrusted = principalAccounts(fields.Principal).filter(
      (account) => account !== options.ownAccount && !options.trustedAccounts.includes(account),
    );
    if (untrusted.length > 0 && open !== 'no') {
      out.push({
        index,
        sid,
        kind: 'untrusted',
        tri: open,
        accounts: untrusted,
        reason: 'Allow to accounts outside trustedAccounts',
      });
    }
  }
  return out;
}

/** Stable part key of a statement: its Sid when unique in the policy, else its position. */
export function statementPart(verdict: StatementVerdict, statements: readonly unknown[]): string {
  if (verdict.sid !== undefined) {
    const same = statements.filter((statement) => statementSid(statement) === verdict.sid).length;
    if (same === 1) return `statement:${verdict.sid}`;
  }
  return `statement:${verdict.index}`;
}
