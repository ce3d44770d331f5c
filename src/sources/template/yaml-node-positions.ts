// Positions in a YAML template from one more fast read that notes where each node starts (js-yaml 4's node
// listener: offsets, no AST), several times cheaper than composing a `yaml` Document. It answers only where it
// is sure to agree with the `yaml` walk in cfn-positions.ts; anything else (aliases, block scalars, keys that
// are not plain strings, collections whose children do not line up with their data, a text the fast read
// declines) is `undefined`, and the caller asks the `yaml` walk.
import { fastYamlRead } from './cfn-fast-yaml.js';
import { intrinsicForTag } from './cfn-tags.js';
import type { SourcePath } from './source-path.js';
import { ALIAS, MAPPING, NodeRecorder, SEQUENCE } from './yaml-nodes.js';

export interface NodeWalk {
  /** Character offset of the deepest part of the path found. */
  readonly offset: number;
  /** How many segments of the path were found. */
  readonly found: number;
}

export class YamlNodes {
  private constructor(private readonly nodes: NodeRecorder) {}

  /** The nodes a whole fast read noted. */
  static of(nodes: NodeRecorder): YamlNodes {
    return new YamlNodes(nodes);
  }

  /** Undefined when the fast read declines the text (the `yaml` walk then decides). */
  static parse(text: string, limits: { maxDepth: number; maxAliasCount: number }): YamlNodes | undefined {
    const recorder = new NodeRecorder(text);
    return fastYamlRead(text, { ...limits, recorder }) === undefined || recorder.size === 0 ? undefined : new YamlNodes(recorder);
  }

  private startOf(index: number): number | undefined {
    const start = this.nodes.start[index]!;
    return start < 0 ? undefined : start;
  }

  /** The walk of cfn-positions.ts over the nodes; undefined where it might disagree. */
  walk(path: SourcePath): NodeWalk | undefined {
    const { kind, end, key, irregular, tag } = this.nodes;
    let node = 0;
    let offset = this.startOf(node);
    if (offset === undefined) return undefined;
    let found = 0;
    for (const segment of path) {
      if (kind[node] === ALIAS) return undefined;
      if (typeof segment === 'string' && intrinsicForTag(tag[node]) === segment) {
        found += 1;
        continue;
      }
      if ((kind[node] === MAPPING || kind[node] === SEQUENCE) && irregular[node]) return undefined;
      if (kind[node] === MAPPING) {
        const wanted = String(segment);
        let hit: number | undefined;
        for (let child = node + 1; child < end[node]!; ) {
          const text = key[child];
          if (text === undefined) return undefined;
          if (text === wanted) {
            hit = child;
            break;
          }
          child = end[end[child]!]!;
        }
        if (hit === undefined) break;
        offset = this.startOf(hit) ?? offset;
        node = end[hit]!;
      } else if (kind[node] === SEQUENCE && typeof segment === 'number') {
        let child = node + 1;
        for (let index = 0; index < segment && child < end[node]!; index += 1) child = end[child]!;
        if (child >= end[node]!) break;
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
