// The CLI as users run it: built (tsc, then the bundle of scripts/bundle.ts) and started through bin/leuko.js.
// Everything else tests the TypeScript source; this catches what only the build can break (a bundle that cannot
// find a module, a worker entry missing beside it, a CommonJS package without `require`, a code cache that does
// not fit the bundle).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rule, runCheckCaptured, sgTemplate } from '../check/support.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const dir = mkdtempSync(join(tmpdir(), 'leuko-built-cli-'));
const outputs = mkdtempSync(join(tmpdir(), 'leuko-built-cli-out-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(outputs, { recursive: true, force: true });
});

const write = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const config = join(outputs, 'leuko.yaml');
writeFileSync(config, 'rules:\n  sg-egress-open-all: true\n');
write('open22.yaml', sgTemplate(rule('tcp', 22, 22, 'CidrIp: 0.0.0.0/0')));
write('clean.yaml', sgTemplate(rule('tcp', 443, 443, 'CidrIp: 10.0.0.0/8')));
write('broken.yaml', 'Resources: [\n');
write('tagged.yaml', `Parameters:\n  Cidr:\n    Type: String\n    Default: 0.0.0.0/0\n${sgTemplate(rule('tcp', 3389, 3389, 'CidrIp: !Ref Cidr'))}`);
write('template.json', JSON.stringify({ Resources: { B: { Type: 'AWS::S3::Bucket', Properties: { AccessControl: 'PublicReadWrite' } } } }, null, 2));

function cli(
  args: readonly string[],
  options: { nodeArgs?: readonly string[]; env?: NodeJS.ProcessEnv } = {},
): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [...(options.nodeArgs ?? []), join(root, 'bin', 'leuko.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    ...(options.env ? { env: options.env } : {}),
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the built CLI', () => {
  beforeAll(() => {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'pipe', timeout: 170_000 });
  }, 180_000);

  it('starts, and answers --version and leuko rules', () => {
    expect(cli(['--version']).stdout.trim()).toBe(version);
    const rules = cli(['rules']);
    expect(rules.status).toBe(0);
    expect(rules.stdout).toMatch(/sg-ingress-open-all/);
  });

  it('takes the code cache the build made; one V8 rejects or one from another build only costs time', () => {
    const debug = { ...process.env, LEUKO_DEBUG_CODE_CACHE: '1' };
    const taken = cli(['--version'], { env: debug });
    expect(taken.stderr).toContain('leuko: code cache taken');
    expect(taken.stdout.trim()).toBe(version);
    // Any V8 flag of its own makes V8 refuse the cache (as --max-old-space-size in NODE_OPTIONS would).
    const rejected = cli(['--version'], { nodeArgs: ['--stack-size=2000'], env: debug });
    expect(rejected.stderr).toContain('leuko: code cache rejected by V8');
    expect(rejected.stdout.trim()).toBe(version);
    // V8 checks a cache against the source's length only: one from another build must not be offered at all.
    const copy = mkdtempSync(join(tmpdir(), 'leuko-built-cli-copy-'));
    try {
      cpSync(join(root, 'bin'), join(copy, 'bin'), { recursive: true });
      cpSync(join(root, 'dist', 'bundle'), join(copy, 'dist', 'bundle'), { recursive: true });
      const cache = readFileSync(join(copy, 'dist', 'bundle', 'leuko.cache'));
      // The same length, another build id: only the header tells them apart.
      cache.write('0'.repeat(32), cache.indexOf('leuko build ') + 'leuko build '.length, 'latin1');
      writeFileSync(join(copy, 'dist', 'bundle', 'leuko.cache'), cache);
      const stale = spawnSync(process.execPath, [join(copy, 'bin', 'leuko.js'), '--version'], { encoding: 'utf8', env: debug, timeout: 60_000 });
      expect(stale.stderr).toContain('leuko: code cache stale');
      expect(stale.stdout.trim()).toBe(version);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('checks templates as the source does, byte for byte, serially and with a worker thread started from the bundle', async () => {
    const fromSource = join(outputs, 'source.json');
    const { code: sourceCode } = await runCheckCaptured([dir], { format: 'json', failOn: 'none', output: fromSource, jobs: '1' }, config);
    // broken.yaml cannot be checked: exit 3 (problems), the same from source and built.
    expect(sourceCode).toBe(3);
    const expected = readFileSync(fromSource, 'utf8');
    expect(JSON.parse(expected)).toMatchObject({ summary: { findings: expect.any(Number) } });
    for (const jobs of ['1', '2']) {
      const output = join(outputs, `built-${jobs}.json`);
      const run = cli(['--config', config, 'check', dir, '--format', 'json', '--fail-on', 'none', '--jobs', jobs, '--output', output]);
      expect(run.stderr, `--jobs ${jobs}`).not.toMatch(/worker .* failed|internal error/);
      expect(run.status, `--jobs ${jobs}: ${run.stderr}`).toBe(sourceCode);
      expect(readFileSync(output, 'utf8'), `--jobs ${jobs}`).toBe(expected);
    }
    expect((JSON.parse(expected) as { summary: { findings: number } }).summary.findings).toBeGreaterThan(1);
  });

  it('starts its check worker from the bundle: with enough files for the worker to join, none fails; tiering as tuned', () => {
    // The main thread checks files while the worker starts; with 2,000 files it is still at it when a worker
    // that cannot load would fail, and `leuko check` says so on stderr.
    const many = mkdtempSync(join(tmpdir(), 'leuko-built-cli-many-'));
    try {
      for (let index = 0; index < 2000; index += 1) {
        writeFileSync(join(many, `t${index}.yaml`), sgTemplate(rule('tcp', index % 2 === 0 ? 22 : 443, 443, 'CidrIp: 0.0.0.0/0')));
      }
      const serial = cli(['--config', config, 'check', many, '--format', 'json', '--fail-on', 'none', '--jobs', '1', '--output', join(outputs, 'many-1.json')]);
      const threads = cli(['--config', config, 'check', many, '--format', 'json', '--fail-on', 'none', '--jobs', '2', '--output', join(outputs, 'many-2.json')]);
      expect(threads.stderr).not.toMatch(/check worker/);
      expect([serial.status, threads.status]).toEqual([0, 0]);
      expect(readFileSync(join(outputs, 'many-2.json'), 'utf8')).toBe(readFileSync(join(outputs, 'many-1.json'), 'utf8'));

      // The batch tiering (src/check/v8-tiering.ts) is in effect: V8 optimises fewer functions than with its
      // default, which LEUKO_V8_DEFAULT_TIERING=1 keeps. --trace-opt prints one line per finished optimisation.
      const optimisations = (env: NodeJS.ProcessEnv): number => {
        const args = ['--config', config, 'check', many, '--format', 'json', '--fail-on', 'none', '--jobs', '1', '--output', join(outputs, 'traced.json')];
        const run = cli(args, { nodeArgs: ['--trace-opt'], env });
        expect(run.status, run.stderr).toBe(0);
        return run.stdout.split('\n').filter((line) => line.startsWith('[completed compiling')).length;
      };
      const tuned = optimisations({ ...process.env, LEUKO_V8_DEFAULT_TIERING: '' });
      const byDefault = optimisations({ ...process.env, LEUKO_V8_DEFAULT_TIERING: '1' });
      expect(byDefault).toBeGreaterThan(20);
      expect(tuned).toBeLessThan(byDefault * 0.75);
    } finally {
      rmSync(many, { recursive: true, force: true });
    }
  });
});
