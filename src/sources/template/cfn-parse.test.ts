// Tests of the template loader: YAML short forms, JSON, positions on demand, and refusal of bad input.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { decodeText, loadTemplate, loadTemplateFile } from './cfn-parse.js';
import { locate } from './cfn-positions.js';
import { TemplateInputError, type TemplateRefusal } from './template-error.js';

function refusal(text: string, options = {}): TemplateInputError {
  try {
    loadTemplate(text, 'bad.yaml', options);
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateInputError);
    expect(error).toBeInstanceOf(InputError);
    return error as TemplateInputError;
  }
  throw new Error('expected the template to be refused');
}

function expectRefused(text: string, cause: TemplateRefusal, line?: number): TemplateInputError {
  const error = refusal(text);
  expect(error.refusal).toBe(cause);
  expect(error.message).toContain('bad.yaml');
  if (line !== undefined) expect(error.line).toBe(line);
  return error;
}

describe('loadTemplate: YAML short-form intrinsics', () => {
  const body = (yaml: string) => loadTemplate(`Resources:\n  R:\n    Type: T\n    Properties:\n${yaml}`, 't.yaml').body.Resources as Record<string, { Properties: Record<string, unknown> }>;
  const props = (yaml: string) => body(yaml).R?.Properties ?? {};

  it.each([
    ['A: !Ref X', { Ref: 'X' }],
    ['A: !Sub "${X}-y"', { 'Fn::Sub': '${X}-y' }],
    ['A: !Sub ["${X}", {X: 1}]', { 'Fn::Sub': ['${X}', { X: 1 }] }],
    ['A: !GetAtt Web.GroupId', { 'Fn::GetAtt': ['Web', 'GroupId'] }],
    ['A: !GetAtt Stack.Outputs.Name', { 'Fn::GetAtt': ['Stack', 'Outputs.Name'] }],
    ['A: !GetAtt [Web, GroupId]', { 'Fn::GetAtt': ['Web', 'GroupId'] }],
    ['A: !Join ["-", [a, b]]', { 'Fn::Join': ['-', ['a', 'b']] }],
    ['A: !Select [0, [a]]', { 'Fn::Select': [0, ['a']] }],
    ['A: !Split [",", "a,b"]', { 'Fn::Split': [',', 'a,b'] }],
    ['A: !If [C, a, b]', { 'Fn::If': ['C', 'a', 'b'] }],
    ['A: !Equals [a, b]', { 'Fn::Equals': ['a', 'b'] }],
    ['A: !And [!Condition C, !Not [!Condition D]]', { 'Fn::And': [{ Condition: 'C' }, { 'Fn::Not': [{ Condition: 'D' }] }] }],
    ['A: !Or [!Equals [a, b], !Condition C]', { 'Fn::Or': [{ 'Fn::Equals': ['a', 'b'] }, { Condition: 'C' }] }],
    ['A: !FindInMap [M, k, v]', { 'Fn::FindInMap': ['M', 'k', 'v'] }],
    ['A: !ImportValue shared-vpc', { 'Fn::ImportValue': 'shared-vpc' }],
    ['A: !Base64 hello', { 'Fn::Base64': 'hello' }],
    ['A: !Base64 {"Fn::Sub": x}', { 'Fn::Base64': { 'Fn::Sub': 'x' } }],
    ['A: !Cidr [10.0.0.0/16, 2, 8]', { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] }],
    ["A: !GetAZs ''", { 'Fn::GetAZs': '' }],
    ['A: !Transform {Name: M, Parameters: {}}', { 'Fn::Transform': { Name: 'M', Parameters: {} } }],
    ['A: !Length [a, b]', { 'Fn::Length': ['a', 'b'] }],
  ])('%s', (yaml, expected) => {
    expect(props(`      ${yaml}\n`).A).toEqual(expected);
  });

  it('reads block-style tagged sequences and nested tags', () => {
    const value = props('      A: !If\n        - C\n        - !Ref X\n        - !Sub "${Y}"\n').A;
    expect(value).toEqual({ 'Fn::If': ['C', { Ref: 'X' }, { 'Fn::Sub': '${Y}' }] });
  });

  it('keeps unknown tags as plain values, with a warning', () => {
    const loaded = loadTemplate('Resources:\n  R:\n    Type: T\n    Properties:\n      A: !Foo bar\n', 't.yaml');
    expect((loaded.body.Resources as Record<string, { Properties: { A: unknown } }>).R?.Properties.A).toBe('bar');
    expect(loaded.warnings.map((warning) => warning.message).join()).toMatch(/!Foo/);
  });

  it('reads YAML 1.2 scalars: a date-like version stays a string, ports stay numbers', () => {
    const loaded = loadTemplate('AWSTemplateFormatVersion: 2010-09-09\nResources:\n  R:\n    Type: T\n    Properties: {Port: 22}\n', 't.yaml');
    expect(loaded.body.AWSTemplateFormatVersion).toBe('2010-09-09');
    expect(loaded.format).toBe('yaml');
  });
});

