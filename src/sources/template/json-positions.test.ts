// Property tests of the JSON position scan and the JSON syntax-error locator against JSON.parse.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locate } from './cfn-positions.js';
import { JsonScanMemo, LineIndex, jsonErrorOffset, jsonOffset } from './json-positions.js';

/** Every path to a value inside `value`. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out = [prefix];
  if (Array.isArray(value)) value.forEach((item, index) => out.push(...paths(item, [...prefix, index])));
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) out.push(...paths(item, [...prefix, key]));
  return out;
}

describe('jsonOffset', () => {
  it('finds every path of any JSON value, compact or indented', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(0, 2, '\t'), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        for (const path of paths(value)) {
          const { offset, found } = jsonOffset(text, path);
          expect(found).toBe(path.length);
          const last = path[path.length - 1];
          // A key's position is its opening quote; an element's, the element itself.
          if (typeof last === 'string') expect(text.startsWith(JSON.stringify(last), offset)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('follows the last of duplicated keys, as JSON.parse does', () => {
    const text = '{"a": 1, "a": {"b": 2}}';
    expect(jsonOffset(text, ['a', 'b'])).toEqual({ offset: 15, found: 2 });
    expect(jsonOffset(text, ['a', 'b'], new JsonScanMemo())).toEqual({ offset: 15, found: 2 });
  });

  it('answers the same with one memo shared by many paths as with a fresh one per path, for paths that do not exist too', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(0, 2), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const memo = new JsonScanMemo();
        const all = paths(value).flatMap((path) => [path, [...path, 'missing'], [...path, 7]]);
        // Twice, so the second round answers from what the first one learnt.
        for (const round of [1, 2]) {
          for (const path of all) expect(jsonOffset(text, path, memo), `round ${round} ${JSON.stringify(path)}`).toEqual(jsonOffset(text, path));
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('jsonErrorOffset', () => {
  it('accepts exactly what JSON.parse accepts', () => {
    const valid = fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value, null, 1));
    const mutated = fc.tuple(valid, fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', '{', 'x', '\\', ' ', '1')).map(([text, at, insert]) => {
      const index = at % (text.length + 1);
      return text.slice(0, index) + insert + text.slice(index + (insert === '' ? 1 : 0));
    });
    fc.assert(
      fc.property(fc.oneof(valid, mutated), (text) => {
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        expect(jsonErrorOffset(text) < 0).toBe(parses);
      }),
      { numRuns: 1000 },
    );
  });

  it('points at the offending character', () => {
    expect(jsonErrorOffset('{"a": }')).toBe(6);
    expect(jsonErrorOffset('[1, 2')).toBe(5);
    expect(jsonErrorOffset('{"a": 1} x')).toBe(9);
    expect(new LineIndex('a\nbc\n').position(3)).toEqual({ line: 2, column: 2 });
  });
});

describe('JSON positions agree with a YAML parse of the same text', () => {
  it('for every path of any JSON value (JSON is YAML 1.2)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(0, 2), (value, indent) => {
        const text = JSON.stringify({ Resources: { R: { Type: 'T', Properties: { V: value } } } }, null, indent);
        const asJson = { text, format: 'json' as const };
        const asYaml = { text, format: 'yaml' as const };
        for (const path of paths(value, ['Resources', 'R', 'Properties', 'V'])) expect(locate(asJson, path)).toEqual(locate(asYaml, path));
      }),
      { numRuns: 150 },
    );
  });
});
