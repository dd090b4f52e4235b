import type { JudgedRanking } from "../ranking.js";

/**
 * Judged@k (as ir_measures reports it): the fraction of the top k documents that the qrels judge,
 * whatever the grade, divided by k. A low value warns that the other metrics count unjudged
 * documents as misses: a system that finds documents nobody judged looks worse than it is.
 */
export function judgedAt(ranking: JudgedRanking, k: number): number {
  const { judged } = ranking;
  const n = Math.min(k, judged.length);
  let count = 0;
  for (let i = 0; i < n; i++) count += judged[i]!;
  return count / k;
}
