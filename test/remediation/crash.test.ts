// Crash safety: a `leuko remediation run` process SIGKILLed mid-task — before its AWS call lands, and after it
// landed but before the outcome was recorded — is restarted and completes the task exactly once in effect.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { RemediationTask } from '../../src/remediation/task.js';
import { accountClients, motoEndpoint, motoEnv, uniqueAccountId } from '../harness/aws.js';
import { parseJson, runCli } from '../harness/cli.js';
import { ingressOf, plantOpenSshGroup, tempDir } from './support.js';

const REGION = 'eu-west-1';
const mainPath = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

type HoldMode = 'hold-request' | 'hold-response';

/**
 * A proxy to moto that holds the first RevokeSecurityGroupIngress call: either before forwarding it (AWS
 * unchanged) or after moto answered (AWS changed, the worker never hears back). `held` resolves when it holds.
 */
async function startHoldingProxy(target: string, mode: HoldMode): Promise<{ endpoint: string; held: Promise<void>; close(): Promise<void> }> {
  let signalHeld: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (signalHeld = resolve));
  let holding = false;
  const targetUrl = new URL(target);
  const forward = (request: IncomingMessage, body: Buffer, onResponse: (status: number, headers: IncomingMessage['headers'], data: Buffer) => void) => {
    const upstream = httpRequest(
      { host: targetUrl.hostname, port: targetUrl.port, method: request.method, path: request.url, headers: request.headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => onResponse(response.statusCode ?? 502, response.headers, Buffer.concat(chunks)));
      },
    );
    upstream.end(body);
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const isRevoke = /(?:^|&)Action=RevokeSecurityGroupIngress(?:&|$)/.test(body.toString('utf8'));
      if (isRevoke && !holding) {
        holding = true;
        if (mode === 'hold-request') signalHeld();
        else forward(request, body, () => signalHeld()); // moto has revoked; the answer never goes back
        return;
      }
      forward(request, body, (status, headers, data) => {
        response.writeHead(status, headers);
        response.end(data);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    held,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('a worker killed mid-task', () => {
  const account = uniqueAccountId();
  const clients = accountClients(account);
  const ec2 = clients.client('ec2', REGION);
  const dir = tempDir();
  const configPath = join(dir, 'leuko.yaml');

  beforeAll(() => {
    writeFileSync(
      configPath,
      [
        'accounts:',
        `  - id: "${account}"`,
        `    roleArn: arn:aws:iam::${account}:role/leuko-test`,
        `regions: [${REGION}]`,
        'types: [aws.ec2.security-group]',
        'remediation:',
        '  default: off',
        '  leaseSeconds: 2',
        'rules:',
        '  sg-ingress-open-admin:',
        '    remediation: approve',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => clients.destroy());

  async function taskOf(db: string): Promise<RemediationTask> {
    const store = await openSqliteStore(db);
    try {
      const [task, ...rest] = await store.tasks.list();
      expect(rest).toEqual([]);
      return task!;
    } finally {
      await store.close();
    }
  }

  for (const mode of ['hold-request', 'hold-response'] as const) {
    it(`${mode}: the restarted run completes the task once, and only the offending rule is gone`, async () => {
      const groupId = await plantOpenSshGroup(ec2, `rm-crash-${mode}`);
      const db = join(dir, `${mode}.db`);
      const cli = (...args: string[]) => runCli(['--db', db, '--config', configPath, ...args], { env: motoEnv() });
      const audited = await cli('audit', '--json');
      expect(audited.code, audited.stderr).toBe(0);
      const [waiting] = parseJson<RemediationTask[]>(await cli('remediation', 'list', '--state', 'awaiting-approval', '--json'));
      expect(waiting?.ruleId).toBe('sg-ingress-open-admin');
      expect((await cli('remediation', 'approve', waiting!.id)).code).toBe(0);

      const proxy = await startHoldingProxy(motoEndpoint(), mode);
      try {
        const child = spawn(process.execPath, ['--import', 'tsx', mainPath, '--db', db, '--config', configPath, 'remediation', 'run', '--once'], {
          env: { ...motoEnv(proxy.endpoint), NO_COLOR: '1' },
          stdio: 'ignore',
        });
        const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
        await proxy.held;
        child.kill('SIGKILL');
        expect(await exited).toBe('SIGKILL');
      } finally {
        await proxy.close();
      }

      const killed = await taskOf(db);
      expect(killed.state).toBe('running');
      const stillOpen = mode === 'hold-request';
      expect((await ingressOf(ec2, groupId)).includes('tcp 22 0.0.0.0/0')).toBe(stillOpen);

      // Once the dead worker's lease lapses, the next run takes the task over (a live lease is respected:
      // see the lease test in coordinator.test.ts; a CLI start here can outlast a 2-second lease).
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const rerun = await cli('remediation', 'run', '--once', '--json');
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(parseJson<{ outcomes: Record<string, number> }>(rerun).outcomes).toEqual(
        stillOpen ? { applied: 1 } : { 'already-done': 1 },
      );

      const done = await taskOf(db);
      expect(done.state).toBe('done');
      expect(done.attempts.map((attempt) => attempt.outcome ?? 'killed')).toEqual(['killed', stillOpen ? 'applied' : 'already-done']);
      expect(await ingressOf(ec2, groupId)).toEqual(['tcp 443 10.0.0.0/8']);
      // A third run finds nothing to do.
      expect(parseJson<{ processed: number }>(await cli('remediation', 'run', '--once', '--json')).processed).toBe(0);
    });
  }
});
