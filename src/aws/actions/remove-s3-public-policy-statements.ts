// Action remove-s3-public-policy-statements: removes only the public statements of a bucket policy, keeping the rest.
import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
} from '@aws-sdk/client-s3';
import { makePlan, protectionRefusal, refusal } from '../../core/action.js';
import { isUnknown } from '../../core/unknown.js';
import { readPolicy } from '../../rules/shared/s3.js';
import {
  alreadyDone,
  canonicalJson,
  defineRuntimeAction,
  hasCode,
  journaled,
  nothingToRevert,
  RemediationError,
  reread,
  send,
  type ActionContext,
} from './action-runtime.js';

const TYPE = 'aws.s3.bucket';
const ID = 'remove-s3-public-policy-statements';
const META = { id: ID, destructive: false, reversible: true } as const;

export interface PolicySpec {
  readonly bucket: string;
  readonly region: string;
  /** The statements to remove, by content: indexes shift when a policy is edited, content does not. */
  readonly statements: readonly unknown[];
}

export interface PolicyBefore {
  /** The policy text GetBucketPolicy returned just before (null: no policy). */
  readonly policy: string | null;
  readonly removed: readonly unknown[];
}

interface PolicyDoc {
  Version?: string;
  Id?: string;
  Statement?: unknown;
  [key: string]: unknown;
}

function statementsOf(document: PolicyDoc): unknown[] {
  const statement = document.Statement;
  if (statement === undefined) return [];
  return Array.isArray(statement) ? statement : [statement];
}

function sameStatement(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function describeStatement(statement: unknown, index: number): string {
  const fields = (typeof statement === 'object' && statement !== null ? statement : {}) as Record<
    string,
    unknown
  >;
  const name = typeof fields.Sid === 'string' ? `"${fields.Sid}"` : `#${index}`;
  return `statement ${name} (${String(fields.Effect)} ${JSON.stringify(fields.Action ?? fields.NotAction)} to ${JSON.stringify(fields.Principal ?? { NotPrincipal: fields.NotPrincipal })})`;
}

async function readPolicyText(ctx: ActionContext, bucket: string, region: string): Promise<string | null> {
  const s3 = ctx.clients.client('s3', region);
  try {
    const output = await send(ctx, region, () => s3.send(new GetBucketPolicyCommand({ Bucket: bucket })));
    return output.Policy ?? null;
  } catch (error) {
    if (hasCode(error, ['NoSuchBucketPolicy'])) return null;
    throw error;
  }
}

function parse(bucket: string, text: string): PolicyDoc {
  try {
    return JSON.parse(text) as PolicyDoc;
  } catch (error) {
    throw new RemediationError(ID, bucket, 'the bucket policy is not valid JSON', error);
  }
}

async function writePolicy(
  ctx: ActionContext,
  bucket: string,
  region: string,
  document: PolicyDoc,
): Promise<void> {
  const s3 = ctx.clients.client('s3', region);
  if (statementsOf(document).length === 0) {
    // AWS refuses a policy without statements: no statements left means no policy.
    await send(ctx, region, () => s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket })));
    return;
  }
  await send(ctx, region, () =>
    s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(document) })),
  );
}

