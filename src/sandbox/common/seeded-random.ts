/**
 * mulberry32: tiny, fast and good enough for fixtures and dice; the same seed always yields the same sequence of
 * numbers in [0, 1), so a seeded simulator or benchmark makes the same choices every run.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
