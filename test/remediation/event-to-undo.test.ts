// End to end: a CloudTrail AuthorizeSecurityGroupIngress record opening SSH to the world, with
// sg-ingress-open-admin in auto, ends with exactly that rule revoked in moto, an alert naming the actor,
// and `leuko undo <task>` putting the rule back.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { processRecords } from '../../src/events/process-records.js';
import { createCoordinator } from '../../src/remediation/coordinator.js';
import type { CloudTrailRecord } from '../../src/sources/cloudtrail/record.js';
import { authorizeIngressRecord } from '../support/cloudtrail-events.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { defaultVpcId } from '../actions/support.js';
import { accountClients, motoEnv, uniqueAccountId } from '../harness/aws.js';
import { runCli } from '../harness/cli.js';
import { capturingSink, configFrom, ingressOf, tempDir } from './support.js';

const REGION = 'eu-west-1';

function authorizeRecord(account: string, actorArn: string, groupId: string, ruleId: string): CloudTrailRecord {
  return authorizeIngressRecord({ account, region: REGION, actorArn, groupId, ruleId, port: 22, eventId: 'e7f0a1b2-0000-4000-8000-000000000001' });
}

describe('event to remediation to undo', () => {
  it('revokes exactly the world-open SSH rule the event added, alerts with the actor, and leuko undo restores it', async () => {
    const account = uniqueAccountId();
    const clients = accountClients(account);
    const ec2 = clients.client('ec2', REGION);
    const vpcId = await defaultVpcId(ec2);
    const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web', VpcId: vpcId }))).GroupId!;
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }],
      }),
    );
    // The change the event records, made for real in moto.
    const added = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    const ruleId = added.SecurityGroupRules?.[0]?.SecurityGroupRuleId;
    expect(ruleId).toMatch(/^sgr-/);
    const actorArn = `arn:aws:iam::${account}:user/mallory`;

    const dir = tempDir();
    const db = join(dir, 'leuko.db');
    const yaml = [
      'accounts:',
      `  - id: "${account}"`,
      `    roleArn: arn:aws:iam::${account}:role/leuko-test`,
      'remediation:',
      '  default: off',
      'rules:',
      '  sg-ingress-open-admin:',
      '    remediation: auto',
      '',
    ].join('\n');
    const configPath = join(dir, 'leuko.yaml');
    writeFileSync(configPath, yaml);
    const { policy, settings } = configFrom(yaml);
    const store = await openSqliteStore(db);
    const sink = capturingSink();
    let taskId: string;
    try {
      const processed = await processRecords([authorizeRecord(account, actorArn, groupId, ruleId!)], {
        store,
        policy,
        clientsFor: () => clients,
        now: () => new Date(),
      });
      const coordinator = createCoordinator({ store, policy, settings, clientsFor: () => clients, alerts: sink });
      const enqueued = await coordinator.enqueueFromTransitions(processed.transitions);
      expect(enqueued.created.map((task) => [task.ruleId, task.state])).toEqual([['sg-ingress-open-admin', 'queued']]);
      taskId = enqueued.created[0]!.id;
      expect((await coordinator.runPending()).outcomes).toEqual({ applied: 1 });
    } finally {
      await store.close();
    }

    expect(await ingressOf(ec2, groupId)).toEqual(['tcp 443 10.0.0.0/8']);
    const applied = sink.alerts.filter((alert) => alert.kind === 'remediation' && alert.remediation?.outcome === 'applied');
    expect(applied).toHaveLength(1);
    expect(applied[0]?.actor?.arn).toBe(actorArn);
    expect(applied[0]?.message).toContain(actorArn);
    expect(applied[0]?.remediation?.changes).toEqual([`revoke ${ruleId} (ingress tcp 22 from 0.0.0.0/0) of ${groupId}`]);

    const undo = await runCli(['--db', db, '--config', configPath, 'undo', taskId, '--json'], { env: motoEnv() });
    expect(undo.stderr).toBe('');
    expect(undo.code).toBe(0);
    expect(JSON.parse(undo.stdout)).toMatchObject({ taskId, status: 'reverted' });
    expect(await ingressOf(ec2, groupId)).toEqual(['tcp 22 0.0.0.0/0', 'tcp 443 10.0.0.0/8']);

    const show = await runCli(['--db', db, '--config', configPath, 'remediation', 'show', taskId, '--json'], { env: motoEnv() });
    const shown = JSON.parse(show.stdout) as { task: { state: string; undo?: { status: string } } };
    expect(shown.task.state).toBe('reverted');
    expect(shown.task.undo?.status).toBe('reverted');
  });
});
