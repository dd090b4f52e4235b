/**
 * A small seeded PRNG (mulberry32, as scripts/make-demo.mjs uses) for resampling tests and probe
 * sampling: the same seed gives the same numbers on every platform and Node version, which
 * Math.random cannot promise.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** 32 random bits as an unsigned integer. */
  bits(): number;
  /** An integer in [0, n). */
  below(n: number): number;
}

export function seededRandom(seed: number): Random {
  // Mix the seed once so that nearby seeds (1, 2, 3) start far apart.
  let state = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  const bits = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    bits,
    next: () => bits() / 4294967296,
    below: (n) => Math.floor((bits() / 4294967296) * n),
  };
}

/** Fisher–Yates shuffle in place. */
export function shuffle<T>(values: T[], random: Random): T[] {
  for (let i = values.length - 1; i > 0; i -= 1) {
    const j = random.below(i + 1);
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
  return values;
}
