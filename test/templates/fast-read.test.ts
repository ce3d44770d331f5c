// The fast YAML read (js-yaml, short-form tags) and the node positions, case by case against the `yaml` reference.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fastYamlRead } from '../../src/sources/template/cfn-fast-yaml.js';
import { parseYaml } from '../../src/sources/template/cfn-parse.js';
import { SHORT_FORM_INTRINSICS } from '../../src/sources/template/cfn-tags.js';
import { loadTemplate, locate, TemplateInputError, type SourcePath } from '../../src/sources/template/index.js';

const reference = (text: string): unknown => parseYaml(text, 'test.yaml', {});
const LIMITS = { maxDepth: 100, maxAliasCount: 100 };
const fastValue = (text: string): unknown => fastYamlRead(text, LIMITS)?.value;

describe('fast read', () => {
  it('reads every short-form intrinsic in scalar, sequence and mapping form as the reference does', () => {
    const lines = ['Resources:', '  R:', '    Type: AWS::S3::Bucket', '    Properties:'];
    for (const short of Object.keys(SHORT_FORM_INTRINSICS)) {
      lines.push(`      ${short}Scalar: !${short} Thing.Attr.Deep`);
      lines.push(`      ${short}Flow: !${short} [a, "b", 3, !Ref C]`);
      lines.push(`      ${short}Block: !${short}`, '        - x', '        - !GetAtt Y.Z');
      lines.push(`      ${short}Map: !${short} { k: v, n: 1 }`);
      lines.push(`      ${short}Empty: !${short}`);
    }
    const text = `${lines.join('\n')}\n`;
    const fast = fastValue(text);
    expect(fast).toBeDefined();
    expect(fast).toEqual(reference(text));
    const properties = (fast as { Resources: { R: { Properties: Record<string, unknown> } } }).Resources.R.Properties;
    expect(properties.GetAttScalar).toEqual({ 'Fn::GetAtt': ['Thing', 'Attr.Deep'] });
    expect(properties.SubFlow).toEqual({ 'Fn::Sub': ['a', 'b', 3, { Ref: 'C' }] });
    expect(properties.IfMap).toEqual({ 'Fn::If': { k: 'v', n: 1 } });
  });

  it('reads YAML 1.2 core scalars as the reference does', () => {
    const text = 'A: 0o17\nB: 0x1F\nC: 1e3\nD: .inf\nE: ~\nF: yes\nG: 2010-09-09\nH: "22"\nI: 1_000\nJ: 012\nK: -0.5\nL: True\n';
    expect(fastValue(text)).toEqual(reference(text));
  });

  it('declines directives, verbatim tags, several documents and errors', () => {
    expect(fastYamlRead('%YAML 1.1\n---\nA: yes\n', LIMITS)).toBeUndefined();
    expect(fastYamlRead('A: !<!Foo> x\n', LIMITS)).toBeUndefined();
    expect(fastYamlRead('A: 1\n---\nB: 2\n', LIMITS)).toBeUndefined();
    expect(() => fastYamlRead('A: 1\nA: 2\n', LIMITS)).toThrow(/Map keys must be unique/);
    expect(fastYamlRead('A: [1\n', LIMITS)).toBeUndefined();
  });

  it('reads tags it does not know as the reference does, with the same warnings on the same lines', () => {
    const cases = [
      'A: !Rain::Embed x.txt\nB: 1\n',
      'A: !Foo\n  - !Bar 1\n  - 2\nB: !Baz {a: 1}\nC: !Q 12\nD: !E\n',
      'A:\n  !Foo\n  k: !Bar v\n',
      'A: !Foo [!Bar a, !Baz b]\nB: !Foo x # !NotATag\n',
      "A: !Ref x\nB: ! 'y'\nC: !Sub [a, !ValueOf [P, Q]]\n",
    ];
    for (const text of cases) {
      const warnings: Array<{ message: string }> = [];
      const expected = parseYaml(text, 'test.yaml', {}, warnings);
      const fast = fastYamlRead(text, LIMITS);
      expect(fast?.value, text).toEqual(expected);
      expect(fast?.warnings.map((warning) => `${warning.message} (line ${warning.line})`), text).toEqual(warnings.map((warning) => warning.message));
    }
  });

  it('reads anchors and aliases wherever YAML allows them as the reference does, and text that only holds an & or a *', () => {
    const cases = [
      'A: &a [1]\nB: *a\n',
      '- &a x\n- *a\n',
      '&a A: 1\n',
      'A: [&a 1, *a]\n',
      'A: {b: &a 1}\nC: {d: *a}\n',
      '{"A":&a 1, "B":*a}\n',
      'A: !Ref &a x\nB: *a\n',
      'A:\n  &a\n  B: 1\nC: *a\n',
      'A: &a\n  - &b {x: 1}\n  - *b\nB: [*a, *b, *a]\n',
      'A: &a {}\nB: [*a, *a, *a]\n',
      'A: https://example.com/?a=1&b=2\nB: Tom & Jerry\nC: "&quoted"\nD: |\n  yum -y update && reboot\nE: s3:*\nF: "*"\nG: cron(00 11 ? * * *)\nH: <p>Done!</p>\n',
    ];
    for (const text of cases) expect(fastValue(text), text).toEqual(reference(text));
  });

  it('applies the reference alias bound exactly: declines what it refuses, reads what it takes', () => {
    // Random anchors and aliases around the bound (100): one anchor aliased n times, nested anchors, empty ones.
    let random = 7;
    const next = (size: number) => {
      random = (random * 1103515245 + 12345) % 2147483648;
      // The high bits: an LCG's low bits repeat with a short period.
      return Math.floor((random / 2147483648) * size);
    };
    let refused = 0;
    let read = 0;
    for (let round = 0; round < 200; round += 1) {
      const lines: string[] = [];
      const anchors: string[] = [];
      for (let item = 0; item < 2 + next(6); item += 1) {
        const name = `a${item}`;
        const body =
          anchors.length > 0 && next(2) === 0
            ? `[${Array.from({ length: 1 + next(12) }, () => `*${anchors[next(anchors.length)]}`).join(', ')}]`
            : next(4) === 0
              ? '{}'
              : `[x, ${next(5)}]`;
        lines.push(`${name}: &${name} ${body}`);
        anchors.push(name);
      }
      // Mostly one anchor, so counts reach the bound; the nested ones multiply it.
      const favourite = anchors[next(anchors.length)];
      lines.push(`use: [${Array.from({ length: next(130) }, () => `*${next(4) === 0 ? anchors[next(anchors.length)] : favourite}`).join(', ')}]`);
      const text = `${lines.join('\n')}\n`;
      let expected: unknown;
      let refusedByReference = false;
      try {
        expected = reference(text);
      } catch {
        refusedByReference = true;
      }
      const fast = fastYamlRead(text, LIMITS);
      if (refusedByReference) {
        refused += 1;
        expect(fast, text).toBeUndefined();
      } else {
        read += 1;
        expect(fast?.value, text).toEqual(expected);
      }
    }
    // Both sides of the bound were exercised.
    expect(refused).toBeGreaterThan(10);
    expect(read).toBeGreaterThan(10);
  });

  it('reads numbers only in the forms YAML 1.2 core has, as the reference does', () => {
    const forms = ['1_000', '0b101', '+12', '-0', '012', '0o17', '0o8', '0x1f', '0X1F', '-0x1F', '1.', '.5', '-.5', '1e3', '1E+3', '1.5e-3', '.inf', '-.Inf', '+.INF', '.nan', '.NaN', 'nan', 'inf', '1:20', '12345678901234567890', '1,000', '0.0.1', '1e', '+.5'];
    const text = forms.map((form, index) => `K${index}: ${form}`).join('\n');
    expect(fastValue(text)).toEqual(reference(text));
  });

  it('a billion-laughs template is still refused by the bound, quickly', () => {
    const lines = ['Resources: {}', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 10; level += 1) lines.push(`a${level}: &a${level} [${Array.from({ length: 10 }, () => `*a${level - 1}`).join(', ')}]`);
    const started = performance.now();
    expect(() => loadTemplate(lines.join('\n'), 'bomb.yaml')).toThrow(TemplateInputError);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('declines hostile nesting without overflowing the stack; the loader refuses it', () => {
    const deep = `Resources:\n  R: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    expect(fastYamlRead(deep, LIMITS)).toBeUndefined();
    expect(() => loadTemplate(deep, 'deep.yaml')).toThrow(/deep|nesting|stack/i);
  });
});

describe('loading js-yaml', () => {
  it("loads the package's one-file build, not its 24 modules", () => {
    // In a fresh process, so no other test's import of the package is in the CommonJS cache.
    const code =
      "import { createRequire } from 'node:module';" +
      "const { jsYamlRead } = await import('./src/sources/template/cfn-fast-yaml.ts');" +
      "const read = jsYamlRead('a: &x 1\\nb: *x\\n', { maxDepth: 100, maxAliasCount: 100 });" +
      "const loaded = Object.keys(createRequire(process.cwd() + '/probe.js').cache).filter((path) => path.includes('js-yaml4'));" +
      'process.stdout.write(JSON.stringify({ value: read?.value, loaded }));';
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const { value, loaded } = JSON.parse(run.stdout) as { value: unknown; loaded: string[] };
    expect(value).toEqual({ a: 1, b: 1 });
    expect(loaded.map((path) => path.slice(path.indexOf('js-yaml4')))).toEqual([join('js-yaml4', 'dist', 'js-yaml.js')]);
  });
});

describe('node positions agree with the `yaml` Document walk', () => {
  const text = [
    'Resources:',
    '  "Quoted":',
    '    Type: AWS::EC2::SecurityGroup',
    '    Properties:',
    "      'GroupDescription': |",
    '        block text',
    '      SecurityGroupIngress:',
    '        - !If [Cond, { CidrIp: 0.0.0.0/0 }, !Ref AWS::NoValue]',
    '        - IpProtocol: tcp',
    '          CidrIp: !Sub "${Cidr}"',
    '      Tags: [a, ! "Ref": "x", !ImportValue Fn::Sub: "y"]',
    '      1.0: number key',
    '',
  ].join('\n');
  const fast = loadTemplate(text, 'events.yaml');
  const slow = loadTemplate(text, 'events.yaml', { reference: true });
  const paths: SourcePath[] = [
    [],
    ['Resources', 'Quoted'],
    ['Resources', 'Quoted', 'Properties', 'GroupDescription'],
    ['Resources', 'Quoted', 'Properties', 'SecurityGroupIngress', 0, 'Fn::If', 1, 'CidrIp'],
    ['Resources', 'Quoted', 'Properties', 'SecurityGroupIngress', 1, 'CidrIp', 'Fn::Sub'],
    ['Resources', 'Quoted', 'Properties', 'SecurityGroupIngress', 7],
    ['Resources', 'Quoted', 'Properties', 'Tags', 1, 'Ref'],
    ['Resources', 'Quoted', 'Properties', 'Tags', 2, 'Fn::ImportValue'],
    ['Resources', 'Quoted', 'Properties', '1'],
    ['Resources', 'Missing', 'Properties'],
  ];
  it.each(paths.map((path) => [JSON.stringify(path), path] as const))('%s', (_name, path) => {
    expect(locate(fast, path)).toEqual(locate(slow, path));
  });
});
