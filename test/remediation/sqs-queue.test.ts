// The SQS backend on moto's SQS: a delivery per runnable task, redelivery after a dead worker's lease, retries
// through the visibility timeout, and the dead state after maxAttempts with the message gone.
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit/run-audit.js';
import { resourceModule } from '../../src/aws/resources/registry.js';
import { createCoordinator } from '../../src/remediation/coordinator.js';
import { createSqsTaskQueue } from '../../src/remediation/sqs-task-queue.js';
import type { Store } from '../../src/store/store.js';
import { startFaultProxy } from '../harness/fault-proxy.js';
import { accountClients, motoEndpoint, uniqueAccountId } from '../harness/aws.js';
import { capturingSink, configFrom, ingressOf, plantOpenSshGroup, tempStore } from './support.js';

const account = uniqueAccountId();
const clients = accountClients(account);
const REGION = 'eu-west-1';
const ec2 = clients.client('ec2', REGION);
const sqs = clients.client('sqs', 'us-east-1');
const stores: Store[] = [];

afterAll(async () => {
  for (const store of stores) await store.close();
});

async function newQueue(name: string): Promise<string> {
  return (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
}

/** Messages in the queue, visible or in flight. */
async function messagesIn(queueUrl: string): Promise<number> {
  const output = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return Number(output.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(output.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}

async function setup(name: string, extra = '', endpoint?: string) {
  const { store } = await tempStore();
  stores.push(store);
  const yaml = `remediation:\n  default: off\n  leaseSeconds: 1\n${extra}rules:\n  sg-ingress-open-admin:\n    remediation: auto\n`;
  const { policy, settings } = configFrom(yaml);
  const queueUrl = await newQueue(name);
  const acting = endpoint ? accountClients(account, endpoint) : clients;
  const worker = (id: string) =>
    createCoordinator({
      store,
      policy,
      settings,
      clientsFor: () => acting,
      alerts: sink,
      queue: createSqsTaskQueue({ client: sqs, queueUrl, leaseMs: settings.leaseMs }),
      worker: id,
    });
  const sink = capturingSink();
  const groupId = await plantOpenSshGroup(ec2, name);
  const resource = await resourceModule('aws.ec2.security-group').get(
    { account, region: REGION, partition: 'aws', clients, warn: () => undefined },
    groupId,
  );
  await store.recordResource(resource!, { at: new Date().toISOString() });
  const audit = await runAudit(store, policy, { now: new Date() });
  return { store, queueUrl, groupId, sink, worker, transitions: audit.transitions, settings };
}

describe('SQS task queue', () => {
  it('a queued task is delivered, run once, and its message deleted', async () => {
    const env = await setup('rm-sqs-basic');
    const [task] = (await env.worker('a').enqueueFromTransitions(env.transitions)).created;
    expect(task?.state).toBe('queued');
    expect(await messagesIn(env.queueUrl)).toBe(1);
    expect((await env.worker('b').runPending()).outcomes).toEqual({ applied: 1 });
    expect(await ingressOf(ec2, env.groupId)).toEqual(['tcp 443 10.0.0.0/8']);
    expect(await messagesIn(env.queueUrl)).toBe(0);
  });

  it('a worker that received a task and died: the message comes back after the lease, and another worker runs it', async () => {
    const env = await setup('rm-sqs-lease');
    const [task] = (await env.worker('a').enqueueFromTransitions(env.transitions)).created;
    // Worker "dead" receives and claims, then never settles.
    const deadQueue = createSqsTaskQueue({ client: sqs, queueUrl: env.queueUrl, leaseMs: env.settings.leaseMs });
    const claimed = await deadQueue.claimNext(env.store.tasks, { worker: 'dead', now: new Date().toISOString(), leaseMs: env.settings.leaseMs });
    expect(claimed?.id).toBe(task!.id);
    // While the lease holds, another worker gets nothing (the message is invisible, the store claim is live).
    expect((await env.worker('b').runPending()).processed).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await env.worker('b').runPending()).outcomes).toEqual({ applied: 1 });
    const done = await env.store.tasks.get(task!.id);
    expect(done?.attempts.map((attempt) => [attempt.worker, attempt.outcome ?? 'lost'])).toEqual([
      ['dead', 'lost'],
      ['b', 'applied'],
    ]);
    expect(await messagesIn(env.queueUrl)).toBe(0);
  });

  it('failures are redelivered after the backoff, and after maxAttempts the task is dead and the message gone', async () => {
    const proxy = await startFaultProxy(motoEndpoint());
    try {
      proxy.setRules([{ service: 'ec2', operation: 'RevokeSecurityGroupIngress', code: 'UnauthorizedOperation', status: 403 }]);
      const env = await setup('rm-sqs-dead', '  maxAttempts: 2\n  backoff: { baseSeconds: 1, maxSeconds: 1 }\n', proxy.endpoint);
      const [task] = (await env.worker('a').enqueueFromTransitions(env.transitions)).created;
      expect((await env.worker('a').runPending()).outcomes).toEqual({ failed: 1 });
      expect((await env.store.tasks.get(task!.id))?.state).toBe('queued');
      expect(await messagesIn(env.queueUrl)).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect((await env.worker('a').runPending()).outcomes).toEqual({ dead: 1 });
      const dead = await env.store.tasks.get(task!.id);
      expect(dead?.state).toBe('dead');
      expect(dead?.lastError).toContain('UnauthorizedOperation');
      expect(await messagesIn(env.queueUrl)).toBe(0);
      expect(await ingressOf(ec2, env.groupId)).toContain('tcp 22 0.0.0.0/0');
    } finally {
      await proxy.close();
    }
  });
});
