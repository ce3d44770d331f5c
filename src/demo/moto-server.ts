// Installs a pinned moto server into a project-local virtualenv (once) and runs it on a free loopback
// port: the AWS wire protocol for tests, benchmarks and `leuko demo`, with no AWS account.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, openSync, closeSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { LeukoError } from '../core/errors.js';

export const MOTO_VERSION = '5.2.5';

export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface MotoOptions {
  /** Where the virtualenv lives (default: <cwd>/.cache/moto-venv, or LEUKO_MOTO_VENV). */
  venvDir?: string;
  log?: (line: string) => void;
}

function defaultVenvDir(): string {
  return process.env.LEUKO_MOTO_VENV ?? join(process.cwd(), '.cache', 'moto-venv');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Creates the virtualenv and installs moto[server] at the pinned version, unless already there. */
export async function ensureMoto(options: MotoOptions = {}): Promise<string> {
  const venv = options.venvDir ?? defaultVenvDir();
  const binary = join(venv, 'bin', 'moto_server');
  const marker = join(venv, '.leuko-moto-version');
  const ready = () => existsSync(binary) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === MOTO_VERSION;
  if (ready()) return binary;

  mkdirSync(join(venv, '..'), { recursive: true });
  // Parallel callers (test workers, a bench beside a test run) must not install into one venv at once.
  const lockPath = `${venv}.lock`;
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      closeSync(openSync(lockPath, 'wx'));
      break;
    } catch {
      if (ready()) return binary;
      if (Date.now() > deadline) throw new LeukoError('USAGE', `timed out waiting for ${lockPath}; remove it if stale`);
      await sleep(500);
    }
  }
  try {
    if (ready()) return binary;
    options.log?.(`installing moto[server]==${MOTO_VERSION} into ${venv} (first run only)`);
    const python = process.env.LEUKO_PYTHON ?? 'python3';
    const run = (command: string, args: string[]) => {
      const result = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
      if (result.status !== 0) {
        const detail = (result.stderr || result.stdout || String(result.error ?? '')).trim().split('\n').slice(-3).join(' ');
        throw new LeukoError('USAGE', `${command} ${args.join(' ')} failed: ${detail}`);
      }
    };
    run(python, ['-m', 'venv', venv]);
    run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `moto[server]==${MOTO_VERSION}`]);
    writeFileSync(marker, `${MOTO_VERSION}\n`);
    return binary;
  } finally {
    rmSync(lockPath, { force: true });
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new LeukoError('USAGE', `moto server exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(150);
  }
  throw new LeukoError('USAGE', `moto server at ${endpoint} did not answer within ${timeoutMs} ms`);
}

/** Starts moto on a free loopback port; resolves once it answers. */
export async function startMotoServer(options: MotoOptions = {}): Promise<MotoServer> {
  const binary = await ensureMoto(options);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // moto logs every request to stderr. It goes to a file, never to a pipe: a pipe is drained only while
  // our event loop runs, and a parent blocked in a synchronous call would leave moto stuck on a full pipe.
  const logPath = join(mkdtempSync(join(tmpdir(), 'leuko-moto-')), 'moto.log');
  const logFd = openSync(logPath, 'a');
  const child = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', logFd, logFd],
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'true' },
  });
  closeSync(logFd);
  try {
    await waitUntilUp(endpoint, child, 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    const tail = existsSync(logPath) ? readFileSync(logPath, 'utf8').slice(-4000) : '';
    throw new LeukoError('USAGE', `${(error as Error).message}\n${tail}`, { cause: error });
  }
  return {
    endpoint,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(logPath, { force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

/** Clears all moto state (POST /moto-api/reset). */
export async function resetMoto(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new LeukoError('USAGE', `moto reset failed: HTTP ${response.status}`);
}
