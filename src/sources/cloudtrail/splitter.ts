// Splits a stream of JSON text into the texts of the records it holds, so a big log file is never held whole.
import type { JsonObject } from './record.js';

/**
 * Finds record objects in a JSON array (`[{…},{…}]`) or in the "Records" array of a CloudTrail log file
 * (`{"Records":[{…},…]}`), chunk by chunk. It only tracks strings and brackets, so each record is then
 * parsed on its own: one malformed record costs that record, not the file. Memory is bounded by the
 * largest record, not the file.
 */
export class RecordSplitter {
  private depth = 0;
  private inString = false;
  private escape = false;
  /** Depth at which record objects open: 1 for a bare array, 2 inside {"Records": [...]}. */
  private elementDepth = -1;
  private root: 'unknown' | 'array' | 'object' | 'other' = 'unknown';
  private key = '';
  private capturingKey = false;
  private lastKey = '';
  private pending = '';
  private inElement = false;
  private elementStart = -1;
  private strayReported = false;
  /** Index of the next element in its array (objects and strays alike), for error positions. */
  index = 0;

  constructor(
    private readonly onElement: (text: string, index: number) => void,
    private readonly onStray: (index: number, what: string) => void,
  ) {}

  /** What the text turned out to be: 'other' when it is neither an array nor an object. */
  get kind(): 'unknown' | 'array' | 'object' | 'other' {
    return this.root;
  }

  push(chunk: string): void {
    let start = this.inElement ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const code = chunk.charCodeAt(i);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (code === 92 /* \ */) this.escape = true;
        else if (code === 34 /* " */) {
          this.inString = false;
          if (this.capturingKey) {
            this.capturingKey = false;
            this.lastKey = this.key;
          }
        } else if (this.capturingKey && this.key.length < 64) this.key += chunk[i];
        continue;
      }
      switch (code) {
        case 34: // "
          this.inString = true;
          if (this.depth === this.elementDepth) this.stray('a string');
          else if (this.depth === 1 && this.root === 'object') {
            this.capturingKey = true;
            this.key = '';
          }
          break;
        case 123: // {
        case 91: // [
          if (this.depth === 0 && this.root === 'unknown') this.root = code === 91 ? 'array' : 'object';
          if (this.depth === 0 && code === 91) this.elementDepth = 1;
          else if (this.depth === 1 && code === 91 && this.root === 'object' && this.lastKey === 'Records')
            this.elementDepth = 2;
          else if (this.depth === this.elementDepth && code === 123) {
            this.inElement = true;
            start = i;
          } else if (this.depth === this.elementDepth) this.stray(code === 91 ? 'an array' : 'a value');
          this.depth++;
          break;
        case 125: // }
        case 93: // ]
          this.depth--;
          if (this.inElement && this.depth === this.elementDepth) {
            this.pending += chunk.slice(start, i + 1);
            this.inElement = false;
            this.onElement(this.pending, this.index++);
            this.pending = '';
            start = -1;
          } else if (code === 93 && this.depth === this.elementDepth - 1) {
            this.elementDepth = -1;
            if (this.strayReported) {
              this.strayReported = false;
              this.index++;
            }
          }
          break;
        case 44: // ,
          if (this.depth === this.elementDepth && this.strayReported) {
            this.strayReported = false;
            this.index++;
          }
          break;
        case 32:
        case 9:
        case 10:
        case 13:
        case 58: // :
          break;
        default:
          if (this.depth === 0 && this.root === 'unknown' && code !== 0xfeff) this.root = 'other';
          else if (this.depth === this.elementDepth) this.stray('a value that is not an object');
      }
    }
    if (this.inElement) this.pending += chunk.slice(start);
  }

  private stray(what: string): void {
    if (this.strayReported) return;
    this.strayReported = true;
    this.onStray(this.index, what);
  }

  /** True when the text ended inside a record or an unclosed array or object. */
  get incomplete(): boolean {
    return this.depth !== 0 || this.inString || this.inElement;
  }
}

