/**
 * Paired tests of system B against system A on the same queries, on per-query differences
 * d = B − A:
 *
 * - a percentile bootstrap confidence interval for the mean difference (resampling queries
 *   with replacement);
 * - a two-sided paired randomization (sign-flip) test: under "no difference" each d is as
 *   likely to have had the other sign. Exact (every 2^n assignment) when 2^n ≤ permutations,
 *   where n counts the non-zero differences; otherwise Monte Carlo with the +1 correction, so
 *   p is never 0 (Phipson & Smyth 2010);
 * - Student's paired t-test.
 *
 * Every random draw comes from a seeded PRNG, so a comparison reruns to the same numbers.
 */
import { seededRandom } from "./random.js";
import { studentTTwoSidedP } from "./student-t.js";

export const DEFAULT_SEED = 42;
export const DEFAULT_RESAMPLES = 10_000;
export const DEFAULT_PERMUTATIONS = 10_000;
export const DEFAULT_CONFIDENCE = 0.95;
/** Per-query differences this close to 0 are ties (metric values are exact up to rounding). */
export const TIE_TOLERANCE = 1e-12;

export interface PairedTestOptions {
  seed?: number;
  /** Bootstrap resamples (default 10,000). */
  resamples?: number;
  /** Randomization test permutations (default 10,000). */
  permutations?: number;
  /** Confidence level of the interval (default 0.95). */
  confidence?: number;
}

export interface PairedTestResult {
  n: number;
  meanA: number;
  meanB: number;
  /** Mean of B − A. */
  meanDiff: number;
  /** Percentile bootstrap interval for meanDiff. */
  ci: [number, number];
  pRandomization: number;
  /** Whether pRandomization enumerated every sign assignment (else Monte Carlo). */
  randomizationExact: boolean;
  /** Paired t statistic and p-value; null with fewer than 2 queries. */
  t: number | null;
  pTTest: number | null;
  /** Queries where B scores higher, equal, lower than A. */
  wins: number;
  ties: number;
  losses: number;
}

export function pairedTest(
  a: readonly number[],
  b: readonly number[],
  options: PairedTestOptions = {},
): PairedTestResult {
  if (a.length !== b.length) {
    throw new RangeError(`paired samples differ in length (${a.length} vs ${b.length})`);
  }
  const n = a.length;
  if (n === 0) throw new RangeError("a paired test needs at least one pair");
  const seed = options.seed ?? DEFAULT_SEED;
  const diffs = new Float64Array(n);
  let sumA = 0;
  let sumB = 0;
  let wins = 0;
  let ties = 0;
  let losses = 0;
  for (let i = 0; i < n; i += 1) {
    sumA += a[i]!;
    sumB += b[i]!;
    const d = b[i]! - a[i]!;
    diffs[i] = Math.abs(d) <= TIE_TOLERANCE ? 0 : d;
    if (diffs[i]! > 0) wins += 1;
    else if (diffs[i]! < 0) losses += 1;
    else ties += 1;
  }
  const meanDiff = sum(diffs) / n;
  const randomization = signFlipTest(diffs, options.permutations ?? DEFAULT_PERMUTATIONS, seed);
  const tTest = pairedT(diffs);
  return {
    n,
    meanA: sumA / n,
    meanB: sumB / n,
    meanDiff,
    ci: bootstrapInterval(
      diffs,
      options.resamples ?? DEFAULT_RESAMPLES,
      options.confidence ?? DEFAULT_CONFIDENCE,
      seed,
    ),
    pRandomization: randomization.p,
    randomizationExact: randomization.exact,
    t: tTest?.t ?? null,
    pTTest: tTest?.p ?? null,
    wins,
    ties,
    losses,
  };
}

function sum(values: Float64Array): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** Percentile bootstrap of the mean: quantiles of resampled means (linear interpolation). */
export function bootstrapInterval(
  diffs: Float64Array,
  resamples: number,
  confidence: number,
  seed: number,
): [number, number] {
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`resamples must be a positive integer (got ${resamples})`);
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must be in (0, 1) (got ${confidence})`);
  const n = diffs.length;
  const random = seededRandom(seed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r += 1) {
    let total = 0;
    for (let i = 0; i < n; i += 1) total += diffs[random.below(n)]!;
    means[r] = total / n;
  }
  means.sort();
  const tail = (1 - confidence) / 2;
  return [quantile(means, tail), quantile(means, 1 - tail)];
}

/** Quantile of sorted values, interpolating linearly between order statistics (R's type 7). */
export function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lower = Math.floor(h);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower]! + (h - lower) * (sorted[upper]! - sorted[lower]!);
}

/** Two-sided sign-flip test on the sum of differences (equivalent to the mean: n is fixed). */
export function signFlipTest(
  diffs: Float64Array,
  permutations: number,
  seed: number,
): { p: number; exact: boolean } {
  if (!Number.isInteger(permutations) || permutations < 1)
    throw new RangeError(`permutations must be a positive integer (got ${permutations})`);
  // Zero differences flip to themselves: only the others matter.
  const nonZero = Float64Array.from(diffs.filter((d) => d !== 0));
  const m = nonZero.length;
  if (m === 0) return { p: 1, exact: true };
  const observed = Math.abs(sum(nonZero));
  // As extreme as observed, up to rounding in the sums.
  const threshold = observed - 1e-9 * Math.max(1, observed);
  if (m <= 30 && 2 ** m <= permutations) {
    const total = 2 ** m;
    let extreme = 0;
    for (let mask = 0; mask < total; mask += 1) {
      let s = 0;
      for (let i = 0; i < m; i += 1) s += mask & (1 << i) ? -nonZero[i]! : nonZero[i]!;
      if (Math.abs(s) >= threshold) extreme += 1;
    }
    return { p: extreme / total, exact: true };
  }
  const random = seededRandom(seed + 1);
  let extreme = 0;
  for (let r = 0; r < permutations; r += 1) {
    let s = 0;
    let word = 0;
    for (let i = 0; i < m; i += 1) {
      if ((i & 31) === 0) word = random.bits();
      s += word & 1 ? -nonZero[i]! : nonZero[i]!;
      word >>>= 1;
    }
    if (Math.abs(s) >= threshold) extreme += 1;
  }
  return { p: (extreme + 1) / (permutations + 1), exact: false };
}

/** Student's paired t-test on the differences; null with fewer than two. */
export function pairedT(diffs: Float64Array): { t: number | null; p: number } | null {
  const n = diffs.length;
  if (n < 2) return null;
  const mean = sum(diffs) / n;
  let squares = 0;
  for (const d of diffs) squares += (d - mean) * (d - mean);
  const sd = Math.sqrt(squares / (n - 1));
  // Every difference equal: no spread to test against; p is 1 for no change, else 0.
  if (sd <= TIE_TOLERANCE) return { t: null, p: Math.abs(mean) <= TIE_TOLERANCE ? 1 : 0 };
  const t = mean / (sd / Math.sqrt(n));
  return { t, p: studentTTwoSidedP(t, n - 1) };
}
