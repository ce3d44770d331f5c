// `leuko check` as a library: CloudFormation templates, CDK output and Terraform plans through the same rules, findings at file:line:column.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import { findException, type Policy } from '../core/engine/index.js';
import { errorMessage } from '../core/errors.js';
import type { Certainty, Severity, Violation } from '../core/rule.js';
import { BUILT_IN_RULES } from '../rules/index.js';
import {
  combineVariantViolations,
  decodeText,
  DEFAULT_MAX_TEMPLATE_BYTES,
  hasMappedResource,
  loadTemplate,
  loadTerraformPlan,
  locateInSource,
  MAPPED_CFN_TYPES,
  mapTemplate,
  TemplateInputError,
  type LoadedTemplate,
  type MappedResource,
  type ParameterValue,
  type SourcePath,
} from '../sources/template/index.js';
import { expandPaths, type ExpandedFile } from './expand-paths.js';
import { readSuppressions, type TemplateSuppressions } from './suppressions.js';

export interface CheckOptions {
  /** The compiled policy (leuko.yaml's rules, custom rules, exceptions). */
  readonly policy: Policy;
  /** Where the templates deploy (AWS::Region; region-not-allowed); 'unknown' when absent. */
  readonly region?: string;
  readonly accountId?: string;
  /** Parameter values (a parameter file); they override Defaults. */
  readonly parameters?: Readonly<Record<string, ParameterValue>>;
  /** Epoch ms, for the expiry of leuko.yaml exceptions; without it exceptions with `expires` are not honoured. */
  readonly now?: number;
  /** Files are named relative to this directory when inside it (default: the current directory). */
  readonly root?: string;
  /** Keep the text of files with findings, for code frames (default true). */
  readonly keepSource?: boolean;
  readonly maxBytes?: number;
  /** Read and locate CloudFormation YAML the slower reference way (LoadOptions.reference); for tests and benches. */
  readonly reference?: boolean;
}

export type TemplateKind = 'cloudformation' | 'terraform';

export interface TemplateFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly certainty: Certainty;
  /** As shown to the user: relative to the root when inside it. */
  readonly file: string;
  /** 1-based. A Terraform plan has no source lines: the line of the resource's entry in the plan JSON. */
  readonly line: number;
  readonly column: number;
  readonly resource: {
    /** Logical id (CloudFormation) or resource address (Terraform). */
    readonly logicalId: string;
    /** leuko's resource type, e.g. aws.ec2.security-group. */
    readonly type: string;
    /** The CloudFormation (or Terraform) type it was written as. */
    readonly cfnType: string;
    /** CDK construct path (Metadata aws:cdk:path), for templates from `cdk synth`. */
    readonly cdkPath?: string;
  };
  readonly message: string;
  /** The offending part of the resource (a rule, a grant, a statement): with the rule and resource, its identity. */
  readonly part: string;
  /** Template path of the offending value, e.g. Resources.WebSG.Properties.SecurityGroupIngress[0]. */
  readonly sourcePath: SourcePath;
  /** Terraform only: the attribute path inside the resource. */
  readonly attribute?: string;
  /** Stable across edits that move lines: rule, file, resource and part. */
  readonly fingerprint: string;
  readonly suppressed?: { readonly reason: string; readonly source: string };
}

export type ProblemKind = 'unreadable' | 'refused' | 'invalid-suppression' | 'rule-failed';

/** Something that kept (part of) a file from being checked as asked: always one line naming the file. */
export interface CheckProblem {
  readonly kind: ProblemKind;
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  /** Machine-readable: the refusal (syntax, too-large, …), or the problem kind. */
  readonly cause: string;
  /** One line, starting with the file. */
  readonly message: string;
}

export interface FileReport {
  readonly file: string;
  readonly kind?: TemplateKind;
  /** skipped: found by walking a directory, and not a template (a package.json, a workflow). */
  readonly status: 'checked' | 'refused' | 'skipped';
  readonly resources: number;
  readonly findings: readonly TemplateFinding[];
  readonly problems: readonly CheckProblem[];
  /** The text, kept only when there are findings (code frames). */
  readonly source?: string;
  readonly ms: number;
}

export interface CheckResult {
  readonly files: readonly FileReport[];
  /** Every finding, suppressed ones included (marked), ordered by file, line, column, rule. */
  readonly findings: readonly TemplateFinding[];
  readonly problems: readonly CheckProblem[];
  readonly counts: {
    readonly files: number;
    readonly checked: number;
    readonly refused: number;
    readonly skipped: number;
    readonly resources: number;
  };
}

