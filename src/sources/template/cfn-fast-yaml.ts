// The fast YAML read of a template, no AST: first the subset reader (cfn-subset-yaml.ts), which takes nearly
// every template; for the rest js-yaml 4 with the CloudFormation short-form tags (loaded only then).
// It only ever accepts what the position-keeping `yaml` read (cfn-parse.ts) reads to the same data, with the
// same warnings and within the same alias bound; anything else (directives, verbatim tags, aliases that read
// would refuse, an error of any kind) is left to that read.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as JsYaml from 'js-yaml4';
import { scalarIntrinsic, SHORT_FORM_INTRINSICS, wrapIntrinsic } from './cfn-tags.js';
import { subsetYamlRead } from './cfn-subset-yaml.js';
import { coreFloatValue, coreIntValue, isCoreFloat, isCoreInt } from './yaml-core-scalars.js';
import { NodeRecorder } from './yaml-nodes.js';

/** Defaults of the template loader's bounds (LoadOptions in cfn-parse.ts). */
export const DEFAULT_MAX_ALIAS_COUNT = 100;
export const DEFAULT_MAX_DEPTH = 100;

// The same results as cfn-tags.ts gives the `yaml` parser: a tagged sequence or mapping becomes
// { "Fn::X": <contents> }; an empty node is the empty scalar.
function shortFormTags(Type: typeof JsYaml.Type, short: string, long: string): JsYaml.Type[] {
  const tag = `!${short}`;
  const always = (): boolean => true;
  // js-yaml looks an empty tagged node up by tag alone and finds the last type defined for it (mapping).
  const collection = (data: unknown) => (data === null ? scalarIntrinsic(long, '') : wrapIntrinsic(long, data));
  return [
    new Type(tag, { kind: 'scalar', resolve: always, construct: (data) => scalarIntrinsic(long, typeof data === 'string' ? data : '') }),
    new Type(tag, { kind: 'sequence', resolve: always, construct: collection }),
    new Type(tag, { kind: 'mapping', resolve: always, construct: collection }),
  ];
}

/** Nodes with a tag leuko does not know that the current read met (the loader is synchronous). */
let unresolvedTags = 0;

function cfnSchema(api: typeof JsYaml): JsYaml.Schema {
  const { Type } = api;
  // YAML 1.2 core numbers exactly as the `yaml` package resolves them; js-yaml 4's own int and float also take
  // forms such as 1_000 and 0b101, which the `yaml` read keeps as strings.
  const coreInt = new Type('tag:yaml.org,2002:int', {
    kind: 'scalar',
    resolve: (data) => typeof data === 'string' && isCoreInt(data),
    construct: (data) => coreIntValue(data as string),
  });
  const coreFloat = new Type('tag:yaml.org,2002:float', {
    kind: 'scalar',
    resolve: (data) => typeof data === 'string' && isCoreFloat(data),
    construct: (data) => coreFloatValue(data as string),
  });
  // A tag leuko does not know (!Rain::Embed, !ValueOf, …) reads as the untagged node would, as a string if a
  // scalar, the way the `yaml` read reads it; the caller then adds that read's "Unresolved tag" warnings.
  const unknownTags = (['scalar', 'sequence', 'mapping'] as const).map(
    (kind) =>
      new Type('!', {
        kind,
        multi: true,
        resolve: () => true,
        construct: (data) => {
          unresolvedTags += 1;
          return data ?? '';
        },
      }),
  );
  return api.FAILSAFE_SCHEMA.extend({
    implicit: [api.types.null, api.types.bool, coreInt, coreFloat],
    explicit: [...Object.entries(SHORT_FORM_INTRINSICS).flatMap(([short, long]) => shortFormTags(Type, short, long)), ...unknownTags],
  });
}

let jsYaml: { readonly load: typeof JsYaml.load; readonly schema: JsYaml.Schema } | undefined;

/**
 * js-yaml's one-file build (dist/js-yaml.js, part of the published package) loads in 4 ms; the package's entry
 * requires its 24 modules one by one, 14 ms, paid by every run with one template the subset reader declines.
 * The entry is the fallback should a release drop the build.
 */
function loadJsYaml(): typeof JsYaml {
  const require = createRequire(import.meta.url);
  try {
    return require(join(dirname(require.resolve('js-yaml4')), 'dist', 'js-yaml.js')) as typeof JsYaml;
  } catch {
    return require('js-yaml4') as typeof JsYaml;
  }
}

