// JUnit XML output of `leuko check`: a testsuite per file, a failing testcase per resource x rule, refusals as errors.
import type { CheckResult, FileReport, TemplateFinding } from './check-templates.js';

/** XML 1.0 text: escaped, and characters XML cannot carry at all removed. */
export function xmlEscape(value: string): string {
  return value
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attributes(values: Readonly<Record<string, string | number>>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}="${xmlEscape(String(value))}"`)
    .join(' ');
}

interface Case {
  readonly name: string;
  readonly findings: TemplateFinding[];
}

function casesOf(report: FileReport): Case[] {
  const byKey = new Map<string, Case>();
  for (const finding of report.findings) {
    const name = `${finding.resource.logicalId} ${finding.ruleId}`;
    const entry = byKey.get(name) ?? { name, findings: [] };
    entry.findings.push(finding);
    byKey.set(name, entry);
  }
  return [...byKey.values()];
}

function caseXml(file: string, testCase: Case): string {
  const open = testCase.findings.filter((finding) => !finding.suppressed);
  const head = `    <testcase ${attributes({ classname: file, name: testCase.name, file })}>`;
  if (open.length === 0) {
    const reason = testCase.findings[0]?.suppressed?.reason ?? '';
    return `${head}\n      <skipped ${attributes({ message: `suppressed: ${reason}` })}/>\n    </testcase>`;
  }
  const first = open[0]!;
  const body = open.map((finding) => `${finding.file}:${finding.line}:${finding.column} ${finding.severity} ${finding.certainty} ${finding.message}`).join('\n');
  return `${head}\n      <failure ${attributes({ message: first.message, type: `${first.ruleId} (${first.severity})` })}>${xmlEscape(body)}</failure>\n    </testcase>`;
}

/**
 * One testsuite per file. A checked file with no finding has one passing testcase (so it shows in the
 * CI's test list); a file that could not be checked has one testcase with an error.
 */
export function formatJunit(result: CheckResult): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  for (const report of result.files) {
    if (report.status === 'skipped') continue;
    const lines: string[] = [];
    let suiteFailures = 0;
    let suiteErrors = 0;
    let suiteSkipped = 0;
    if (report.status === 'refused') {
      const message = report.problems[0]?.message ?? `${report.file}: could not be checked`;
      lines.push(`    <testcase ${attributes({ classname: report.file, name: 'template', file: report.file })}>`);
      lines.push(`      <error ${attributes({ message, type: report.problems[0]?.cause ?? 'refused' })}>${xmlEscape(message)}</error>`);
      lines.push('    </testcase>');
      suiteErrors = 1;
    } else {
      const cases = casesOf(report);
      if (cases.length === 0) lines.push(`    <testcase ${attributes({ classname: report.file, name: 'template', file: report.file })}/>`);
      for (const testCase of cases) {
        lines.push(caseXml(report.file, testCase));
        if (testCase.findings.every((finding) => finding.suppressed)) suiteSkipped += 1;
        else suiteFailures += 1;
      }
      for (const problem of report.problems) {
        lines.push(`    <testcase ${attributes({ classname: report.file, name: problem.cause, file: report.file })}>`);
        lines.push(`      <error ${attributes({ message: problem.message, type: problem.cause })}>${xmlEscape(problem.message)}</error>`);
        lines.push('    </testcase>');
        suiteErrors += 1;
      }
    }
    const suiteTests = Math.max(1, lines.filter((line) => line.startsWith('    <testcase')).length);
    tests += suiteTests;
    failures += suiteFailures;
    errors += suiteErrors;
    skipped += suiteSkipped;
    suites.push(
      `  <testsuite ${attributes({ name: report.file, tests: suiteTests, failures: suiteFailures, errors: suiteErrors, skipped: suiteSkipped, time: (report.ms / 1000).toFixed(3) })}>\n${lines.join('\n')}\n  </testsuite>`,
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attributes({ name: 'leuko check', tests, failures, errors, skipped })}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
