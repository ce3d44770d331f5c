// remove-s3-public-policy-statements on moto: only the public statement goes; revert adds it back; a policy left empty is deleted.
import { GetBucketPolicyCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { removeS3PublicPolicyStatements } from '../../src/aws/actions/remove-s3-public-policy-statements.js';
import { s3PublicPolicy } from '../../src/rules/index.js';
import { accountClients, uniqueAccountId } from '../harness/aws.js';
import { expectJournaledFirst, expectPlan, plantBucket, read, testContext } from './support.js';

const account = uniqueAccountId();
const clients = accountClients(account);
const region = 'eu-west-1';
const s3 = clients.client('s3', region);
const TYPE = 'aws.s3.bucket';

function policyOf(name: string, withPrivate: boolean) {
  const publicRead = {
    Sid: 'PublicRead',
    Effect: 'Allow',
    Principal: '*',
    Action: 's3:GetObject',
    Resource: `arn:aws:s3:::${name}/*`,
  };
  const fromVpce = {
    Sid: 'FromVpce',
    Effect: 'Allow',
    Principal: '*',
    Action: 's3:GetObject',
    Resource: `arn:aws:s3:::${name}/*`,
    Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
  };
  return { Version: '2012-10-17', Statement: withPrivate ? [fromVpce, publicRead] : [publicRead] };
}

const rule = () => s3PublicPolicy.defaultParams;

describe('remove-s3-public-policy-statements', () => {
  it('removes only the public statement, verifies, reverts, and is idempotent', async () => {
    const name = `leuko-policy-${account}`;
    await plantBucket(clients, name, region);
    const original = policyOf(name, true);
    await s3.send(new PutBucketPolicyCommand({ Bucket: name, Policy: JSON.stringify(original) }));
    const resource = await read(clients, account, region, TYPE, name);
    const violations = s3PublicPolicy.check(resource, rule(), { trustedAccounts: [] });
    expect(violations.map((violation) => violation.part)).toEqual(['statement:PublicRead']);
    const plan = expectPlan(removeS3PublicPolicyStatements.plan({ resource, violations }));

    const ctx = testContext(clients);
    expect((await removeS3PublicPolicyStatements.apply(plan, ctx)).status).toBe('applied');
    const entry = expectJournaledFirst(ctx.entries);
    const text = (await s3.send(new GetBucketPolicyCommand({ Bucket: name }))).Policy ?? '';
    expect(JSON.parse(text)).toEqual({ ...original, Statement: [original.Statement[0]] });
    const after = await read(clients, account, region, TYPE, name);
    expect(s3PublicPolicy.check(after, rule(), { trustedAccounts: [] })).toEqual([]);
    expect(await removeS3PublicPolicyStatements.verify(plan, ctx)).toBe(true);
    expect((await removeS3PublicPolicyStatements.apply(plan, testContext(clients))).status).toBe(
      'already-done',
    );

    expect((await removeS3PublicPolicyStatements.revert(entry as never, ctx)).status).toBe('reverted');
    const back = JSON.parse(
      (await s3.send(new GetBucketPolicyCommand({ Bucket: name }))).Policy ?? '',
    ) as typeof original;
    expect(back.Statement).toHaveLength(2);
    expect(back.Statement).toEqual(expect.arrayContaining(original.Statement));
    expect(await removeS3PublicPolicyStatements.verify(plan, ctx)).toBe(false);
  });

  it('deletes a policy left without statements, and revert creates it again', async () => {
    const name = `leuko-policy-only-${account}`;
    await plantBucket(clients, name, region);
    await s3.send(
      new PutBucketPolicyCommand({ Bucket: name, Policy: JSON.stringify(policyOf(name, false)) }),
    );
    const resource = await read(clients, account, region, TYPE, name);
    const violations = s3PublicPolicy.check(resource, rule(), { trustedAccounts: [] });
    const plan = expectPlan(removeS3PublicPolicyStatements.plan({ resource, violations }));
    expect(plan.warnings[0]).toMatch(/policy is deleted/);
    const ctx = testContext(clients);
    await removeS3PublicPolicyStatements.apply(plan, ctx);
    expect((await read(clients, account, region, TYPE, name)).config.policy).toBeNull();
    await removeS3PublicPolicyStatements.revert(ctx.entries.at(-1) as never, ctx);
    expect((await read(clients, account, region, TYPE, name)).config.policy).toEqual(policyOf(name, false));
  });
});
