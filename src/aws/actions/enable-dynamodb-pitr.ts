// Action enable-dynamodb-pitr: turns on point-in-time recovery for a DynamoDB table (no downtime).
import { DescribeContinuousBackupsCommand, UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import { makePlan, protectionRefusal, refusal } from '../../core/action.js';
import {
  alreadyDone,
  defineRuntimeAction,
  journaled,
  nothingToRevert,
  reread,
  send,
  type ActionContext,
} from './action-runtime.js';

const TYPE = 'aws.dynamodb.table';
const ID = 'enable-dynamodb-pitr';
const META = { id: ID, destructive: false, reversible: true } as const;

export interface PitrSpec {
  readonly tableName: string;
  readonly region: string;
}

export interface PitrBefore {
  readonly enabled: boolean;
}

async function readPitr(ctx: ActionContext, spec: PitrSpec): Promise<boolean> {
  const dynamodb = ctx.clients.client('dynamodb', spec.region);
  const output = await send(ctx, spec.region, () =>
    dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: spec.tableName })),
  );
  return (
    output.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus ===
    'ENABLED'
  );
}

async function setPitr(ctx: ActionContext, spec: PitrSpec, enabled: boolean): Promise<void> {
  const dynamodb = ctx.clients.client('dynamodb', spec.region);
  await send(ctx, spec.region, () =>
    dynamodb.send(
      new UpdateContinuousBackupsCommand({
        TableName: spec.tableName,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: enabled },
      }),
    ),
  );
}

export const enableDynamodbPitr = defineRuntimeAction<typeof TYPE, PitrSpec, PitrBefore>({
  ...META,
  title: 'Turn on point-in-time recovery for a DynamoDB table',
  resourceTypes: [TYPE],
  permissions: {
    apply: ['dynamodb:DescribeContinuousBackups', 'dynamodb:UpdateContinuousBackups'],
    revert: ['dynamodb:DescribeContinuousBackups', 'dynamodb:UpdateContinuousBackups'],
  },

  plan(input) {
    const protectedBy = protectionRefusal(ID, input);
    if (protectedBy) return protectedBy;
    const table = input.resource.config;
    if (table.pointInTimeRecovery === true) {
      return refusal(
        ID,
        input.resource,
        'nothing-to-do',
        `table ${table.tableName} already has point-in-time recovery`,
      );
    }
    return makePlan(META, input, {
      changes: [`turn on point-in-time recovery for table ${table.tableName}`],
      warnings: ['PITR is billed by table size'],
      spec: { tableName: table.tableName, region: input.resource.region },
    });
  },

  async apply(plan, ctx) {
    const before: PitrBefore = { enabled: await readPitr(ctx, plan.spec) };
    if (before.enabled) return alreadyDone(plan, ctx, before, `${plan.spec.tableName} already has PITR`);
    return journaled(plan, ctx, before, async () => {
      await setPitr(ctx, plan.spec, true);
      return { after: { enabled: true }, message: `${plan.spec.tableName}: point-in-time recovery on` };
    });
  },

  async verify(plan, ctx) {
    const current = await reread(plan, TYPE, ctx);
    return current === null || current.config.pointInTimeRecovery === true;
  },

  async revert(entry, ctx) {
    const skip = nothingToRevert(entry);
    if (skip) return skip;
    const spec = entry.plan.spec;
    if (!(await readPitr(ctx, spec)))
      return { status: 'already-reverted', message: `${spec.tableName} has PITR off already` };
    await setPitr(ctx, spec, false);
    return {
      status: 'reverted',
      message: `${spec.tableName}: point-in-time recovery off again (the restore points kept meanwhile are dropped)`,
    };
  },
});