export const removeS3PublicPolicyStatements = defineRuntimeAction<typeof TYPE, PolicySpec, PolicyBefore>({
  ...META,
  title: 'Remove the public statements of a bucket policy',
  resourceTypes: [TYPE],
  permissions: {
    apply: ['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy'],
    revert: ['s3:GetBucketPolicy', 's3:PutBucketPolicy'],
  },

  plan(input) {
    const protectedBy = protectionRefusal(ID, input);
    if (protectedBy) return protectedBy;
    const bucket = input.resource.config;
    const policy = readPolicy(bucket.policy);
    if (policy.kind === 'unknown')
      return refusal(ID, input.resource, 'unknown', `bucket ${bucket.name}: ${policy.reason}`);
    if (policy.kind === 'none')
      return refusal(ID, input.resource, 'nothing-to-do', `bucket ${bucket.name} has no policy`);
    const indexes = new Set<number>();
    for (const violation of input.violations) {
      const index = violation.details?.statement;
      if (typeof index === 'number') indexes.add(index);
    }
    const chosen = [...indexes].sort((a, b) => a - b).filter((index) => index < policy.statements.length);
    if (chosen.length === 0) {
      return refusal(
        ID,
        input.resource,
        'nothing-to-do',
        `bucket ${bucket.name}: no statement of the finding in the policy`,
      );
    }
    const statements = chosen.map((index) => policy.statements[index]);
    if (statements.some((statement) => isUnknown(statement))) {
      return refusal(
        ID,
        input.resource,
        'unknown',
        `bucket ${bucket.name}: a statement to remove is unknown`,
      );
    }
    const left = policy.statements.length - statements.length;
    return makePlan(META, input, {
      changes: chosen.map(
        (index) =>
          `remove ${describeStatement(policy.statements[index], index)} from the policy of bucket ${bucket.name}`,
      ),
      warnings: left === 0 ? [`bucket ${bucket.name}: no statement is left, so the policy is deleted`] : [],
      spec: { bucket: bucket.name, region: bucket.region, statements },
    });
  },

  async apply(plan, ctx) {
    const { bucket, region, statements } = plan.spec;
    const text = await readPolicyText(ctx, bucket, region);
    const document = text === null ? null : parse(bucket, text);
    const current = document ? statementsOf(document) : [];
    const removed = statements.filter((target) =>
      current.some((statement) => sameStatement(statement, target)),
    );
    const before: PolicyBefore = { policy: text, removed };
    if (!document || removed.length === 0) {
      return alreadyDone(plan, ctx, before, `bucket ${bucket}: the public statements are already gone`);
    }
    const kept = current.filter(
      (statement) => !statements.some((target) => sameStatement(statement, target)),
    );
    return journaled(plan, ctx, before, async () => {
      await writePolicy(ctx, bucket, region, { ...document, Statement: kept });
      return {
        after: { statements: kept.length },
        message: `bucket ${bucket}: removed ${removed.length} public statement(s), ${kept.length} kept`,
      };
    });
  },

  async verify(plan, ctx) {
    const current = await reread(plan, TYPE, ctx);
    if (!current) return true;
    const policy = readPolicy(current.config.policy);
    if (policy.kind === 'none') return true;
    if (policy.kind === 'unknown') return false;
    return !policy.statements.some((statement) =>
      plan.spec.statements.some((target) => sameStatement(statement, target)),
    );
  },

  async revert(entry, ctx) {
    const skip = nothingToRevert(entry);
    if (skip) return skip;
    const { bucket, region } = entry.plan.spec;
    // The removed statements are added back to the policy as it is now: later edits by people stay.
    const text = await readPolicyText(ctx, bucket, region);
    const base: PolicyDoc =
      text !== null
        ? parse(bucket, text)
        : entry.before.policy !== null
          ? { ...parse(bucket, entry.before.policy), Statement: [] }
          : { Version: '2012-10-17', Statement: [] };
    const current = statementsOf(base);
    const missing = entry.before.removed.filter(
      (target) => !current.some((statement) => sameStatement(statement, target)),
    );
    if (missing.length === 0)
      return { status: 'already-reverted', message: `bucket ${bucket} already has the statements again` };
    try {
      await writePolicy(ctx, bucket, region, { ...base, Statement: [...current, ...missing] });
    } catch (error) {
      throw new RemediationError(
        ID,
        bucket,
        'could not restore the public statements (is BlockPublicPolicy on now?)',
        error,
      );
    }
    return {
      status: 'reverted',
      message: `bucket ${bucket}: restored ${missing.length} policy statement(s)`,
    };
  },
});
