// The nodes js-yaml 4 reads, in document order, noted through its node listener: where each starts, its kind,
// tag, anchor or alias, and the extent of its subtree. Enough for positions, for the `yaml` read's
// unresolved-tag warnings and for its alias bound, without building an AST.
import type { NodeListener } from 'js-yaml4';
import { intrinsicForTag } from './cfn-tags.js';

export const EMPTY = 0;
export const SCALAR = 1;
export const SEQUENCE = 2;
export const MAPPING = 3;
export const ALIAS = 4;

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/** Ends a tag, anchor or alias token: whitespace, a flow indicator or the end of the text. */
function endsToken(code: number): boolean {
  return isSpace(code) || code === 44 || code === 91 || code === 93 || code === 123 || code === 125 || Number.isNaN(code);
}

interface NodeProperties {
  /** Where the content starts (after separation space, comments, tag and anchor), or -1 at the end of the text. */
  readonly start: number;
  readonly tag: string | undefined;
  readonly tagAt: number;
  readonly anchor: string | undefined;
  /** The anchor name when the node is an alias (`*name`). */
  readonly alias: string | undefined;
}

/** From where the loader opens a node: skips separation space and comments, reads tag and anchor. */
function nodeProperties(text: string, from: number): NodeProperties {
  let at = from;
  let tag: string | undefined;
  let tagAt = -1;
  let anchor: string | undefined;
  for (;;) {
    const code = text.charCodeAt(at);
    if (isSpace(code)) at += 1;
    else if (code === 35 /* # */) {
      const newline = text.indexOf('\n', at);
      at = newline === -1 ? text.length : newline;
    } else if (code === 33 /* ! */ || code === 38 /* & */) {
      const begin = at;
      while (!endsToken(text.charCodeAt(at))) at += 1;
      if (code === 38) anchor = text.slice(begin + 1, at);
      else if (tag === undefined) {
        tag = text.slice(begin, at);
        tagAt = begin;
      }
    } else {
      let alias: string | undefined;
      if (code === 42 /* * */) {
        let end = at + 1;
        while (!endsToken(text.charCodeAt(end))) end += 1;
        alias = text.slice(at + 1, end);
      }
      return { start: at < text.length ? at : -1, tag, tagAt, anchor, alias };
    }
  }
}

export class NodeRecorder {
  /** Where the `yaml` walk says each node starts (after its tag and anchor; a quoted scalar at its quote), or -1. */
  readonly start: number[] = [];
  /** Index just past each node's subtree (its children follow it in document order). */
  readonly end: number[] = [];
  readonly kind: number[] = [];
  /** The node's own tag as written (e.g. "!If"), and where. */
  readonly tag: Array<string | undefined> = [];
  readonly tagAt: number[] = [];
  readonly anchor: Array<string | undefined> = [];
  readonly alias: Array<string | undefined> = [];
  /** For a scalar that can serve as a key: its string value (no tag or anchor). */
  readonly key: Array<string | undefined> = [];
  /** A collection whose child nodes do not pair up with its data (e.g. `{a, b: c}`): not walked. */
  readonly irregular: boolean[] = [];
  private readonly open: number[] = [];

  constructor(private readonly text: string) {}

  readonly listener: NodeListener = (event, state) => {
    if (event === 'open') {
      const found = nodeProperties(this.text, state.position);
      this.open.push(this.openNode(found.start, found.tag, found.tagAt, found.anchor, found.alias));
      return;
    }
    const index = this.open.pop();
    if (index === undefined) return;
    const kind =
      this.alias[index] !== undefined
        ? ALIAS
        : state.kind === 'mapping'
          ? MAPPING
          : state.kind === 'sequence'
            ? SEQUENCE
            : state.kind === 'scalar'
              ? SCALAR
              : EMPTY;
    // Only a collection has children: what was read under anything else was a speculative read the loader
    // rolled back (it retries a tagged scalar as a mapping key).
    if (kind !== MAPPING && kind !== SEQUENCE && this.start.length > index + 1) this.truncate(index + 1);
    this.kind[index] = kind;
    this.end[index] = this.start.length;
    const tag = this.tag[index];
    const start = this.start[index]!;
    const first = start >= 0 ? this.text.charCodeAt(start) : -1;
    if (kind === EMPTY || kind === ALIAS) this.start[index] = -1;
    else if (kind === SCALAR) {
      // A block scalar starts at its indicator for the `yaml` walk.
      if (first === 124 /* | */ || first === 62 /* > */) this.start[index] = -1;
      else if (tag === undefined && this.anchor[index] === undefined && typeof state.result === 'string') this.key[index] = state.result;
    } else {
      // The loader read the properties as the first key's, not the collection's (`!Tag key: value`).
      if (tag !== undefined && state.tag !== tag) {
        this.start[index] = -1;
        this.irregular[index] = true;
      }
      const long = intrinsicForTag(tag);
      const data = long !== undefined && typeof state.result === 'object' && state.result !== null ? (state.result as Record<string, unknown>)[long] : state.result;
      const expected =
        kind === MAPPING ? (typeof data === 'object' && data !== null && !Array.isArray(data) ? 2 * Object.keys(data).length : -1) : Array.isArray(data) ? data.length : -1;
      if (this.childCount(index) !== expected) this.irregular[index] = true;
    }
  };

