// remove-s3-public-acl-grants on moto: the public grants go, the owner's grant stays; revert puts them back.
import { GetBucketAclCommand, PutBucketAclCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { removeS3PublicAclGrants } from '../../src/aws/actions/remove-s3-public-acl-grants.js';
import { s3PublicAcl } from '../../src/rules/index.js';
import { accountClients, uniqueAccountId } from '../harness/aws.js';
import { expectJournaledFirst, expectPlan, plantBucket, read, testContext } from './support.js';

const account = uniqueAccountId();
const clients = accountClients(account);
const region = 'eu-west-1';
const s3 = clients.client('s3', region);
const TYPE = 'aws.s3.bucket';
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTH_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

describe('remove-s3-public-acl-grants', () => {
  it('removes only the public grants, verifies, reverts, and is idempotent', async () => {
    const name = `leuko-acl-${account}`;
    await plantBucket(clients, name, region);
    const owner = (await s3.send(new GetBucketAclCommand({ Bucket: name }))).Owner;
    await s3.send(
      new PutBucketAclCommand({
        Bucket: name,
        AccessControlPolicy: {
          Owner: owner,
          Grants: [
            { Grantee: { Type: 'CanonicalUser', ID: owner?.ID }, Permission: 'FULL_CONTROL' },
            { Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ' },
            { Grantee: { Type: 'Group', URI: AUTH_USERS }, Permission: 'WRITE' },
            { Grantee: { Type: 'Group', URI: LOG_DELIVERY }, Permission: 'WRITE' },
          ],
        },
      }),
    );
    const resource = await read(clients, account, region, TYPE, name);
    const violations = s3PublicAcl.check(resource, {}, { trustedAccounts: [] });
    expect(violations).toHaveLength(2);
    const plan = expectPlan(removeS3PublicAclGrants.plan({ resource, violations }));
    expect(plan.changes).toEqual([
      `remove ACL grant READ to AllUsers from bucket ${name}`,
      `remove ACL grant WRITE to AuthenticatedUsers from bucket ${name}`,
    ]);

    const ctx = testContext(clients);
    expect((await removeS3PublicAclGrants.apply(plan, ctx)).status).toBe('applied');
    const entry = expectJournaledFirst(ctx.entries);
    const after = await read(clients, account, region, TYPE, name);
    expect(s3PublicAcl.check(after, {}, { trustedAccounts: [] })).toEqual([]);
    const kept = resource.config.acl;
    if ('$unknown' in kept) throw new Error('acl unknown');
    expect(after.config.acl).toEqual({
      ...kept,
      grants: kept.grants.filter(
        (grant) => grant.grantee.kind !== 'group' || grant.grantee.uri === LOG_DELIVERY,
      ),
    });
    expect(await removeS3PublicAclGrants.verify(plan, ctx)).toBe(true);
    expect((await removeS3PublicAclGrants.apply(plan, testContext(clients))).status).toBe('already-done');

    expect((await removeS3PublicAclGrants.revert(entry as never, ctx)).status).toBe('reverted');
    expect((await read(clients, account, region, TYPE, name)).config.acl).toEqual(resource.config.acl);
    expect((await removeS3PublicAclGrants.revert(entry as never, ctx)).status).toBe('already-reverted');
  });

  it('refuses a bucket on the allowlist', async () => {
    const name = `leuko-acl-listed-${account}`;
    await plantBucket(clients, name, region);
    const resource = await read(clients, account, region, TYPE, name);
    expect(
      removeS3PublicAclGrants.plan({
        resource,
        violations: [],
        params: { allowlist: [`arn:aws:s3:::${name}`] },
      }),
    ).toMatchObject({ kind: 'refusal', reason: 'allowlisted' });
  });
});
