// Loads a CloudFormation template (YAML or JSON) into plain data, fast; refuses bad input with one clear error.
import { readFile, stat } from 'node:fs/promises';
import { parseDocument, type YAMLParseError } from 'yaml';
import { errorMessage } from '../../core/errors.js';
import { DEFAULT_MAX_ALIAS_COUNT, DEFAULT_MAX_DEPTH, fastYamlRead, type FastRead } from './cfn-fast-yaml.js';
import { MAX_COLLECTIONS, SubsetYamlError } from './cfn-subset-yaml.js';
import { CFN_YAML_TAGS } from './cfn-tags.js';
import { locate, notePositions } from './cfn-positions.js';
import { jsonErrorPosition } from './json-positions.js';
import type { SourcePath } from './source-path.js';
import { TemplateInputError, type TemplateRefusal } from './template-error.js';
import { NodeRecorder } from './yaml-nodes.js';

export interface LoadOptions {
  /** Larger texts are refused before parsing. Default 5 MB (CloudFormation itself takes at most 1 MB). */
  readonly maxBytes?: number;
  /** Bound on YAML alias expansion (the `yaml` package's maxAliasCount); refuses alias bombs. Default 100. */
  readonly maxAliasCount?: number;
  /** Deeper nesting is refused, so later recursive steps cannot overflow the stack. Default 100. */
  readonly maxDepth?: number;
  /**
   * Read YAML with the position-keeping `yaml` parser only, and later locate with a composed `yaml`
   * Document: the slower reference the fast read and the node positions are tested against.
   */
  readonly reference?: boolean;
  /**
   * YAML texts that match are read with their nodes' positions noted, which costs less than the second read
   * `locate` would otherwise make: give what makes findings likely (the resource types rules look at).
   */
  readonly positionHint?: RegExp;
}

export const DEFAULT_MAX_TEMPLATE_BYTES = 5 * 1024 * 1024;

/** A template's top level as parsed: plain JSON-like data with intrinsics in their long forms. */
export type TemplateBody = Readonly<Record<string, unknown>>;

export interface TemplateWarning {
  readonly message: string;
  /** Where in the template, when it concerns one place. */
  readonly path?: SourcePath;
}

export interface LoadedTemplate {
  readonly file: string;
  /** 'json' when JSON.parse read it; 'yaml' otherwise (including JSON-ish text only YAML accepts). */
  readonly format: 'json' | 'yaml';
  /** The text, without a byte-order mark; positions are computed from it on demand (see `locate`). */
  readonly text: string;
  /** Read and located the reference way (LoadOptions.reference). */
  readonly reference?: boolean;
  readonly body: TemplateBody;
  readonly warnings: readonly TemplateWarning[];
}

const TEMPLATE_SECTIONS = ['Parameters', 'Conditions', 'Mappings', 'Outputs', 'Rules', 'Metadata'] as const;

/**
 * Parses a template. Throws only TemplateInputError (an InputError naming file, line and cause):
 * too large, binary, malformed YAML/JSON, alias bomb, too deep, not a template, wrong structure.
 */
export function loadTemplate(text: string, file: string, options: LoadOptions = {}): LoadedTemplate {
  try {
    return loadUnchecked(text, file, options);
  } catch (error) {
    if (error instanceof TemplateInputError) throw error;
    // A bug or an exotic input the parser chokes on (e.g. stack overflow) is still one clear error.
    throw new TemplateInputError('internal', `could not read template: ${errorMessage(error)}`, { file }, error);
  }
}

/** Reads and loads a template file; the size is checked before reading, binary content refused. */
export async function loadTemplateFile(path: string, options: LoadOptions = {}): Promise<LoadedTemplate> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_TEMPLATE_BYTES;
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (info.size > maxBytes) throw tooLarge(path, info.size, maxBytes);
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof TemplateInputError) throw error;
    throw new TemplateInputError('unreadable', `cannot read file: ${errorMessage(error)}`, { file: path }, error);
  }
  return loadTemplate(decodeText(bytes, path), path, options);
}

// One decoder for every file: a call without `stream` keeps no state, even after it threw.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 (or UTF-16 with a byte-order mark); NUL bytes or invalid UTF-8 mean a binary file. */
export function decodeText(bytes: Uint8Array, file: string): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes.includes(0)) throw binary(file);
  try {
    return UTF8.decode(bytes);
  } catch (error) {
    throw new TemplateInputError('binary', 'not a text file (invalid UTF-8)', { file }, error);
  }
}

function tooLarge(file: string, size: number, maxBytes: number): TemplateInputError {
  return new TemplateInputError('too-large', `file is ${size} bytes, more than the limit of ${maxBytes}`, { file });
}