describe('loadTemplate: JSON', () => {
  it('takes the JSON.parse fast path', () => {
    const loaded = loadTemplate('{"Resources": {"R": {"Type": "T", "Properties": {"A": {"Fn::GetAtt": "X.Y"}}}}}', 't.json');
    expect(loaded.format).toBe('json');
    expect(loaded.warnings).toEqual([]);
  });

  it('reads near-JSON (trailing comma) as YAML, with a warning', () => {
    const loaded = loadTemplate('{"Resources": {"R": {"Type": "T",},},}', 't.json');
    expect(loaded.format).toBe('yaml');
    expect(loaded.warnings[0]?.message).toMatch(/not valid JSON/);
  });

  it('strips a byte-order mark', () => {
    expect(loadTemplate('\ufeff{"Resources": {}}', 't.json').format).toBe('json');
  });

  it('loads a CDK synthesized template (metadata, Fn::GetAtt, bootstrap rule)', () => {
    const cdk = JSON.stringify({
      Resources: {
        Bucket83908E77: { Type: 'AWS::S3::Bucket', UpdateReplacePolicy: 'Retain', DeletionPolicy: 'Retain', Metadata: { 'aws:cdk:path': 'App/Bucket/Resource' } },
        CDKMetadata: { Type: 'AWS::CDK::Metadata', Properties: { Analytics: 'v2:deflate64:H4sI' } },
      },
      Parameters: { BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' } },
      Rules: { CheckBootstrapVersion: { Assertions: [{ Assert: { 'Fn::Not': [{ 'Fn::Contains': [['1', '2'], { Ref: 'BootstrapVersion' }] }] } }] } },
    });
    expect(loadTemplate(cdk, 'cdk.out/App.template.json').format).toBe('json');
  });
});

describe('locate: positions computed on demand', () => {
  const yaml = [
    'Resources:', // 1
    '  WebSG:', // 2
    '    Type: AWS::EC2::SecurityGroup', // 3
    '    Properties:', // 4
    '      GroupDescription: web', // 5
    '      SecurityGroupIngress:', // 6
    '        - IpProtocol: tcp', // 7
    '          CidrIp: 0.0.0.0/0', // 8
    '        - !If [C, {CidrIp: 10.0.0.0/8}, !Ref AWS::NoValue]', // 9
    '      VpcId: !GetAtt Vpc.VpcId', // 10
  ].join('\n');
  const ingress = ['Resources', 'WebSG', 'Properties', 'SecurityGroupIngress'];

  it('finds keys and list elements in YAML', () => {
    const loaded = loadTemplate(yaml, 't.yaml');
    expect(locate(loaded, [...ingress, 0, 'CidrIp'])).toEqual({ line: 8, column: 11, exact: true });
    expect(locate(loaded, [...ingress, 0])).toEqual({ line: 7, column: 11, exact: true });
    expect(locate(loaded, ['Resources', 'WebSG'])).toEqual({ line: 2, column: 3, exact: true });
  });

  it('walks through short-form tags as their long keys', () => {
    const loaded = loadTemplate(yaml, 't.yaml');
    expect(locate(loaded, [...ingress, 1, 'Fn::If', 1, 'CidrIp'])).toEqual({ line: 9, column: 20, exact: true });
    expect(locate(loaded, ['Resources', 'WebSG', 'Properties', 'VpcId', 'Fn::GetAtt'])).toMatchObject({ line: 10, exact: true });
  });

  it('falls back to the deepest part that exists', () => {
    const loaded = loadTemplate(yaml, 't.yaml');
    expect(locate(loaded, [...ingress, 0, 'FromPort'])).toEqual({ line: 7, column: 11, exact: false });
  });

  it('finds keys and elements in JSON with a small scan', () => {
    const json = '{\n  "Resources": {\n    "WebSG": {\n      "Type": "AWS::EC2::SecurityGroup",\n      "Properties": {\n        "SecurityGroupIngress": [\n          {"IpProtocol": "tcp", "CidrIp": "0.0.0.0/0"}\n        ]\n      }\n    }\n  }\n}';
    const loaded = loadTemplate(json, 't.json');
    expect(loaded.format).toBe('json');
    expect(locate(loaded, [...ingress, 0, 'CidrIp'])).toEqual({ line: 7, column: 33, exact: true });
    expect(locate(loaded, [...ingress, 0])).toEqual({ line: 7, column: 11, exact: true });
    expect(locate(loaded, ['Resources', 'Missing'])).toEqual({ line: 2, column: 3, exact: false });
  });

  it('agrees with a YAML parse of the same JSON text', () => {
    const json = '{"Resources": {"A": {"Type": "T", "Properties": {"L": [1, {"K": "v"}]}}}}';
    const asJson = loadTemplate(json, 't.json');
    const asYaml = { ...asJson, format: 'yaml' as const };
    const path = ['Resources', 'A', 'Properties', 'L', 1, 'K'];
    expect(locate(asJson, path)).toEqual(locate(asYaml, path));
  });
});

describe('loadTemplate: refusals are one clear InputError', () => {
  it('refuses an alias bomb (billion laughs) quickly', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    const names = 'abcdefghi';
    for (let i = 1; i < names.length; i += 1) {
      const previous = names[i - 1] as string;
      lines.push(`${names[i]}: &${names[i]} [${Array.from({ length: 9 }, () => `*${previous}`).join(',')}]`);
    }
    lines.push('Resources: {}');
    const started = performance.now();
    const error = expectRefused(lines.join('\n'), 'alias-limit');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error.message).toMatch(/alias/i);
  });

  it('refuses texts over the size limit before parsing', () => {
    expect(refusal('Resources: {}\n# padding padding\n', { maxBytes: 10 }).refusal).toBe('too-large');
  });

  it('refuses binary content', () => {
    expectRefused('Resources:\u0000\u0001\u0002', 'binary');
    expect(() => decodeText(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x1a]), 'x.png')).toThrow(/not a text file/);
    expect(() => decodeText(Uint8Array.from([0xc3, 0x28]), 'x.bin')).toThrow(/invalid UTF-8/);
  });

  it('decodes the next file whole after refusing one cut inside a character (one decoder serves every file)', () => {
    expect(() => decodeText(Uint8Array.from([0x61, 0xe2, 0x82]), 'cut.yaml')).toThrow(/invalid UTF-8/);
    expect(decodeText(new TextEncoder().encode('\ufeffResources: {} # é\n'), 'next.yaml')).toBe('Resources: {} # é\n');
  });

  it('refuses a truncated YAML file, naming the line', () => {
    const error = expectRefused('Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: "unterminated\n', 'syntax');
    expect(error.line).toBeGreaterThanOrEqual(5);
    expect(error.message).toMatch(/^bad\.yaml:\d+:\d+: invalid YAML/);
  });

  it('refuses a truncated JSON file, naming the line', () => {
    try {
      loadTemplate('{\n  "Resources": {\n    "R": {"Type": "T"', 'bad.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TemplateInputError);
      expect((error as TemplateInputError).refusal).toBe('syntax');
      expect((error as TemplateInputError).message).toMatch(/^bad\.json:3:\d+: invalid JSON/);
    }
  });

  it('refuses duplicate keys and several documents', () => {
    expectRefused('Resources:\n  R: {Type: T}\n  R: {Type: U}\n', 'syntax', 3);
    expectRefused('Resources: {}\n---\nResources: {}\n', 'syntax');
  });

  it('refuses files that are not templates', () => {
    expectRefused('', 'not-a-template');
    expectRefused('just a string', 'not-a-template');
    expectRefused('- a\n- b\n', 'not-a-template');
    expect(expectRefused('AWSTemplateFormatVersion: "2010-09-09"\nParameters: {}\n', 'not-a-template').message).toMatch(/no Resources section/);
  });

  it('refuses wrong types, naming the place', () => {
    expect(expectRefused('Resources: 5\n', 'structure', 1).message).toMatch(/Resources must be a mapping, found a number/);
    expectRefused('Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties: []\n', 'structure', 4);
    expectRefused('Resources:\n  R: 7\n', 'structure', 2);
    expectRefused('Resources:\n  R:\n    Properties: {}\n', 'structure', 2);
    expectRefused('Parameters: [a]\nResources: {}\n', 'structure', 1);
    expect(expectRefused('Resources:\n  M:\n    Type: {Rain::Module: vpc.yml}\n', 'structure', 3).message).toMatch(/Rain::Module/);
  });

  it('refuses nesting deeper than the bound without overflowing the stack', () => {
    const deep = `{"Resources": {"R": {"Type": "T", "Properties": {"A": ${'['.repeat(5000)}${']'.repeat(5000)}}}}}`;
    expect(() => loadTemplate(deep, 'deep.json')).toThrow(TemplateInputError);
    const deepYaml = `Resources:\n  R:\n    Type: T\n    Properties:\n      A: ${'['.repeat(3000)}${']'.repeat(3000)}\n`;
    expect(() => loadTemplate(deepYaml, 'deep.yaml')).toThrow(TemplateInputError);
    expect(refusal(deepYaml).refusal).toBe('too-deep');
  });

  it('accepts an empty Properties and an empty Resources mapping', () => {
    expect(loadTemplate('Resources:\n  R:\n    Type: T\n    Properties:\n', 't.yaml').body).toBeDefined();
    expect(loadTemplate('Resources: {}\n', 't.yaml').body).toBeDefined();
  });
});

describe('loadTemplateFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leuko-templates-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a template, refusing oversize files before reading them, binary and missing files', async () => {
    const good = join(dir, 'good.yaml');
    writeFileSync(good, 'Resources:\n  B: {Type: AWS::S3::Bucket}\n');
    expect((await loadTemplateFile(good)).file).toBe(good);
    await expect(loadTemplateFile(good, { maxBytes: 8 })).rejects.toMatchObject({ refusal: 'too-large' });
    const binaryFile = join(dir, 'image.png');
    writeFileSync(binaryFile, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]));
    await expect(loadTemplateFile(binaryFile)).rejects.toMatchObject({ refusal: 'binary' });
    await expect(loadTemplateFile(join(dir, 'missing.yaml'))).rejects.toMatchObject({ refusal: 'unreadable' });
  });

  it('reads UTF-16 templates with a byte-order mark', async () => {
    const utf16 = join(dir, 'utf16.yaml');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Resources: {}\n', 'utf16le')]));
    expect((await loadTemplateFile(utf16)).body).toEqual({ Resources: {} });
  });
});
