// `leuko alerts list` and `leuko alerts test` through the real CLI, against a local HTTP peer.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJson, runCli } from '../harness/cli.js';
import { startReceiver, type Receiver } from './receiver.js';

interface TestResult {
  channel: string;
  type: string;
  ok: boolean;
  attempts: number;
  alertId: string;
  error?: string;
}

describe('leuko alerts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leuko-alerts-cli-'));
  const configPath = join(dir, 'leuko.yaml');
  const emptyConfig = join(dir, 'empty.yaml');
  const secretPath = '/services/T1/B1/cliSecretToken42';
  let receiver: Receiver;
  let env: NodeJS.ProcessEnv;
  const leuko = (args: string[], config = configPath) => runCli(['--config', config, 'alerts', ...args], { env });

  beforeAll(async () => {
    receiver = await startReceiver();
    receiver.script('/broken', Array.from({ length: 20 }, () => ({ status: 502 })));
    env = { ...process.env, TEST_SLACK_URL: `${receiver.url}${secretPath}`, TEST_BROKEN_URL: `${receiver.url}/broken` };
    writeFileSync(
      configPath,
      [
        'alerts:',
        '  channels:',
        '    - { name: sec-slack, type: slack, urlEnv: TEST_SLACK_URL, minSeverity: critical }',
        '    - { name: broken, type: webhook, urlEnv: TEST_BROKEN_URL, rules: [cloudtrail-tampering] }',
        '  retries: { maxAttempts: 2, baseDelayMs: 10 }',
        '',
      ].join('\n'),
    );
    writeFileSync(emptyConfig, 'regions: [eu-west-1]\n');
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('list shows each channel, where it sends (env var name, never the URL) and what it receives', async () => {
    const result = await leuko(['list', '--json']);
    expect(result.code).toBe(0);
    expect(parseJson(result)).toEqual([
      { name: 'sec-slack', type: 'slack', destination: '$TEST_SLACK_URL', routing: '>= critical' },
      { name: 'broken', type: 'webhook', destination: '$TEST_BROKEN_URL', routing: 'rules cloudtrail-tampering' },
    ]);
    expect(result.stdout).not.toContain(secretPath);
  });

  it('test sends the sample through every channel, ignoring routing, and exits 3 when one fails', async () => {
    const result = await leuko(['test', '--json']);
    expect(result.code).toBe(3);
    const results = parseJson<TestResult[]>(result);
    expect(results.map((r) => [r.channel, r.ok, r.attempts])).toEqual([
      ['sec-slack', true, 1],
      ['broken', false, 2],
    ]);
    expect(results[1]?.error).toMatch(/^POST to 127\.0\.0\.1:\d+ failed: HTTP 502$/);
    const [slack] = receiver.accepted(secretPath);
    const body = JSON.parse(slack!.body) as { text: string };
    expect(body.text).toContain('Test alert from leuko');
    expect(body.text).toContain('arn:aws:iam::111122223333:user/example');
    expect(`${result.stdout}${result.stderr}`).not.toContain(secretPath);
  });

  it('test --channel sends through that channel only; text output says ok', async () => {
    const before = receiver.requests.length;
    const result = await leuko(['test', '--channel', 'sec-slack']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('ok      sec-slack (slack)');
    expect(receiver.requests.slice(before).map((request) => request.path)).toEqual([secretPath]);
  });

  it('exits 5 when every channel fails, 4 for an unknown channel, 2 without channels', async () => {
    const failed = await leuko(['test', '--channel', 'broken']);
    expect(failed.code).toBe(5);
    expect(failed.stdout).toMatch(/^FAILED {2}broken \(webhook\) after 2 attempts: POST to 127\.0\.0\.1:\d+ failed: HTTP 502$/m);
    const unknown = await leuko(['test', '--channel', 'nope']);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr.trim()).toBe('leuko: no alert channel "nope"; configured: sec-slack, broken');
    const none = await leuko(['test'], emptyConfig);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no alert channels in leuko.yaml');
  });

  it('has --help', async () => {
    const help = await leuko(['test', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--channel <name>');
  });
});

