// A reader for the subset of YAML that CloudFormation templates nearly always use: block mappings and
// sequences, plain, quoted and block scalars, flow collections, short-form intrinsic tags (and tags leuko does
// not know, with the `yaml` read's warnings), CRLF line ends and tabs where they cannot mislead. Over the
// corpus it reads YAML about 1.5x faster than js-yaml in a one-shot run, 2.5x once warm (bench/yaml-readers.ts):
// no general state machine, no type lookups. A `%YAML 1.1` text is taken where YAML 1.1 reads every plain scalar
// as 1.2 core does (the `yaml` read is its reference then). It declines everything else — anchors, aliases, other
// directives, explicit keys, `!!` and verbatim tags, odd indentation, anything it is not sure to read exactly as
// js-yaml 4 does — by returning undefined, so the caller falls back to the js-yaml read and then the `yaml` read.
// A string key repeated in a block mapping is the one error it reports itself, as the `yaml` read words it:
// both other readers would refuse the text, and templates with a pasted-twice key are common enough that
// loading and running two cold parsers for them cost a whole-corpus run about 3%.
// Every accepted text must read to the same data and warnings, and note nodes at the same places, as the
// js-yaml read (test/templates/subset-read.test.ts checks that case by case, on generated YAML and over the
// corpus).
import { scalarIntrinsic, SHORT_FORM_INTRINSICS, wrapIntrinsic } from './cfn-tags.js';
import { LineIndex } from './json-positions.js';
import { isCoreBool, isCoreNull, plainScalarValue } from './yaml-core-scalars.js';
import { MAPPING, SCALAR, SEQUENCE, type NodeRecorder } from './yaml-nodes.js';

export interface SubsetReadOptions {
  /** Deeper collections make the read decline (the js-yaml read then applies its own bound). */
  readonly maxDepth: number;
  /** Notes every node read, as js-yaml's node listener would (for positions). */
  readonly recorder?: NodeRecorder;
}

/** The loader's bound on how many collections a template may hold (cfn-parse.ts checks it for other reads). */
export const MAX_COLLECTIONS = 5_000_000;

export interface SubsetRead {
  readonly value: unknown;
  /**
   * Always true: the data nests no deeper than maxDepth collections and holds at most MAX_COLLECTIONS of them,
   * so the loader's depth check has nothing to find.
   */
  readonly withinBounds: true;
  /** The `yaml` read's warnings for the same text: "Unresolved tag: !X" for each tag leuko does not know. */
  readonly warnings: ReadonlyArray<{ readonly message: string; readonly line: number }>;
}

/**
 * A syntax error the `yaml` read reports in the same words at the same place (a key repeated in a block
 * mapping), so the caller needs no other reader to word it. Line and column are 1-based.
 */
export class SubsetYamlError extends Error {
  override readonly name = 'SubsetYamlError';

  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/**
 * The template's data, or undefined when the text is outside the subset (or not YAML at all). Throws a
 * SubsetYamlError for the errors it words as the `yaml` read does.
 */
export function subsetYamlRead(text: string, options: SubsetReadOptions): SubsetRead | undefined {
  // js-yaml refuses these characters in scalars; declining on any of them anywhere keeps that outcome.
  if (NON_PRINTABLE.test(text)) return undefined;
  let lines = text;
  if (text.includes('\r')) {
    // CRLF line ends read as LF ones do (js-yaml never keeps a line end's CR); a lone CR is js-yaml's to read.
    if (/\r(?!\n)/.test(text)) return undefined;
    lines = text.replace(/\r\n/g, '\n');
  }
  // Joined, not `${lines}\n`: that is a cons string, another string shape at every charCodeAt in the reader
  // (157 corpus texts lack a final line break), which cost about 6% of the reader's time over the corpus.
  const reader = new SubsetReader(lines.endsWith('\n') ? lines : [lines, '\n'].join(''), options.maxDepth, options.recorder);
  try {
    const value = reader.document();
    if (lines !== text) options.recorder?.remapOffsets(offsetsWithCarriageReturns(text));
    const warnings = reader.unknownTags.length === 0 ? [] : unknownTagWarnings(lines, reader.unknownTags);
    return { value, warnings, withinBounds: true };
  } catch (error) {
    if (error instanceof RepeatedKey) {
      // Lines and columns are the same with or without CRs, which only end lines.
      const { line, column } = new LineIndex(lines).position(error.at);
      throw new SubsetYamlError('Map keys must be unique', line, column);
    }
    // A bug here must not cost a user the right answer: js-yaml still reads the text. Tests set the variable
    // so that such a bug fails them instead.
    if (error !== DECLINE && process.env.LEUKO_SUBSET_YAML_STRICT === '1') throw error;
    return undefined;
  }
}

/** From an offset in the text without its CRs to the same place in the text with them. */
function offsetsWithCarriageReturns(text: string): (offset: number) => number {
  // The k-th CR (0-based) at `at` in the text sits just before the LF at `at - k` in the text without CRs.
  const lfWithoutCr: number[] = [];
  for (let at = text.indexOf('\r'); at !== -1; at = text.indexOf('\r', at + 1)) lfWithoutCr.push(at - lfWithoutCr.length);
  return (offset) => {
    let low = 0;
    let high = lfWithoutCr.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (lfWithoutCr[middle]! < offset) low = middle + 1;
      else high = middle;
    }
    return offset + low;
  };
}

/** "Unresolved tag: !X" and its line, for each tag at the given offsets (in document order). */
function unknownTagWarnings(text: string, offsets: readonly number[]): Array<{ message: string; line: number }> {
  let line = 1;
  let counted = 0;
  return offsets.map((at) => {
    for (let newline = text.indexOf('\n', counted); newline !== -1 && newline < at; newline = text.indexOf('\n', newline + 1)) {
      line += 1;
      counted = newline + 1;
    }
    let end = at;
    while (end < text.length && !isWhite(text.charCodeAt(end)) && text.charCodeAt(end) !== LF) end += 1;
    return { message: `Unresolved tag: ${text.slice(at, end)}`, line };
  });
}