/**
 * Decides from a record's top-level eventName and userIdentity.type whether it is worth parsing: must give
 * the answer a `select` test would give on the parsed record. `identityType` is undefined when the record
 * has no userIdentity object or that object has no string type.
 */
export type RecordSkim = (eventName: string, identityType: string | undefined) => boolean;

/**
 * Select tests (a record filter's `value`) with their skim equivalents, so a reader given that `select`
 * can skim a log file and parse only the records it keeps, with the very decisions `select` would make on
 * the parsed records. Kept here, not with the filter, so readers do not load the event mappers.
 */
const SKIMS = new WeakMap<(value: JsonObject) => boolean, RecordSkim>();

export function registerSkim(select: (value: JsonObject) => boolean, skim: RecordSkim): void {
  SKIMS.set(select, skim);
}

/** The skim registered for a `select` test, if any. */
export function skimOf(select: ((value: JsonObject) => boolean) | undefined): RecordSkim | undefined {
  return select ? SKIMS.get(select) : undefined;
}

/**
 * A prefilter's test on a line's UTF-8 bytes [start, end), with the answer it gives on the decoded text,
 * so JSON Lines records it drops are never decoded either.
 */
export type LineBytesFilter = (bytes: Buffer, start: number, end: number) => boolean;

const LINE_FILTERS = new WeakMap<(text: string) => boolean, LineBytesFilter>();

export function registerLineFilter(prefilter: (text: string) => boolean, filter: LineBytesFilter): void {
  LINE_FILTERS.set(prefilter, filter);
}

/** The byte-level twin registered for a `prefilter` test, if any. */
export function lineFilterOf(prefilter: ((text: string) => boolean) | undefined): LineBytesFilter | undefined {
  return prefilter ? LINE_FILTERS.get(prefilter) : undefined;
}

/** Records of a skimmed log file: how many, and [index, start, end] of each one to parse, flat. */
export interface SkimmedLogFile {
  readonly records: number;
  readonly kept: number[];
}

/** Field being read at a record's top level (or in its userIdentity object). */
const KEY_NONE = 0;
const KEY_EVENT_NAME = 1;
const KEY_IDENTITY = 2;
const KEY_TYPE = 3;


/** Whether this machine stores words least significant byte first, which the word-at-a-time string scan relies on. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Names and identity types seen in ASCII, made once and reused: a log file repeats a few hundred of them,
 * and a reused string keeps its hash, so the skim's set lookups do not rehash it either. A slot is picked by
 * length and end bytes, and a match is checked byte by byte.
 */
const INTERNED_SLOTS = 512;
const interned: string[] = new Array<string>(INTERNED_SLOTS).fill('');

/**
 * The string value whose text is bytes [start, end) (between its quotes), as the decoded file holds it; undefined when it holds an escape, which only the parser reads. Both ends are quotes,
 * so the range decodes to exactly what the decoded file holds between them.
 */
function stringOfBytes(bytes: Buffer, start: number, end: number): string | undefined {
  const size = end - start;
  // Only ASCII strings without a backslash are kept, so matching one settles both.
  const slot = (size * 7 + bytes[start]! * 31 + bytes[end - 1]!) & (INTERNED_SLOTS - 1);
  const known = interned[slot]!;
  if (known.length === size) {
    let at = start;
    while (at < end && known.charCodeAt(at - start) === bytes[at]) at++;
    if (at === end) return known;
  }
  for (let at = start; at < end; at++) {
    const code = bytes[at]!;
    if (code === 92 /* \ */) return undefined;
    if (code >= 0x80) return bytes.toString('utf8', start, end);
  }
  const made = bytes.toString('latin1', start, end);
  interned[slot] = made;
  return made;
}

/** 0x80808080 as the int32 the bitwise operators see. */
const LANE_HIGH_BITS = 0x80808080 | 0;

