// Action set-rds-not-public: modifies a DB instance to PubliclyAccessible=false, applied immediately.
import { DescribeDBInstancesCommand, ModifyDBInstanceCommand } from '@aws-sdk/client-rds';
import { makePlan, protectionRefusal, refusal } from '../../core/action.js';
import {
  alreadyDone,
  defineRuntimeAction,
  journaled,
  nothingToRevert,
  RemediationError,
  reread,
  send,
  type ActionContext,
} from './action-runtime.js';

const TYPE = 'aws.rds.db-instance';
const ID = 'set-rds-not-public';
const META = { id: ID, destructive: false, reversible: true } as const;

export interface RdsPublicSpec {
  readonly dbInstanceIdentifier: string;
  readonly region: string;
}

export interface RdsPublicBefore {
  readonly publiclyAccessible: boolean;
}

async function readPublic(ctx: ActionContext, spec: RdsPublicSpec): Promise<boolean | undefined> {
  const rds = ctx.clients.client('rds', spec.region);
  const output = await send(ctx, spec.region, () =>
    rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: spec.dbInstanceIdentifier })),
  );
  return output.DBInstances?.[0]?.PubliclyAccessible;
}

async function setPublic(ctx: ActionContext, spec: RdsPublicSpec, value: boolean): Promise<void> {
  const rds = ctx.clients.client('rds', spec.region);
  await send(ctx, spec.region, () =>
    rds.send(
      new ModifyDBInstanceCommand({
        DBInstanceIdentifier: spec.dbInstanceIdentifier,
        PubliclyAccessible: value,
        // Not waiting for the maintenance window: a public database is an exposure now.
        ApplyImmediately: true,
      }),
    ),
  );
}

export const setRdsNotPublic = defineRuntimeAction<typeof TYPE, RdsPublicSpec, RdsPublicBefore>({
  ...META,
  title: 'Make an RDS DB instance not publicly accessible',
  resourceTypes: [TYPE],
  permissions: {
    apply: ['rds:DescribeDBInstances', 'rds:ModifyDBInstance'],
    revert: ['rds:DescribeDBInstances', 'rds:ModifyDBInstance'],
  },

  plan(input) {
    const protectedBy = protectionRefusal(ID, input);
    if (protectedBy) return protectedBy;
    const db = input.resource.config;
    if (db.publiclyAccessible === false) {
      return refusal(
        ID,
        input.resource,
        'nothing-to-do',
        `DB instance ${db.dbInstanceIdentifier} is not public`,
      );
    }
    return makePlan(META, input, {
      changes: [
        `set PubliclyAccessible=false on DB instance ${db.dbInstanceIdentifier} (applied immediately)`,
      ],
      warnings: [
        `DB instance ${db.dbInstanceIdentifier}: its endpoint stops resolving to a public IP; clients outside the VPC lose access`,
      ],
      spec: { dbInstanceIdentifier: db.dbInstanceIdentifier, region: input.resource.region },
    });
  },

  async apply(plan, ctx) {
    const current = await readPublic(ctx, plan.spec);
    if (current === undefined) {
      throw new RemediationError(
        ID,
        plan.spec.dbInstanceIdentifier,
        'AWS does not say whether the instance is public',
      );
    }
    const before: RdsPublicBefore = { publiclyAccessible: current };
    if (!current)
      return alreadyDone(plan, ctx, before, `${plan.spec.dbInstanceIdentifier} is already not public`);
    return journaled(plan, ctx, before, async () => {
      await setPublic(ctx, plan.spec, false);
      return {
        after: { publiclyAccessible: false },
        message: `${plan.spec.dbInstanceIdentifier}: PubliclyAccessible=false`,
      };
    });
  },

  async verify(plan, ctx) {
    const current = await reread(plan, TYPE, ctx);
    // AWS applies the change while the instance is "modifying"; verify answers false until it shows.
    return current === null || current.config.publiclyAccessible === false;
  },

  async revert(entry, ctx) {
    const skip = nothingToRevert(entry);
    if (skip) return skip;
    const spec = entry.plan.spec;
    if ((await readPublic(ctx, spec)) === entry.before.publiclyAccessible) {
      return { status: 'already-reverted', message: `${spec.dbInstanceIdentifier} is public again already` };
    }
    await setPublic(ctx, spec, entry.before.publiclyAccessible);
    return {
      status: 'reverted',
      message: `${spec.dbInstanceIdentifier}: PubliclyAccessible=${String(entry.before.publiclyAccessible)} again`,
    };
  },
});
