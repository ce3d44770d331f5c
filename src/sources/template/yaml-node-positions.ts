// Positions in a YAML template from one more fast read that notes where each node starts (js-yaml 4's node
// listener: offsets, no AST), several times cheaper than composing a `yaml` Document. It answers only where it
// is sure to agree with the `yaml` walk in cfn-positions.ts; anything else (block scalars, keys that are not
// plain strings, collections whose children do not line up with their data, a text the fast read declines)
// is `undefined`, and the caller asks the `yaml` walk.
import { endsToken, fastYamlRead, type NodeListener } from './cfn-fast-yaml.js';
import { intrinsicForTag } from './cfn-tags.js';
import type { SourcePath } from './source-path.js';

export interface NodeWalk {
  /** Character offset of the deepest part of the path found. */
  readonly offset: number;
  /** How many segments of the path were found. */
  readonly found: number;
}

const SCALAR = 1;
const SEQUENCE = 2;
const MAPPING = 3;

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}


export class YamlNodes {
  /** Where the `yaml` walk says each node starts (after its tag and anchor; a quoted scalar at its quote), or -1. */
  private readonly start: number[] = [];
  /** Index just past each node's subtree (its children follow it in document order). */
  private readonly end: number[] = [];
  private readonly kind: number[] = [];
  /** The node's own tag as written (e.g. "!If"), if any. */
  private readonly tag: Array<string | undefined> = [];
  /** For a scalar that can serve as a key: its string value (plain string, quoted, no tag or anchor). */
  private readonly key: Array<string | undefined> = [];
  /** A collection whose child nodes do not pair up with its data (e.g. `{a, b: c}`): not walked. */
  private readonly irregular: boolean[] = [];

  private constructor(private readonly text: string) {}

  /** Undefined when the fast read declines the text (the `yaml` walk then decides). */
  static parse(text: string): YamlNodes | undefined {
    const nodes = new YamlNodes(text);
    const open: number[] = [];
    // Per open node: whether a tag or anchor was read before its content.
    const anchored: boolean[] = [];
    const listener: NodeListener = (event, state) => {
      if (event === 'open') {
        const index = nodes.start.length;
        open.push(index);
        const { start, tag, anchor } = nodes.properties(state.position);
        nodes.start.push(start);
        nodes.end.push(index + 1);
        nodes.kind.push(0);
        nodes.tag.push(tag);
        nodes.key.push(undefined);
        nodes.irregular.push(false);
        anchored[index] = anchor;
        return;
      }
      const index = open.pop();
      if (index === undefined) return;
      const kind = state.kind === 'mapping' ? MAPPING : state.kind === 'sequence' ? SEQUENCE : state.kind === 'scalar' ? SCALAR : 0;
      if (kind !== MAPPING && kind !== SEQUENCE) {
        // A scalar has no children: what was read under it was a speculative read the loader rolled back.
        nodes.truncate(index + 1);
      }
      nodes.kind[index] = kind;
      nodes.end[index] = nodes.start.length;
      const tag = nodes.tag[index];
      const first = nodes.start[index]! >= 0 ? text.charCodeAt(nodes.start[index]!) : -1;
      if (kind === 0) nodes.start[index] = -1;
      else if (kind === SCALAR) {
        // A block scalar starts at its indicator for the `yaml` walk.
        if (first === 124 /* | */ || first === 62 /* > */) nodes.start[index] = -1;
        else if (tag === undefined && !anchored[index] && typeof state.result === 'string') nodes.key[index] = state.result;
      } else {
        // The loader read the properties as the first key's, not the collection's (`!Tag key: value`).
        if (tag !== undefined && state.tag !== tag) {
          nodes.start[index] = -1;
          nodes.irregular[index] = true;
        }
        const long = intrinsicForTag(tag);
        const data = long !== undefined && typeof state.result === 'object' && state.result !== null ? (state.result as Record<string, unknown>)[long] : state.result;
        const children = nodes.childCount(index);
        const expected = kind === MAPPING ? (typeof data === 'object' && data !== null && !Array.isArray(data) ? 2 * Object.keys(data).length : -1) : Array.isArray(data) ? data.length : -1;
        if (children !== expected) nodes.irregular[index] = true;
      }
    };
    return fastYamlRead(text, 100, listener) === undefined || nodes.start.length === 0 ? undefined : nodes;
  }

  /** From where the loader opens a node: skips separation space, comments, tag and anchor. */
  private properties(from: number): { start: number; tag: string | undefined; anchor: boolean } {
    const text = this.text;
    let at = from;
    let tag: string | undefined;
    let anchor = false;
    for (;;) {
      const code = text.charCodeAt(at);
      if (isSpace(code)) at += 1;
      else if (code === 35 /* # */) {
        const newline = text.indexOf('\n', at);
        at = newline === -1 ? text.length : newline;
      } else if (code === 33 /* ! */ || code === 38 /* & */) {
        const begin = at;
        while (!endsToken(text.charCodeAt(at))) at += 1;
        if (code === 33) tag ??= text.slice(begin, at);
        else anchor = true;
      } else return { start: at < text.length ? at : -1, tag, anchor };
    }
  }

  private truncate(length: number): void {
    for (const list of [this.start, this.end, this.kind, this.tag, this.key, this.irregular]) list.length = length;
  }

  private childCount(index: number): number {
    let count = 0;
    for (let child = index + 1; child < this.end[index]!; child = this.end[child]!) count += 1;
    return count;
  }

  private startOf(index: number): number | undefined {
    const start = this.start[index]!;
    return start < 0 ? undefined : start;
  }

  /** The walk of cfn-positions.ts over the nodes; undefined where it might disagree. */
  walk(path: SourcePath): NodeWalk | undefined {
    let node = 0;
    let offset = this.startOf(node);
    if (offset === undefined) return undefined;
    let found = 0;
    for (const segment of path) {
      if (typeof segment === 'string' && intrinsicForTag(this.tag[node]) === segment) {
        found += 1;
        continue;
      }
      const kind = this.kind[node];
      if ((kind === MAPPING || kind === SEQUENCE) && this.irregular[node]) return undefined;
      if (kind === MAPPING) {
        const wanted = String(segment);
        let hit: number | undefined;
        for (let child = node + 1; child < this.end[node]!; ) {
          const key = this.key[child];
          if (key === undefined) return undefined;
          if (key === wanted) {
            hit = child;
            break;
          }
          child = this.end[this.end[child]!]!;
        }
        if (hit === undefined) break;
        offset = this.startOf(hit) ?? offset;
        node = this.end[hit]!;
      } else if (kind === SEQUENCE && typeof segment === 'number') {
        let child = node + 1;
        for (let index = 0; index < segment && child < this.end[node]!; index += 1) child = this.end[child]!;
        if (child >= this.end[node]!) break;
        const start = this.startOf(child);
        if (start === undefined) return undefined;
        offset = start;
        node = child;
      } else break;
      found += 1;
    }
    return { offset, found };
  }
}