/** A quote at `at` inside a string closes it unless an odd number of backslashes stands before it. */
function quoteCloses(bytes: Buffer, at: number): boolean {
  let slash = at - 1;
  while (bytes[slash] === 92 /* \ */) slash--;
  return ((at - 1 - slash) & 1) === 0;
}

function skipSpaceBytes(bytes: Buffer, at: number): number {
  for (;;) {
    const code = bytes[at];
    if (code !== 32 && code !== 10 && code !== 13 && code !== 9) return at;
    at++;
  }
}

function bytesAre(bytes: Buffer, at: number, ascii: string): boolean {
  for (let index = 0; index < ascii.length; index++) if (bytes[at + index] !== ascii.charCodeAt(index)) return false;
  return true;
}

/**
 * Skims a whole CloudTrail log file, `{"Records":[{…},…]}`, on its UTF-8 bytes, without parsing or decoding
 * it: finds each record's bounds and reads its top-level eventName and userIdentity.type structurally
 * (depth-aware, so a nested field of the same name never counts), then asks `skim` whether the record is
 * worth parsing. Anything it cannot read for certain (an escape, a duplicate key, a non-string name, a record
 * that holds "Records" or "detail" itself) keeps the record, so the parser and `select` decide. The kept
 * records come as byte offsets; each decodes on its own to the text the decoded file holds there, as records
 * start and end on ASCII brackets. Every token it reads is ASCII, and UTF-8 (even malformed, as decoding
 * replaces it) never hides an ASCII byte inside a longer character, so the structure it sees is the decoded
 * text's; names and types with other bytes are decoded before `skim` sees them. Undefined when the file is not
 * exactly that shape (other keys, non-object elements, unbalanced, trailing text) and on big-endian machines:
 * the caller then reads the file the ordinary way. It does not check JSON syntax inside records it skips.
 * test/support/skim-log-text.ts holds the text skim it is tested against.
 */
