// `leuko audit` alerts on changes of state only, end to end: moto estate, the real CLI, a local webhook peer.
// Run twice on an unchanged estate it alerts the first time only; fixing the problem sends a resolution.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, CreateVpcCommand, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/notify/alert.js';
import { accountClients, motoEnv, uniqueAccountId } from '../harness/aws.js';
import { runCli } from '../harness/cli.js';
import { startReceiver, type Receiver } from './receiver.js';

const REGION = 'eu-west-1';
const PATH = '/hooks/audit';
const SECRET = 'audit-hmac-secret-abcdef012345';

describe('leuko audit sends alerts for finding transitions only', () => {
  const account = uniqueAccountId();
  const clients = accountClients(account);
  const dir = mkdtempSync(join(tmpdir(), 'leuko-alerts-'));
  const db = join(dir, 'leuko.db');
  const configPath = join(dir, 'leuko.yaml');
  let receiver: Receiver;
  let groupId = '';

  const alertsSoFar = (): Alert[] => receiver.accepted(PATH).map((request) => (JSON.parse(request.body) as { alert: Alert }).alert);
  const audit = () =>
    runCli(['--db', db, '--config', configPath, 'audit', '--types', 'sg', '--json'], {
      env: { ...motoEnv(), LEUKO_TEST_HOOK_URL: `${receiver.url}${PATH}`, LEUKO_TEST_HOOK_SECRET: SECRET },
    });

  beforeAll(async () => {
    receiver = await startReceiver();
    writeFileSync(
      configPath,
      [
        'accounts:',
        `  - id: "${account}"`,
        `    roleArn: arn:aws:iam::${account}:role/leuko-audit`,
        `regions: [${REGION}]`,
        'alerts:',
        '  channels:',
        '    - name: hook',
        '      type: webhook',
        '      urlEnv: LEUKO_TEST_HOOK_URL',
        '      secretEnv: LEUKO_TEST_HOOK_SECRET',
        '      minSeverity: high',
        '  digest: { threshold: 50 }',
        '',
      ].join('\n'),
    );
    const ec2 = clients.client('ec2', REGION);
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.42.0.0/16' }))).Vpc?.VpcId;
    groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'bastion', Description: 'bastion', VpcId: vpcId }))).GroupId ?? '';
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
  });
  afterAll(async () => {
    clients.destroy();
    await receiver.close();
  });

  it('alerts on the first audit, not on a second one over the same estate, and again when the problem is fixed', async () => {
    const first = await audit();
    expect(first.code, first.stderr).toBe(0);
    const opened = alertsSoFar();
    const admin = opened.filter((alert) => alert.ruleId === 'sg-ingress-open-admin' && alert.resource?.id === groupId);
    expect(admin).toHaveLength(1);
    expect(admin[0]).toMatchObject({ kind: 'finding-opened', severity: 'high', resource: { account, region: REGION } });
    // Routing: nothing under minSeverity high arrives.
    expect(opened.every((alert) => alert.severity === 'high' || alert.severity === 'critical')).toBe(true);
    expect(receiver.accepted(PATH).every((request) => typeof request.headers['x-leuko-signature'] === 'string')).toBe(true);

    const second = await audit();
    expect(second.code, second.stderr).toBe(0);
    expect(alertsSoFar()).toHaveLength(opened.length);

    await clients.client('ec2', REGION).send(
      new RevokeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    const third = await audit();
    expect(third.code, third.stderr).toBe(0);
    const after = alertsSoFar().slice(opened.length);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ kind: 'finding-resolved', ruleId: 'sg-ingress-open-admin', resource: { id: groupId } });
    expect(after[0]!.finding?.id).toBe(admin[0]!.finding?.id);
    expect(after[0]!.id).not.toBe(admin[0]!.id);
  });

  it('a channel that fails makes audit exit 3 with one line naming it, and the secret stays out of the output', async () => {
    receiver.script(PATH, Array.from({ length: 10 }, () => ({ status: 500 })));
    await clients.client('ec2', REGION).send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    writeFileSync(configPath, `${readFileSync(configPath, 'utf8')}  retries: { maxAttempts: 2, baseDelayMs: 10 }\n`);
    const result = await audit();
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^leuko: alert channel "hook" \(webhook\) failed after 2 attempts: POST to 127\.0\.0\.1:\d+ failed: HTTP 500$/m);
    expect(`${result.stdout}${result.stderr}`).not.toContain(SECRET);
    expect(`${result.stdout}${result.stderr}`).not.toContain(PATH);
  });
});