/** js-yaml, loaded on first use: a run whose templates the subset reader takes never loads it. */
function jsYamlLoader(): { readonly load: typeof JsYaml.load; readonly schema: JsYaml.Schema } {
  if (jsYaml === undefined) {
    const api = loadJsYaml();
    jsYaml = { load: api.load, schema: cfnSchema(api) };
  }
  return jsYaml;
}

/** A directive (%YAML 1.1 changes the schema in the `yaml` read) or a verbatim tag (`!<…>`): left to that read. */
const DIRECTIVE = /^%|(?:^|[\s,[{:])!</m;

/**
 * An anchor (`&name`) or an alias (`*name`) where YAML allows one: after whitespace, a flow indicator or a
 * JSON-like key's colon. Such a text is read with the node listener, so the `yaml` read's alias bound can be
 * applied to it (js-yaml 4 has none of its own). `&&` (shell scripts in UserData) is not taken for an anchor;
 * an alias still gives the text away. Text that merely looks like one costs only the listener.
 */
const ANCHOR = /(?:^|[\s,[{:])(?:&(?!&)[^\s,[\]{}]|\*[^\s,[\]{}])/;

export interface FastRead {
  readonly value: unknown;
  /** The `yaml` read's warnings for the same text: one per node whose tag leuko does not know. */
  readonly warnings: readonly FastReadWarning[];
  /** The reader already kept the data within the loader's depth and size bounds (see SubsetRead). */
  readonly withinBounds?: boolean;
}

export interface FastReadWarning {
  readonly message: string;
  readonly line: number;
}

export interface FastReadOptions {
  /** Deeper nesting fails the read, so hostile input cannot overflow the stack. */
  readonly maxDepth: number;
  /** The `yaml` read's maxAliasCount: aliases it would refuse make the fast read decline. */
  readonly maxAliasCount: number;
  /** Notes every node read (for positions); one is made anyway when the text has anchors or aliases. */
  readonly recorder?: NodeRecorder;
}

/**
 * The template's data, or undefined when the fast read declines or fails: the caller then reads
 * the text with the `yaml` parser, which gives today's errors, warnings and limits exactly. A key repeated
 * in a block mapping throws a SubsetYamlError worded as the `yaml` parser words it.
 */
export function fastYamlRead(text: string, options: FastReadOptions): FastRead | undefined {
  // Nearly every template is in the subset the purpose-built reader takes, faster than js-yaml.
  const subset = subsetYamlRead(text, { maxDepth: options.maxDepth, ...(options.recorder ? { recorder: options.recorder } : {}) });
  if (subset !== undefined) return subset;
  options.recorder?.clear();
  return jsYamlRead(text, options);
}

/** The js-yaml 4 read alone: what the subset reader must agree with (exported for that test). */
export function jsYamlRead(text: string, options: FastReadOptions): FastRead | undefined {
  if (DIRECTIVE.test(text)) return undefined;
  const recorder = options.recorder ?? (ANCHOR.test(text) ? new NodeRecorder(text) : undefined);
  const { load, schema } = jsYamlLoader();
  unresolvedTags = 0;
  let value: unknown;
  try {
    value = load(text, { schema, maxDepth: options.maxDepth + 1, ...(recorder ? { listener: recorder.listener } : {}) });
  } catch {
    return undefined;
  }
  if (recorder && !recorder.withinAliasBound(options.maxAliasCount)) return undefined;
  if (unresolvedTags === 0) return { value, warnings: [] };
  // The few templates with tags leuko does not know are read once more, to say where those tags are.
  const nodes = recorder ?? new NodeRecorder(text);
  if (!recorder) load(text, { schema, maxDepth: options.maxDepth + 1, listener: nodes.listener });
  return { value, warnings: unresolvedTagWarnings(text, nodes) };
}

/** "Unresolved tag: !X" with the line of each tag, in document order, as the `yaml` read words them. */
function unresolvedTagWarnings(text: string, nodes: NodeRecorder): FastReadWarning[] {
  const warnings: FastReadWarning[] = [];
  let line = 1;
  let lineStart = 0;
  for (const [at, tag] of nodes.unknownTags()) {
    for (let newline = text.indexOf('\n', lineStart); newline !== -1 && newline < at; newline = text.indexOf('\n', lineStart)) {
      line += 1;
      lineStart = newline + 1;
    }
    warnings.push({ message: `Unresolved tag: ${tag}`, line });
  }
  return warnings;
}
