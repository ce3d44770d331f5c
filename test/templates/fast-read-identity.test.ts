// The fast path (js-yaml 4 read, node positions) against the reference (the `yaml` read and Document walk):
// over the whole CloudFormation corpus, the same findings at the same places, the same refusals, the same data.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkText, type CheckOptions, type FileReport } from '../../src/check/index.js';
import { compilePolicy } from '../../src/core/engine/index.js';
import { decodeText, loadTemplate, locate } from '../../src/sources/template/index.js';
import { corpusPath } from '../harness/corpus.js';
import { listFiles } from './list-files.js';

const templatesDir = corpusPath('cfn-templates');

/** Everything a user sees of a report, timing aside. */
function comparable(report: FileReport): unknown {
  return { status: report.status, resources: report.resources, findings: report.findings, problems: report.problems };
}

/** Every path into a value down to `depth`, plus one missing key and one index past the end at each level. */
function* pathsOf(value: unknown, path: Array<string | number>, depth: number): Generator<Array<string | number>> {
  yield path;
  if (depth === 0) return;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) yield* pathsOf(item, [...path, index], depth - 1);
    yield [...path, value.length];
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) yield* pathsOf(item, [...path, key], depth - 1);
    yield [...path, 'NoSuchKey'];
  }
}

/**
 * Templates the fast read checks although the reference refuses them, on purpose: js-yaml 4 accepts a quoted
 * scalar whose continuation line is indented only as far as its key, as CloudFormation and PyYAML do (YAML 1.2
 * wants one more space, and the `yaml` read says so).
 */
const LENIENT = new Set(['awslabs-aws-cloudformation-templates-legacy/aws/services/CloudFormation/FindInMap_Inside_Sub.yaml']);

describe.skipIf(templatesDir === undefined)('fast read and node positions agree with the reference over the whole corpus', () => {
  const files = templatesDir === undefined ? [] : listFiles(templatesDir).filter((file) => !file.endsWith('LABELS.csv') && !file.endsWith('.md'));
  const texts = files.flatMap((file) => {
    try {
      return [{ file, text: decodeText(readFileSync(file), file) }];
    } catch {
      return [];
    }
  });

  it('the same findings (file, line, column, rule, certainty, message, fingerprint), problems and statuses', { timeout: 900_000 }, () => {
    const policy = compilePolicy({
      rules: { 'region-not-allowed': { allowedRegions: ['eu'] }, 'sg-egress-open-all': true, 'sg-ingress-baseline': { baseline: [{ protocol: 'tcp', ports: 443, cidrs: ['10.0.0.0/8'] }] } },
    });
    const options: CheckOptions = { policy, root: templatesDir, keepSource: false };
    let findings = 0;
    let lenient = 0;
    let differing: string[] = [];
    for (const { file, text } of texts) {
      const fast = checkText(text, file, options);
      const reference = checkText(text, file, { ...options, reference: true });
      findings += fast.findings.length;
      if (LENIENT.has(relative(templatesDir ?? '', file))) {
        expect(reference.problems.map((problem) => problem.message).join(), file).toMatch(/invalid YAML/);
        expect(fast.problems, file).toEqual([]);
        lenient += 1;
        continue;
      }
      try {
        expect(comparable(fast)).toEqual(comparable(reference));
      } catch {
        differing = [...differing, fast.file];
      }
    }
    expect(differing).toEqual([]);
    expect(lenient).toBe(LENIENT.size);
    // The comparison had something to compare.
    expect(texts.length).toBeGreaterThan(4000);
    expect(findings).toBeGreaterThan(500);
  });

  it('the same data and warnings and, for every path to depth 6 (and missing ones), the same line, column and exactness', { timeout: 900_000 }, () => {
    let yamlTemplates = 0;
    let paths = 0;
    const differing: string[] = [];
    for (const { file, text } of texts) {
      let reference;
      try {
        reference = loadTemplate(text, file, { reference: true });
      } catch {
        continue;
      }
      if (reference.format !== 'yaml') continue;
      // Positions noted during the read (as check does for templates naming mapped types), for every template.
      const fast = loadTemplate(text, file, { positionHint: /./ });
      yamlTemplates += 1;
      expect(fast.body, file).toEqual(reference.body);
      expect(fast.warnings, file).toEqual(reference.warnings);
      for (const path of pathsOf(reference.body, [], 6)) {
        paths += 1;
        const a = locate(fast, path);
        const b = locate(reference, path);
        if (a.line !== b.line || a.column !== b.column || a.exact !== b.exact) differing.push(`${file} ${JSON.stringify(path)}`);
      }
    }
    expect(differing.slice(0, 10)).toEqual([]);
    expect(yamlTemplates).toBeGreaterThan(3000);
    expect(paths).toBeGreaterThan(100_000);
  });
});
