// Action block-s3-public-access: turns on all four Block Public Access settings of one bucket.
import {
  DeletePublicAccessBlockCommand,
  GetPublicAccessBlockCommand,
  PutPublicAccessBlockCommand,
  type PublicAccessBlockConfiguration,
} from '@aws-sdk/client-s3';
import { makePlan, protectionRefusal, refusal } from '../../core/action.js';
import { BLOCK_FLAG_NAMES, BLOCK_FLAGS } from '../../rules/shared/s3.js';
import {
  alreadyDone,
  defineRuntimeAction,
  hasCode,
  journaled,
  nothingToRevert,
  reread,
  send,
} from './action-runtime.js';

const TYPE = 'aws.s3.bucket';
const ID = 'block-s3-public-access';
const META = { id: ID, destructive: false, reversible: true } as const;

const NO_BLOCK = ['NoSuchPublicAccessBlockConfiguration'];

export interface BlockSpec {
  readonly bucket: string;
  readonly region: string;
}

/** The bucket's own block as AWS returned it, or null when it had none (revert then deletes it again). */
export interface BlockBefore {
  readonly configuration: PublicAccessBlockConfiguration | null;
}

const ALL_ON: Required<
  Pick<
    PublicAccessBlockConfiguration,
    'BlockPublicAcls' | 'IgnorePublicAcls' | 'BlockPublicPolicy' | 'RestrictPublicBuckets'
  >
> = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

function allOn(configuration: PublicAccessBlockConfiguration | null): boolean {
  return (
    configuration !== null &&
    configuration.BlockPublicAcls === true &&
    configuration.IgnorePublicAcls === true &&
    configuration.BlockPublicPolicy === true &&
    configuration.RestrictPublicBuckets === true
  );
}

export const blockS3PublicAccess = defineRuntimeAction<typeof TYPE, BlockSpec, BlockBefore>({
  ...META,
  title: "Turn on the bucket's Block Public Access (all four settings)",
  resourceTypes: [TYPE],
  permissions: {
    apply: ['s3:GetBucketPublicAccessBlock', 's3:PutBucketPublicAccessBlock'],
    // DeletePublicAccessBlock is authorized by s3:PutBucketPublicAccessBlock.
    revert: ['s3:PutBucketPublicAccessBlock'],
  },

  plan(input) {
    const protectedBy = protectionRefusal(ID, input);
    if (protectedBy) return protectedBy;
    const bucket = input.resource.config;
    const own = bucket.publicAccessBlock;
    const off = BLOCK_FLAGS.filter((flag) => own === null || own[flag] !== true);
    if (off.length === 0) {
      return refusal(
        ID,
        input.resource,
        'nothing-to-do',
        `bucket ${bucket.name} already blocks public access`,
      );
    }
    return makePlan(META, input, {
      changes: off.map(
        (flag) =>
          `set ${BLOCK_FLAG_NAMES[flag]}=true on bucket ${bucket.name} (was ${own === null ? 'unset' : JSON.stringify(own[flag])})`,
      ),
      warnings: [
        `bucket ${bucket.name}: public ACLs are ignored and public policies refused from now on (a public website stops serving)`,
      ],
      spec: { bucket: bucket.name, region: bucket.region },
    });
  },

  async apply(plan, ctx) {
    const { bucket, region } = plan.spec;
    const s3 = ctx.clients.client('s3', region);
    let configuration: PublicAccessBlockConfiguration | null;
    try {
      const output = await send(ctx, region, () =>
        s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })),
      );
      configuration = output.PublicAccessBlockConfiguration ?? null;
    } catch (error) {
      if (!hasCode(error, NO_BLOCK)) throw error;
      configuration = null;
    }
    const before: BlockBefore = { configuration };
    if (allOn(configuration))
      return alreadyDone(plan, ctx, before, `bucket ${bucket} already blocks public access`);
    return journaled(plan, ctx, before, async () => {
      await send(ctx, region, () =>
        s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: ALL_ON })),
      );
      return { after: { configuration: ALL_ON }, message: `bucket ${bucket}: Block Public Access on` };
    });
  },

  async verify(plan, ctx) {
    const current = await reread(plan, TYPE, ctx);
    if (!current) return true;
    const own = current.config.publicAccessBlock;
    return own !== null && BLOCK_FLAGS.every((flag) => own[flag] === true);
  },

  async revert(entry, ctx) {
    const skip = nothingToRevert(entry);
    if (skip) return skip;
    const { bucket, region } = entry.plan.spec;
    const s3 = ctx.clients.client('s3', region);
    const previous = entry.before.configuration;
    if (previous === null) {
      await send(ctx, region, () => s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket })));
      return {
        status: 'reverted',
        message: `bucket ${bucket}: public access block removed again (it had none)`,
      };
    }
    await send(ctx, region, () =>
      s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: previous })),
    );
    return {
      status: 'reverted',
      message: `bucket ${bucket}: public access block restored to ${JSON.stringify(previous)}`,
    };
  },
});
