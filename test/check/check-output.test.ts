// `leuko check` library: suppressions, files and directories (CDK, Terraform), code frames and the JSON, SARIF and JUnit shapes.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkTemplates,
  codeFrame,
  FINGERPRINT_KEY,
  formatJunit,
  formatText,
  SARIF_SCHEMA,
  toJsonCheckReport,
  toSarif,
  type CheckResult,
} from '../../src/check/index.js';
import { compilePolicy } from '../../src/core/engine/index.js';
import { check, of, rule, sgTemplate } from './support.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'leuko-check-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const open22 = sgTemplate(rule('tcp', 22, 22, 'CidrIp: 0.0.0.0/0'));

describe('template suppressions', () => {
  const withMetadata = (metadata: string) =>
    open22.replace('    Type: AWS::EC2::SecurityGroup\n', `    Type: AWS::EC2::SecurityGroup\n    Metadata:\n      leuko:\n${metadata}`);

  it('a suppression with a reason marks the finding suppressed, with its reason', () => {
    const report = check(withMetadata('        suppress:\n          - id: sg-ingress-open-admin\n            reason: bastion, closed by NACL\n'));
    expect(of(report, 'sg-ingress-open-admin')).toEqual([]);
    const finding = report.findings.find((item) => item.ruleId === 'sg-ingress-open-admin');
    expect(finding?.suppressed).toEqual({ reason: 'bastion, closed by NACL', source: 'template: Resources.WebSG.Metadata.leuko' });
    expect(report.problems).toEqual([]);
  });

  it('a suppression without a reason is ignored and reported as one line naming file, line and resource', () => {
    const report = check(withMetadata('        suppress:\n          - id: sg-ingress-open-admin\n'));
    expect(of(report, 'sg-ingress-open-admin')).toHaveLength(1);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]?.kind).toBe('invalid-suppression');
    expect(report.problems[0]?.message).toMatch(/^template\.yaml:\d+:\d+: resource WebSG: the suppression of sg-ingress-open-admin has no reason/);
  });

  it('a suppression of an unknown rule id is reported, not silently accepted', () => {
    const report = check(withMetadata('        suppress:\n          - id: sg-ingress-open-admn\n            reason: typo\n'));
    expect(of(report, 'sg-ingress-open-admin')).toHaveLength(1);
    expect(report.problems[0]?.message).toContain('unknown rule "sg-ingress-open-admn"');
  });

  it('a suppression on an AWS::EC2::SecurityGroupIngress applies to the rule it adds to its group', () => {
    const template = `Resources:
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: g
  Ssh:
    Type: AWS::EC2::SecurityGroupIngress
    Metadata:
      leuko:
        suppress:
          - { id: sg-ingress-open-admin, reason: temporary for the migration }
    Properties:
      GroupId: !Ref Group
      IpProtocol: tcp
      FromPort: 22
      ToPort: 22
      CidrIp: 0.0.0.0/0
`;
    const report = check(template);
    const finding = report.findings.find((item) => item.ruleId === 'sg-ingress-open-admin');
    expect(finding?.resource.logicalId).toBe('Group');
    // Written in the Ingress resource: that is where it points.
    expect(finding?.sourcePath.slice(0, 2)).toEqual(['Resources', 'Ssh']);
    expect(finding?.line).toBe(12);
    expect(finding?.suppressed?.reason).toBe('temporary for the migration');
  });

  it('a leuko.yaml exception also suppresses, naming its source', () => {
    const report = check(open22, { exceptions: [{ resourceId: 'WebSG', rules: ['sg-ingress-open-admin'], justification: 'accepted risk' }] });
    const finding = report.findings.find((item) => item.ruleId === 'sg-ingress-open-admin');
    expect(finding?.suppressed?.reason).toBe('accepted risk');
    expect(finding?.suppressed?.source).toMatch(/^leuko\.yaml exceptions\[0\]/);
  });
});

