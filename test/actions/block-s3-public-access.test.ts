// block-s3-public-access on moto: all four settings on, verified; revert restores the bucket's previous block (or none).
import { GetPublicAccessBlockCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { blockS3PublicAccess } from '../../src/aws/actions/block-s3-public-access.js';
import { s3PublicAccessBlockOff } from '../../src/rules/index.js';
import { accountClients, uniqueAccountId } from '../harness/aws.js';
import { expectJournaledFirst, expectPlan, plantBucket, read, testContext } from './support.js';

const account = uniqueAccountId();
const clients = accountClients(account);
const region = 'eu-west-1';
const s3 = clients.client('s3', region);
const TYPE = 'aws.s3.bucket';

describe('block-s3-public-access', () => {
  it('turns the block on, verifies, reverts to the partial block it had, and is idempotent', async () => {
    const name = `leuko-pab-${account}`;
    await plantBucket(clients, name, region);
    const partial = {
      BlockPublicAcls: true,
      IgnorePublicAcls: false,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    };
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: name, PublicAccessBlockConfiguration: partial }));
    const resource = await read(clients, account, region, TYPE, name);
    const violations = s3PublicAccessBlockOff.check(resource, {}, { trustedAccounts: [] });
    expect(violations).toHaveLength(1);
    const plan = expectPlan(blockS3PublicAccess.plan({ resource, violations }));
    expect(plan.changes).toHaveLength(3);

    const ctx = testContext(clients);
    expect((await blockS3PublicAccess.apply(plan, ctx)).status).toBe('applied');
    const entry = expectJournaledFirst(ctx.entries);
    expect(entry.before).toEqual({ configuration: partial });
    const after = await read(clients, account, region, TYPE, name);
    expect(s3PublicAccessBlockOff.check(after, {}, { trustedAccounts: [] })).toEqual([]);
    expect(await blockS3PublicAccess.verify(plan, ctx)).toBe(true);
    expect((await blockS3PublicAccess.apply(plan, testContext(clients))).status).toBe('already-done');

    expect((await blockS3PublicAccess.revert(entry as never, ctx)).status).toBe('reverted');
    const restored = await s3.send(new GetPublicAccessBlockCommand({ Bucket: name }));
    expect(restored.PublicAccessBlockConfiguration).toEqual(partial);
    expect(await blockS3PublicAccess.verify(plan, ctx)).toBe(false);
  });

  it('reverts a bucket that had no block by deleting the block again', async () => {
    const name = `leuko-nopab-${account}`;
    await plantBucket(clients, name, region);
    const resource = await read(clients, account, region, TYPE, name);
    const plan = expectPlan(
      blockS3PublicAccess.plan({ resource, violations: [{ part: 'public-access-block' }] }),
    );
    const ctx = testContext(clients);
    await blockS3PublicAccess.apply(plan, ctx);
    const entry = expectJournaledFirst(ctx.entries);
    expect(entry.before).toEqual({ configuration: null });
    await blockS3PublicAccess.revert(entry as never, ctx);
    expect((await read(clients, account, region, TYPE, name)).config.publicAccessBlock).toBeNull();
  });

  it('refuses a bucket tagged leuko:protect', async () => {
    const name = `leuko-pab-protected-${account}`;
    await plantBucket(clients, name, region, { 'leuko:protect': 'website' });
    const resource = await read(clients, account, region, TYPE, name);
    expect(
      blockS3PublicAccess.plan({ resource, violations: [{ part: 'public-access-block' }] }),
    ).toMatchObject({
      kind: 'refusal',
      reason: 'protected',
    });
  });
});