// js-yaml's own test for characters a plain or block scalar may not hold (it tests each scalar).
// eslint-disable-next-line no-control-regex
const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;

/** Thrown (never an Error: no stack to build) when the text leaves the subset. */
const DECLINE = Symbol('outside the YAML subset');

function decline(): never {
  throw DECLINE;
}

const YAML_11_DIRECTIVE = /^%YAML 1\.1[ \t]*(?:#.*)?$/;

/**
 * Whether YAML 1.1 (the `yaml` read's yaml-1.1 schema) resolves a plain scalar as YAML 1.2 core does. Only text
 * that cannot be a 1.1 number, boolean, null, timestamp or merge key unless it is one in 1.2 too: anything
 * starting with a digit, sign, `.`, `~` or `<`, and y/n/yes/no/on/off, is declined unless a short decimal or `~`.
 */
function isSameInYaml11(raw: string): boolean {
  const first = raw.charCodeAt(0);
  const risky = (first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46 || first === 126 || first === 60 || YAML_11_WORDS.has(raw);
  return !risky || SHORT_DECIMAL.test(raw) || raw === '~';
}

const YAML_11_WORDS = new Set(['y', 'Y', 'n', 'N', 'yes', 'Yes', 'YES', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF']);
/** No -0 (1.1 and 1.2 may part on its sign), nothing near 2^53. */
const SHORT_DECIMAL = /^(?:0|[-+]?[1-9][0-9]{0,14})$/;

/** A key repeated in a block mapping, where the repeat starts. */
class RepeatedKey {
  constructor(readonly at: number) {}
}

/**
 * Keys that are the same string however each was written (plain or quoted): YAML 1.2 core resolves every plain
 * scalar starting with a letter to a string, but for these. The `yaml` read compares keys by value, so a plain
 * `true` and a quoted 'true' (one JavaScript key) are no repeat to it: such keys are declined instead.
 */
function isSurelyStringKey(key: string): boolean {
  const first = key.charCodeAt(0);
  const letter = (first >= 65 && first <= 90) || (first >= 97 && first <= 122);
  return letter && !isCoreNull(key) && !isCoreBool(key);
}

const LF = 10;
const PERCENT = 37;
const SPACE = 32;
// Tabs are white space to js-yaml between tokens, never indentation: the reader takes them where the two cannot
// part ways (comments, block scalar text, before a comment, after a `:`) and declines them elsewhere.
const TAB = 9;
const HASH = 35;
const COLON = 58;
const DASH = 45;

function isWhite(code: number): boolean {
  return code === SPACE || code === TAB;
}

/** Characters that cannot start a plain scalar here (YAML indicators); a text that has one there is declined. */
function isIndicator(code: number): boolean {
  switch (code) {
    case 33: // !
    case 34: // "
    case 35: // #
    case 37: // %
    case 38: // &
    case 39: // '
    case 42: // *
    case 44: // ,
    case 58: // :
    case 62: // >
    case 63: // ?
    case 64: // @
    case 91: // [
    case 93: // ]
    case 96: // `
    case 123: // {
    case 124: // |
    case 125: // }
      return true;
    default:
      return false;
  }
}

const TAG_NAME = /^[0-9A-Za-z\-_.:/]+$/;

function isFlowIndicator(code: number): boolean {
  return code === 44 || code === 91 || code === 93 || code === 123 || code === 125;
}

interface Tag {
  readonly text: string;
  readonly at: number;
  /** The long intrinsic key ("Fn::Sub"); undefined for a tag leuko does not know (`!Rain::Embed`). */
  readonly long: string | undefined;
}

/** A tagged collection's value: the intrinsic's long form; a tag leuko does not know leaves it as it is. */
function tagged(tag: Tag | undefined, value: unknown): unknown {
  return tag?.long === undefined ? value : wrapIntrinsic(tag.long, value);
}

/** A tagged scalar's value: the long form of its text; with a tag leuko does not know, the text itself, unresolved. */
function taggedScalar(tag: Tag, source: string): unknown {
  return tag.long === undefined ? source : scalarIntrinsic(tag.long, source);
}

class SubsetReader {
  private pos = 0;
  /** Collections read so far, and objects intrinsics become (MAX_COLLECTIONS). */
  private collections = 0;
  /** Flow collections open around `pos`. */
  private flowNesting = 0;
  /** The key an untagged scalar flow entry would be, were a `:` to follow it (see flowPair). */
  private pairKey: string | undefined;
  /** Offsets of the tags leuko does not know, in document order (for the `yaml` read's warnings). */
  readonly unknownTags: number[] = [];
  /** Offset where the current line starts. */
  private lineStart = 0;
  /** The text opens with `%YAML 1.1`. */
  private yaml11 = false;
  /** Indentation of the content line `pos` is on, after `nextContentLine`; -1 at the end of the text. */
  private indent = 0;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
    private readonly nodes: NodeRecorder | undefined,
  ) {}

  document(): unknown {
    if (this.text.charCodeAt(0) === PERCENT) this.directive();
    this.nextContentLine(true);
    if (this.indent === 0 && this.isDocumentMarker(DASH)) {
      // "---" alone (or with a comment) opens the document; anything after it on the line is declined.
      this.pos += 3;
      this.endOfLine();
      this.nextContentLine();
    } else if (this.yaml11) decline();
    if (this.indent < 0 || this.keyEnd(this.pos) < 0) decline();
    const value = this.blockMapping(this.indent, 1, undefined);
    if (this.indent >= 0) decline();
    return value;
  }

  /**
   * `%YAML 1.1` alone on the first line (SAM's test templates have it): the `yaml` read then resolves plain
   * scalars by YAML 1.1, which plainValue checks. Any other directive is the `yaml` read's to read.
   */
  private directive(): void {
    const lineEnd = this.text.indexOf('\n');
    if (!YAML_11_DIRECTIVE.test(this.text.slice(0, lineEnd))) decline();
    this.yaml11 = true;
    this.pos = lineEnd + 1;
  }

  /** A plain scalar's value; in a `%YAML 1.1` text only where YAML 1.1 gives the same value as YAML 1.2 core. */
  private plainValue(raw: string): unknown {
    if (this.yaml11 && !isSameInYaml11(raw)) decline();
    return plainScalarValue(raw);
  }

  // ---- lines ---------------------------------------------------------------------------------

  /** From a line start (or the end of a line), past blank and comment lines to the next content. */
  private nextContentLine(documentStart = false): void {
    const { text } = this;
    let at = this.pos;
    for (;;) {
      if (at >= text.length) {
        this.pos = text.length;
        this.indent = -1;
        return;
      }
      const lineStart = at;
      while (text.charCodeAt(at) === SPACE) at += 1;
      let code = text.charCodeAt(at);
      if (code === TAB) {
        // Only a blank or comment line may have a tab before its content.
        while (isWhite(text.charCodeAt(at))) at += 1;
        code = text.charCodeAt(at);
        if (code !== LF && code !== HASH) decline();
      }
      if (code === LF) {
        at += 1;
        continue;
      }
      if (code === HASH) {
        at = text.indexOf('\n', at) + 1;
        continue;
      }
      this.lineStart = lineStart;
      this.pos = at;
      this.indent = at - lineStart;
      // A second document, or the end of this one: the subset is one document.
      // js-yaml takes `---` at a line start for a marker whatever follows it (`---Key: v`): its to read.
      if (this.indent === 0 && (text.startsWith('---', at) || text.startsWith('...', at)) && !(documentStart && this.isDocumentMarker(DASH))) decline();
      return;
    }
  }

  private isDocumentMarker(code: number): boolean {
    const { text, pos } = this;
    if (text.charCodeAt(pos) !== code || text.charCodeAt(pos + 1) !== code || text.charCodeAt(pos + 2) !== code) return false;
    const after = text.charCodeAt(pos + 3);
    return isWhite(after) || after === LF;
  }

  /** After a node on a line: only spaces and a comment may follow; moves to the next line. */
  private endOfLine(): void {
    const { text } = this;
    let at = this.pos;
    while (isWhite(text.charCodeAt(at))) at += 1;
    const code = text.charCodeAt(at);
    if (code === HASH && at > this.pos) at = text.indexOf('\n', at);
    else if (code !== LF) decline();
    this.pos = at + 1;
  }

  private skipSpaces(): void {
    while (isWhite(this.text.charCodeAt(this.pos))) this.pos += 1;
  }

  /** Whether the rest of the line from `pos` is empty or a comment (spaces skipped before). */
  private atLineEnd(): boolean {
    const code = this.text.charCodeAt(this.pos);
    return code === LF || code === HASH;
  }

  /** Whether a plain scalar may start at `at`: not an indicator, but `:x` and `-x` are plain text. */
  private startsPlain(at: number, inFlow: boolean): boolean {
    const code = this.text.charCodeAt(at);
    if (code === COLON || code === DASH) {
      const next = this.text.charCodeAt(at + 1);
      if (next === TAB) decline();
      return next !== SPACE && next !== LF && !(inFlow && isFlowIndicator(next));
    }
    return !isIndicator(code) && !isWhite(code) && code !== LF;
  }

  private isSequenceEntry(at: number): boolean {
    if (this.text.charCodeAt(at) !== DASH) return false;
    const next = this.text.charCodeAt(at + 1);
    if (next === TAB) decline();
    return next === SPACE || next === LF;
  }

  /**
   * Where the `:` of an implicit key on this line is, when the line from `at` is `key: …` with a plain or
   * one-line quoted key; else -1.
   */
  private keyEnd(at: number): number {
    const { text } = this;
    const first = text.charCodeAt(at);
    if (first === 34 || first === 39) {
      const close = this.quotedEnd(at);
      if (close < 0) return -1;
      let colon = close;
      while (text.charCodeAt(colon) === SPACE) colon += 1;
      if (text.charCodeAt(colon) !== COLON) return -1;
      const after = text.charCodeAt(colon + 1);
      return after === SPACE || after === LF ? colon : -1;
    }
    if (isIndicator(first) || first === LF || isWhite(first) || (first === DASH && this.isSequenceEntry(at))) return -1;
    for (let index = at + 1; ; index += 1) {
      const code = text.charCodeAt(index);
      if (code === LF) return -1;
      if (code === COLON) {
        const after = text.charCodeAt(index + 1);
        if (after === SPACE || after === LF) return index;
        if (after === TAB) decline();
      } else if (code === HASH && isWhite(text.charCodeAt(index - 1))) return -1;
    }
  }

  /** Just past the closing quote of a one-line quoted scalar at `at`, or -1 if it does not close on its line. */
  private quotedEnd(at: number): number {
    const { text } = this;
    const quote = text.charCodeAt(at);
    for (let index = at + 1; ; index += 1) {
      const code = text.charCodeAt(index);
      if (code === LF || Number.isNaN(code)) return -1;
      if (quote === 34 && code === 92) index += 1;
      else if (code === quote) {
        if (quote === 39 && text.charCodeAt(index + 1) === 39) index += 1;
        else return index + 1;
      }
    }
  }

  // ---- block collections ---------------------------------------------------------------------

  /** A block mapping whose first key is at `pos`, in column `indent`. Ends at the next content line outside it. */
  private blockMapping(indent: number, depth: number, tag: Tag | undefined): unknown {
    if (depth > this.maxDepth || ++this.collections > MAX_COLLECTIONS) decline();
    const { text, nodes } = this;
    const node = nodes?.openNode(this.pos, tag?.text, tag?.at ?? -1);
    const result: Record<string, unknown> = {};
    for (;;) {
      const keyAt = this.pos;
      const colon = this.keyEnd(this.pos);
      if (colon < 0) decline();
      const key = this.key(colon);
      if (key === '__proto__') decline();
      if (Object.hasOwn(result, key)) {
        // The `yaml` read's first error then (it reads in document order, and took all before as this reader did).
        if (isSurelyStringKey(key) && !this.followsEmptyNode(keyAt)) throw new RepeatedKey(keyAt);
        decline();
      }
      this.pos = colon + 1;
      this.skipSpaces();
      let value: unknown;
      if (this.atLineEnd()) {
        this.pos = text.indexOf('\n', this.pos) + 1;
        this.nextContentLine();
        if (this.indent > indent) value = this.node(indent, depth + 1, true, undefined);
        else if (this.indent === indent && this.isSequenceEntry(this.pos)) value = this.blockSequence(indent, depth + 1, undefined);
        else {
          // An empty value: js-yaml notes a node without content for it.
          if (nodes) nodes.closeNode(nodes.openNode(-1), 0);
          value = null;
        }
      } else value = this.node(indent, depth + 1, false, undefined, true);
      result[key] = value;
      if (this.indent < indent) break;
      if (this.indent > indent || this.isSequenceEntry(this.pos)) decline();
    }
    if (nodes && node !== undefined) nodes.closeNode(node, MAPPING);
    return tagged(tag, result);
  }

  /**
   * Whether the content before `at` ends with a node without content (`A:`, `-`, a tag, a block scalar header):
   * the `yaml` read then places an error at the end of that node, not at the key, so the reader declines.
   */
  private followsEmptyNode(at: number): boolean {
    const { text } = this;
    let end = at;
    while (end > 0 && (isWhite(text.charCodeAt(end - 1)) || text.charCodeAt(end - 1) === LF)) end -= 1;
    let start = end;
    while (start > 0 && !isWhite(text.charCodeAt(start - 1)) && text.charCodeAt(start - 1) !== LF) start -= 1;
    const last = text.charCodeAt(end - 1);
    const first = text.charCodeAt(start);
    return last === COLON || last === DASH || first === 33 || first === 124 || first === 62;
  }

  /** The key at `pos` (its `:` at `colon`) as js-yaml stores it: a plain key resolved, then made a string. */
  private key(colon: number): string {
    const { text } = this;
    const start = this.pos;
    const first = text.charCodeAt(start);
    if (first === 34 || first === 39) return this.notedKey(start, this.quoted(-1), true);
    let end = colon;
    while (isWhite(text.charCodeAt(end - 1))) end -= 1;
    return this.notedKey(start, text.slice(start, end), false);
  }

  /**
   * A mapping key as js-yaml stores it (a plain one resolved as a scalar, then made a string), noted as a scalar
   * node that the node walk can match when it was a string already.
   */
  private notedKey(start: number, source: string, quoted: boolean): string {
    const value = quoted ? source : this.plainValue(source);
    const plain = typeof value === 'string' ? value : undefined;
    // The `yaml` read (the reference for a `%YAML 1.1` text) makes a null key "", where js-yaml makes it "null".
    if (this.yaml11 && plain === undefined) decline();
    if (this.nodes) this.nodes.closeNode(this.nodes.openNode(start), SCALAR, plain);
    return plain ?? String(value);
  }

  /** A block sequence whose first `-` is at `pos`, in column `indent`. */
  private blockSequence(indent: number, depth: number, tag: Tag | undefined): unknown {
    if (depth > this.maxDepth || ++this.collections > MAX_COLLECTIONS) decline();
    const { text, nodes } = this;
    const node = nodes?.openNode(this.pos, tag?.text, tag?.at ?? -1);
    const result: unknown[] = [];
    let irregular = false;
    for (;;) {
      this.pos += 1;
      const separated = this.pos;
      this.skipSpaces();
      // After a tab js-yaml reads no block collection on the entry's line: `- <tab>key: value` is theirs.
      if (this.pos > separated + 1 && text.slice(separated, this.pos).includes('\t') && !this.atLineEnd()) decline();
      if (this.atLineEnd()) {
        this.pos = text.indexOf('\n', this.pos) + 1;
        this.nextContentLine();
        if (this.indent > indent) result.push(this.node(indent, depth + 1, true, undefined));
        else {
          // After an empty entry js-yaml takes the next `- ` line for this sequence's whatever its indentation
          // (the `yaml` read gives a less indented one to the outer sequence): such a text is theirs to read.
          if (this.indent >= 0 && this.indent < indent && this.isSequenceEntry(this.pos)) decline();
          // An empty entry: js-yaml notes no node for it, so the children no longer pair with the data.
          result.push(null);
          irregular = true;
        }
      } else result.push(this.node(indent, depth + 1, true, undefined));
      if (this.indent < indent) break;
      if (this.indent > indent) decline();
      if (!this.isSequenceEntry(this.pos)) break;
    }
    if (nodes && node !== undefined) nodes.closeNode(node, SEQUENCE, undefined, irregular);
    return tagged(tag, result);
  }

  // ---- nodes ---------------------------------------------------------------------------------

  /**
   * The node at `pos`, inside a collection whose column is `parent`. `ownLine`: the node begins a line (or
   * follows a `- `), so it may be a block mapping or sequence. Leaves `pos` at the next content line.
   */
  private node(parent: number, depth: number, ownLine: boolean, tag: Tag | undefined, mappingValue = false): unknown {
    const { text } = this;
    const code = text.charCodeAt(this.pos);
    const column = this.pos - this.lineStart;
    if (code === 33 /* ! */) {
      if (tag) decline();
      const found = this.tag();
      // `depth` counts the data's nesting: an intrinsic's long form puts its content one level deeper.
      const inner = found.long === undefined ? depth : depth + 1;
      this.skipSpaces();
      if (!this.atLineEnd()) return this.node(parent, inner, false, found);
      this.pos = text.indexOf('\n', this.pos) + 1;
      this.nextContentLine();
      // A mapping's value may be a sequence as indented as its key: `Key: !Join` then `- …` lines.
      if (mappingValue && this.indent === parent && this.isSequenceEntry(this.pos)) return this.blockSequence(parent, inner, found);
      if (this.indent > parent) return this.node(parent, inner, true, found);
      // A tag with nothing under it (`- !GetAZs`): js-yaml gives the tag the empty string.
      if (inner > this.maxDepth) decline();
      if (this.nodes) this.nodes.closeNode(this.nodes.openNode(-1, found.text, found.at), 0);
      return taggedScalar(found, '');
    }
    // A tagged scalar's long form is an object, `!GetAtt`'s holds an array one level deeper still.
    if (tag?.long !== undefined && depth > this.maxDepth) decline();
    if (code === DASH && this.isSequenceEntry(this.pos)) {
      if (!ownLine) decline();
      return this.blockSequence(column, depth, tag);
    }
    if (code === 124 /* | */ || code === 62 /* > */) {
      // An indicator alone at the start of its line (`Key: !Join` then `|+` below): js-yaml measures the content
      // from that line, not from the parent, and can read it otherwise: js-yaml's to read.
      if (this.pos === this.lineStart + this.indent && ownLine) decline();
      const value = this.blockScalar(parent);
      if (this.nodes) this.nodes.closeNode(this.nodes.openNode(-1, tag?.text, tag?.at ?? -1), SCALAR);
      this.nextContentLine();
      return tag ? taggedScalar(tag, value) : value;
    }
    if (code === 91 /* [ */ || code === 123 /* { */) {
      const value = this.flowNode(parent, depth, tag);
      this.endOfLine();
      this.nextContentLine();
      return value;
    }
    if (ownLine && this.keyEnd(this.pos) >= 0) {
      // `- key: value` or a mapping under a key: a block mapping whose first key is here. (A tag on the
      // key's own line never gets here: `!Tag key: value` is read as a plain scalar, and declined.)
      return this.blockMapping(column, depth, tag);
    }
    const start = this.pos;
    let value: unknown;
    let plain: string | undefined;
    if (code === 34 || code === 39) {
      const quoted = this.quoted(parent);
      value = tag ? taggedScalar(tag, quoted) : quoted;
      if (!tag) plain = quoted;
      this.endOfLine();
    } else {
      if (!this.startsPlain(this.pos, false)) decline();
      const raw = this.plainScalar(parent);
      if (tag) value = taggedScalar(tag, raw);
      else {
        value = this.plainValue(raw);
        if (typeof value === 'string') plain = value;
      }
    }
    if (this.nodes) this.nodes.closeNode(this.nodes.openNode(start, tag?.text, tag?.at ?? -1), SCALAR, plain);
    this.nextContentLine();
    return value;
  }

  /** A local tag at `pos`: a short-form intrinsic (`!Ref`) or one leuko does not know; `!!` and verbatim tags are declined. */
  private tag(): Tag {
    const { text } = this;
    const at = this.pos;
    let end = at + 1;
    for (;;) {
      const code = text.charCodeAt(end);
      if (isWhite(code) || code === LF) break;
      end += 1;
    }
    const name = text.slice(at + 1, end);
    // Names of letters, digits and `-_.:/` only (`!Ref`, `!Rain::Embed`), which every YAML reader takes alike;
    // `!` alone (the non-specific tag), `!!`, `!<…>`, `%` escapes and other characters are js-yaml's to read.
    if (!TAG_NAME.test(name)) decline();
    const long = Object.hasOwn(SHORT_FORM_INTRINSICS, name) ? SHORT_FORM_INTRINSICS[name] : undefined;
    // A tag leuko does not know reads as the untagged node would (a scalar as its text) and is warned about.
    if (long === undefined) this.unknownTags.push(at);
    // An intrinsic's long form is an object (and `!GetAtt A.B`'s an array in it): counted with the collections.
    else if ((this.collections += 2) > MAX_COLLECTIONS) decline();
    this.pos = end;
    return { text: text.slice(at, end), at, long };
  }

  // ---- scalars -------------------------------------------------------------------------------

  /**
   * A plain scalar in block context at `pos`; continuation lines (more indented than `parent`) fold into it.
   * Leaves `pos` at the end of its last line's content (before any comment).
   */
  private plainScalar(parent: number): string {
    const { text } = this;
    let out = '';
    let at = this.pos;
    for (;;) {
      // One line's content: up to a comment or the line end; `: ` inside means a key, which is not ours.
      const begin = at;
      let end = at;
      let comment = false;
      for (;;) {
        const code = text.charCodeAt(at);
        if (code === LF) break;
        if (code === COLON) {
          const after = text.charCodeAt(at + 1);
          if (isWhite(after) || after === LF) decline();
        } else if (code === HASH && isWhite(text.charCodeAt(at - 1))) {
          comment = true;
          break;
        }
        at += 1;
        if (!isWhite(code)) end = at;
      }
      out += text.slice(begin, end);
      if (comment) {
        this.pos = text.indexOf('\n', at) + 1;
        break;
      }
      // The next non-blank line continues the scalar when it is more indented than the parent collection.
      let next = at + 1;
      let breaks = 1;
      let indent: number;
      for (;;) {
        indent = 0;
        while (text.charCodeAt(next + indent) === SPACE) indent += 1;
        if (text.charCodeAt(next + indent) === TAB) decline();
        if (text.charCodeAt(next + indent) !== LF || next + indent >= text.length) break;
        next += indent + 1;
        breaks += 1;
      }
      if (next >= text.length || indent <= parent) {
        this.pos = at + 1;
        break;
      }
      // A comment line ends the scalar (js-yaml stops at its `#` and drops the line break before it).
      if (text.charCodeAt(next + indent) === HASH) {
        this.pos = at + 1;
        break;
      }
      out += breaks === 1 ? ' ' : '\n'.repeat(breaks - 1);
      at = next + indent;
      this.lineStart = next;
    }
    return out;
  }

  /**
   * A single- or double-quoted scalar at `pos`, possibly over several lines (continuation lines must be more
   * indented than `parent`; -1 allows none). Leaves `pos` just past the closing quote.
   */
  private quoted(parent: number): string {
    const { text } = this;
    const quote = text.charCodeAt(this.pos);
    let at = this.pos + 1;
    let out = '';
    let segment = at;
    let contentEnd = at;
    for (;;) {
      const code = text.charCodeAt(at);
      if (Number.isNaN(code)) decline();
      if (code === quote) {
        if (quote === 39 && text.charCodeAt(at + 1) === 39) {
          out += text.slice(segment, at + 1);
          at += 2;
          segment = contentEnd = at;
          continue;
        }
        out += text.slice(segment, at);
        this.pos = at + 1;
        return out;
      }
      if (code === 92 && quote === 34) {
        // YAML 1.1 knows fewer escapes than 1.2: in a `%YAML 1.1` text, escapes are the `yaml` read's to read.
        if (this.yaml11) decline();
        out += text.slice(segment, at);
        const escaped = text.charCodeAt(at + 1);
        if (escaped === LF) {
          // An escaped line break joins the lines without a space.
          at = this.continuation(at + 2, parent);
        } else {
          const [value, length] = escape(text, at + 1);
          out += value;
          at += 1 + length;
        }
        segment = contentEnd = at;
        continue;
      }
      if (code === LF) {
        if (parent < 0) decline();
        out += text.slice(segment, contentEnd);
        let breaks = 0;
        let next = at;
        while (text.charCodeAt(next) === LF) {
          breaks += 1;
          next = this.continuationIndent(next + 1);
        }
        if (next - this.lineStart <= parent) decline();
        out += breaks === 1 ? ' ' : '\n'.repeat(breaks - 1);
        at = next;
        segment = contentEnd = at;
        continue;
      }
      at += 1;
      if (!isWhite(code)) contentEnd = at;
    }
  }

  /** After a line break inside a quoted scalar: past the next line's indentation; notes the line start. */
  private continuationIndent(lineStart: number): number {
    const { text } = this;
    this.lineStart = lineStart;
    let at = lineStart;
    while (text.charCodeAt(at) === SPACE) at += 1;
    if (text.charCodeAt(at) === TAB) decline();
    // A document marker inside a quoted scalar is an error for js-yaml.
    if (at === lineStart && (text.startsWith('---', at) || text.startsWith('...', at))) decline();
    return at;
  }

  /** Past an escaped line break's following blank lines and indentation. */
  private continuation(lineStart: number, parent: number): number {
    if (parent < 0) decline();
    let at = this.continuationIndent(lineStart);
    while (this.text.charCodeAt(at) === LF) at = this.continuationIndent(at + 1);
    if (at - this.lineStart <= parent) decline();
    return at;
  }

  /** A literal (`|`) or folded (`>`) block scalar at `pos`, its content more indented than `parent`. */
  private blockScalar(parent: number): string {
    const { text } = this;
    const folded = text.charCodeAt(this.pos) === 62;
    this.pos += 1;
    let chomping = 0; // 0 clip, 1 keep, -1 strip
    const indicator = text.charCodeAt(this.pos);
    if (indicator === 43 /* + */ || indicator === DASH) {
      chomping = indicator === 43 ? 1 : -1;
      this.pos += 1;
    }
    // An explicit indentation indicator, or anything else before the line end, is js-yaml's to read.
    const after = text.charCodeAt(this.pos);
    if (!isWhite(after) && after !== LF) decline();
    this.endOfLine();
    // The content's indentation is its first non-blank line's; blank lines before it may not be deeper.
    let at = this.pos;
    let widestBlank = 0;
    let blanks = 0;
    let textIndent: number;
    for (;;) {
      let spaces = 0;
      while (text.charCodeAt(at + spaces) === SPACE) spaces += 1;
      if (at + spaces >= text.length) {
        textIndent = -1;
        break;
      }
      if (text.charCodeAt(at + spaces) !== LF) {
        textIndent = spaces;
        break;
      }
      widestBlank = Math.max(widestBlank, spaces);
      blanks += 1;
      at += spaces + 1;
    }
    // Blank lines wider than the content raise js-yaml's indentation for it: js-yaml's to read.
    if (widestBlank > Math.max(textIndent, parent)) decline();
    if (textIndent <= parent) {
      // No content (the next line belongs to the parent): only the kept line breaks of the blank lines.
      this.pos = Math.min(at, text.length);
      this.lineStart = this.pos;
      return chomping === 1 ? '\n'.repeat(blanks) : '';
    }
    let out = '';
    let emptyLines = 0;
    let didReadContent = false;
    let moreIndented = false;
    at = this.pos;
    for (;;) {
      let spaces = 0;
      while (spaces < textIndent && text.charCodeAt(at + spaces) === SPACE) spaces += 1;
      const code = text.charCodeAt(at + spaces);
      if (code === LF) {
        emptyLines += 1;
        at += spaces + 1;
        continue;
      }
      if (spaces < textIndent || at >= text.length) break;
      if (folded) {
        if (isWhite(code)) {
          moreIndented = true;
          out += '\n'.repeat(didReadContent ? 1 + emptyLines : emptyLines);
        } else if (moreIndented) {
          moreIndented = false;
          out += '\n'.repeat(emptyLines + 1);
        } else if (emptyLines === 0) {
          if (didReadContent) out += ' ';
        } else out += '\n'.repeat(emptyLines);
      } else out += '\n'.repeat(didReadContent ? 1 + emptyLines : emptyLines);
      const lineEnd = text.indexOf('\n', at + spaces);
      out += text.slice(at + spaces, lineEnd);
      didReadContent = true;
      emptyLines = 0;
      at = lineEnd + 1;
    }
    if (chomping === 1) out += '\n'.repeat(didReadContent ? 1 + emptyLines : emptyLines);
    else if (chomping === 0 && didReadContent) out += '\n';
    // `at` is the start of the first line after the scalar.
    this.pos = at;
    this.lineStart = at;
    return out;
  }

  // ---- flow collections ----------------------------------------------------------------------

  /** `[…]` or `{…}` at `pos`, possibly over several lines more indented than `parent`. Leaves `pos` past it. */
  private flowNode(parent: number, depth: number, tag: Tag | undefined): unknown {
    if (depth > this.maxDepth || ++this.collections > MAX_COLLECTIONS) decline();
    const { text, nodes } = this;
    const open = text.charCodeAt(this.pos);
    const node = nodes?.openNode(this.pos, tag?.text, tag?.at ?? -1);
    this.pos += 1;
    this.flowNesting += 1;
    this.flowSpace(parent);
    let result: unknown;
    let irregular = false;
    if (open === 91) {
      const list: unknown[] = [];
      if (text.charCodeAt(this.pos) === 93) this.pos += 1;
      else {
        for (;;) {
          const entry = this.flowEntry(parent, depth + 1);
          this.skipSpaces();
          if (text.charCodeAt(this.pos) === COLON) {
            list.push(this.flowPair(parent, depth + 1, entry));
            // js-yaml notes the pair's key and value as the sequence's own children.
            irregular = true;
          } else list.push(entry);
          if (this.flowEntryEnd(93, parent)) break;
        }
      }
      result = list;
    } else {
      const map: Record<string, unknown> = {};
      if (text.charCodeAt(this.pos) === 125) this.pos += 1;
      else {
        for (;;) {
          const key = this.flowKey(parent);
          if (key === '__proto__' || Object.hasOwn(map, key)) decline();
          this.flowSpace(parent);
          const code = text.charCodeAt(this.pos);
          if (code === 44 || code === 125) decline();
          map[key] = this.flowEntry(parent, depth + 1);
          this.skipSpaces();
          if (text.charCodeAt(this.pos) === COLON) decline();
          if (this.flowEntryEnd(125, parent)) break;
        }
      }
      result = map;
    }
    this.flowNesting -= 1;
    if (nodes && node !== undefined) nodes.closeNode(node, open === 91 ? SEQUENCE : MAPPING, undefined, irregular);
    return tagged(tag, result);
  }

  /**
   * After a flow entry: true at the collection's end (`close`, maybe after a trailing comma), false after the
   * `,` before the next entry. Leaves `pos` past the end, or at the next entry.
   */
  private flowEntryEnd(close: number, parent: number): boolean {
    const { text } = this;
    this.flowSpace(parent);
    const code = text.charCodeAt(this.pos);
    this.pos += 1;
    if (code === close) return true;
    if (code !== 44) decline();
    this.flowSpace(parent);
    const next = text.charCodeAt(this.pos);
    // A trailing comma ends the collection as its bracket does; an empty entry is js-yaml's to read.
    if (next === 44) decline();
    if (next !== close) return false;
    this.pos += 1;
    return true;
  }

  /**
   * Spaces, line breaks and comments between flow tokens. A line with content must be more indented than
   * `parent` (the block collection around), but for the outermost collection's closing bracket, which may be
   * as indented: js-yaml only warns about other lines, the `yaml` read refuses them.
   */
  private flowSpace(parent: number): void {
    const { text } = this;
    for (;;) {
      const code = text.charCodeAt(this.pos);
      if (code === SPACE) this.pos += 1;
      // js-yaml remembers a tab in a flow collection's line for the block around it: not ours to weigh.
      else if (code === TAB) decline();
      else if (code === HASH) {
        if (text.charCodeAt(this.pos - 1) !== SPACE && text.charCodeAt(this.pos - 1) !== LF) decline();
        this.pos = text.indexOf('\n', this.pos);
      } else if (code === LF) {
        this.pos += 1;
        this.lineStart = this.pos;
        while (text.charCodeAt(this.pos) === SPACE) this.pos += 1;
        // A document marker ends the collection for js-yaml.
        if (this.pos === this.lineStart && (this.isDocumentMarker(DASH) || this.isDocumentMarker(46))) decline();
        if (this.pos >= text.length) decline();
        const indent = this.pos - this.lineStart;
        if (indent <= parent) {
          const first = text.charCodeAt(this.pos);
          const outerClose = indent === parent && this.flowNesting === 1 && (first === 93 || first === 125);
          if (!outerClose && first !== LF && first !== HASH && first !== TAB) decline();
        }
      } else return;
    }
  }

  /** A flow mapping's key and its `:`; leaves `pos` past the colon. */
  private flowKey(parent: number): string {
    const { text } = this;
    const start = this.pos;
    const code = text.charCodeAt(start);
    const quoted = code === 34 || code === 39;
    const line = this.lineStart;
    const source = quoted ? this.quoted(parent) : this.flowPlain(parent);
    // A key over several lines (both scalars move lineStart as they fold): js-yaml refuses a quoted one, the
    // `yaml` read takes it; both refuse a plain one.
    if (this.lineStart !== line) decline();
    this.skipSpaces();
    if (text.charCodeAt(this.pos) !== COLON) decline();
    this.pos += 1;
    return this.notedKey(start, source, quoted);
  }

  /** One entry of a flow collection: a flow collection, a quoted or plain scalar, maybe tagged. */
  private flowEntry(parent: number, depth: number): unknown {
    const { text, nodes } = this;
    this.pairKey = undefined;
    let tag: Tag | undefined;
    if (text.charCodeAt(this.pos) === 33) {
      tag = this.tag();
      this.skipSpaces();
      // As in block context: the long form's content is one level deeper.
      if (tag.long !== undefined && ++depth > this.maxDepth) decline();
      const next = text.charCodeAt(this.pos);
      if (next === 44 || next === 93 || next === 125) {
        // A tag with nothing after it (`[0, !GetAZs ]`): the empty string, as in block context.
        if (nodes) nodes.closeNode(nodes.openNode(-1, tag.text, tag.at), 0);
        return taggedScalar(tag, '');
      }
    }
    const start = this.pos;
    const code = text.charCodeAt(start);
    if (code === 91 || code === 123) return this.flowNode(parent, depth, tag);
    // Both quoted and plain scalars move lineStart at each line break they fold.
    const line = this.lineStart;
    let value: unknown;
    let plain: string | undefined;
    if (code === 34 || code === 39) {
      const quoted = this.quoted(parent);
      value = tag ? taggedScalar(tag, quoted) : quoted;
      if (!tag) plain = quoted;
    } else {
      const raw = this.flowPlain(parent);
      if (tag) value = taggedScalar(tag, raw);
      else {
        value = this.plainValue(raw);
        if (typeof value === 'string') plain = value;
      }
    }
    if (nodes) nodes.closeNode(nodes.openNode(start, tag?.text, tag?.at ?? -1), SCALAR, plain);
    // A scalar over several lines is no key for a pair (`[a⏎ b: c]`): both readers refuse it.
    if (!tag && this.lineStart === line) this.pairKey = typeof value === 'string' ? value : String(value);
    return value;
  }

  /**
   * `[…, key: value, …]`: a single-pair mapping in a flow sequence, whose key (an untagged scalar) was just
   * read as an entry and whose `:` is at `pos`.
   */
  private flowPair(parent: number, depth: number, keyEntry: unknown): Record<string, unknown> {
    const { text } = this;
    // The pair is a mapping of its own, one level above its value.
    if (depth > this.maxDepth || ++this.collections > MAX_COLLECTIONS) decline();
    const key = this.pairKey;
    const after = text.charCodeAt(this.pos + 1);
    if (key === undefined || key === '__proto__' || (after !== SPACE && after !== LF) || typeof keyEntry === 'object') decline();
    this.pos += 1;
    this.flowSpace(parent);
    const next = text.charCodeAt(this.pos);
    // An empty value (`[a: ]`) is js-yaml's to read.
    if (next === 44 || next === 93) decline();
    const value = this.flowEntry(parent, depth + 1);
    this.skipSpaces();
    if (text.charCodeAt(this.pos) === COLON) decline();
    return { [key]: value };
  }

  /**
   * A plain scalar in a flow collection, folded over line breaks as js-yaml and the `yaml` read both fold it
   * (continuation lines must be more indented than `parent`); leaves `pos` after its last non-space character.
   */
  private flowPlain(parent: number): string {
    const { text } = this;
    const start = this.pos;
    if (!this.startsPlain(start, true)) decline();
    let out = '';
    let begin = start;
    let at = start;
    let end = start;
    for (;;) {
      const code = text.charCodeAt(at);
      if (code === 44 || code === 93 || code === 125) break;
      if (code === 91 || code === 123 || code === TAB) decline();
      if (code === COLON) {
        const after = text.charCodeAt(at + 1);
        if (after === SPACE || after === LF || isFlowIndicator(after)) break;
      } else if (code === HASH && text.charCodeAt(at - 1) === SPACE) break;
      else if (code === LF) {
        let lineStart = at + 1;
        let next = lineStart;
        let breaks = 1;
        for (;;) {
          while (text.charCodeAt(next) === SPACE) next += 1;
          if (text.charCodeAt(next) !== LF) break;
          lineStart = next += 1;
          breaks += 1;
        }
        const first = text.charCodeAt(next);
        // The scalar ends before a line that closes the entry (the flow collection reads on from the line break).
        if (first === 44 || first === 93 || first === 125) break;
        // A tab (js-yaml's indentation differs from the `yaml` read's there), the end of the text, or a line
        // indented no more than the parent (the `yaml` read refuses it; a document marker is one): theirs to read.
        if (first === TAB || Number.isNaN(first) || next - lineStart <= parent) decline();
        // A comment line ends the scalar too: both readers drop the line breaks before it.
        if (first === HASH) break;
        if (first === COLON) {
          const after = text.charCodeAt(next + 1);
          if (after === SPACE || after === LF || isFlowIndicator(after)) decline();
        }
        out += text.slice(begin, end) + (breaks === 1 ? ' ' : '\n'.repeat(breaks - 1));
        this.lineStart = lineStart;
        begin = end = at = next;
        continue;
      }
      at += 1;
      if (code !== SPACE) end = at;
    }
    this.pos = end;
    return out + text.slice(begin, end);
  }
}

/** A double-quoted escape after its backslash at `at`: the text it stands for, and how many characters it took. */
function escape(text: string, at: number): [string, number] {
  const code = text.charCodeAt(at);
  switch (code) {
    case 48: return ['\0', 1];
    case 97: return ['\x07', 1];
    case 98: return ['\b', 1];
    case 116: return ['\t', 1];
    case 110: return ['\n', 1];
    case 118: return ['\v', 1];
    case 102: return ['\f', 1];
    case 114: return ['\r', 1];
    case 101: return ['\x1b', 1];
    case SPACE: return [' ', 1];
    case 34: return ['"', 1];
    case 47: return ['/', 1];
    case 92: return ['\\', 1];
    case 78: return ['\x85', 1];
    case 95: return ['\xa0', 1];
    case 76: return ['\u2028', 1];
    case 80: return ['\u2029', 1];
    case 120: return [hexEscape(text, at + 1, 2), 3];
    case 117: return [hexEscape(text, at + 1, 4), 5];
    case 85: return [hexEscape(text, at + 1, 8), 9];
    default: return decline();
  }
}

function hexEscape(text: string, at: number, digits: number): string {
  const hex = text.slice(at, at + digits);
  if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) decline();
  const point = parseInt(hex, 16);
  if (point > 0x10ffff) decline();
  return String.fromCodePoint(point);
}