function binary(file: string): TemplateInputError {
  return new TemplateInputError('binary', 'not a text file (contains NUL bytes)', { file });
}

function loadUnchecked(rawText: string, file: string, options: LoadOptions): LoadedTemplate {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_TEMPLATE_BYTES;
  // A UTF-16 unit is 1 to 3 UTF-8 bytes, so the length alone settles all but texts near the limit.
  if (rawText.length > maxBytes || (rawText.length * 3 > maxBytes && Buffer.byteLength(rawText) > maxBytes)) {
    throw tooLarge(file, Buffer.byteLength(rawText), maxBytes);
  }
  if (rawText.includes('\u0000')) throw binary(file);
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  const warnings: TemplateWarning[] = [];
  const first = text.match(/^\s*(.)/)?.[1];
  let format: 'json' | 'yaml' = 'yaml';
  let body: unknown;
  let noted: NodeRecorder | undefined;
  let withinBounds = false;
  if (first === '{' || first === '[') {
    try {
      body = JSON.parse(text);
      format = 'json';
    } catch (jsonError) {
      // Not JSON; YAML accepts some near-JSON (trailing commas, comments) that CloudFormation may too.
      try {
        body = readYaml(text, file, options).value;
        warnings.push({ message: `not valid JSON (${errorMessage(jsonError)}); read as YAML` });
      } catch {
        throw jsonSyntaxError(text, file, jsonError);
      }
    }
  } else {
    const nodes = options.reference !== true && options.positionHint?.test(text) === true ? new NodeRecorder(text) : undefined;
    const read = readYaml(text, file, options, warnings, nodes);
    body = read.value;
    withinBounds = read.withinBounds;
    // Only a whole fast read leaves a record that matches the data.
    if (nodes && nodes.size > 0 && read.fast) noted = nodes;
  }
  const loaded: LoadedTemplate = { file, format, text, body: {}, warnings, ...(options.reference === true ? { reference: true } : {}) };
  if (!withinBounds) checkDepth(body, options.maxDepth ?? DEFAULT_MAX_DEPTH, loaded);
  const checked = checkStructure(body, loaded);
  const result = { ...loaded, body: checked };
  if (noted) notePositions(result, noted);
  return result;
}

/**
 * The fast read (js-yaml, no positions) when it takes the text; else the `yaml` read, which gives the
 * errors, warnings and alias bound. Both give the same data for what the fast read takes (see
 * test/templates/fast-read-identity.test.ts). `recorder` notes the nodes' positions during the read;
 * otherwise positions come later, only where needed (cfn-positions.ts). `fast`: the fast read took it.
 */
function readYaml(
  text: string,
  file: string,
  options: LoadOptions,
  warnings?: TemplateWarning[],
  recorder?: NodeRecorder,
): { value: unknown; fast: boolean; withinBounds: boolean } {
  const fast = options.reference === true ? undefined : fastRead(text, file, options, recorder);
  if (fast === undefined) return { value: parseYaml(text, file, options, warnings), fast: false, withinBounds: false };
  for (const warning of fast.warnings) warnings?.push({ message: `${warning.message} (line ${warning.line})` });
  return { value: fast.value, fast: true, withinBounds: fast.withinBounds === true };
}

/** The fast read, its own syntax errors (worded as the `yaml` read words them) made TemplateInputErrors. */
function fastRead(text: string, file: string, options: LoadOptions, recorder?: NodeRecorder): FastRead | undefined {
  try {
    return fastYamlRead(text, {
      maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
      maxAliasCount: options.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT,
      ...(recorder ? { recorder } : {}),
    });
  } catch (error) {
    if (!(error instanceof SubsetYamlError)) throw error;
    // The fast-read identity test holds these to the `yaml` read's words and places.
    throw new TemplateInputError('syntax', `invalid YAML: ${error.message}`, { file, line: error.line, column: error.column }, error);
  }
}

