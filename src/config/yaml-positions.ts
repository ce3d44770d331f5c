// Finds the 1-based line of a key path in a YAML document, so config errors name the line.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

export interface YamlLocator {
  lineOf(path: ReadonlyArray<string | number>): number | undefined;
}

export function createYamlLocator(text: string): YamlLocator {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, keepSourceTokens: false });
  return {
    lineOf(path) {
      // Walk as deep as the path exists; an error about a missing key points at its parent.
      let node: unknown = document.contents;
      let offset: number | undefined = (node as Node | null)?.range?.[0];
      for (const segment of path) {
        if (isMap(node)) {
          const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
          if (!pair) break;
          offset = (pair.key as Node).range?.[0] ?? offset;
          node = pair.value;
        } else if (isSeq(node) && typeof segment === 'number') {
          const item = node.items[segment] as Node | undefined;
          if (!item) break;
          offset = item.range?.[0] ?? offset;
          node = item;
        } else {
          break;
        }
      }
      return offset === undefined ? undefined : lineCounter.linePos(offset).line;
    },
  };
}
