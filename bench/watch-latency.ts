// Benchmark: latency from an SQS message (an EventBridge "AWS API Call via CloudTrail" event) to its alert
// received, through the real `leuko watch` process, against moto (SQS, EC2) and a local webhook receiver.
//
// Run: npx tsx bench/watch-latency.ts [--events 100] [--record]
//
// Each event opens SSH to the world on its own security group, so each is a new finding and one alert.
// Events are sent one at a time (the next after the previous alert arrived): this measures the path, not a
// queue backlog. The path per event: long-poll receive, parse, evaluate, re-read the group from moto,
// record the version with the actor, reconcile findings, build the alert, POST it, delete the message.
// leuko's own share is the pipeline's figure minus its AWS re-read, as the watch log reports it.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand } from '@aws-sdk/client-ec2';
import { CreateQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { createAccountClients } from '../src/aws/clients/client-factory.js';
import { startMotoServer } from '../src/demo/moto-server.js';
import { authorizeIngressRecord, eventBridgeMessage } from '../test/support/cloudtrail-events.js';
import { recordResult } from './record-result.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({ options: { events: { type: 'string', default: '100' }, record: { type: 'boolean', default: false } } });
const EVENTS = Number(values.events);
const ACCOUNT = '210987654321';
const REGION = 'eu-west-1';
const ACTOR = `arn:aws:iam::${ACCOUNT}:user/bench-actor`;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function message(groupId: string, ruleId: string, index: number): string {
  const eventId = `b0000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
  return eventBridgeMessage(authorizeIngressRecord({ account: ACCOUNT, region: REGION, actorArn: ACTOR, groupId, ruleId, port: 22, eventId }));
}

const moto = await startMotoServer({ log: (line) => console.error(line) });
const dir = mkdtempSync(join(tmpdir(), 'leuko-bench-watch-'));
const env = {
  ...process.env,
  AWS_ENDPOINT_URL: moto.endpoint,
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_REGION: REGION,
  AWS_EC2_METADATA_DISABLED: 'true',
};
const clients = createAccountClients({
  env,
  credentials: async () => ({ accessKeyId: 'bench', secretAccessKey: 'bench' }),
  assumeRole: { roleArn: `arn:aws:iam::${ACCOUNT}:role/bench` },
  accountId: ACCOUNT,
});
const arrivals = new Map<string, number>();
const waiting = new Map<string, () => void>();
const receiver = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString()));
  request.on('end', () => {
    const at = performance.timeOrigin + performance.now();
    const parsed = JSON.parse(body) as { type: string; alert?: { eventId?: string; actor?: { eventId?: string } } };
    const eventId = parsed.alert?.eventId ?? parsed.alert?.actor?.eventId;
    if (eventId && !arrivals.has(eventId)) {
      arrivals.set(eventId, at);
      waiting.get(eventId)?.();
    }
    response.writeHead(200).end('ok');
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));

const ec2 = clients.client('ec2', REGION);
const sqs = clients.client('sqs', REGION);
const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'leuko-bench-events' }))).QueueUrl!;
const groups: Array<{ groupId: string; ruleId: string }> = [];
for (let i = 0; i < EVENTS; i += 1) {
  const group = await ec2.send(new CreateSecurityGroupCommand({ GroupName: `bench-${i}`, Description: 'bench' }));
  const added = await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({ GroupId: group.GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }),
  );
  groups.push({ groupId: group.GroupId!, ruleId: added.SecurityGroupRules![0]!.SecurityGroupRuleId! });
}
const config = join(dir, 'leuko.yaml');
writeFileSync(
  config,
  [
    'accounts:',
    `  - { id: "${ACCOUNT}", roleArn: "arn:aws:iam::${ACCOUNT}:role/bench" }`,
    `regions: [${REGION}]`,
    'alerts:',
    // A digest would hold alerts for its window: the bench measures single alerts.
    '  digest: { threshold: 10000 }',
    '  channels:',
    `    - { name: bench, type: webhook, url: "http://127.0.0.1:${(receiver.address() as AddressInfo).port}/" }`,
    'watch:',
    `  sqs: [{ queueUrl: "${queueUrl}", region: ${REGION} }]`,
    '',
  ].join('\n'),
);

const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../src/cli/main.ts'), '--db', join(dir, 'leuko.db'), '--config', config, 'watch', '--no-remediation'], {
  env,
  stdio: ['ignore', 'pipe', 'inherit'],
});
let log = '';
child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
let exited: number | null | undefined;
child.on('close', (code) => (exited = code));
const started = Date.now();
while (!log.includes('"intake started"')) {
  if (exited !== undefined || Date.now() - started > 60_000) throw new Error(`leuko watch did not start (exit ${exited}):\n${log}`);
  await new Promise((resolve) => setTimeout(resolve, 100));
}
// Let the first long poll begin.
await new Promise((resolve) => setTimeout(resolve, 500));

const latencies: number[] = [];
for (let i = 0; i < EVENTS; i += 1) {
  const { groupId, ruleId } = groups[i]!;
  const eventId = `b0000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const arrived = new Promise<void>((resolve, reject) => {
    waiting.set(eventId, resolve);
    setTimeout(() => reject(new Error(`no alert for event ${i} in 30 s\n${log.slice(-3000)}`)), 30_000).unref();
  });
  const sent = performance.timeOrigin + performance.now();
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: message(groupId, ruleId, i) }));
  await arrived;
  latencies.push(arrivals.get(eventId)! - sent);
}
child.kill('SIGTERM');
await new Promise((resolve) => child.on('close', resolve));

// leuko's own share, from the watch log: each batch's pipeline time without the re-read round trip.
const handled = log
  .split('\n')
  .filter((line) => line.includes('"events handled"'))
  .map((line) => JSON.parse(line) as { ms: number; reReadMs?: number });
const sorted = [...latencies].sort((a, b) => a - b);
const pipeline = handled.map((entry) => entry.ms).sort((a, b) => a - b);
const own = handled.map((entry) => entry.ms - (entry.reReadMs ?? 0)).sort((a, b) => a - b);
const figures = {
  events: EVENTS,
  sqsToAlertMs: { p50: Math.round(percentile(sorted, 50)), p99: Math.round(percentile(sorted, 99)), max: Math.round(sorted.at(-1)!) },
  pipelineMs: { p50: percentile(pipeline, 50), p99: percentile(pipeline, 99) },
  pipelineWithoutReReadMs: { p50: percentile(own, 50), p99: percentile(own, 99) },
};
console.log(JSON.stringify(figures, null, 2));
if (values.record) {
  recordResult('watch-latency', `npx tsx bench/watch-latency.ts --events ${EVENTS} --record`, figures, [
    'sqsToAlertMs: from SendMessage returning to the webhook receiving the alert, through a real `leuko watch` process (long polling, 20 s wait) on moto SQS/EC2; one event in flight at a time.',
    'pipelineMs: the event pipeline inside watch (evaluate, re-read from moto, store with actor, reconcile) as its log reports it; pipelineWithoutReReadMs takes out the re-read round trip to moto. The rest of sqsToAlertMs is SQS receive (moto) and the alert POST.',
  ]);
}
receiver.close();
clients.destroy();
await moto.stop();
