// Validates leuko's SARIF against the official OASIS SARIF 2.1.0 JSON schema (committed under test/support,
// see its NOTICE), and against what GitHub code scanning requires of an upload beyond the schema.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTemplates, FINGERPRINT_KEY, formatSarif, summarizeReports, type CheckResult } from '../../src/check/index.js';
import { compilePolicy } from '../../src/core/engine/index.js';
import { corpusDir } from '../harness/corpus.js';
import { rule, sgTemplate } from './support.js';

// ajv-formats is CommonJS with a default export; under NodeNext its default is the module object.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;

const schemaFile = new URL('../support/sarif-schema-2.1.0.json', import.meta.url);

/** The official schema is draft-07: Ajv's default class. strict off: the schema uses no Ajv extensions, and its own keywords are standard. */
function sarifValidator(): (data: unknown) => readonly ErrorObject[] {
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as { $schema: string };
  expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (data) => (validate(data) ? [] : (validate.errors ?? []));
}

interface UploadedResult {
  ruleId?: string;
  ruleIndex?: number;
  level?: string;
  message?: { text?: string };
  locations?: Array<{ physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number; startColumn?: number } } }>;
  partialFingerprints?: Record<string, string>;
}
interface UploadedRun {
  tool: { driver: { name?: string; rules?: Array<{ id?: string; properties?: { tags?: string[]; 'security-severity'?: string } }> } };
  results: UploadedResult[];
}

/**
 * What GitHub code scanning documents for SARIF uploads beyond the schema: a tool name, rules with
 * unique ids, each result's ruleId among them, a level, a message text, at least one location with a
 * repository-relative URI and a startLine, partialFingerprints; and its upload limits (20 runs,
 * 25,000 results and rules per run, 20 tags per rule, 1,000 locations per result).
 */
function codeScanningProblems(log: { runs: UploadedRun[] }): string[] {
  const problems: string[] = [];
  if (log.runs.length > 20) problems.push(`${log.runs.length} runs (GitHub takes 20)`);
  for (const run of log.runs) {
    const { driver } = run.tool;
    if (!driver.name) problems.push('tool.driver.name missing');
    const rules = driver.rules ?? [];
    const ids = rules.map((descriptor) => descriptor.id);
    if (ids.some((id) => !id)) problems.push('a rule without an id');
    if (new Set(ids).size !== ids.length) problems.push('duplicate rule ids');
    if (rules.length > 25_000 || run.results.length > 25_000) problems.push('over 25,000 rules or results');
    for (const descriptor of rules) {
      if ((descriptor.properties?.tags?.length ?? 0) > 20) problems.push(`${descriptor.id}: more than 20 tags`);
      const severity = Number(descriptor.properties?.['security-severity']);
      if (!(severity > 0 && severity <= 10)) problems.push(`${descriptor.id}: security-severity not in (0, 10]`);
    }
    for (const [index, result] of run.results.entries()) {
      const at = `result ${index}`;
      if (!result.ruleId || !ids.includes(result.ruleId)) problems.push(`${at}: ruleId ${result.ruleId} not in tool.driver.rules`);
      if (result.ruleIndex !== undefined && ids[result.ruleIndex] !== result.ruleId) problems.push(`${at}: ruleIndex does not name ruleId`);
      if (!['error', 'warning', 'note', 'none'].includes(result.level ?? '')) problems.push(`${at}: no level`);
      if (!result.message?.text) problems.push(`${at}: no message.text`);
      const locations = result.locations ?? [];
      if (locations.length === 0 || locations.length > 1000) problems.push(`${at}: ${locations.length} locations`);
      for (const location of locations) {
        const uri = location.physicalLocation?.artifactLocation?.uri ?? '';
        // Relative to the repository root with forward slashes: a drive, a leading slash or a backslash is not.
        if (uri === '' || /^[a-z][a-z0-9+.-]*:|^\/|\\/i.test(uri)) problems.push(`${at}: uri ${JSON.stringify(uri)} is not repository-relative`);
        if (!(Number(location.physicalLocation?.region?.startLine) >= 1)) problems.push(`${at}: no region.startLine`);
      }
      if (!/^[0-9a-f]{32}$/.test(result.partialFingerprints?.[FINGERPRINT_KEY] ?? '')) problems.push(`${at}: no partialFingerprints`);
    }
  }
  return problems;
}

describe('SARIF against the official 2.1.0 schema and GitHub code scanning', () => {
  let dir = '';
  let result: CheckResult;
  const policy = compilePolicy();
  const validate = sarifValidator();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leuko-sarif-'));
    writeFileSync(join(dir, 'open.yaml'), sgTemplate(rule('tcp', 22, 22, 'CidrIp: 0.0.0.0/0')));
    writeFileSync(
      join(dir, 'suppressed.yaml'),
      sgTemplate(rule('tcp', 3389, 3389, 'CidrIp: 0.0.0.0/0')).replace(
        '    Type: AWS::EC2::SecurityGroup\n',
        '    Type: AWS::EC2::SecurityGroup\n    Metadata:\n      leuko:\n        suppress:\n          - { id: sg-ingress-open-admin, reason: jump host }\n',
      ),
    );
    writeFileSync(join(dir, 'broken.yaml'), 'Resources: [\n');
    const own = await checkTemplates([dir], { policy, root: dir });
    // Corpus files named relative to the corpus, as a scan from a repository's root names them.
    const corpus = corpusDir();
    const labelled = corpus ? await checkTemplates([join(corpus, 'cfn-templates', 'checkov-cfn-tests', 'checks', 'resource', 'aws')], { policy, root: corpus }) : undefined;
    result = summarizeReports([...own.files, ...(labelled?.files ?? [])]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the validator is real: a log missing its version, or with a bad level, is rejected', () => {
    expect(validate({ runs: [] }).map((error) => error.params)).toContainEqual({ missingProperty: 'version' });
    const bad = JSON.parse(formatSarif(result, { policy })) as { runs: Array<{ results: Array<{ level: string }> }> };
    bad.runs[0]!.results[0]!.level = 'fatal';
    expect(validate(bad).length).toBeGreaterThan(0);
  });

  it('validates: findings, suppressions, a refused file, the labelled corpus templates', () => {
    expect(result.findings.length).toBeGreaterThan(3);
    expect(result.findings.some((finding) => finding.suppressed)).toBe(true);
    expect(result.problems.length).toBeGreaterThan(0);
    const log = JSON.parse(formatSarif(result, { policy })) as unknown;
    const errors = validate(log).map((error) => `${error.instancePath} ${error.message ?? ''}`);
    expect(errors.slice(0, 20)).toEqual([]);
  });

  it('meets what GitHub code scanning requires beyond the schema', () => {
    const log = JSON.parse(formatSarif(result, { policy })) as { runs: UploadedRun[] };
    expect(log.runs[0]!.results.length).toBe(result.findings.length);
    expect(codeScanningProblems(log)).toEqual([]);
    // The checker itself catches what it is for.
    const broken = structuredClone(log);
    const first = broken.runs[0]!.results[0]!;
    first.ruleId = 'not-a-rule';
    first.locations = [{ physicalLocation: { artifactLocation: { uri: 'file:///abs/x.yaml' }, region: { startLine: 1 } } }];
    delete first.partialFingerprints;
    expect(codeScanningProblems(broken)).toEqual([
      'result 0: ruleId not-a-rule not in tool.driver.rules',
      'result 0: ruleIndex does not name ruleId',
      'result 0: uri "file:///abs/x.yaml" is not repository-relative',
      'result 0: no partialFingerprints',
    ]);
  });
});
