// revoke-security-group-rules on moto: only the offending rule goes, the rest stays; revert restores it; twice is harmless.
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
} from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { revokeSecurityGroupRules } from '../../src/aws/actions/revoke-security-group-rules.js';
import { isPlan } from '../../src/core/action.js';
import { RemediationError } from '../../src/aws/actions/index.js';
import { sgDefaultHasRules, sgIngressOpenAdmin } from '../../src/rules/index.js';
import { accountClients, motoEndpoint, uniqueAccountId } from '../harness/aws.js';
import { startFaultProxy } from '../harness/fault-proxy.js';
import { defaultVpcId, expectJournaledFirst, expectPlan, read, testContext } from './support.js';

const account = uniqueAccountId();
const clients = accountClients(account);
const region = 'eu-west-1';
const ec2 = clients.client('ec2', region);
const TYPE = 'aws.ec2.security-group';

async function plantGroup(name: string, tags: Record<string, string> = {}): Promise<string> {
  const vpcId = await defaultVpcId(ec2);
  const tagList = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  const created = await ec2.send(
    new CreateSecurityGroupCommand({
      GroupName: name,
      Description: name,
      VpcId: vpcId,
      ...(tagList.length ? { TagSpecifications: [{ ResourceType: 'security-group', Tags: tagList }] } : {}),
    }),
  );
  const groupId = created.GroupId!;
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: groupId,
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 22,
          ToPort: 22,
          IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ssh world' }],
        },
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
      ],
    }),
  );
  return groupId;
}

