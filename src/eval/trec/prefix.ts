/**
 * Running sums over one judged ranking that several measures read at different cutoffs: relevant
 * documents so far, the sum of precisions at relevant ranks (average precision's numerator), and
 * the DCG of the ranking and of the ideal ranking. Each is summed in rank order, exactly as
 * trec_eval's loops sum them, so a value read at rank k equals trec_eval's to the last bit.
 * Computed once per query, on first use.
 */
import type { JudgedQuery } from "./judged-query.js";

export interface Prefixes {
  /** relevant[k]: relevant documents among the first k retrieved (k = 0 … numRet). */
  readonly relevant: Int32Array;
  /** precisionSum[k]: Σ (relevant so far / rank) over relevant ranks ≤ k. */
  readonly precisionSum: Float64Array;
  /** dcg[k]: Σ grade / log2(rank + 1) over the first k ranks, positive grades only. */
  readonly dcg: Float64Array;
  /** idealDcg[k]: the same over the first k ranks of the ideal ranking of all judged documents. */
  readonly idealDcg: Float64Array;
}

const cache = new WeakMap<JudgedQuery, Prefixes>();

export function prefixes(query: JudgedQuery): Prefixes {
  let found = cache.get(query);
  if (found === undefined) {
    found = compute(query);
    cache.set(query, found);
  }
  return found;
}

function compute(query: JudgedQuery): Prefixes {
  const { rels, numRet, relevanceLevel, relLevels } = query;
  const relevant = new Int32Array(numRet + 1);
  const precisionSum = new Float64Array(numRet + 1);
  const dcg = new Float64Array(numRet + 1);
  let rel = 0;
  let sum = 0;
  let gainSum = 0;
  for (let i = 0; i < numRet; i++) {
    const grade = rels[i]!;
    if (grade >= relevanceLevel) {
      rel++;
      sum += rel / (i + 1);
    }
    if (grade > 0) gainSum += grade / Math.log2(i + 2);
    relevant[i + 1] = rel;
    precisionSum[i + 1] = sum;
    dcg[i + 1] = gainSum;
  }
  let idealLength = 0;
  for (let g = 1; g < relLevels.length; g++) idealLength += relLevels[g]!;
  const idealDcg = new Float64Array(idealLength + 1);
  let i = 0;
  let ideal = 0;
  for (let g = relLevels.length - 1; g >= 1; g--) {
    for (let c = relLevels[g]!; c > 0; c--) {
      ideal += g / Math.log2(i + 2);
      idealDcg[++i] = ideal;
    }
  }
  return { relevant, precisionSum, dcg, idealDcg };
}

/** Reads a prefix array at rank k, past its end meaning its last value. */
export function at(values: Int32Array | Float64Array, k: number): number {
  return values[Math.min(k, values.length - 1)]!;
}