describe('files and directories', () => {
  it('walks directories, skips node_modules and non-templates, refuses a broken template with one line and goes on', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'good.yaml'), open22);
    writeFileSync(join(dir, 'broken.yaml'), 'Resources:\n  A: [unclosed\n');
    writeFileSync(join(dir, 'package.json'), '{"name": "app", "version": "1.0.0"}');
    writeFileSync(join(dir, 'workflow.yml'), 'on: push\njobs: {}\n');
    writeFileSync(join(dir, 'notes.txt'), 'Resources: not a template extension');
    mkdirSync(join(dir, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'x', 'stack.yaml'), open22);
    const result = await checkTemplates([dir], { policy: compilePolicy(), root: dir });
    expect(result.files.map((report) => [report.file, report.status])).toEqual([
      ['broken.yaml', 'refused'],
      ['good.yaml', 'checked'],
      ['package.json', 'skipped'],
      ['workflow.yml', 'skipped'],
    ]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.message).toMatch(/^broken\.yaml:\d+:\d+: invalid YAML: .* \(syntax\)$/);
    expect(result.findings.map((finding) => finding.file)).toEqual(['good.yaml']);
  });

  it('a file named explicitly that is not a template is refused, not skipped', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), '{"name": "app"}');
    const result = await checkTemplates([join(dir, 'package.json'), join(dir, 'missing.yaml')], { policy: compilePolicy(), root: dir });
    expect(result.problems.map((problem) => problem.message)).toEqual([
      'missing.yaml: no such file or directory',
      expect.stringMatching(/^package\.json:1:1: not a CloudFormation template: no Resources section \(not-a-template\)$/),
    ]);
    expect(result.counts).toMatchObject({ checked: 0, refused: 2 });
  });

  it('cdk.out: only *.template.json are templates; findings carry the construct path', async () => {
    const dir = tempDir();
    const out = join(dir, 'cdk.out');
    mkdirSync(join(out, 'asset.abc123'), { recursive: true });
    writeFileSync(join(out, 'manifest.json'), JSON.stringify({ version: '36.0.0', artifacts: {} }));
    writeFileSync(join(out, 'tree.json'), JSON.stringify({ version: 'tree-0.1', tree: { id: 'App' } }));
    writeFileSync(join(out, 'AppStack.assets.json'), JSON.stringify({ version: '36.0.0', files: {} }));
    writeFileSync(join(out, 'asset.abc123', 'template.json'), JSON.stringify({ Resources: {} }));
    const template = {
      Resources: {
        WebSG1234ABCD: {
          Type: 'AWS::EC2::SecurityGroup',
          Properties: {
            GroupDescription: 'web',
            SecurityGroupIngress: [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 22, ToPort: 22 }],
          },
          Metadata: { 'aws:cdk:path': 'AppStack/WebSG/Resource' },
        },
        CDKMetadata: { Type: 'AWS::CDK::Metadata', Properties: { Analytics: 'v2:deflate64:xyz' } },
      },
      Parameters: { BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' } },
    };
    writeFileSync(join(out, 'AppStack.template.json'), JSON.stringify(template, null, 1));
    const result = await checkTemplates([out], { policy: compilePolicy(), root: dir });
    expect(result.files.map((report) => report.file)).toEqual([join('cdk.out', 'AppStack.template.json')]);
    const finding = of({ ...result.files[0]!, findings: result.findings }, 'sg-ingress-open-admin')[0];
    expect(finding?.resource).toEqual({ logicalId: 'WebSG1234ABCD', type: 'aws.ec2.security-group', cfnType: 'AWS::EC2::SecurityGroup', cdkPath: 'AppStack/WebSG/Resource' });
    expect(finding?.line).toBe(8);
  });

  it('Terraform plans (terraform show -json) are detected by content; findings point at the resource in the plan', async () => {
    const fixture = new URL('../../src/sources/template/fixtures/terraform/plan-security-groups.json', import.meta.url);
    const dir = tempDir();
    // Under a name without a hint, so detection by content is what is tested.
    writeFileSync(join(dir, 'plan.json'), readFileSync(fixture, 'utf8'));
    const result = await checkTemplates([dir], { policy: compilePolicy(), root: dir });
    expect(result.files[0]?.kind).toBe('terraform');
    const finding = result.findings.find((item) => item.ruleId === 'sg-ingress-open-admin');
    expect(finding?.resource.logicalId).toBe('aws_security_group.web');
    expect(finding?.resource.cfnType).toBe('aws_security_group');
    expect(finding?.attribute).toMatch(/^ingress/);
    const text = readFileSync(join(dir, 'plan.json'), 'utf8').split('\n');
    expect(text[(finding?.line ?? 0) - 1]).toContain('"aws_security_group.web"');
  });
});

