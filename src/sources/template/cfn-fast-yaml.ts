// The fast YAML read of a template: js-yaml 4 with the CloudFormation short-form tags, no positions and no
// AST (js-yaml 4 reads the corpus about three times faster than js-yaml 5's event-based loader).
// It only ever accepts what the position-keeping `yaml` read (cfn-parse.ts) reads to the same data;
// anything it is unsure about (anchors, directives, an error of any kind) is left to that read.
import { FAILSAFE_SCHEMA, load, Type, types, type NodeListener } from 'js-yaml4';

export type { NodeListener } from 'js-yaml4';
import { intrinsicForTag, SHORT_FORM_INTRINSICS } from './cfn-tags.js';

/** A one-key object, built without the `__proto__` setter so no key can change a prototype. */
function wrap(key: string, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

// The same results as cfn-tags.ts gives the `yaml` parser: "!GetAtt A.B.C" splits at the first dot;
// a tagged sequence or mapping becomes { "Fn::X": <contents> }; an empty node is the empty scalar.
function scalarIntrinsic(long: string, source: string): Record<string, unknown> {
  if (long !== 'Fn::GetAtt') return wrap(long, source);
  const dot = source.indexOf('.');
  return wrap(long, dot < 0 ? [source] : [source.slice(0, dot), source.slice(dot + 1)]);
}

function shortFormTags(short: string, long: string): Type[] {
  const tag = `!${short}`;
  const always = (): boolean => true;
  // js-yaml looks an empty tagged node up by tag alone and finds the last type defined for it (mapping).
  const orEmpty = (data: unknown, wrapped: () => Record<string, unknown>) => (data === null ? scalarIntrinsic(long, '') : wrapped());
  return [
    new Type(tag, { kind: 'scalar', resolve: always, construct: (data) => scalarIntrinsic(long, typeof data === 'string' ? data : '') }),
    new Type(tag, { kind: 'sequence', resolve: always, construct: (data) => orEmpty(data, () => wrap(long, data)) }),
    new Type(tag, { kind: 'mapping', resolve: always, construct: (data) => orEmpty(data, () => wrap(long, data)) }),
  ];
}

// YAML 1.2 core numbers exactly as the `yaml` package resolves them; js-yaml 4's own int and float also take
// forms such as 1_000 and 0b101, which the `yaml` read keeps as strings.
const INT = /^[-+]?[0-9]+$/;
const INT_OCT = /^0o[0-7]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

const coreInt = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data) => typeof data === 'string' && (INT_OCT.test(data) || INT.test(data) || INT_HEX.test(data)),
  construct: (data) => {
    const text = data as string;
    if (text.startsWith('0o')) return parseInt(text.slice(2), 8);
    if (text.startsWith('0x')) return parseInt(text.slice(2), 16);
    return parseInt(text, 10);
  },
});

const coreFloat = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data) => typeof data === 'string' && (FLOAT_SPECIAL.test(data) || FLOAT.test(data)),
  construct: (data) => {
    const text = data as string;
    if (!FLOAT_SPECIAL.test(text)) return parseFloat(text);
    if (text.slice(-3).toLowerCase() === 'nan') return NaN;
    return text.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  },
});

/** Nodes with a tag leuko does not know that the current read met (the loader is synchronous). */
let unresolvedTags = 0;

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

const CFN_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [types.null, types.bool, coreInt, coreFloat],
  explicit: [...Object.entries(SHORT_FORM_INTRINSICS).flatMap(([short, long]) => shortFormTags(short, long)), ...unknownTags],
});

/** A directive (%YAML 1.1 changes the schema in the `yaml` read) or a verbatim tag (`!<…>`): left to that read. */
const DIRECTIVE = /^%|!</m;

/**
 * An anchor (`&name`) where YAML allows one: after whitespace, a flow indicator or a JSON-like key's colon.
 * Aliases need anchors, and js-yaml 4 has no bound on aliases, so any template with an anchor goes to the
 * `yaml` read, whose maxAliasCount refuses alias bombs. `&&` (shell scripts in UserData) is not taken for
 * one; an anchor whose name starts with & is caught by its alias, `*&name`, instead. Text that merely looks
 * like an anchor costs only speed.
 */
const ANCHOR = /(?:^|[\s,[{:])&(?!&)[^\s,[\]{}]|(?:^|[\s,[{:])\*&/;

export interface FastRead {
  readonly value: unknown;
  /** The `yaml` read's warnings for the same text: one per node whose tag leuko does not know. */
  readonly warnings: readonly FastReadWarning[];
}

export interface FastReadWarning {
  readonly message: string;
  readonly line: number;
}

/**
 * The template's data, or undefined when the fast read declines or fails: the caller then reads
 * the text with the `yaml` parser, which gives today's errors, warnings and limits exactly.
 * `maxDepth` bounds nesting here too, so hostile input cannot overflow the stack.
 */
export function fastYamlRead(text: string, maxDepth: number, listener?: NodeListener): FastRead | undefined {
  if (DIRECTIVE.test(text) || ANCHOR.test(text)) return undefined;
  unresolvedTags = 0;
  let value: unknown;
  try {
    value = load(text, { schema: CFN_SCHEMA, maxDepth: maxDepth + 1, ...(listener ? { listener } : {}) });
  } catch {
    return undefined;
  }
  return { value, warnings: unresolvedTags > 0 ? unresolvedTagWarnings(text, maxDepth) : [] };
}

/** From where the loader opens a node, the offset and text of the tag it carries, if any. */
export function nodeTag(text: string, from: number): { at: number; tag: string } | undefined {
  let at = from;
  for (;;) {
    const code = text.charCodeAt(at);
    if (code === 32 || code === 9 || code === 10 || code === 13) at += 1;
    else if (code === 35 /* # */) {
      const newline = text.indexOf('\n', at);
      at = newline === -1 ? text.length : newline;
    } else if (code === 38 /* & */) {
      while (!endsToken(text.charCodeAt(at))) at += 1;
    } else if (code === 33 /* ! */) {
      const begin = at;
      while (!endsToken(text.charCodeAt(at))) at += 1;
      return { at: begin, tag: text.slice(begin, at) };
    } else return undefined;
  }
}

/** Ends a tag or anchor token: whitespace, a flow indicator or the end of the text. */
export function endsToken(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 44 || code === 91 || code === 93 || code === 123 || code === 125 || Number.isNaN(code);
}

/**
 * "Unresolved tag: !X (line N)" in document order, as the `yaml` read words them. Read again with a listener,
 * only for the few templates that have such tags; a tag the loader reads twice (it retries a tagged scalar
 * as a mapping key) is one warning.
 */
function unresolvedTagWarnings(text: string, maxDepth: number): FastReadWarning[] {
  const offsets = new Map<number, string>();
  load(text, {
    schema: CFN_SCHEMA,
    maxDepth: maxDepth + 1,
    listener: (event, state) => {
      if (event !== 'open') return;
      const found = nodeTag(text, state.position);
      if (found && found.tag !== '!' && !found.tag.startsWith('!!') && intrinsicForTag(found.tag) === undefined) offsets.set(found.at, found.tag);
    },
  });
  const warnings: FastReadWarning[] = [];
  let line = 1;
  let lineStart = 0;
  for (const [at, tag] of [...offsets.entries()].sort(([a], [b]) => a - b)) {
    for (let newline = text.indexOf('\n', lineStart); newline !== -1 && newline < at; newline = text.indexOf('\n', lineStart)) {
      line += 1;
      lineStart = newline + 1;
    }
    warnings.push({ message: `Unresolved tag: ${tag}`, line });
  }
  return warnings;
}
