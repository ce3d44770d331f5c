// Helpers for the `leuko check` tests: check an inline template with a policy built from leuko.yaml keys.
import { PassThrough } from 'node:stream';
import { checkText, type CheckOptions, type FileReport, type TemplateFinding } from '../../src/check/index.js';
import { runCheck, type CheckFlags } from '../../src/cli/commands/check.js';
import { compilePolicy, type PolicyConfigInput } from '../../src/core/engine/index.js';

export function check(text: string, config: PolicyConfigInput = {}, options: Partial<CheckOptions> = {}, file = 'template.yaml'): FileReport {
  return checkText(text, file, { policy: compilePolicy(config), ...options });
}

/** Findings of one rule, open (not suppressed). */
export function of(report: FileReport, ruleId: string): TemplateFinding[] {
  return report.findings.filter((finding) => finding.ruleId === ruleId && !finding.suppressed);
}

/** A template of one security group with the given ingress entries (YAML lines, indented for the list). */
export function sgTemplate(ingress: string, extra = ''): string {
  return `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  WebSG:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
${ingress}${extra}`;
}

export function rule(protocol: string, from: number, to: number, peer: string): string {
  return `        - IpProtocol: ${protocol}
          FromPort: ${from}
          ToPort: ${to}
          ${peer}
`;
}

/** Runs the `leuko check` command in process with leuko.yaml at `config`; what it printed and its exit code. */
export async function runCheckCaptured(paths: string[], flags: CheckFlags, config: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await runCheck(paths, flags, { config }, { stdout, stderr, env: {} });
  return { code, stdout: out, stderr: err };
}
