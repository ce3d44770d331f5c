// Benchmark: from a CloudTrail event's arrival to the remediation confirmed, against moto.
//
// Run: npx tsx bench/respond.ts [--events 50] [--endpoint http://127.0.0.1:5000] [--record]
//
// Each event is a real-shaped AuthorizeSecurityGroupIngress record that opened SSH to the world on its own
// moto group (the change is made for real first, untimed). Timed per event: the event pipeline (judge the
// record, re-read the group, record it, reconcile findings), enqueueing the task (sg-ingress-open-admin in
// auto), and the coordinator's run (claim, re-read, plan, journal, revoke, verify, record). "leuko's share"
// is the whole minus the wall time during which at least one AWS call was in flight (SDK middleware), so
// parallel calls are not counted twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand } from '@aws-sdk/client-ec2';
import { createAccountClients, type AccountClients } from '../src/aws/clients/client-factory.js';
import { compilePolicy } from '../src/core/engine/index.js';
import { startMotoServer } from '../src/demo/moto-server.js';
import { processRecords } from '../src/events/process-records.js';
import { createCoordinator } from '../src/remediation/coordinator.js';
import { resolveRemediationSettings } from '../src/remediation/remediation-config.js';
import type { CloudTrailRecord } from '../src/sources/cloudtrail/record.js';
import { authorizeIngressRecord } from '../test/support/cloudtrail-events.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { recordResult } from './record-result.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '50' },
    endpoint: { type: 'string' },
    record: { type: 'boolean', default: false },
  },
});
const EVENTS = Number(values.events);
if (!Number.isInteger(EVENTS) || EVENTS < 1) throw new Error('--events must be a positive whole number');
const ACCOUNT = '210987654399';
const REGION = 'eu-west-1';
const ACTOR = `arn:aws:iam::${ACCOUNT}:user/bench`;

/** Wall time with at least one AWS call in flight, measured by a middleware on every client used. */
function createAwsClock() {
  let active = 0;
  let since = 0;
  let total = 0;
  const instrumented = new WeakSet<object>();
  return {
    get totalMs() {
      return total + (active > 0 ? performance.now() - since : 0);
    },
    instrument(client: { middlewareStack: { add(middleware: unknown, options: Record<string, unknown>): void } }) {
      if (instrumented.has(client)) return;
      instrumented.add(client);
      client.middlewareStack.add(
        (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
          if (active++ === 0) since = performance.now();
          try {
            return await next(args);
          } finally {
            if (--active === 0) total += performance.now() - since;
          }
        },
        { step: 'initialize', name: 'benchAwsTime', priority: 'high' },
      );
    },
  };
}

function record(groupId: string, ruleId: string, index: number): CloudTrailRecord {
  return authorizeIngressRecord({ account: ACCOUNT, region: REGION, actorArn: ACTOR, groupId, ruleId, port: 22, eventId: `bench-${index}` });
}

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round((sorted[index] ?? 0) * 10) / 10;
}

function summary(samples: readonly number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: percentile(sorted, 100) };
}

const moto = values.endpoint ? undefined : await startMotoServer({ log: (line) => console.error(line) });
const endpoint = values.endpoint ?? moto!.endpoint;
const dir = mkdtempSync(join(tmpdir(), 'leuko-bench-respond-'));
let clients: AccountClients | undefined;
try {
  clients = createAccountClients({
    env: { ...process.env, AWS_ENDPOINT_URL: endpoint, AWS_EC2_METADATA_DISABLED: 'true' },
    credentials: async () => ({ accessKeyId: 'bench', secretAccessKey: 'bench' }),
    assumeRole: { roleArn: `arn:aws:iam::${ACCOUNT}:role/bench` },
    accountId: ACCOUNT,
  });
  const ec2 = clients.client('ec2', REGION);
  const awsClock = createAwsClock();
  awsClock.instrument(ec2);
  const store = await openSqliteStore(join(dir, 'leuko.db'));
  const policy = compilePolicy({ rules: { 'sg-ingress-open-admin': { remediation: 'auto' } } });
  const settings = resolveRemediationSettings({ default: 'off' }, { 'sg-ingress-open-admin': { remediation: 'auto' } });
  const acting = clients;
  const coordinator = createCoordinator({ store, policy, settings, clientsFor: () => acting });
  const whole: number[] = [];
  const own: number[] = [];
  const awsShare: number[] = [];
  try {
    for (let index = 0; index < EVENTS + 1; index++) {
      const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: `respond-${index}`, Description: 'bench' }))).GroupId!;
      const added = await ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
        }),
      );
      const event = record(groupId, added.SecurityGroupRules![0]!.SecurityGroupRuleId!, index);
      const awsBefore = awsClock.totalMs;
      const started = performance.now();
      const processed = await processRecords([event], { store, policy, clientsFor: () => acting, now: () => new Date() });
      await coordinator.enqueueFromTransitions(processed.transitions);
      const ran = await coordinator.runPending();
      const elapsed = performance.now() - started;
      const aws = awsClock.totalMs - awsBefore;
      if (ran.outcomes.applied !== 1) throw new Error(`event ${index}: expected one applied task, got ${JSON.stringify(ran.outcomes)}`);
      // The first event warms module loading, client and statement caches; it is not counted.
      if (index === 0) continue;
      whole.push(elapsed);
      awsShare.push(aws);
      own.push(elapsed - aws);
    }
  } finally {
    await store.close();
  }
  const figures = {
    events: EVENTS,
    wholeMs: summary(whole),
    leukoOwnMs: summary(own),
    awsMs: summary(awsShare),
    path: 'event -> judge -> re-read -> store -> enqueue -> claim -> re-read -> plan -> journal -> revoke -> verify -> record',
  };
  console.log(JSON.stringify(figures, null, 2));
  if (values.record) {
    recordResult('respond', `npx tsx bench/respond.ts --events ${EVENTS} --record`, figures, [
      'moto 5.2.5 on the same machine (every AWS call a local HTTP round trip); one event at a time, first event not counted',
      "leuko's own share = whole minus wall time with an AWS call in flight (SDK initialize-step middleware)",
    ]);
  }
} finally {
  clients?.destroy();
  await moto?.stop();
  rmSync(dir, { recursive: true, force: true });
}