  /**
   * Notes a node a reader opens (in document order; its children follow): where its content starts (-1 for
   * none, or a block scalar), its tag as written and where. Returns its index, for `closeNode`.
   */
  openNode(start: number, tag?: string, tagAt = -1, anchor?: string, alias?: string): number {
    const index = this.start.length;
    this.start.push(start);
    this.end.push(index + 1);
    this.kind.push(EMPTY);
    this.tag.push(tag);
    this.tagAt.push(tagAt);
    this.anchor.push(anchor);
    this.alias.push(alias);
    this.key.push(undefined);
    this.irregular.push(false);
    return index;
  }

  /**
   * Ends a node a reader noted whole (no anchor or alias): its kind, its string value as a plain key, and whether
   * its children do not pair up with its data.
   */
  closeNode(index: number, kind: number, key?: string, irregular = false): void {
    this.kind[index] = kind;
    this.end[index] = this.start.length;
    if (key !== undefined) this.key[index] = key;
    if (irregular) this.irregular[index] = true;
  }

  /** Moves every noted offset (a reader that read a changed copy of the text maps its offsets back). */
  remapOffsets(to: (offset: number) => number): void {
    for (let index = 0; index < this.start.length; index += 1) {
      if (this.start[index]! >= 0) this.start[index] = to(this.start[index]!);
      if (this.tagAt[index]! >= 0) this.tagAt[index] = to(this.tagAt[index]!);
    }
  }

  /** Forgets every node noted (a reader that declined part-way leaves the table to the next reader). */
  clear(): void {
    this.truncate(0);
    this.open.length = 0;
  }

  get size(): number {
    return this.start.length;
  }

  private truncate(length: number): void {
    for (const list of [this.start, this.end, this.kind, this.tag, this.tagAt, this.anchor, this.alias, this.key, this.irregular]) list.length = length;
  }

  private childCount(index: number): number {
    let count = 0;
    for (let child = index + 1; child < this.end[index]!; child = this.end[child]!) count += 1;
    return count;
  }

  /** Tags that are neither ours nor YAML's (`!Rain::Embed`), once each, in document order: [offset, tag]. */
  unknownTags(): Array<[number, string]> {
    const found = new Map<number, string>();
    this.tag.forEach((tag, index) => {
      if (tag !== undefined && tag !== '!' && !tag.startsWith('!!') && intrinsicForTag(tag) === undefined) found.set(this.tagAt[index]!, tag);
    });
    return [...found.entries()].sort(([a], [b]) => a - b);
  }

  /**
   * Whether the `yaml` read's alias bound (its maxAliasCount) lets these aliases through. The same rule, run
   * in the same (document) order: each time an anchor is aliased its count rises, and the read is refused once
   * that count times the anchor's alias weight (1 for a plain node, the heaviest alias inside a collection,
   * 0 for an empty collection) exceeds the bound.
   */
  withinAliasBound(maxAliasCount: number): boolean {
    if (maxAliasCount < 0) return true;
    const source = new Int32Array(this.size).fill(-1);
    const last = new Map<string, number>();
    for (let index = 0; index < this.size; index += 1) {
      const alias = this.alias[index];
      if (alias !== undefined) {
        if (maxAliasCount === 0) return false;
        source[index] = last.get(alias) ?? -1;
        if (source[index] === -1) return false;
      }
      const anchor = this.anchor[index];
      if (anchor !== undefined) last.set(anchor, index);
    }
    const count = new Map<number, number>();
    const weight = new Map<number, number>();
    const weightOf = (index: number): number => {
      const kind = this.kind[index];
      if (kind === ALIAS) {
        const target = source[index]!;
        return (count.get(target) ?? 0) * (weight.get(target) ?? 0);
      }
      if (kind !== MAPPING && kind !== SEQUENCE) return 1;
      let heaviest = 0;
      for (let child = index + 1; child < this.end[index]!; child = this.end[child]!) heaviest = Math.max(heaviest, weightOf(child));
      return heaviest;
    };
    for (let index = 0; index < this.size; index += 1) {
      if (this.anchor[index] !== undefined) {
        count.set(index, 1);
        weight.set(index, 0);
      }
      if (this.kind[index] !== ALIAS) continue;
      const target = source[index]!;
      const times = (count.get(target) ?? 0) + 1;
      count.set(target, times);
      if (weight.get(target) === 0) weight.set(target, weightOf(target));
      if (times * (weight.get(target) ?? 0) > maxAliasCount) return false;
    }
    return true;
  }
}
