// mulberry32: a tiny, well-known deterministic PRNG, for reproducible generated data (the sample
// year, benchmark data, seeded tests). Not for anything that needs unpredictability.

/** A generator of 32-bit unsigned integers from `seed` (xtask/src/bench.rs mirrors it). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** A generator of numbers in [0, 1) from `seed`. */
export function uniform(seed) {
  const next = mulberry32(seed);
  return () => next() / 4294967296;
}
