// Inclusive port ranges (0-65535): parse, contain, overlap, subtract; the arithmetic of security-group rules.

export interface PortRange {
  readonly from: number;
  readonly to: number;
}

export const MIN_PORT = 0;
export const MAX_PORT = 65535;
export const ALL_PORTS: PortRange = Object.freeze({ from: MIN_PORT, to: MAX_PORT });

const RANGE_TEXT = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/;

export function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= MIN_PORT && value <= MAX_PORT;
}

/** "22", "8000-8999", 443, or "*" (every port). Undefined when malformed or reversed. */
export function parsePortRange(input: string | number): PortRange | undefined {
  if (typeof input === 'number') return isPort(input) ? { from: input, to: input } : undefined;
  const text = input.trim();
  if (text === '*' || text === 'all') return ALL_PORTS;
  const match = RANGE_TEXT.exec(text);
  if (!match) return undefined;
  const from = Number(match[1]);
  const to = match[2] === undefined ? from : Number(match[2]);
  if (!isPort(from) || !isPort(to) || from > to) return undefined;
  return { from, to };
}

export function formatPortRange(range: PortRange): string {
  return range.from === range.to ? String(range.from) : `${range.from}-${range.to}`;
}

export function portRangeSize(range: PortRange): number {
  return range.to - range.from + 1;
}

export function rangeContainsPort(range: PortRange, port: number): boolean {
  return port >= range.from && port <= range.to;
}

export function rangeContainsRange(outer: PortRange, inner: PortRange): boolean {
  return inner.from >= outer.from && inner.to <= outer.to;
}

export function rangesOverlap(a: PortRange, b: PortRange): boolean {
  return a.from <= b.to && b.from <= a.to;
}

export function isAllPorts(range: PortRange): boolean {
  return range.from <= MIN_PORT && range.to >= MAX_PORT;
}

/** Sorted, with overlapping and adjacent ranges merged: the canonical form of a set of ports. */
export function normalizeRanges(ranges: readonly PortRange[]): PortRange[] {
  const sorted = [...ranges].sort((a, b) => a.from - b.from || a.to - b.to);
  const out: PortRange[] = [];
  for (const range of sorted) {
    const last = out[out.length - 1];
    if (last && range.from <= last.to + 1) {
      if (range.to > last.to) out[out.length - 1] = { from: last.from, to: range.to };
    } else {
      out.push({ from: range.from, to: range.to });
    }
  }
  return out;
}

/** The ports of `range` not in any of `minus`, as normalised ranges. */
export function subtractRanges(range: PortRange, minus: readonly PortRange[]): PortRange[] {
  const out: PortRange[] = [];
  let cursor = range.from;
  for (const cut of normalizeRanges(minus)) {
    if (cut.to < cursor) continue;
    if (cut.from > range.to) break;
    if (cut.from > cursor) out.push({ from: cursor, to: cut.from - 1 });
    cursor = cut.to + 1;
    if (cursor > range.to) return out;
  }
  if (cursor <= range.to) out.push({ from: cursor, to: range.to });
  return out;
}

/** The listed ports that fall inside `range`, in list order. */
export function portsInRange(range: PortRange, ports: readonly number[]): number[] {
  const out: number[] = [];
  for (const port of ports) if (port >= range.from && port <= range.to) out.push(port);
  return out;
}
