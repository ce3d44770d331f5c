// A small deterministic PRNG for tests and benches: the same seed gives the same sequence, so a generated case
// that fails can be replayed from its seed.

export type Random = () => number;

/** mulberry32: tiny, fast, and good enough to make generated data look irregular. Numbers in [0, 1). */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
