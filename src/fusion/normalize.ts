import { PairliftError } from "../errors.js";

/**
 * Score normalisations for weighted fusion: each maps one retriever's scores for one query onto
 * a common scale so that a BM25 score of 14 and a cosine of 0.8 can be added.
 *
 * - `minmax`: (s − min) / (max − min), into [0, 1]; when every score is equal (or there is only
 *   one) each becomes 1, since the list's best hit should still count fully.
 * - `zscore`: (s − μ) / σ with the population σ (divide by n); σ = 0 gives 0 for every score.
 * - `dbsf`: distribution-based score fusion as Qdrant implements it (segment/src/common/
 *   score_fusion.rs): the range μ ± 3σ maps onto [0, 1], (s − (μ − 3σ)) / 6σ, clipped to [0, 1].
 *   σ is the SAMPLE standard deviation (divide by n − 1), as in Qdrant; with one score or
 *   σ = 0 every score becomes 0.5.
 * - `none`: the scores as they are.
 *
 * "All equal" is decided by comparing min and max exactly, not by testing a computed σ against
 * 0: the mean of identical doubles can be off by an ulp, which would make σ a tiny non-zero
 * number and blow the scores up.
 */
export type Normalization = "minmax" | "zscore" | "dbsf" | "none";

/** Every normalisation, in the order documentation lists them. */
export const NORMALIZATIONS: readonly Normalization[] = Object.freeze([
  "minmax",
  "zscore",
  "dbsf",
  "none",
]);

/** Returns a new array with `scores` normalised by `method`; the input is not modified. */
export function normalizeScores(
  scores: Float64Array | readonly number[],
  method: Normalization,
): Float64Array {
  // Checked here too because methods also arrive from tuned-fusion JSON files.
  if (!NORMALIZATIONS.includes(method)) throw unknownMethod(method);
  const out = Float64Array.from(scores);
  const n = out.length;
  if (n === 0 || method === "none") return out;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const s = out[i]!;
    if (s < min) min = s;
    if (s > max) max = s;
    sum += s;
  }
  const allEqual = min === max;
  switch (method) {
    case "minmax": {
      if (allEqual) return out.fill(1);
      const range = max - min;
      for (let i = 0; i < n; i++) out[i] = (out[i]! - min) / range;
      return out;
    }
    case "zscore": {
      if (allEqual) return out.fill(0);
      const mean = sum / n;
      const sd = Math.sqrt(sumSquaredDeviations(out, mean) / n);
      for (let i = 0; i < n; i++) out[i] = (out[i]! - mean) / sd;
      return out;
    }
    case "dbsf": {
      if (allEqual) return out.fill(0.5);
      const mean = sum / n;
      const sd = Math.sqrt(sumSquaredDeviations(out, mean) / (n - 1));
      const low = mean - 3 * sd;
      const width = 6 * sd;
      for (let i = 0; i < n; i++) {
        const v = (out[i]! - low) / width;
        out[i] = v < 0 ? 0 : v > 1 ? 1 : v;
      }
      return out;
    }
    default:
      throw unknownMethod(method);
  }
}

/** Σ (s − mean)², the second pass of a two-pass variance (stable for the list sizes fused). */
function sumSquaredDeviations(scores: Float64Array, mean: number): number {
  let total = 0;
  for (let i = 0; i < scores.length; i++) {
    const d = scores[i]! - mean;
    total += d * d;
  }
  return total;
}

function unknownMethod(method: unknown): PairliftError {
  return new PairliftError(
    "E_CONFIG",
    `unknown normalization ${JSON.stringify(method)}; expected one of ${NORMALIZATIONS.join(", ")}`,
    { field: "normalization" },
  );
}