/** The position-keeping `yaml` parser's read: the reference the fast read must agree with. */
export function parseYaml(text: string, file: string, options: LoadOptions, warnings?: TemplateWarning[]): unknown {
  // logLevel 'error' (not 'silent'): with 'silent' the parser drops the multiple-documents error.
  const doc = parseDocument(text, { customTags: CFN_YAML_TAGS, logLevel: 'error', uniqueKeys: true });
  const error = doc.errors[0];
  if (error !== undefined) throw yamlSyntaxError(error, file);
  for (const warning of doc.warnings) {
    const at = warning.linePos?.[0];
    warnings?.push({ message: `${firstLine(warning.message)}${at ? ` (line ${at.line})` : ''}` });
  }
  try {
    return doc.toJS({ maxAliasCount: options.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT });
  } catch (toJsError) {
    const message = errorMessage(toJsError);
    if (/alias/i.test(message)) {
      throw new TemplateInputError('alias-limit', `refused: ${message} (YAML aliases expand too much)`, { file }, toJsError);
    }
    throw new TemplateInputError('syntax', `invalid YAML: ${message}`, { file }, toJsError);
  }
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

function yamlSyntaxError(error: YAMLParseError, file: string): TemplateInputError {
  const at = error.linePos?.[0];
  // The parser recurses per nesting level; hostile nesting overflows its stack before our depth check.
  const tooDeep = /call stack/i.test(error.message);
  return new TemplateInputError(
    tooDeep ? 'too-deep' : 'syntax',
    `invalid YAML: ${firstLine(error.message)}`,
    { file, line: at?.line, column: at?.col },
    error,
  );
}

function jsonSyntaxError(text: string, file: string, error: unknown): TemplateInputError {
  const at = jsonErrorPosition(text);
  return new TemplateInputError('syntax', `invalid JSON: ${errorMessage(error)}`, { file, line: at?.line, column: at?.column }, error);
}

/** Iterative, so a hostile nesting depth is refused instead of overflowing the stack later. */
function checkDepth(body: unknown, maxDepth: number, loaded: LoadedTemplate): void {
  const stack: Array<{ value: unknown; depth: number }> = [{ value: body, depth: 0 }];
  let visited = 0;
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (typeof value !== 'object' || value === null) continue;
    if (depth > maxDepth) {
      throw new TemplateInputError('too-deep', `nesting deeper than ${maxDepth} levels`, { file: loaded.file });
    }
    // Aliases can share objects; the alias bound keeps this finite, this counter keeps it small.
    visited += 1;
    if (visited > MAX_COLLECTIONS) throw new TemplateInputError('too-deep', 'too many values', { file: loaded.file });
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push({ value: child, depth: depth + 1 });
  }
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function structureError(refusal: TemplateRefusal, message: string, loaded: LoadedTemplate, path: SourcePath): TemplateInputError {
  const at = locate(loaded, path);
  return new TemplateInputError(refusal, message, { file: loaded.file, line: at.line, column: at.column });
}

/** The checks CloudFormation itself makes before looking at properties; what passes is safe to walk. */
function checkStructure(body: unknown, loaded: LoadedTemplate): TemplateBody {
  if (!isMapping(body)) {
    throw structureError('not-a-template', `not a CloudFormation template: the top level is ${kindOf(body)}`, loaded, []);
  }
  if (!Object.hasOwn(body, 'Resources')) {
    throw structureError('not-a-template', 'not a CloudFormation template: no Resources section', loaded, []);
  }
  const resources = body.Resources;
  if (!isMapping(resources)) {
    throw structureError('structure', `Resources must be a mapping, found ${kindOf(resources)}`, loaded, ['Resources']);
  }
  for (const section of TEMPLATE_SECTIONS) {
    const value = body[section];
    if (Object.hasOwn(body, section) && value !== null && !isMapping(value)) {
      throw structureError('structure', `${section} must be a mapping, found ${kindOf(value)}`, loaded, [section]);
    }
  }
  for (const [logicalId, resource] of Object.entries(resources)) {
    // AWS::LanguageExtensions loops are not resources; the mapper reports them as not expanded.
    if (logicalId.startsWith('Fn::ForEach::')) continue;
    const path = ['Resources', logicalId];
    if (!isMapping(resource)) {
      throw structureError('structure', `resource ${logicalId} must be a mapping, found ${kindOf(resource)}`, loaded, path);
    }
    if (typeof resource.Type !== 'string' || resource.Type === '') {
      const type = resource.Type;
      // e.g. { "Rain::Module": "vpc.yml" }: a pre-processor's construct, not deployable CloudFormation.
      const construct = isMapping(type) ? ` (${Object.keys(type).join(', ')}: a pre-processor construct, not plain CloudFormation)` : '';
      const found = type === undefined ? 'has no Type' : `has a Type that is not a string but ${kindOf(type)}${construct}`;
      throw structureError('structure', `resource ${logicalId} ${found}`, loaded, [...path, ...(type === undefined ? [] : ['Type'])]);
    }
    const properties = resource.Properties;
    if (properties !== undefined && properties !== null && !isMapping(properties)) {
      throw structureError(
        'structure',
        `Properties of ${logicalId} must be a mapping, found ${kindOf(properties)}`,
        loaded,
        [...path, 'Properties'],
      );
    }
  }
  return body;
}
