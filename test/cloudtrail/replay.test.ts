// `leuko replay` on the corpus, registered on a bare program: what it prints, and that the filter changes nothing found.
import { Command } from 'commander';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerReplay } from '../../src/cli/commands/replay.js';
import { compilePolicy } from '../../src/core/engine/index.js';
import { BUILT_IN_DETECTIONS } from '../../src/detections/index.js';
import { createInterestFilter, evaluateRecordStream, readCloudTrailPaths } from '../../src/sources/cloudtrail/index.js';
import { corpusPath } from '../harness/corpus.js';

const root = corpusPath('cloudtrail');

async function run(args: string[]): Promise<string> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    const program = new Command().exitOverride().option('-c, --config <file>').option('--json');
    registerReplay(program);
    await program.parseAsync(['node', 'leuko', 'replay', ...args]);
  } finally {
    spy.mockRestore();
  }
  return chunks.join('');
}

afterEach(() => {
  process.exitCode = undefined;
});

describe.skipIf(root === undefined)('leuko replay', () => {
  const stratus = join(root ?? '', 'stratus-red-team-detonation-logs');

  it('prints the findings and detections with actor and event, and a summary', async () => {
    const text = await run([stratus]);
    expect(text).toContain('sg-ingress-open-admin');
    expect(text).toContain('arn:aws:iam::032092706103:user/christophe');
    expect(text).toContain('9fd68588-ecbf-4528-a345-199fa6bb0821');
    expect(text).toContain('cloudtrail-tampering');
    expect(text).toMatch(/Replayed 294 record\(s\) from 25 file\(s\)/);
  });

  it('--since/--until keep only events in the window; --json is machine-readable', async () => {
    const json = JSON.parse(await run([stratus, '--since', '2024-08-01T00:00:00Z', '--until', '2024-08-02T00:00:00Z', '--json'])) as {
      findings: Array<{ ruleId: string }>;
      detectionHits: unknown[];
      outOfRange: number;
    };
    expect(json.findings.map((finding) => finding.ruleId)).toEqual(['sg-ingress-open-admin']);
    expect(json.detectionHits).toEqual([]);
    expect(json.outOfRange).toBeGreaterThan(0);
  });

  it('the interest filter changes nothing that is found (invictus and Stratus)', async () => {
    const paths = [stratus, join(root ?? '', 'invictus-ir-aws_dataset')];
    const policy = compilePolicy();
    const filter = createInterestFilter(BUILT_IN_DETECTIONS);
    const all = await evaluateRecordStream(readCloudTrailPaths(paths), policy, BUILT_IN_DETECTIONS);
    const some = await evaluateRecordStream(readCloudTrailPaths(paths, { prefilter: filter.text, select: filter.value }), policy, BUILT_IN_DETECTIONS);
    expect(some.records).toBeLessThan(all.records);
    expect(some.findings.map((finding) => finding.id)).toEqual(all.findings.map((finding) => finding.id));
    expect(some.detectionHits.map((hit) => hit.id)).toEqual(all.detectionHits.map((hit) => hit.id));
    expect(some.failedCalls.length).toBe(all.failedCalls.length);
  });
});
