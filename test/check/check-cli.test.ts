// `leuko check` command: formats, --output, --region from flag or leuko.yaml, --parameters, --fail-on and exit codes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerCheck, type CheckFlags } from '../../src/cli/commands/check.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { rule, runCheckCaptured, sgTemplate } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'leuko-check-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const open22 = write('open22.yaml', sgTemplate(rule('tcp', 22, 22, 'CidrIp: 0.0.0.0/0')));
const clean = write('clean.yaml', sgTemplate(rule('tcp', 443, 443, 'CidrIp: 10.0.0.0/8')));
const broken = write('broken.yaml', 'Resources: [\n');
const parameterized = write('param.yaml', `Parameters:\n  Cidr:\n    Type: String\n${sgTemplate(rule('tcp', 8080, 8080, 'CidrIp: !Ref Cidr'))}`);
const noConfig = write('empty-leuko.yaml', '');

function run(paths: string[], flags: CheckFlags = {}, config = noConfig): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCheckCaptured(paths, flags, config);
}

describe('leuko check', () => {
  it('exit 1 on a finding at or above --fail-on (default: any), 0 below it or with none', async () => {
    expect((await run([open22])).code).toBe(EXIT.findings);
    expect((await run([open22], { failOn: 'critical' })).code).toBe(EXIT.ok);
    expect((await run([open22], { failOn: 'none' })).code).toBe(EXIT.ok);
    expect((await run([clean])).code).toBe(EXIT.ok);
  });

  it('exit 3 when some files could not be checked (each on stderr, one line), 2 when none could', async () => {
    const partial = await run([clean, broken]);
    expect(partial.code).toBe(EXIT.partial);
    expect(partial.stderr.trim().split('\n')).toHaveLength(1);
    expect(partial.stderr).toContain('broken.yaml:');
    expect((await run([broken])).code).toBe(EXIT.usage);
    // Findings outrank a partial run: the pipeline must fail on them.
    expect((await run([open22, broken])).code).toBe(EXIT.findings);
  });

  it('usage errors: a bad region or account', async () => {
    await expect(run([clean], { region: 'europe' })).rejects.toThrow(/--region/);
    await expect(run([clean], { account: '12' })).rejects.toThrow(/--account/);
  });

  it('--format json|sarif|junit print parseable output; --output writes a file and prints the summary', async () => {
    const json = JSON.parse((await run([open22], { format: 'json' })).stdout) as { findings: Array<{ ruleId: string }> };
    expect(json.findings.map((finding) => finding.ruleId)).toEqual(['sg-ingress-open-admin']);
    const sarif = JSON.parse((await run([open22], { format: 'sarif' })).stdout) as { version: string };
    expect(sarif.version).toBe('2.1.0');
    expect((await run([open22], { format: 'junit' })).stdout).toMatch(/^<\?xml/);
    const target = join(dir, 'out.sarif');
    const written = await run([open22], { format: 'sarif', output: target });
    expect(written.stdout).toMatch(/^1 finding \(1 high\).* Written to .*out\.sarif \(sarif\)\.\n$/);
    expect((JSON.parse(readFileSync(target, 'utf8')) as { version: string }).version).toBe('2.1.0');
  });

  it('--region, else the first region of leuko.yaml, decides region-not-allowed', async () => {
    const config = write('leuko-eu.yaml', 'regions: [us-east-1, eu-west-1]\nrules:\n  region-not-allowed:\n    allowedRegions: [eu]\n');
    const fromConfig = JSON.parse((await run([clean], { format: 'json' }, config)).stdout) as { findings: Array<{ ruleId: string; certainty: string }> };
    expect(fromConfig.findings.map((finding) => [finding.ruleId, finding.certainty])).toEqual([['region-not-allowed', 'definite']]);
    const fromFlag = JSON.parse((await run([clean], { format: 'json', region: 'eu-west-1' }, config)).stdout) as { findings: unknown[] };
    expect(fromFlag.findings).toEqual([]);
  });

  it('a bad leuko.yaml is one error naming file and line', async () => {
    const config = write('leuko-bad.yaml', 'rules:\n  sg-ingress-open-admn: false\n');
    await expect(run([clean], {}, config)).rejects.toThrow(/leuko-bad\.yaml:2: rules\.sg-ingress-open-admn: unknown rule id/);
  });

  it('--parameters fixes a parameter: possible becomes definite or goes away', async () => {
    const params = write('params.json', JSON.stringify([{ ParameterKey: 'Cidr', ParameterValue: '0.0.0.0/0' }]));
    const possible = JSON.parse((await run([parameterized], { format: 'json' })).stdout) as { findings: Array<{ certainty: string }> };
    expect(possible.findings.map((finding) => finding.certainty)).toEqual(['possible']);
    const definite = JSON.parse((await run([parameterized], { format: 'json', parameters: params })).stdout) as { findings: Array<{ certainty: string }> };
    expect(definite.findings.map((finding) => finding.certainty)).toEqual(['definite']);
  });

  it('registers on a commander program with its options', () => {
    const program = new Command();
    registerCheck(program);
    const command = program.commands.find((item) => item.name() === 'check');
    expect(command?.options.map((option) => option.long)).toEqual(
      expect.arrayContaining(['--format', '--output', '--region', '--account', '--parameters', '--fail-on', '--json']),
    );
  });
});
