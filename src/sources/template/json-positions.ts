// Finds where a path (keys and indices) sits in a JSON text, scanning only along that path, on demand.
import type { SourcePath } from './source-path.js';

export interface TextOffset {
  /** Offset of the deepest part of the path that exists (a key's opening quote, an element's start). */
  readonly offset: number;
  /** How many path segments were found; equals the path length when the whole path exists. */
  readonly found: number;
}

/**
 * What was learnt of one text's objects and arrays, so locating many paths in it scans each collection once
 * (a template with many findings would otherwise rescan its whole Resources object for every one).
 */
export class JsonScanMemo {
  /** Object start offset → its members (the last of duplicated keys). */
  readonly members = new Map<number, Map<string, { at: number; value: number }>>();
  /** Array start offset → where each element starts. */
  readonly elements = new Map<number, number[]>();
}

/**
 * Locates `path` in `text`, which must be valid JSON (it already went through JSON.parse). For a
 * duplicated key it follows the last one, as JSON.parse keeps the last value. Give the same `memo` for
 * every path located in one text.
 */
export function jsonOffset(text: string, path: SourcePath, memo = new JsonScanMemo()): TextOffset {
  let i = skipWs(text, 0);
  let best = i;
  let found = 0;
  for (const segment of path) {
    const next = typeof segment === 'number' ? findElement(text, i, segment, memo) : findMember(text, i, segment, memo);
    if (next === undefined) break;
    best = next.at;
    i = next.value;
    found += 1;
  }
  return { offset: best, found };
}

function skipWs(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i += 1;
  }
  return i;
}

/** Offset just past the string that starts (with its quote) at i. */
function skipString(text: string, i: number): number {
  i += 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i += 2;
    else if (c === 0x22) return i + 1;
    else i += 1;
  }
  return i;
}

/** Offset just past the value that starts at i; iterative, so deep nesting cannot overflow the stack. */
function skipValue(text: string, i: number): number {
  let depth = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = skipString(text, i);
      if (depth === 0) return i;
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth += 1;
    else if (c === 0x7d || c === 0x5d) {
      if (depth === 0) return i;
      depth -= 1;
      if (depth === 0) return i + 1;
    } else if (depth === 0 && (c === 0x2c || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) return i;
    i += 1;
  }
  return i;
}

/** The member `key` of the object at i (the last of duplicated keys); the object is scanned once per memo. */
function findMember(text: string, i: number, key: string, memo: JsonScanMemo): { at: number; value: number } | undefined {
  if (text.charCodeAt(i) !== 0x7b) return undefined;
  let members = memo.members.get(i);
  if (members === undefined) {
    members = new Map();
    memo.members.set(i, members);
    i = skipWs(text, i + 1);
    while (i < text.length && text.charCodeAt(i) === 0x22) {
      const keyStart = i;
      const keyEnd = skipString(text, i);
      const name = JSON.parse(text.slice(keyStart, keyEnd)) as string;
      i = skipWs(text, keyEnd);
      i = skipWs(text, i + 1); // past ':'
      members.set(name, { at: keyStart, value: i });
      i = skipWs(text, skipValue(text, i));
      if (text.charCodeAt(i) !== 0x2c) break;
      i = skipWs(text, i + 1);
    }
  }
  return members.get(key);
}

/** Element `index` of the array at i; the array is scanned once per memo. */
function findElement(text: string, i: number, index: number, memo: JsonScanMemo): { at: number; value: number } | undefined {
  if (text.charCodeAt(i) !== 0x5b) return undefined;
  let starts = memo.elements.get(i);
  if (starts === undefined) {
    starts = [];
    memo.elements.set(i, starts);
    i = skipWs(text, i + 1);
    if (text.charCodeAt(i) !== 0x5d) {
      while (i < text.length) {
        starts.push(i);
        i = skipWs(text, skipValue(text, i));
        if (text.charCodeAt(i) !== 0x2c) break;
        i = skipWs(text, i + 1);
      }
    }
  }
  const at = starts[index];
  return at === undefined ? undefined : { at, value: at };
}

/** 1-based line and column of an offset, with the line starts computed once per text. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (this.starts[low] ?? 0) + 1 };
  }
}

/**
 * Offset of the first syntax error in a JSON text, or -1 when it is valid. JSON.parse's messages do
 * not always carry a position (it depends on the Node version), and an error should name a line.
 * Iterative, like the scan above.
 */
export function jsonErrorOffset(text: string): number {
  const stack: number[] = [];
  let state: 'value' | 'value-or-end' | 'key' | 'key-or-end' | 'colon' | 'after' = 'value';
  let i = 0;
  for (;;) {
    i = skipWs(text, i);
    if (i >= text.length) return state === 'after' && stack.length === 0 ? -1 : i;
    const c = text.charCodeAt(i);
    switch (state) {
      case 'value-or-end':
      case 'value': {
        if (state === 'value-or-end' && c === 0x5d) {
          stack.pop();
          i += 1;
          state = 'after';
        } else if (c === 0x7b || c === 0x5b) {
          stack.push(c);
          i += 1;
          state = c === 0x7b ? 'key-or-end' : 'value-or-end';
        } else if (c === 0x22) {
          const end = stringEnd(text, i);
          if (end < 0) return -end - 1;
          i = end;
          state = 'after';
        } else {
          const literal = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 512));
          if (!literal) return i;
          i += literal[0].length;
          state = 'after';
        }
        break;
      }
      case 'key-or-end':
      case 'key': {
        if (state === 'key-or-end' && c === 0x7d) {
          stack.pop();
          i += 1;
          state = 'after';
          break;
        }
        if (c !== 0x22) return i;
        const end = stringEnd(text, i);
        if (end < 0) return -end - 1;
        i = end;
        state = 'colon';
        break;
      }
      case 'colon':
        if (c !== 0x3a) return i;
        i += 1;
        state = 'value';
        break;
      case 'after': {
        const top = stack[stack.length - 1];
        if (top === undefined) return i;
        if (c === 0x2c) {
          i += 1;
          state = top === 0x7b ? 'key' : 'value';
        } else if ((c === 0x7d && top === 0x7b) || (c === 0x5d && top === 0x5b)) {
          stack.pop();
          i += 1;
        } else return i;
        break;
      }
    }
  }
}

/** Offset past the string starting at i, or -(error offset + 1). */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j += 1) {
    const c = text.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c < 0x20) return -j - 1;
    if (c === 0x5c) {
      const next = text[j + 1];
      if (next === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) return -j - 1;
        j += 5;
      } else if (next !== undefined && '"\\/bfnrt'.includes(next)) j += 1;
      else return -j - 1;
    }
  }
  return -text.length - 1;
}

/** 1-based line and column of the first JSON syntax error, if the text has one. */
export function jsonErrorPosition(text: string): { line: number; column: number } | undefined {
  const offset = jsonErrorOffset(text);
  return offset < 0 ? undefined : new LineIndex(text).position(offset);
}
