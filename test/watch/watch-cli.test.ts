// `leuko watch` as a user runs it: a child process reading an SQS queue in moto, alerting a local webhook
// receiver, remediating in auto, and stopping cleanly on SIGTERM. Then `leuko undo` puts the rule back.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuthorizeSecurityGroupIngressCommand, DescribeSecurityGroupRulesCommand } from '@aws-sdk/client-ec2';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountClients, motoEnv, uniqueAccountId } from '../harness/aws.js';
import { parseJson, runCli } from '../harness/cli.js';
import { authorizeIngressRecord, eventBridgeMessage } from '../support/cloudtrail-events.js';
import { ingressOf, plantOpenSshGroup } from '../remediation/support.js';

const REGION = 'eu-west-1';
const mainPath = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const ACTOR = (account: string) => `arn:aws:iam::${account}:user/mallory`;

interface Received {
  readonly body: { type: 'alert'; alert: Record<string, unknown> } | { type: 'digest'; digest: { alerts?: Array<Record<string, unknown>> } };
}

/** What the watch process printed, for a failure message. */
let printed = (): string => '';

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${printed()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('leuko watch', () => {
  const account = uniqueAccountId();
  const clients = accountClients(account);
  const ec2 = clients.client('ec2', REGION);
  const sqs = clients.client('sqs', REGION);
  const dir = mkdtempSync(join(tmpdir(), 'leuko-watch-'));
  const db = join(dir, 'leuko.db');
  const configPath = join(dir, 'leuko.yaml');
  const received: Received[] = [];
  let receiver: Server;
  let child: ChildProcess | undefined;
  let stdout = '';
  let stderr = '';

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ body: JSON.parse(body) as Received['body'] });
        response.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    clients.destroy();
  });

  it('revokes the world-open RDP rule an event added, alerts with the actor, stops on SIGTERM; undo restores it', async () => {
    const groupId = await plantOpenSshGroup(ec2, `watch-${account}`);
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: `leuko-events-${account}` }));
    const queueUrl = queue.QueueUrl!;
    const webhook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    writeFileSync(
      configPath,
      [
        'accounts:',
        `  - id: "${account}"`,
        `    roleArn: arn:aws:iam::${account}:role/leuko-watch`,
        `regions: [${REGION}]`,
        'types: [aws.ec2.security-group]',
        'rules:',
        '  sg-ingress-open-admin: { remediation: auto }',
        'alerts:',
        '  channels:',
        '    - { name: hook, type: webhook, urlEnv: LEUKO_TEST_WEBHOOK }',
        'watch:',
        '  sqs:',
        // moto's queue URLs name no region (real ones do: sqs.<region>.amazonaws.com), so it is given.
        `    - { queueUrl: "${queueUrl}", region: ${REGION}, waitTimeSeconds: 1 }`,
        '  remediationEverySeconds: 1',
        '',
      ].join('\n'),
    );
    const env = { ...motoEnv(), LEUKO_TEST_WEBHOOK: webhook, NO_COLOR: '1' };

    // The user's own scan first (SSH open: a finding, in auto, so leuko revokes it at once too).
    child = spawn(process.execPath, ['--import', 'tsx', mainPath, '--db', db, '--config', configPath, 'watch', '--run-now'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    printed = () => `stdout:\n${stdout.slice(-6000)}\nstderr:\n${stderr.slice(-3000)}`;
    const exited = new Promise<number | null>((resolve) => child!.on('close', (code) => resolve(code)));

    await until('the start-up audit', () => (stdout.includes('"scheduled run finished"') ? true : undefined), 90_000);
    // Now somebody opens RDP to the world; the EventBridge rule puts the call on the queue.
    const added = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    const ruleId = added.SecurityGroupRules![0]!.SecurityGroupRuleId!;
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: eventBridgeMessage(
          authorizeIngressRecord({ account, region: REGION, actorArn: ACTOR(account), groupId, ruleId, port: 3389, eventId: 'f7f0a1b2-0000-4000-8000-000000000009' }),
        ), }));

    // Exactly the offending rules go; the internal HTTPS rule stays.
    await until('the RDP rule revoked', async () => {
      const rules = await ingressOf(ec2, groupId);
      return rules.some((rule) => rule.startsWith('tcp 3389')) ? undefined : rules;
    });
    expect(await ingressOf(ec2, groupId)).toEqual(['tcp 443 10.0.0.0/8']);

    const alertFor = (predicate: (alert: Record<string, unknown>) => boolean) =>
      received.flatMap((message) => (message.body.type === 'alert' ? [message.body.alert] : (message.body.digest.alerts ?? []))).find(predicate);
    const remediated = await until('a remediation alert naming the actor', () =>
      alertFor(
        (alert) =>
          alert.kind === 'remediation' &&
          JSON.stringify(alert).includes(ruleId) &&
          (alert.actor as { arn?: string } | undefined)?.arn === ACTOR(account),
      ),
    );
    expect(remediated).toMatchObject({ ruleId: 'sg-ingress-open-admin' });
    expect(JSON.stringify(remediated)).toContain(groupId);

    // The queue is empty: the message was deleted after it was handled.
    await until('the queue drained', async () => {
      const attributes = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
      );
      const left = Number(attributes.Attributes?.ApproximateNumberOfMessages) + Number(attributes.Attributes?.ApproximateNumberOfMessagesNotVisible);
      return left === 0 ? true : undefined;
    });

    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 30_000))]);
    expect(code, stderr).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.find((line) => line.msg === 'stopping')).toMatchObject({ signal: 'SIGTERM' });
    expect(lines.at(-1)).toMatchObject({ msg: 'watch stopped', abandonedRun: false });
    expect(stdout).not.toContain(webhook);

    // Who changed what: the event's actor is on the group's history.
    const history = parseJson<{ versions: Array<{ actor?: { arn?: string } }> }>(await runCli(['--db', db, 'history', groupId, '--json'], { env }));
    expect(history.versions.some((version) => version.actor?.arn === ACTOR(account))).toBe(true);

    // Undo the task that revoked the RDP rule: it comes back, and only it.
    const tasks = parseJson<Array<{ id: string; state: string; plan?: { changes: string[] } }>>(
      await runCli(['--db', db, '--config', configPath, 'remediation', 'list', '--json'], { env }),
    );
    const rdpTask = tasks.find((task) => task.state === 'done' && task.plan?.changes.some((change) => change.includes(ruleId)));
    expect(rdpTask, JSON.stringify(tasks, null, 2)).toBeDefined();
    const undone = await runCli(['--db', db, '--config', configPath, 'undo', rdpTask!.id], { env });
    expect(undone.code, undone.stderr).toBe(0);
    expect((await ingressOf(ec2, groupId)).filter((rule) => rule.startsWith('tcp 3389'))).toEqual(['tcp 3389 0.0.0.0/0']);
    const described = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }));
    expect(described.SecurityGroupRules?.filter((rule) => rule.IsEgress === false)).toHaveLength(2);
  }, 240_000);

  it('takes events over HTTP with a bearer token, alerts a detection with the actor, and refuses a missing token at start', async () => {
    const webhook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const httpConfig = join(dir, 'leuko-http.yaml');
    writeFileSync(
      httpConfig,
      [
        'accounts:',
        `  - id: "${account}"`,
        `    roleArn: arn:aws:iam::${account}:role/leuko-watch`,
        'alerts:',
        '  channels:',
        '    - { name: hook, type: webhook, urlEnv: LEUKO_TEST_WEBHOOK, kinds: [detection] }',
        'watch:',
        '  http: { port: 0, tokenEnv: LEUKO_TEST_TOKEN }',
        '',
      ].join('\n'),
    );
    const base = { ...motoEnv(), LEUKO_TEST_WEBHOOK: webhook, NO_COLOR: '1' };
    const refused = await runCli(['--db', join(dir, 'http.db'), '--config', httpConfig, 'watch'], { env: base });
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe('leuko: the HTTP intake needs a bearer token: set LEUKO_TEST_TOKEN');

    let out = '';
    const server = spawn(process.execPath, ['--import', 'tsx', mainPath, '--db', join(dir, 'http.db'), '--config', httpConfig, 'watch', '--no-remediation'], {
      env: { ...base, LEUKO_TEST_TOKEN: 'a-long-test-token-1234' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    printed = () => out.slice(-4000);
    const closed = new Promise<number | null>((resolve) => server.on('close', (code) => resolve(code)));
    const url = await until('the HTTP intake to listen', () => /"url":"(http:[^"]+)"/.exec(out)?.[1], 60_000);
    const stopLogging = {
      eventVersion: '1.09',
      userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${account}:assumed-role/ops/eve`, accountId: account },
      eventTime: new Date().toISOString(),
      eventSource: 'cloudtrail.amazonaws.com',
      eventName: 'StopLogging',
      awsRegion: REGION,
      sourceIPAddress: '203.0.113.9',
      userAgent: 'aws-cli/2.15.0',
      requestParameters: { name: `arn:aws:cloudtrail:${REGION}:${account}:trail/main` },
      responseElements: null,
      eventID: 'aa11bb22-0000-4000-8000-000000000042',
      readOnly: false,
      eventType: 'AwsApiCall',
      recipientAccountId: account,
    };
    const unauthorised = await fetch(`${url}/events`, { method: 'POST', body: JSON.stringify(stopLogging) });
    expect(unauthorised.status).toBe(401);
    const accepted = await fetch(`${url}/events`, {
      method: 'POST',
      headers: { authorization: 'Bearer a-long-test-token-1234', 'content-type': 'application/json' },
      body: JSON.stringify(stopLogging),
    });
    expect(accepted.status).toBe(202);
    const alert = await until('the tampering alert', () =>
      received
        .flatMap((message) => (message.body.type === 'alert' ? [message.body.alert] : (message.body.digest.alerts ?? [])))
        .find((candidate) => candidate.ruleId === 'cloudtrail-tampering'),
    );
    expect((alert.actor as { arn?: string }).arn).toBe(`arn:aws:sts::${account}:assumed-role/ops/eve`);
    server.kill('SIGTERM');
    expect(await closed).toBe(0);
    expect(out).not.toContain('a-long-test-token-1234');
  }, 180_000);
});