describe('revoke-security-group-rules', () => {
  let groupId: string;

  beforeAll(async () => {
    groupId = await plantGroup('leuko-open-ssh');
  });

  it('revokes exactly the world-open SSH rule, verifies, reverts, and is idempotent', async () => {
    const resource = await read(clients, account, region, TYPE, groupId);
    const violations = sgIngressOpenAdmin.check(resource, sgIngressOpenAdmin.defaultParams, {
      trustedAccounts: [],
    });
    expect(violations).toHaveLength(1);
    const plan = expectPlan(
      revokeSecurityGroupRules.plan({
        resource,
        violations,
        findingId: 'f-1',
        ruleId: sgIngressOpenAdmin.id,
      }),
    );
    const sshRule = resource.config.rules.find((rule) => rule.ruleId === violations[0]!.part)!;
    expect(plan.changes).toEqual([`revoke ${sshRule.ruleId} (ingress tcp 22 from 0.0.0.0/0) of ${groupId}`]);
    // The plan survives a trip through a store.
    const stored = JSON.parse(JSON.stringify(plan)) as typeof plan;

    const ctx = testContext(clients);
    const outcome = await revokeSecurityGroupRules.apply(stored, ctx);
    expect(outcome.status).toBe('applied');
    const entry = expectJournaledFirst(ctx.entries);
    expect(entry.before).toEqual({ groupId, rules: [sshRule] });

    const after = await read(clients, account, region, TYPE, groupId);
    const untouched = resource.config.rules.filter((rule) => rule.ruleId !== sshRule.ruleId);
    expect(after.config.rules).toEqual(untouched);
    expect(
      sgIngressOpenAdmin.check(after, sgIngressOpenAdmin.defaultParams, { trustedAccounts: [] }),
    ).toEqual([]);
    expect(await revokeSecurityGroupRules.verify(stored, ctx)).toBe(true);

    // Twice: the rule id is gone, nothing happens.
    const again = await revokeSecurityGroupRules.apply(stored, testContext(clients));
    expect(again.status).toBe('already-done');
    expect((await read(clients, account, region, TYPE, groupId)).config.rules).toEqual(untouched);

    const reverted = await revokeSecurityGroupRules.revert(entry as never, ctx);
    expect(reverted.status).toBe('reverted');
    const restored = await read(clients, account, region, TYPE, groupId);
    const back = restored.config.rules.map(({ ruleId: _id, ...rest }) => rest);
    expect(back).toContainEqual({
      direction: 'ingress',
      protocol: 'tcp',
      fromPort: 22,
      toPort: 22,
      peer: { kind: 'ipv4', cidr: '0.0.0.0/0' },
      description: 'ssh world',
    });
    expect(restored.config.rules).toHaveLength(resource.config.rules.length);
    expect(await revokeSecurityGroupRules.verify(stored, ctx)).toBe(false);
    // Undo twice: the rule is there already.
    expect((await revokeSecurityGroupRules.revert(entry as never, ctx)).status).toBe('already-reverted');
  });

  it('applies a plan whose rule is revoked meanwhile as already-done', async () => {
    const id = await plantGroup('leuko-race');
    const resource = await read(clients, account, region, TYPE, id);
    const violations = sgIngressOpenAdmin.check(resource, sgIngressOpenAdmin.defaultParams, {
      trustedAccounts: [],
    });
    const plan = expectPlan(revokeSecurityGroupRules.plan({ resource, violations }));
    await revokeSecurityGroupRules.apply(plan, testContext(clients));
    const second = testContext(clients);
    expect((await revokeSecurityGroupRules.apply(plan, second)).status).toBe('already-done');
    expect(second.entries.map((entry) => entry.result.status)).toEqual(['already-done']);
  });

  it('refuses a group tagged leuko:protect, or on the allowlist, at plan time', async () => {
    const id = await plantGroup('leuko-protected', { 'leuko:protect': '' });
    const resource = await read(clients, account, region, TYPE, id);
    const violations = sgIngressOpenAdmin.check(resource, sgIngressOpenAdmin.defaultParams, {
      trustedAccounts: [],
    });
    const result = revokeSecurityGroupRules.plan({ resource, violations });
    expect(isPlan(result)).toBe(false);
    expect(result).toMatchObject({ kind: 'refusal', reason: 'protected' });

    const open = await read(clients, account, region, TYPE, groupId);
    const listed = revokeSecurityGroupRules.plan({
      resource: open,
      violations: [{ part: 'sgr-x', details: { ruleId: 'sgr-x' } }],
      params: { allowlist: ['leuko-open-*'] },
    });
    expect(listed).toMatchObject({ kind: 'refusal', reason: 'allowlisted' });
  });

  it('revokes every rule of a default group, ingress and egress, and restores them', async () => {
    const vpcId = await defaultVpcId(ec2);
    const described = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'group-name', Values: ['default'] },
        ],
      }),
    );
    const defaultId = described.SecurityGroups![0]!.GroupId!;
    await ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: defaultId,
        IpPermissions: [{ IpProtocol: 'udp', FromPort: 53, ToPort: 53, Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
      }),
    );
    const resource = await read(clients, account, region, TYPE, defaultId);
    const violations = sgDefaultHasRules.check(resource, {}, { trustedAccounts: [] });
    const plan = expectPlan(revokeSecurityGroupRules.plan({ resource, violations }));
    expect(plan.changes).toHaveLength(resource.config.rules.length);
    expect(plan.warnings[0]).toMatch(/no rules left/);
    const ctx = testContext(clients);
    await revokeSecurityGroupRules.apply(plan, ctx);
    expect((await read(clients, account, region, TYPE, defaultId)).config.rules).toEqual([]);
    expect(await revokeSecurityGroupRules.verify(plan, ctx)).toBe(true);
    await revokeSecurityGroupRules.revert(ctx.entries.at(-1) as never, ctx);
    const back = (await read(clients, account, region, TYPE, defaultId)).config.rules.map(
      ({ ruleId: _id, ...rest }) => rest,
    );
    expect(back).toEqual(
      expect.arrayContaining(resource.config.rules.map(({ ruleId: _id, ...rest }) => rest)),
    );
    expect(back).toHaveLength(resource.config.rules.length);
  });

  it('journals a failed apply, and undo of the failed entry restores what was already revoked', async () => {
    const id = await plantGroup('leuko-half');
    await ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: id,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 25, ToPort: 25, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    const resource = await read(clients, account, region, TYPE, id);
    const offending = resource.config.rules.filter(
      (rule) => rule.fromPort === 22 || (rule.direction === 'egress' && rule.fromPort === 25),
    );
    const plan = expectPlan(
      revokeSecurityGroupRules.plan({
        resource,
        violations: offending.map((rule) => ({ part: rule.ruleId! })),
      }),
    );
    const proxy = await startFaultProxy(motoEndpoint());
    try {
      // Ingress goes first and succeeds; the egress call is denied.
      proxy.setRules([
        {
          service: 'ec2',
          operation: 'RevokeSecurityGroupEgress',
          code: 'UnauthorizedOperation',
          status: 403,
        },
      ]);
      const denied = testContext(accountClients(account, proxy.endpoint));
      const error = await revokeSecurityGroupRules.apply(plan, denied).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RemediationError);
      expect(error).toMatchObject({ code: 'REMEDIATION', awsCode: 'UnauthorizedOperation' });
      expect(denied.entries.map((entry) => entry.result.status)).toEqual(['pending', 'failed']);
      expect((await read(clients, account, region, TYPE, id)).config.rules).toHaveLength(
        resource.config.rules.length - 1,
      );

      const undo = await revokeSecurityGroupRules.revert(
        denied.entries.at(-1) as never,
        testContext(clients),
      );
      expect(undo.status).toBe('reverted');
      expect((await read(clients, account, region, TYPE, id)).config.rules).toHaveLength(
        resource.config.rules.length,
      );
    } finally {
      await proxy.close();
    }
  });
});
