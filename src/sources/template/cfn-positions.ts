// File positions for template paths, computed on demand: the plain load keeps none, to stay fast.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { JsonScanMemo, LineIndex, jsonOffset } from './json-positions.js';
import { CFN_YAML_TAGS, intrinsicForTag } from './cfn-tags.js';
import type { SourcePath } from './source-path.js';
import { YamlNodes } from './yaml-node-positions.js';
import type { NodeRecorder } from './yaml-nodes.js';
import { DEFAULT_MAX_ALIAS_COUNT, DEFAULT_MAX_DEPTH } from './cfn-fast-yaml.js';

/** What positions need from a loaded template (LoadedTemplate satisfies it). */
export interface PositionSource {
  readonly text: string;
  /** 'json' when the text went through JSON.parse, 'yaml' otherwise. */
  readonly format: 'json' | 'yaml';
  /** YAML positions from a composed `yaml` Document only (the reference walk), not the node walk. */
  readonly reference?: boolean;
}

export interface SourcePosition {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units. */
  readonly column: number;
  /** False when only a prefix of the path exists (the position is that of the deepest part found). */
  readonly exact: boolean;
}

export interface Locator {
  locate(path: SourcePath): SourcePosition;
}

// One locator per loaded template, built the first time a position is asked for and then reused.
const locators = new WeakMap<PositionSource, Locator>();

/** Line and column of `path` (e.g. ['Resources', 'WebSG', 'Properties']) in the template's text. */
export function locate(loaded: PositionSource, path: SourcePath): SourcePosition {
  let locator = locators.get(loaded);
  if (locator === undefined) {
    if (loaded.format === 'json') locator = jsonLocator(loaded.text);
    else locator = loaded.reference === true ? yamlDocumentLocator(loaded.text) : yamlLocator(loaded.text);
    locators.set(loaded, locator);
  }
  return locator.locate(path);
}

/** Positions noted while the template was read (LoadOptions.positionHint): `locate` then reads nothing again. */
export function notePositions(loaded: PositionSource, nodes: NodeRecorder): void {
  if (loaded.format === 'yaml' && loaded.reference !== true) locators.set(loaded, yamlLocator(loaded.text, YamlNodes.of(nodes)));
}

function jsonLocator(text: string): Locator {
  const lines = new LineIndex(text);
  const memo = new JsonScanMemo();
  return {
    locate(path) {
      const { offset, found } = jsonOffset(text, path, memo);
      return { ...lines.position(offset), exact: found === path.length };
    },
  };
}

function yamlLocator(text: string, noted?: YamlNodes): Locator {
  // The node walk answers most paths; the `yaml` Document (several times dearer) is composed only
  // for a path the node walk declines (see yaml-node-positions.ts).
  const lines = new LineIndex(text);
  // The loader's default bounds: a template loaded with wider ones is located by the `yaml` walk.
  const nodes = noted ?? YamlNodes.parse(text, { maxDepth: DEFAULT_MAX_DEPTH, maxAliasCount: DEFAULT_MAX_ALIAS_COUNT });
  let reference: Locator | undefined;
  return {
    locate(path) {
      const walked = nodes?.walk(path);
      if (walked !== undefined) return { ...lines.position(walked.offset), exact: walked.found === path.length };
      reference ??= yamlDocumentLocator(text);
      return reference.locate(path);
    },
  };
}

/** The reference walk over a composed `yaml` Document; what the node walk must agree with. */
export function yamlDocumentLocator(text: string): Locator {
  const lineCounter = new LineCounter();
  let doc: Document | undefined;
  try {
    doc = parseDocument(text, { customTags: CFN_YAML_TAGS, lineCounter, logLevel: 'silent' });
  } catch {
    doc = undefined;
  }
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return {
    locate(path) {
      if (doc === undefined || !doc.contents) return { line: 1, column: 1, exact: path.length === 0 };
      const found = walkYaml(doc, doc.contents, path);
      return { ...position(found.offset), exact: found.found === path.length };
    },
  };
}

function keyMatches(key: unknown, segment: string | number): boolean {
  return isScalar(key) && String(key.value) === String(segment);
}

function walkYaml(doc: Document, root: Node, path: SourcePath): { offset: number; found: number } {
  let node: unknown = root;
  let offset = root.range?.[0] ?? 0;
  let found = 0;
  // Bounded: each step consumes a segment; aliases are followed at most a few times per step.
  for (const segment of path) {
    for (let hops = 0; isAlias(node) && hops < 8; hops += 1) node = node.resolve(doc);
    const tagged = (node as { tag?: string } | null)?.tag;
    if (typeof segment === 'string' && intrinsicForTag(tagged) === segment) {
      // A short-form tag stands for the intrinsic's key: the key's position is the tag's node.
      found += 1;
      continue;
    }
    if (isMap(node)) {
      const pair = node.items.find((item) => keyMatches(item.key, segment));
      if (pair === undefined) break;
      offset = (pair.key as Node | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      node = item;
      offset = (item as Node | null)?.range?.[0] ?? offset;
    } else break;
    found += 1;
  }
  return { offset, found };
}
