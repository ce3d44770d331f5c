// Property tests of port-range arithmetic: membership is checked port by port on small universes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALL_PORTS,
  formatPortRange,
  isAllPorts,
  normalizeRanges,
  parsePortRange,
  portsInRange,
  rangeContainsPort,
  rangeContainsRange,
  rangesOverlap,
  subtractRanges,
  type PortRange,
} from './ports.js';

// A small universe (0-200) so every port can be enumerated; the maths does not depend on the bound.
const port = fc.integer({ min: 0, max: 200 });
const range: fc.Arbitrary<PortRange> = fc
  .tuple(port, port)
  .map(([a, b]) => ({ from: Math.min(a, b), to: Math.max(a, b) }));
const inAny = (ranges: readonly PortRange[], p: number) => ranges.some((r) => rangeContainsPort(r, p));

describe('port ranges', () => {
  it('parse and format round-trip', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 })),
        ([a, b]) => {
          const r = { from: Math.min(a, b), to: Math.max(a, b) };
          expect(parsePortRange(formatPortRange(r))).toEqual(r);
        },
      ),
    );
  });

  it.each([['70000'], ['10-5'], ['-1'], ['a'], ['1-2-3'], ['']])('refuses %j', (text) => {
    expect(parsePortRange(text)).toBeUndefined();
  });

  it('reads "*", numbers and spaced ranges', () => {
    expect(parsePortRange('*')).toEqual(ALL_PORTS);
    expect(parsePortRange(22)).toEqual({ from: 22, to: 22 });
    expect(parsePortRange(' 8000 - 8080 ')).toEqual({ from: 8000, to: 8080 });
    expect(parsePortRange(70000)).toBeUndefined();
    expect(isAllPorts(ALL_PORTS)).toBe(true);
  });

  it('overlap ⇔ a shared port; containment ⇔ every port shared', () => {
    fc.assert(
      fc.property(range, range, (a, b) => {
        const ports = Array.from({ length: 201 }, (_, p) => p);
        expect(rangesOverlap(a, b)).toBe(
          ports.some((p) => rangeContainsPort(a, p) && rangeContainsPort(b, p)),
        );
        expect(rangesOverlap(a, b)).toBe(rangesOverlap(b, a));
        expect(rangeContainsRange(a, b)).toBe(
          ports.every((p) => !rangeContainsPort(b, p) || rangeContainsPort(a, p)),
        );
      }),
    );
  });

  it('normalizeRanges keeps membership and yields sorted, disjoint, non-adjacent ranges', () => {
    fc.assert(
      fc.property(fc.array(range, { maxLength: 8 }), (ranges) => {
        const normal = normalizeRanges(ranges);
        for (let p = 0; p <= 200; p++) expect(inAny(normal, p)).toBe(inAny(ranges, p));
        for (let i = 1; i < normal.length; i++)
          expect(normal[i]!.from).toBeGreaterThan(normal[i - 1]!.to + 1);
      }),
    );
  });

  it('subtractRanges ⇔ the ports of the range outside every cut', () => {
    fc.assert(
      fc.property(range, fc.array(range, { maxLength: 6 }), (r, cuts) => {
        const rest = subtractRanges(r, cuts);
        for (let p = 0; p <= 200; p++)
          expect(inAny(rest, p)).toBe(rangeContainsPort(r, p) && !inAny(cuts, p));
        expect(normalizeRanges(rest)).toEqual(rest);
      }),
    );
  });

  it('portsInRange lists the ports inside', () => {
    expect(portsInRange({ from: 0, to: 1024 }, [22, 3389, 443])).toEqual([22, 443]);
  });
});
