// SARIF 2.1.0 output of `leuko check`, shaped for GitHub code scanning (relative URIs, partialFingerprints, security-severity).
import { isAbsolute, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Policy } from '../core/engine/index.js';
import type { RuleMetadata } from '../core/rule.js';
import type { CheckResult, TemplateFinding } from './check-templates.js';
import { sarifLevel, securitySeverity } from './severity-levels.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const FINGERPRINT_KEY = 'leuko/v1';

export interface SarifOptions {
  /** Rule descriptors come from the policy (enabled rules, custom ones included). */
  readonly policy: Policy;
  readonly toolVersion?: string;
}

/** The subset of SARIF 2.1.0 leuko writes; field names are the spec's. */
export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: readonly SarifRun[];
}

export interface SarifRun {
  readonly tool: { readonly driver: SarifDriver };
  readonly results: readonly SarifResult[];
  readonly invocations: ReadonlyArray<{
    readonly executionSuccessful: boolean;
    readonly toolExecutionNotifications: ReadonlyArray<{
      readonly level: 'error' | 'warning';
      readonly message: { readonly text: string };
      readonly locations?: readonly SarifLocation[];
      readonly descriptor?: { readonly id: string };
    }>;
  }>;
  readonly columnKind: 'utf16CodeUnits';
}

export interface SarifDriver {
  readonly name: string;
  readonly version: string;
  readonly semanticVersion: string;
  readonly rules: readonly SarifRule[];
}

export interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: { readonly text: string };
  readonly fullDescription: { readonly text: string };
  readonly help: { readonly text: string; readonly markdown: string };
  readonly helpUri?: string;
  readonly defaultConfiguration: { readonly level: 'error' | 'warning' | 'note' };
  readonly properties: { readonly tags: readonly string[]; readonly 'security-severity': string; readonly precision: string };
}

export interface SarifLocation {
  readonly physicalLocation: {
    readonly artifactLocation: { readonly uri: string };
    readonly region?: { readonly startLine: number; readonly startColumn: number };
  };
  readonly logicalLocations?: ReadonlyArray<{ readonly name: string; readonly fullyQualifiedName: string; readonly kind: string }>;
}

export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: 'error' | 'warning' | 'note';
  readonly message: { readonly text: string };
  readonly locations: readonly SarifLocation[];
  readonly partialFingerprints: Readonly<Record<string, string>>;
  readonly suppressions?: ReadonlyArray<{ readonly kind: 'inSource' | 'external'; readonly justification: string }>;
  readonly properties: Readonly<Record<string, unknown>>;
}

/**
 * A file name as a SARIF URI: relative names (inside the repository, where the scan runs) stay
 * relative with forward slashes, which is what GitHub maps to files; others become file:// URIs.
 */
export function sarifUri(file: string): string {
  if (isAbsolute(file)) return pathToFileURL(file).href;
  return file
    .split(sep)
    .join('/')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

function ruleName(id: string): string {
  return id
    .split(/[^a-zA-Z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

function serviceTag(rule: RuleMetadata): string[] {
  const services = new Set(rule.resourceTypes.map((type) => type.split('.')[1] ?? type));
  return services.size > 3 ? [] : [...services];
}

function descriptor(rule: RuleMetadata, severity: RuleMetadata['severity']): SarifRule {
  const helpUri = rule.references.find((reference) => /^https?:\/\//.test(reference));
  const references = rule.references.map((reference) => `- ${reference}`).join('\n');
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale },
    help: {
      text: `${rule.rationale}${rule.remediation ? `\nFix: ${rule.remediation.description}` : ''}`,
      markdown: `**${rule.title}**\n\n${rule.rationale}${rule.remediation ? `\n\n**Fix:** ${rule.remediation.description}` : ''}${references ? `\n\n${references}` : ''}`,
    },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: sarifLevel(severity) },
    properties: { tags: ['security', 'cloudformation', ...serviceTag(rule)], 'security-severity': securitySeverity(severity), precision: 'high' },
  };
}

function locationOf(finding: TemplateFinding): SarifLocation {
  const { logicalId, cfnType } = finding.resource;
  return {
    physicalLocation: {
      artifactLocation: { uri: sarifUri(finding.file) },
      region: { startLine: Math.max(1, finding.line), startColumn: Math.max(1, finding.column) },
    },
    logicalLocations: [{ name: logicalId, fullyQualifiedName: `${cfnType}/${logicalId}`, kind: 'resource' }],
  };
}

export function toSarif(result: CheckResult, options: SarifOptions): SarifLog {
  const rules: SarifRule[] = options.policy.rules.map((compiled) => descriptor(compiled.rule, compiled.severity));
  const index = new Map(rules.map((rule, position) => [rule.id, position]));
  const results: SarifResult[] = result.findings.map((finding) => {
    let ruleIndex = index.get(finding.ruleId);
    if (ruleIndex === undefined) {
      // Not in the policy (a caller-made result): a minimal descriptor keeps the log valid.
      ruleIndex = rules.length;
      index.set(finding.ruleId, ruleIndex);
      rules.push({
        id: finding.ruleId,
        name: ruleName(finding.ruleId),
        shortDescription: { text: finding.ruleId },
        fullDescription: { text: finding.ruleId },
        help: { text: finding.ruleId, markdown: finding.ruleId },
        defaultConfiguration: { level: sarifLevel(finding.severity) },
        properties: { tags: ['security'], 'security-severity': securitySeverity(finding.severity), precision: 'high' },
      });
    }
    const possible = finding.certainty === 'possible' ? ' (possible: depends on a value the template does not fix)' : '';
    return {
      ruleId: finding.ruleId,
      ruleIndex,
      level: sarifLevel(finding.severity),
      message: { text: `${finding.resource.logicalId} (${finding.resource.cfnType}): ${finding.message}${possible}` },
      locations: [locationOf(finding)],
      partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
      ...(finding.suppressed
        ? { suppressions: [{ kind: finding.suppressed.source.startsWith('template') ? ('inSource' as const) : ('external' as const), justification: finding.suppressed.reason }] }
        : {}),
      properties: {
        severity: finding.severity,
        certainty: finding.certainty,
        resourceType: finding.resource.type,
        part: finding.part,
        ...(finding.resource.cdkPath ? { cdkPath: finding.resource.cdkPath } : {}),
      },
    };
  });
  const notifications = result.problems.map((problem) => ({
    level: problem.kind === 'invalid-suppression' ? ('warning' as const) : ('error' as const),
    message: { text: problem.message },
    descriptor: { id: problem.cause },
    ...(problem.file
      ? {
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: sarifUri(problem.file) },
                ...(problem.line !== undefined ? { region: { startLine: Math.max(1, problem.line), startColumn: Math.max(1, problem.column ?? 1) } } : {}),
              },
            },
          ],
        }
      : {}),
  }));
  const version = options.toolVersion ?? '0.1.0';
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: { name: 'leuko', version, semanticVersion: version, rules },
        },
        results,
        invocations: [{ executionSuccessful: result.counts.refused === 0, toolExecutionNotifications: notifications }],
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}

export function formatSarif(result: CheckResult, options: SarifOptions): string {
  return `${JSON.stringify(toSarif(result, options), null, 2)}\n`;
}
