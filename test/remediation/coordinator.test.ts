// The coordinator on moto: every mode, idempotency, retries to the dead-letter state, lease expiry, protection,
// the blast radius and undo — from a stored resource through an audit's transitions to AWS and back.
import { CreateVolumeCommand, DescribeVolumesCommand } from '@aws-sdk/client-ec2';
import { afterAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit/run-audit.js';
import { resourceModule } from '../../src/aws/resources/registry.js';
import { PROTECT_TAG } from '../../src/core/action.js';
import type { Policy } from '../../src/core/engine/index.js';
import type { ResourceTypeId } from '../../src/core/resource-types.js';
import { createCoordinator, type Coordinator } from '../../src/remediation/coordinator.js';
import type { RemediationTask } from '../../src/remediation/task.js';
import type { Store } from '../../src/store/store.js';
import { startFaultProxy } from '../harness/fault-proxy.js';
import { accountClients, motoEndpoint, uniqueAccountId } from '../harness/aws.js';
import { capturingSink, configFrom, ingressOf, manualClock, plantOpenSshGroup, tempStore, type CapturingSink } from './support.js';

const account = uniqueAccountId();
const clients = accountClients(account);
const REGION = 'eu-west-1';
const ec2 = clients.client('ec2', REGION);
const SG = 'aws.ec2.security-group';
const stores: Store[] = [];

afterAll(async () => {
  for (const store of stores) await store.close();
});

interface Setup {
  store: Store;
  policy: Policy;
  coordinator: Coordinator;
  sink: CapturingSink;
  clock: ReturnType<typeof manualClock>;
}

async function setup(yaml: string, options: { endpoint?: string } = {}): Promise<Setup> {
  const { store } = await tempStore();
  stores.push(store);
  const { policy, settings } = configFrom(yaml);
  const sink = capturingSink();
  const clock = manualClock();
  const actingClients = options.endpoint ? accountClients(account, options.endpoint) : clients;
  const coordinator = createCoordinator({
    store,
    policy,
    settings,
    clientsFor: () => actingClients,
    alerts: sink,
    now: clock.now,
    worker: 'test-worker',
    wait: { intervalMs: 50, timeoutMs: 20_000 },
  });
  return { store, policy, coordinator, sink, clock };
}

/** Reads the resources like a scan, stores them, audits them, and enqueues the audit's transitions. */
async function auditAndEnqueue(env: Setup, type: ResourceTypeId, ids: readonly string[], region = REGION) {
  const module = resourceModule(type);
  for (const id of ids) {
    const resource = await module.get({ account, region, partition: 'aws', clients, warn: () => undefined }, id);
    if (!resource) throw new Error(`${id} not found`);
    await env.store.recordResource(resource, { at: env.clock.now().toISOString() });
  }
  const audit = await runAudit(env.store, env.policy, { now: env.clock.now() });
  return env.coordinator.enqueueFromTransitions(audit.transitions);
}

function only(tasks: readonly RemediationTask[], ruleId: string): RemediationTask {
  const matching = tasks.filter((task) => task.ruleId === ruleId);
  expect(matching).toHaveLength(1);
  return matching[0]!;
}

const OPEN_ADMIN = 'sg-ingress-open-admin';
const WORLD_SSH = 'tcp 22 0.0.0.0/0';
const INTERNAL = 'tcp 443 10.0.0.0/8';

/** Only the open-admin rule remediates; the rest of the rules stay off so one task per group is made. */
function sgConfig(mode: string, extra = ''): string {
  return `remediation:\n  default: off\n${extra}rules:\n  ${OPEN_ADMIN}:\n    remediation: ${mode}\n`;
}

describe('modes', () => {
  it('dry-run (the default) records what leuko would do and changes nothing', async () => {
    const groupId = await plantOpenSshGroup(ec2, 'rm-dry-run');
    const env = await setup(''); // no remediation key at all: every rule is dry-run
    const result = await auditAndEnqueue(env, SG, [groupId]);
    const task = only(result.created, OPEN_ADMIN);
    expect(task.state).toBe('proposed');
    expect(task.mode).toBe('dry-run');
    expect(task.plan?.changes).toEqual([expect.stringMatching(/^revoke sgr-\S+ \(ingress tcp 22 from 0\.0\.0\.0\/0\) of sg-/)]);
    expect((await env.coordinator.runPending()).processed).toBe(0);
    expect(await ingressOf(ec2, groupId)).toEqual([INTERNAL, WORLD_SSH].sort());
    const proposed = env.sink.alerts.filter((alert) => alert.remediation?.taskId === task.id);
    expect(proposed.map((alert) => alert.remediation?.outcome)).toEqual(['proposed']);
    expect(proposed[0]?.remediation?.changes).toEqual(task.plan?.changes);
  });

  it('off makes no task', async () => {
    const groupId = await plantOpenSshGroup(ec2, 'rm-off');
    const env = await setup(sgConfig('off'));
    const result = await auditAndEnqueue(env, SG, [groupId]);
    expect(result.created).toEqual([]);
    expect(await env.store.tasks.list()).toEqual([]);
  });

  it('approve waits for approval, then revokes exactly the offending rule; a second run is harmless', async () => {
    const groupId = await plantOpenSshGroup(ec2, 'rm-approve');
    const env = await setup(sgConfig('approve'));
    const task = only((await auditAndEnqueue(env, SG, [groupId])).created, OPEN_ADMIN);
    expect(task.state).toBe('awaiting-approval');
    expect((await env.coordinator.runPending()).processed).toBe(0);
    expect(await ingressOf(ec2, groupId)).toContain(WORLD_SSH);

    await env.coordinator.approve(task.id, 'alice');
    const run = await env.coordinator.runPending();
    expect(run.outcomes).toEqual({ applied: 1 });
    expect(await ingressOf(ec2, groupId)).toEqual([INTERNAL]);
    const done = await env.store.tasks.get(task.id);
    expect(done?.state).toBe('done');
    expect(done?.approvedBy).toBe('alice');
    const journal = await env.store.tasks.journal(task.id);
    expect(journal.map((entry) => entry.result.status)).toEqual(['applied']);
    expect(journal[0]?.before).toMatchObject({ groupId });

    // Enqueueing the same finding again finds the task; running it again (as a redelivery would) does no harm.
    const again = await env.coordinator.enqueueFindings(await env.store.listFindings({ status: ['open'] }));
    expect(again.created).toEqual([]);
    await env.store.tasks.update({ ...done!, state: 'queued' });
    expect((await env.coordinator.runPending()).outcomes).toEqual({ 'already-done': 1 });
    expect(await ingressOf(ec2, groupId)).toEqual([INTERNAL]);
  });

  it('auto applies at once, alerts, and undo puts the rule back', async () => {
    const groupId = await plantOpenSshGroup(ec2, 'rm-auto');
    const env = await setup(sgConfig('auto'));
    const task = only((await auditAndEnqueue(env, SG, [groupId])).created, OPEN_ADMIN);
    expect(task.state).toBe('queued');
    expect((await env.coordinator.runPending()).outcomes).toEqual({ applied: 1 });
    expect(await ingressOf(ec2, groupId)).toEqual([INTERNAL]);
    const applied = env.sink.alerts.find((alert) => alert.remediation?.outcome === 'applied');
    expect(applied?.kind).toBe('remediation');
    expect(applied?.resource?.id).toBe(groupId);
    expect(applied?.remediation?.changes[0]).toContain('ingress tcp 22 from 0.0.0.0/0');

    const undone = await env.coordinator.undo(task.id);
    expect(undone.status).toBe('reverted');
    expect(await ingressOf(ec2, groupId)).toEqual([INTERNAL, WORLD_SSH].sort());
    const after = await env.store.tasks.get(task.id);
    expect(after?.state).toBe('reverted');
    expect(after?.undo?.status).toBe('reverted');
  });

  it('an auto task queued under one config does not run once leuko.yaml no longer says auto', async () => {
    const groupId = await plantOpenSshGroup(ec2, 'rm-mode-changed');
    const env = await setup(sgConfig('auto'));
    const task = only((await auditAndEnqueue(env, SG, [groupId])).created, OPEN_ADMIN);
    const { policy, settings } = configFrom(sgConfig('dry-run'));
    const later = createCoordinator({ store: env.store, policy, settings, clientsFor: () => clients, now: env.clock.now });
    expect((await later.runPending()).outcomes).toEqual({ refused: 1 });
    expect((await env.store.tasks.get(task.id))?.refusal?.message).toContain('now dry-run');
    expect(await ingressOf(ec2, groupId)).toContain(WORLD_SSH);
  });

  it('reject records the reason and the task never runs', async () => {
    const groupId = await plantOpenSshGroup(ec2, 'rm-reject');
    const env = await setup(sgConfig('approve'));
    const task = only((await auditAndEnqueue(env, SG, [groupId])).created, OPEN_ADMIN);
    await env.coordinator.reject(task.id, 'bastion host, ticket OPS-12');
    await expect(env.coordinator.approve(task.id)).rejects.toThrow(/rejected/);
    expect((await env.coordinator.runPending()).processed).toBe(0);
    expect((await env.store.tasks.get(task.id))?.rejectedReason).toBe('bastion host, ticket OPS-12');
  });
});

describe('safety', () => {
  it('a leuko:protect tag refuses the task at run time, and alerts', async () => {
    const groupId = await plantOpenSshGroup(ec2, 'rm-protected', { [PROTECT_TAG]: 'yes' });
    const env = await setup(sgConfig('auto'));
    const task = only((await auditAndEnqueue(env, SG, [groupId])).created, OPEN_ADMIN);
    expect(task.refusal?.reason).toBe('protected');
    expect((await env.coordinator.runPending()).outcomes).toEqual({ refused: 1 });
    expect(await ingressOf(ec2, groupId)).toContain(WORLD_SSH);
    expect((await env.store.tasks.get(task.id))?.state).toBe('refused');
    expect(env.sink.alerts.some((alert) => alert.remediation?.outcome === 'refused')).toBe(true);
  });

  it('an allowlisted group is refused', async () => {
    const groupId = await plantOpenSshGroup(ec2, 'rm-allowlisted');
    const env = await setup(sgConfig('auto', `  allowlist: ["${groupId}"]\n`));
    only((await auditAndEnqueue(env, SG, [groupId])).created, OPEN_ADMIN);
    expect((await env.coordinator.runPending()).outcomes).toEqual({ refused: 1 });
    expect(await ingressOf(ec2, groupId)).toContain(WORLD_SSH);
  });

  it('failures retry with exponential backoff, then the task is dead', async () => {
    const proxy = await startFaultProxy(motoEndpoint());
    try {
      proxy.setRules([{ service: 'ec2', operation: 'RevokeSecurityGroupIngress', code: 'UnauthorizedOperation', status: 403 }]);
      const groupId = await plantOpenSshGroup(ec2, 'rm-dead');
      const env = await setup(
        sgConfig('auto', '  maxAttempts: 3\n  backoff: { baseSeconds: 10, maxSeconds: 15 }\n'),
        { endpoint: proxy.endpoint },
      );
      const task = only((await auditAndEnqueue(env, SG, [groupId])).created, OPEN_ADMIN);
      const start = env.clock.now().getTime();
      expect((await env.coordinator.runPending()).outcomes).toEqual({ failed: 1 });
      let current = await env.store.tasks.get(task.id);
      expect(current?.state).toBe('queued');
      expect(Date.parse(current!.notBefore) - start).toBe(10_000);
      expect(current?.lastError).toContain('UnauthorizedOperation');
      // Not due yet: nothing runs.
      expect((await env.coordinator.runPending()).processed).toBe(0);
      env.clock.advance(10_000);
      expect((await env.coordinator.runPending()).outcomes).toEqual({ failed: 1 });
      current = await env.store.tasks.get(task.id);
      expect(Date.parse(current!.notBefore) - env.clock.now().getTime()).toBe(15_000); // 20 s capped at 15
      env.clock.advance(15_000);
      expect((await env.coordinator.runPending()).outcomes).toEqual({ dead: 1 });
      current = await env.store.tasks.get(task.id);
      expect(current?.state).toBe('dead');
      expect(current?.attempts.map((attempt) => attempt.outcome)).toEqual(['failed', 'failed', 'dead']);
      expect(env.sink.alerts.filter((alert) => alert.remediation?.outcome === 'dead')).toHaveLength(1);
      expect(await ingressOf(ec2, groupId)).toContain(WORLD_SSH);
    } finally {
      await proxy.close();
    }
  });

  it('a task claimed by a worker that vanished is claimed again once its lease expires', async () => {
    const groupId = await plantOpenSshGroup(ec2, 'rm-lease');
    const env = await setup(sgConfig('auto', '  leaseSeconds: 60\n'));
    const task = only((await auditAndEnqueue(env, SG, [groupId])).created, OPEN_ADMIN);
    const lost = await env.store.tasks.claim({ worker: 'dead-worker', now: env.clock.now().toISOString(), leaseMs: 60_000 });
    expect(lost?.id).toBe(task.id);
    expect((await env.coordinator.runPending()).processed).toBe(0);
    env.clock.advance(60_001);
    expect((await env.coordinator.runPending()).outcomes).toEqual({ applied: 1 });
    const done = await env.store.tasks.get(task.id);
    expect(done?.attempts.map((attempt) => attempt.worker)).toEqual(['dead-worker', 'test-worker']);
    expect(await ingressOf(ec2, groupId)).toEqual([INTERNAL]);
  });
});

describe('irreversible actions and the blast radius', () => {
  const VOLUME_REGION = 'eu-central-1';
  const volumes = clients.client('ec2', VOLUME_REGION);

  async function plantVolumes(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let index = 0; index < count; index++) {
      const created = await volumes.send(new CreateVolumeCommand({ AvailabilityZone: `${VOLUME_REGION}a`, Size: 1 }));
      ids.push(created.VolumeId!);
    }
    return ids;
  }

  async function existing(ids: readonly string[]): Promise<string[]> {
    const output = await volumes.send(new DescribeVolumesCommand({}));
    return (output.Volumes ?? []).map((volume) => volume.VolumeId!).filter((id) => ids.includes(id));
  }

  const regionRule = (extra: string) =>
    `remediation:\n  default: off\n  blastRadius: { perRun: 2, perHour: 10 }\nrules:\n  region-not-allowed:\n    allowedRegions: [us-east-1]\n    remediation: auto\n${extra}`;

  it('auto without allowDestructive waits for approval', async () => {
    const [volumeId] = await plantVolumes(1);
    const env = await setup(regionRule(''));
    const task = only((await auditAndEnqueue(env, 'aws.ec2.volume', [volumeId!], VOLUME_REGION)).created, 'region-not-allowed');
    expect(task.state).toBe('awaiting-approval');
    expect(task.note).toContain('allowDestructive');
    expect((await env.coordinator.runPending()).processed).toBe(0);
    expect(await existing([volumeId!])).toEqual([volumeId]);
  });

  it('with allowDestructive, auto deletes up to the per-run limit, then halts and alerts', async () => {
    const ids = await plantVolumes(4);
    const env = await setup(regionRule('    allowDestructive: true\n'));
    const created = (await auditAndEnqueue(env, 'aws.ec2.volume', ids, VOLUME_REGION)).created;
    expect(created.map((task) => task.state)).toEqual(['queued', 'queued', 'queued', 'queued']);
    const run = await env.coordinator.runPending();
    expect(run.halted).toBe(true);
    expect(run.outcomes).toEqual({ applied: 2 });
    expect(await existing(ids)).toHaveLength(2);
    expect(await env.store.tasks.list({ states: ['queued'] })).toHaveLength(2);
    const blast = env.sink.alerts.filter((alert) => alert.kind === 'blast-radius');
    expect(blast).toHaveLength(1);
    expect(blast[0]?.message).toContain('2 task(s) wait');
  });

  it('the hourly limit counts destructive actions across runs', async () => {
    const ids = await plantVolumes(2);
    const env = await setup(regionRule('    allowDestructive: true\n').replace('perRun: 2, perHour: 10', 'perRun: 5, perHour: 1'));
    await auditAndEnqueue(env, 'aws.ec2.volume', ids, VOLUME_REGION);
    expect(await env.coordinator.runPending()).toMatchObject({ outcomes: { applied: 1 }, halted: true });
    expect(await env.coordinator.runPending()).toMatchObject({ processed: 0, halted: true });
    expect(await existing(ids)).toHaveLength(1);
    env.clock.advance(3_600_001);
    expect(await env.coordinator.runPending()).toMatchObject({ outcomes: { applied: 1 } });
    expect(await existing(ids)).toEqual([]);
    expect(env.sink.alerts.filter((alert) => alert.kind === 'blast-radius')).toHaveLength(2);
  });
});