/** A sniff, not a parse: a walked file that mentions neither is not a template, and is not parsed. */
const TEMPLATE_HINT = /Resources|resource_changes|planned_values/;

/** Only resources of these types can have findings: a template that names none is read without positions. */
const MAPPED_TYPE_IN_TEXT = new RegExp(MAPPED_CFN_TYPES.join('|'));

/** Ids a template suppression may name: every rule leuko has, enabled or not, plus the policy's custom rules. */
function knownRuleIds(policy: Policy): Set<string> {
  return new Set([...BUILT_IN_RULES.map((rule) => rule.id), ...policy.rules.map((rule) => rule.id), ...policy.disabled]);
}

const ruleIdCache = new WeakMap<Policy, Set<string>>();

function ruleIdsOf(policy: Policy): Set<string> {
  let ids = ruleIdCache.get(policy);
  if (ids === undefined) {
    ids = knownRuleIds(policy);
    ruleIdCache.set(policy, ids);
  }
  return ids;
}

/** A segment that is empty, `.` or `..` (also a trailing separator): a path with one is not in normal form. */
const ODD_POSIX_SEGMENT = /\/\.{0,2}(?:\/|$)/;

/** Absolute and as path.resolve() would leave it, so comparing strings means comparing paths. */
function isNormalPosixAbsolute(path: string): boolean {
  return path.startsWith('/') && !ODD_POSIX_SEGMENT.test(path);
}