describe('code frame and text output', () => {
  it('shows the lines around the finding with a caret under the column', () => {
    expect(codeFrame('a: 1\nb:\n  c: 2\nd: 3\ne: 4\nf: 5\n', 3, 3)).toBe(
      ['  1 | a: 1', '  2 | b:', '> 3 |   c: 2', '    |   ^', '  4 | d: 3', '  5 | e: 4'].join('\n'),
    );
  });

  it('text: file:line:col  severity  rule  message, a frame, a summary; colours only when asked', () => {
    const report = check(open22);
    const result: CheckResult = { files: [report], findings: report.findings, problems: [], counts: { files: 1, checked: 1, refused: 0, skipped: 0, resources: 1 } };
    const text = formatText(result);
    expect(text).toContain('template.yaml:8:11  high  sg-ingress-open-admin  ingress rule (tcp 22 from 0.0.0.0/0) opens SSH 22 to 0.0.0.0/0\n');
    expect(text).toContain('>  8 |         - IpProtocol: tcp\n     |           ^');
    expect(text).toMatch(/1 finding \(1 high\), 1 file checked \(1 resource\)\.\n$/);
    expect(text).not.toContain('\x1b[');
    expect(formatText(result, { color: true })).toContain('\x1b[');
  });
});

describe('JSON, SARIF and JUnit shapes', () => {
  const template = `Parameters:\n  Cidr:\n    Type: String\n${sgTemplate(rule('tcp', 22, 22, 'CidrIp: 0.0.0.0/0') + rule('tcp', 5432, 5432, 'CidrIp: !Ref Cidr'))}`;
  const dir = tempDir();
  writeFileSync(join(dir, 'stack.yaml'), template);
  writeFileSync(join(dir, 'broken.json'), '{"Resources": ');
  writeFileSync(
    join(dir, 'suppressed.yaml'),
    open22.replace('    Type: AWS::EC2::SecurityGroup\n', '    Type: AWS::EC2::SecurityGroup\n    Metadata:\n      leuko:\n        suppress:\n          - id: sg-ingress-open-admin\n            reason: "bastion <ok> & \'fine\'"\n'),
  );
  const policy = compilePolicy();
  const resultPromise = checkTemplates([dir], { policy, root: dir });

  it('JSON findings have ruleId, severity, certainty, file, line, column, resource, message', async () => {
    const report = toJsonCheckReport(await resultPromise);
    expect(report.summary).toMatchObject({ findings: 2, suppressed: 1, possible: 1, checked: 2, refused: 1 });
    for (const finding of report.findings) {
      expect(Object.keys(finding)).toEqual(expect.arrayContaining(['ruleId', 'severity', 'certainty', 'file', 'line', 'column', 'resource', 'message']));
      expect(Object.keys(finding.resource)).toEqual(expect.arrayContaining(['logicalId', 'type', 'cfnType']));
      expect(['definite', 'possible']).toContain(finding.certainty);
    }
    expect(report.problems.map((problem) => problem.file)).toEqual(['broken.json']);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('SARIF 2.1.0 has what the spec requires and GitHub code scanning documents', async () => {
    const result = await resultPromise;
    const sarif = toSarif(result, { policy });
    expect(sarif.$schema).toBe(SARIF_SCHEMA);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(1);
    const run = sarif.runs[0]!;
    expect(run.tool.driver.name).toBe('leuko');
    const ruleIds = run.tool.driver.rules.map((descriptor) => descriptor.id);
    expect(new Set(ruleIds).size).toBe(ruleIds.length);
    for (const descriptor of run.tool.driver.rules) {
      expect(descriptor.shortDescription.text.length).toBeGreaterThan(0);
      expect(descriptor.fullDescription.text.length).toBeGreaterThan(0);
      expect(['error', 'warning', 'note']).toContain(descriptor.defaultConfiguration.level);
      // GitHub: security-severity is a number in a string, 0.0-10.0.
      expect(Number(descriptor.properties['security-severity'])).toBeGreaterThan(0);
      expect(Number(descriptor.properties['security-severity'])).toBeLessThanOrEqual(10);
      expect(descriptor.properties.tags).toContain('security');
      if (descriptor.helpUri !== undefined) expect(descriptor.helpUri).toMatch(/^https:\/\//);
    }
    expect(run.results).toHaveLength(3);
    for (const item of run.results) {
      expect(ruleIds[item.ruleIndex]).toBe(item.ruleId);
      expect(item.message.text.length).toBeGreaterThan(0);
      expect(['error', 'warning', 'note']).toContain(item.level);
      const location = item.locations[0]!.physicalLocation;
      // Relative to the repository root, forward slashes: what GitHub maps to files.
      expect(location.artifactLocation.uri).toMatch(/^[^/\\:][^\\:]*$/);
      expect(location.region?.startLine).toBeGreaterThanOrEqual(1);
      expect(location.region?.startColumn).toBeGreaterThanOrEqual(1);
      expect(item.partialFingerprints[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{32}$/);
    }
    const suppressed = run.results.filter((item) => item.suppressions !== undefined);
    expect(suppressed.map((item) => item.suppressions)).toEqual([[{ kind: 'inSource', justification: "bastion <ok> & 'fine'" }]]);
    expect(run.invocations[0]?.executionSuccessful).toBe(false);
    expect(run.invocations[0]?.toolExecutionNotifications[0]?.message.text).toMatch(/^broken\.json/);
  });

  it('SARIF fingerprints stay the same when lines move', () => {
    const fingerprint = (text: string) => check(text).findings.map((finding) => finding.fingerprint);
    const moved = open22.replace("AWSTemplateFormatVersion: '2010-09-09'\n", "AWSTemplateFormatVersion: '2010-09-09'\nDescription: now with a description\n\n");
    expect(fingerprint(moved)).toEqual(fingerprint(open22));
    expect(check(moved).findings[0]?.line).not.toBe(check(open22).findings[0]?.line);
  });

  it('JUnit: a testsuite per file, a failing testcase per resource x rule, a refused file as an error, XML escaped', async () => {
    const xml = formatJunit(await resultPromise);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="leuko check" tests="4" failures="2" errors="1" skipped="1">')).toBe(true);
    expect(xml.match(/<testsuite /g)).toHaveLength(3);
    expect(xml).toContain('<testcase classname="stack.yaml" name="WebSG sg-ingress-open-admin" file="stack.yaml">');
    expect(xml).toContain('<testcase classname="stack.yaml" name="WebSG sg-ingress-open-db" file="stack.yaml">');
    expect(xml).toMatch(/<error message="broken\.json:[^"]*" type="syntax">/);
    expect(xml).toContain('<skipped message="suppressed: bastion &lt;ok&gt; &amp; &apos;fine&apos;"/>');
    // Balanced: every opened element is closed.
    for (const tag of ['testsuites', 'testsuite', 'testcase', 'failure', 'error']) {
      const opened = (xml.match(new RegExp(`<${tag}[ >]`, 'g')) ?? []).length;
      const selfClosed = (xml.match(new RegExp(`<${tag} [^>]*/>`, 'g')) ?? []).length;
      const closed = (xml.match(new RegExp(`</${tag}>`, 'g')) ?? []).length;
      expect(opened - selfClosed, tag).toBe(closed);
    }
  });
});
