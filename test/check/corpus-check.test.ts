// Whole-corpus run of `leuko check`: every CloudFormation file of the shared corpus is checked or refused with one line; no crash.
import { describe, expect, it } from 'vitest';
import { checkFile, summaryLine, summarizeReports, type FileReport } from '../../src/check/index.js';
import { compilePolicy } from '../../src/core/engine/index.js';
import { corpusPath } from '../harness/corpus.js';
import { listFiles } from '../templates/list-files.js';

const templatesDir = corpusPath('cfn-templates');

describe.skipIf(templatesDir === undefined)('leuko check over the whole CloudFormation corpus', () => {
  it('checks every file or refuses it with one line naming the file and the cause; one bad file never stops the rest', { timeout: 900_000 }, async () => {
    const dir = templatesDir as string;
    // Every file, named explicitly (so nothing is skipped as "not a template": it is refused with its cause),
    // every built-in rule on, including the off-by-default ones.
    const files = listFiles(dir).filter((file) => !file.endsWith('LABELS.csv') && !file.endsWith('.md'));
    const policy = compilePolicy({
      rules: { 'region-not-allowed': { allowedRegions: ['eu'] }, 'sg-egress-open-all': true, 'sg-ingress-baseline': { baseline: [{ protocol: 'tcp', ports: 443, cidrs: ['10.0.0.0/8'] }] } },
    });
    const reports: FileReport[] = [];
    let slowest = { file: '', ms: 0 };
    for (const file of files) {
      const report = await checkFile(file, { policy, root: dir, keepSource: false });
      reports.push(report);
      if (report.ms > slowest.ms) slowest = { file: report.file, ms: report.ms };
    }
    const result = summarizeReports(reports);
    const causes: Record<string, number> = {};
    for (const problem of result.problems) causes[`${problem.kind}: ${problem.cause}`] = (causes[`${problem.kind}: ${problem.cause}`] ?? 0) + 1;
    const byRule: Record<string, number> = {};
    for (const finding of result.findings) byRule[`${finding.ruleId} ${finding.certainty}`] = (byRule[`${finding.ruleId} ${finding.certainty}`] ?? 0) + 1;
    console.log(
      [
        `corpus: ${files.length} files under ${dir}`,
        `  ${summaryLine(result)}`,
        ...Object.entries(causes).sort().map(([cause, count]) => `  ${cause}: ${count}`),
        ...Object.entries(byRule).sort().map(([rule, count]) => `  ${rule}: ${count}`),
        `  slowest: ${slowest.file} ${slowest.ms.toFixed(0)} ms`,
      ].join('\n'),
    );

    expect(reports).toHaveLength(files.length);
    for (const report of reports) {
      expect(['checked', 'refused']).toContain(report.status);
      if (report.status === 'refused') {
        // Exactly one line, naming the file (relative to the corpus) and a machine-readable cause.
        expect(report.problems).toHaveLength(1);
        const problem = report.problems[0]!;
        expect(problem.message.startsWith(`${report.file}:`)).toBe(true);
        expect(problem.message).not.toContain('\n');
        expect(problem.cause).not.toBe('internal');
      }
    }
    // No crash: no internal errors, no rule that threw.
    expect(result.problems.filter((problem) => problem.cause === 'internal' || problem.kind === 'rule-failed').map((problem) => problem.message)).toEqual([]);
    // The corpus is mostly real templates: nearly all are checked, and they yield findings with positions.
    expect(result.counts.checked).toBeGreaterThan(files.length * 0.9);
    expect(result.findings.length).toBeGreaterThan(500);
    for (const finding of result.findings) {
      expect(finding.line).toBeGreaterThanOrEqual(1);
      expect(finding.column).toBeGreaterThanOrEqual(1);
    }
  });
});