/** The name shown for a path: relative to the root when inside it, with the platform's separators. */
export function displayName(path: string, root: string = process.cwd()): string {
  // Walked paths are mostly absolute and normal, and so is the root: then the answer is a string
  // comparison, without relative()'s two resolve() calls per file. POSIX only: Windows compares
  // paths case-insensitively, across drives and both separators, which relative() knows how to do.
  // A root of '/' ends in a separator, so is not normal here: it takes the relative() way.
  if (sep === '/' && isNormalPosixAbsolute(path) && isNormalPosixAbsolute(root)) {
    // Outside the root or the root itself: relative() gives '..', '../x' or '', and the path is shown whole.
    if (!path.startsWith(root) || path.charCodeAt(root.length) !== 0x2f) return path;
    const inside = path.slice(root.length + 1);
    // A name inside the root that starts with '..' (a file '..x') is shown whole too, as relative() has it.
    return inside.startsWith('..') ? path : inside;
  }
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** `terraform show -json` output: JSON with format_version and planned_values or resource_changes, and no Resources. */
export function isTerraformPlan(text: string, file: string): boolean {
  if (/\.tfplan\.json$/i.test(file)) return true;
  const first = /^\s*(.)/.exec(text)?.[1];
  return (
    first === '{' &&
    text.includes('"format_version"') &&
    (text.includes('"planned_values"') || text.includes('"resource_changes"') || text.includes('"values"')) &&
    !/"Resources"\s*:/.test(text)
  );
}

function oneLine(message: string): string {
  return (message.split('\n')[0] ?? message).trim();
}

function refusalProblem(error: unknown, file: string): CheckProblem {
  if (error instanceof TemplateInputError) {
    // The error message starts with file:line:column already; the file is the display name.
    const place = [file, error.line, error.line === undefined ? undefined : error.column].filter((part) => part !== undefined).join(':');
    const text = oneLine(error.message).slice(error.message.indexOf(': ') + 2);
    return {
      kind: error.refusal === 'unreadable' ? 'unreadable' : 'refused',
      file,
      ...(error.line !== undefined ? { line: error.line } : {}),
      ...(error.column !== undefined ? { column: error.column } : {}),
      cause: error.refusal,
      message: `${place}: ${text} (${error.refusal})`,
    };
  }
  return { kind: 'refused', file, cause: 'internal', message: `${file}: could not check: ${oneLine(errorMessage(error))} (internal)` };
}

function fingerprintOf(ruleId: string, file: string, logicalId: string, part: string): string {
  return createHash('sha256').update(`${ruleId}\u0000${file.split(sep).join('/')}\u0000${logicalId}\u0000${part}`).digest('hex').slice(0, 32);
}

function compareFindings(a: TemplateFinding, b: TemplateFinding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

/** 1-based line and column of a character offset. */
function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line += 1;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Where a Terraform resource is in the plan JSON: its resource_changes entry (else its first mention). */
function planPosition(text: string, address: string): { line: number; column: number } {
  const needle = new RegExp(`"address"\\s*:\\s*${JSON.stringify(address).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'g');
  const changes = text.indexOf('"resource_changes"');
  needle.lastIndex = Math.max(0, changes);
  const match = needle.exec(text) ?? ((needle.lastIndex = 0), needle.exec(text));
  return match ? positionAt(text, match.index) : { line: 1, column: 1 };
}

function cdkPathOf(loaded: LoadedTemplate | undefined, logicalId: string): string | undefined {
  const resource = (loaded?.body.Resources as Record<string, { Metadata?: Record<string, unknown> } | undefined> | undefined)?.[logicalId];
  const path = resource?.Metadata?.['aws:cdk:path'];
  return typeof path === 'string' ? path : undefined;
}

interface FileContext {
  readonly file: string;
  readonly text: string;
  readonly loaded?: LoadedTemplate;
  readonly suppressions?: TemplateSuppressions;
  readonly options: CheckOptions;
  readonly findings: TemplateFinding[];
  readonly problems: CheckProblem[];
}

/** Runs the policy on every variant of one mapped resource; findings located only when there are any. */
function checkMapped(mapped: MappedResource, ctx: FileContext): void {
  const { policy } = ctx.options;
  const rules = policy.byType.get(mapped.type);
  if (rules === undefined || rules.length === 0) return;
  const single = mapped.variants.length === 1;
  for (const compiled of rules) {
    let perVariant: Violation[][];
    try {
      // Most resources have one variant and comply: no array is built for them.
      if (single) {
        const violations = compiled.rule.check(mapped.variants[0]!.resource, compiled.params, policy.context);
        if (violations.length === 0) continue;
        perVariant = [violations];
      } else {
        perVariant = mapped.variants.map((variant) => compiled.rule.check(variant.resource, compiled.params, policy.context));
        if (perVariant.every((violations) => violations.length === 0)) continue;
      }
    } catch (error) {
      // A rule that throws is a coverage gap, reported; never a pass.
      ctx.problems.push({
        kind: 'rule-failed',
        file: ctx.file,
        cause: 'rule-failed',
        message: `${ctx.file}: rule ${compiled.id} failed on ${mapped.sourceId}: ${oneLine(errorMessage(error))}`,
      });
      continue;
    }
    for (const { violation, variant } of combineVariantViolations(mapped, perVariant)) {
      ctx.findings.push(toFinding(mapped, variant, violation, compiled.id, compiled.severity, ctx));
    }
  }
}

function toFinding(
  mapped: MappedResource,
  variant: number,
  violation: Violation,
  ruleId: string,
  severity: Severity,
  ctx: FileContext,
): TemplateFinding {
  const where = locateInSource(mapped, variant, violation.path, ctx.loaded);
  const position =
    mapped.origin === 'terraform' ? planPosition(ctx.text, where.address ?? mapped.sourceId) : { line: where.line ?? 1, column: where.column ?? 1 };
  const cdkPath = mapped.origin === 'cloudformation' ? cdkPathOf(ctx.loaded, mapped.sourceId) : undefined;
  const suppressed = suppressionFor(mapped, variant, where.sourcePath, ruleId, ctx);
  return {
    ruleId,
    severity,
    certainty: violation.certainty,
    file: ctx.file,
    line: position.line,
    column: position.column,
    resource: { logicalId: mapped.sourceId, type: mapped.type, cfnType: mapped.sourceType, ...(cdkPath !== undefined ? { cdkPath } : {}) },
    message: violation.message,
    part: violation.part,
    sourcePath: where.sourcePath,
    ...(where.attribute ? { attribute: where.attribute } : {}),
    fingerprint: fingerprintOf(ruleId, ctx.file, mapped.sourceId, violation.part),
    ...(suppressed ? { suppressed } : {}),
  };
}

/**
 * A template suppression on the resource itself or on the resource the offending value is written in
 * (an AWS::EC2::SecurityGroupIngress joined into its group); else a leuko.yaml exception.
 */
function suppressionFor(
  mapped: MappedResource,
  variant: number,
  sourcePath: SourcePath,
  ruleId: string,
  ctx: FileContext,
): { reason: string; source: string } | undefined {
  const byResource = ctx.suppressions?.byResource;
  if (byResource !== undefined && byResource.size > 0) {
    const writtenIn = sourcePath[0] === 'Resources' && typeof sourcePath[1] === 'string' ? sourcePath[1] : undefined;
    for (const logicalId of [mapped.sourceId, writtenIn]) {
      const hit = logicalId === undefined ? undefined : byResource.get(logicalId)?.get(ruleId);
      if (hit) return { reason: hit.reason, source: `template: Resources.${logicalId}.Metadata.leuko` };
    }
  }
  const { policy, now } = ctx.options;
  if (policy.exceptions.length === 0) return undefined;
  const resource = mapped.variants[variant]?.resource;
  if (resource === undefined) return undefined;
  const verdict = findException(policy.exceptions, resource, ruleId, now ?? Number.NaN);
  return verdict.justification ? { reason: verdict.justification.reason, source: `leuko.yaml ${verdict.justification.source}` } : undefined;
}

/**
 * Checks one text (a CloudFormation template, CDK output or a Terraform plan). Never throws: a bad
 * file is a report with status 'refused' and one problem line. `explicit` false (found by walking)
 * turns "not a template" into 'skipped'.
 */
export function checkText(text: string, path: string, options: CheckOptions, explicit = true): FileReport {
  return checkNamedText(text, path, displayName(path, options.root), options, explicit);
}

/** checkText with the display name already known (checkFile has it), so it is not worked out twice per file. */
function checkNamedText(text: string, path: string, file: string, options: CheckOptions, explicit: boolean): FileReport {
  const started = performance.now();
  const done = (report: Omit<FileReport, 'ms'>): FileReport => ({ ...report, ms: performance.now() - started });
  if (!explicit && !TEMPLATE_HINT.test(text)) return done({ file, status: 'skipped', resources: 0, findings: [], problems: [] });
  const findings: TemplateFinding[] = [];
  const problems: CheckProblem[] = [];
  let kind: TemplateKind = 'cloudformation';
  try {
    let resources: readonly MappedResource[];
    let ctx: FileContext;
    const mapOptions = {
      ...(options.region !== undefined ? { region: options.region } : {}),
      ...(options.accountId !== undefined ? { accountId: options.accountId } : {}),
      ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
    };
    if (isTerraformPlan(text, path)) {
      kind = 'terraform';
      resources = loadTerraformPlan(text, file, mapOptions).resources;
      ctx = { file, text, options, findings, problems };
    } else {
      const loaded = loadTemplate(text, file, {
        positionHint: MAPPED_TYPE_IN_TEXT,
        ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
        ...(options.reference === true ? { reference: true } : {}),
      });
      const suppressions = readSuppressions(loaded, ruleIdsOf(options.policy));
      for (const problem of suppressions.problems) {
        problems.push({
          kind: 'invalid-suppression',
          file,
          line: problem.line,
          column: problem.column,
          cause: 'invalid-suppression',
          message: `${file}:${problem.line}:${problem.column}: ${problem.message}`,
        });
      }
      // A template with no resource of a mapped type (three in four in the corpus) skips the resolver.
      resources = hasMappedResource(loaded)
        ? mapTemplate(loaded, { ...mapOptions, ...(options.parameters !== undefined ? { parameters: options.parameters } : {}) }).resources
        : [];
      ctx = { file, text, loaded, suppressions, options, findings, problems };
    }
    for (const mapped of resources) checkMapped(mapped, ctx);
    findings.sort(compareFindings);
    return done({
      file,
      kind,
      status: 'checked',
      resources: resources.length,
      findings,
      problems,
      ...(findings.length > 0 && options.keepSource !== false ? { source: text } : {}),
    });
  } catch (error) {
    if (!explicit && error instanceof TemplateInputError && error.refusal === 'not-a-template') {
      return done({ file, kind, status: 'skipped', resources: 0, findings: [], problems: [] });
    }
    return done({ file, kind, status: 'refused', resources: 0, findings: [], problems: [refusalProblem(error, file)] });
  }
}

/** Reads and checks one file; the size is checked before reading. Never throws. */
export async function checkFile(path: string, options: CheckOptions, explicit = true): Promise<FileReport> {
  const started = performance.now();
  const file = displayName(path, options.root);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_TEMPLATE_BYTES;
  let text: string;
  try {
    // Synchronous on purpose: files are checked one at a time anyway, and two thread-pool round trips
    // per file (stat, read) cost about as much as parsing a small template.
    text = decodeText(readWithinLimit(path, maxBytes, file), file);
  } catch (error) {
    const problem =
      error instanceof TemplateInputError
        ? refusalProblem(error, file)
        : refusalProblem(new TemplateInputError('unreadable', `cannot read file: ${errorMessage(error)}`, { file }, error), file);
    // A binary file found by walking (an image named .template) is not a template; named, it is refused.
    if (!explicit && error instanceof TemplateInputError && error.refusal === 'binary') {
      return { file, status: 'skipped', resources: 0, findings: [], problems: [], ms: performance.now() - started };
    }
    return { file, status: 'refused', resources: 0, findings: [], problems: [problem], ms: performance.now() - started };
  }
  return checkNamedText(text, path, file, options, explicit);
}

/**
 * The bytes of a file, refused before reading when larger than maxBytes. The path is looked up once
 * (open); size and bytes come from the descriptor. A file that cannot be opened is tried the old way
 * (stat, then read by path), so it fails with the error it always did: `stat` in the message, and
 * too-large before unreadable.
 */
function readWithinLimit(path: string, maxBytes: number, file: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return readByPath(path, maxBytes, file);
  }
  try {
    const info = fstatSync(fd);
    refuseTooLarge(info.size, maxBytes, file);
    return readOpened(fd, info.size, info.isFile());
  } finally {
    closeSync(fd);
  }
}

/** Largest read readFileSync makes in one buffer (kIoMaxLength); beyond it, it fails with its own error. */
const MAX_ONE_READ = 2 ** 31 - 1;

/**
 * readFileSync(fd) without its second fstat, as the size is known: the same reads into one buffer of
 * that size, cut short if the file shrank. What has no size to trust (a directory, a pipe, an empty or
 * /proc file) or is too big for one buffer goes to readFileSync itself, for its chunked reads and errors.
 */
function readOpened(fd: number, size: number, isFile: boolean): Buffer {
  if (!isFile || size === 0 || size > MAX_ONE_READ) return readFileSync(fd);
  const buffer = Buffer.allocUnsafe(size);
  let filled = 0;
  let read: number;
  do {
    read = readSync(fd, buffer, filled, size - filled, null);
    filled += read;
  } while (read !== 0 && filled < size);
  return filled < size ? buffer.subarray(0, filled) : buffer;
}

function readByPath(path: string, maxBytes: number, file: string): Buffer {
  refuseTooLarge(statSync(path).size, maxBytes, file);
  return readFileSync(path);
}

function refuseTooLarge(size: number, maxBytes: number, file: string): void {
  if (size > maxBytes) throw new TemplateInputError('too-large', `file is ${size} bytes, more than the limit of ${maxBytes}`, { file });
}

/** The files `checkTemplates` checks, and a problem for each path it could not walk (also for the parallel check). */
export function expandForCheck(paths: readonly string[], root?: string): { files: ExpandedFile[]; problems: CheckProblem[] } {
  const { files, problems } = expandPaths(paths);
  return {
    files,
    problems: problems.map((problem) => {
      const file = displayName(problem.file, root);
      return { kind: 'unreadable', file, cause: 'unreadable', message: `${file}: ${problem.message}` };
    }),
  };
}

/**
 * Expands files and directories and checks every template found, one at a time: one bad file is one
 * problem line and the rest goes on. `onFile` sees each report as it is made (progress, streaming).
 */
export async function checkTemplates(
  paths: readonly string[],
  options: CheckOptions,
  onFile?: (report: FileReport, index: number, total: number) => void,
): Promise<CheckResult> {
  const { files, problems } = expandForCheck(paths, options.root);
  return summarizeReports(await checkFiles(files, options, onFile), problems);
}

/** Checks expanded files one at a time, in order (the serial check; the parallel one uses it below its threshold). */
export async function checkFiles(
  files: readonly ExpandedFile[],
  options: CheckOptions,
  onFile?: (report: FileReport, index: number, total: number) => void,
): Promise<FileReport[]> {
  const reports: FileReport[] = [];
  for (const [index, entry] of files.entries()) {
    const report = await checkFile(entry.path, options, entry.explicit);
    reports.push(report);
    onFile?.(report, index, files.length);
  }
  return reports;
}

/** Gathers file reports into one result (also for callers that check texts themselves). */
export function summarizeReports(reports: readonly FileReport[], extraProblems: readonly CheckProblem[] = []): CheckResult {
  const findings: TemplateFinding[] = [];
  const problems: CheckProblem[] = [...extraProblems];
  let checked = 0;
  let refused = 0;
  let skipped = 0;
  let resources = 0;
  for (const report of reports) {
    for (const finding of report.findings) findings.push(finding);
    for (const problem of report.problems) problems.push(problem);
    if (report.status === 'checked') checked += 1;
    else if (report.status === 'refused') refused += 1;
    else skipped += 1;
    resources += report.resources;
  }
  findings.sort(compareFindings);
  return {
    files: reports,
    findings,
    problems,
    counts: { files: reports.length, checked, refused: refused + extraProblems.length, skipped, resources },
  };
}
