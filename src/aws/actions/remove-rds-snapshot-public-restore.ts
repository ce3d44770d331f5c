// Action remove-rds-snapshot-public-restore: removes "all" from a DB snapshot's restore attribute, keeping shares with named accounts.
import { DescribeDBSnapshotAttributesCommand, ModifyDBSnapshotAttributeCommand } from '@aws-sdk/client-rds';
import { makePlan, protectionRefusal, refusal } from '../../core/action.js';
import { isUnknown } from '../../core/unknown.js';
import { restoreAccountsFromAws } from '../resources/rds-db-snapshot.js';
import {
  alreadyDone,
  defineRuntimeAction,
  journaled,
  nothingToRevert,
  reread,
  send,
  type ActionContext,
} from './action-runtime.js';

const TYPE = 'aws.rds.db-snapshot';
const ID = 'remove-rds-snapshot-public-restore';
const META = { id: ID, destructive: false, reversible: true } as const;

export interface SnapshotRestoreSpec {
  readonly dbSnapshotIdentifier: string;
  readonly region: string;
}

export interface SnapshotRestoreBefore {
  /** The restore attribute's values just before. */
  readonly restoreAccounts: readonly string[];
}

async function readRestore(ctx: ActionContext, spec: SnapshotRestoreSpec): Promise<string[]> {
  const rds = ctx.clients.client('rds', spec.region);
  const output = await send(ctx, spec.region, () =>
    rds.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: spec.dbSnapshotIdentifier })),
  );
  return restoreAccountsFromAws(output.DBSnapshotAttributesResult);
}

async function modify(
  ctx: ActionContext,
  spec: SnapshotRestoreSpec,
  change: 'ValuesToAdd' | 'ValuesToRemove',
): Promise<void> {
  const rds = ctx.clients.client('rds', spec.region);
  await send(ctx, spec.region, () =>
    rds.send(
      new ModifyDBSnapshotAttributeCommand({
        DBSnapshotIdentifier: spec.dbSnapshotIdentifier,
        AttributeName: 'restore',
        [change]: ['all'],
      }),
    ),
  );
}

const isAll = (value: string) => value.toLowerCase() === 'all';

export const removeRdsSnapshotPublicRestore = defineRuntimeAction<
  typeof TYPE,
  SnapshotRestoreSpec,
  SnapshotRestoreBefore
>({
  ...META,
  title: 'Remove "all" from a DB snapshot\'s restore attribute',
  resourceTypes: [TYPE],
  permissions: {
    apply: ['rds:DescribeDBSnapshotAttributes', 'rds:ModifyDBSnapshotAttribute'],
    revert: ['rds:DescribeDBSnapshotAttributes', 'rds:ModifyDBSnapshotAttribute'],
  },

  plan(input) {
    const protectedBy = protectionRefusal(ID, input);
    if (protectedBy) return protectedBy;
    const snapshot = input.resource.config;
    const accounts = snapshot.restoreAccounts;
    if (!isUnknown(accounts) && !accounts.some(isAll)) {
      return refusal(
        ID,
        input.resource,
        'nothing-to-do',
        `DB snapshot ${snapshot.dbSnapshotIdentifier} is not public`,
      );
    }
    return makePlan(META, input, {
      changes: [
        `remove "all" from the restore attribute of DB snapshot ${snapshot.dbSnapshotIdentifier} (shares with named accounts stay)`,
      ],
      spec: { dbSnapshotIdentifier: snapshot.dbSnapshotIdentifier, region: input.resource.region },
    });
  },

  async apply(plan, ctx) {
    const restoreAccounts = await readRestore(ctx, plan.spec);
    const before: SnapshotRestoreBefore = { restoreAccounts };
    if (!restoreAccounts.some(isAll))
      return alreadyDone(plan, ctx, before, `${plan.spec.dbSnapshotIdentifier} is already not public`);
    return journaled(plan, ctx, before, async () => {
      await modify(ctx, plan.spec, 'ValuesToRemove');
      return {
        after: { restoreAccounts: restoreAccounts.filter((value) => !isAll(value)) },
        message: `${plan.spec.dbSnapshotIdentifier}: restore=all removed`,
      };
    });
  },

  async verify(plan, ctx) {
    const current = await reread(plan, TYPE, ctx);
    if (!current) return true;
    const accounts = current.config.restoreAccounts;
    return !isUnknown(accounts) && !accounts.some(isAll);
  },

  async revert(entry, ctx) {
    const skip = nothingToRevert(entry);
    if (skip) return skip;
    const spec = entry.plan.spec;
    if ((await readRestore(ctx, spec)).some(isAll)) {
      return { status: 'already-reverted', message: `${spec.dbSnapshotIdentifier} is public again already` };
    }
    await modify(ctx, spec, 'ValuesToAdd');
    return {
      status: 'reverted',
      message: `${spec.dbSnapshotIdentifier}: restore=all added back (the snapshot is public again)`,
    };
  },
});