export function skimLogBytes(bytes: Buffer, skim: RecordSkim): SkimmedLogFile | undefined {
  if (!LITTLE_ENDIAN) return undefined;
  const length = bytes.length;
  // String contents, most of a log file, are scanned four bytes at a time through this aligned view.
  const lead = (4 - (bytes.byteOffset & 3)) & 3;
  const wordCount = length > lead ? (length - lead) >> 2 : 0;
  const words = new Int32Array(bytes.buffer, bytes.byteOffset + lead, wordCount);
  let at = skipSpaceBytes(bytes, 0);
  if (bytes[at] !== 123 /* { */) return undefined;
  at = skipSpaceBytes(bytes, at + 1);
  if (!bytesAre(bytes, at, '"Records"')) return undefined;
  at = skipSpaceBytes(bytes, at + 9);
  if (bytes[at] !== 58 /* : */) return undefined;
  at = skipSpaceBytes(bytes, at + 1);
  if (bytes[at] !== 91 /* [ */) return undefined;
  at = skipSpaceBytes(bytes, at + 1);
  const kept: number[] = [];
  let records = 0;
  if (bytes[at] === 93 /* ] */) at++;
  else {
    for (;;) {
      if (bytes[at] !== 123) return undefined;
      const start = at;
      let depth = 0;
      let expectKey = false;
      let pending = KEY_NONE;
      let inIdentity = false;
      let sure = true;
      let names = 0;
      let name: string | undefined = '';
      let identities = 0;
      let identityIsObject = false;
      let types = 0;
      let type: string | undefined;
      for (;;) {
        if (at >= length) return undefined;
        const code = bytes[at]!;
        if (code === 34 /* " */) {
          // The closing quote: a quote is found a word at a time (a quote byte makes its lane of word ^ 0x22222222
          // zero; the lowest flagged lane is exact), and it closes the string unless an odd run of backslashes
          // stands before it.
          let close = at + 1;
          for (;;) {
            const from = close - lead;
            let word = from >> 2;
            if (from < 0 || word >= wordCount) {
              if (close >= length) return undefined;
              if (bytes[close] === 34 && quoteCloses(bytes, close)) break;
              close++;
              continue;
            }
            let value = words[word]! ^ 0x22222222;
            // Lanes before `close` are masked off.
            let found = (value - 0x01010101) & ~value & LANE_HIGH_BITS & (-1 << ((from & 3) << 3));
            while (found === 0 && ++word < wordCount) {
              value = words[word]! ^ 0x22222222;
              found = (value - 0x01010101) & ~value & LANE_HIGH_BITS;
            }
            if (found === 0) {
              close = lead + (word << 2);
              continue;
            }
            close = lead + (word << 2) + ((31 - Math.clz32(found & -found)) >> 3);
            // Not a quote where a masked-off lane's borrow flagged the lane above it.
            if (bytes[close] === 34 && quoteCloses(bytes, close)) break;
            close++;
          }
          if (expectKey) {
            expectKey = false;
            const size = close - at - 1;
            if (depth === 1) {
              if (size === 9 && bytesAre(bytes, at + 1, 'eventName')) pending = KEY_EVENT_NAME;
              else if (size === 12 && bytesAre(bytes, at + 1, 'userIdentity')) pending = KEY_IDENTITY;
              else if ((size === 7 && bytesAre(bytes, at + 1, 'Records')) || (size === 6 && bytesAre(bytes, at + 1, 'detail'))) sure = false;
            } else if (inIdentity && depth === 2 && size === 4 && bytesAre(bytes, at + 1, 'type')) pending = KEY_TYPE;
          } else if (pending !== KEY_NONE) {
            if (pending === KEY_EVENT_NAME) {
              names++;
              name = stringOfBytes(bytes, at + 1, close);
              if (name === undefined) sure = false;
            } else if (pending === KEY_TYPE) {
              types++;
              type = stringOfBytes(bytes, at + 1, close);
              if (type === undefined) sure = false;
            } else identities++;
            pending = KEY_NONE;
          }
          at = close + 1;
          continue;
        }
        switch (code) {
          case 123: // {
          case 91: // [
            if (pending === KEY_IDENTITY) {
              identities++;
              identityIsObject = code === 123;
              inIdentity = identityIsObject;
            } else if (pending === KEY_EVENT_NAME) sure = false;
            else if (pending === KEY_TYPE) {
              types++;
              type = undefined;
            }
            pending = KEY_NONE;
            depth++;
            expectKey = code === 123;
            break;
          case 125: // }
          case 93: // ]
            depth--;
            expectKey = false;
            pending = KEY_NONE;
            if (depth === 1) inIdentity = false;
            break;
          case 44: // ,
            expectKey = depth === 1 || (inIdentity && depth === 2);
            pending = KEY_NONE;
            break;
          case 32:
          case 9:
          case 10:
          case 13:
          case 58: // :
            break;
          default:
            // A number, true, false or null (or a byte of a character no JSON allows here: the first one
            // settles `pending` as the whole character would in the decoded text).
            if (pending === KEY_EVENT_NAME) sure = false;
            else if (pending === KEY_IDENTITY) {
              identities++;
              identityIsObject = false;
            } else if (pending === KEY_TYPE) {
              types++;
              type = undefined;
            }
            pending = KEY_NONE;
        }
        at++;
        if (depth === 0) break;
      }
      if (names !== 1 || identities > 1 || types > 1) sure = false;
      const identityType = identities === 1 && identityIsObject ? type : undefined;
      if (!sure || skim(name!, identityType)) kept.push(records, start, at);
      records++;
      at = skipSpaceBytes(bytes, at);
      const next = bytes[at];
      if (next === 93) {
        at++;
        break;
      }
      if (next !== 44) return undefined;
      at = skipSpaceBytes(bytes, at + 1);
    }
  }
  at = skipSpaceBytes(bytes, at);
  if (bytes[at] !== 125) return undefined;
  return skipSpaceBytes(bytes, at + 1) === length ? { records, kept } : undefined;
}
