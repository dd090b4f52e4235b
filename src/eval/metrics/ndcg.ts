import type { JudgedRanking } from "../ranking.js";

/**
 * nDCG at cutoff k, as trec_eval's `ndcg_cut.k` (m_ndcg_cut.c): linear gain (the qrels grade;
 * grades ≤ 0 and unjudged documents gain nothing), discount log2(rank + 1), divided by the DCG of
 * the ideal ranking of all judged documents, both cut at k. Sums run in rank order, so the
 * floating-point result is the same as trec_eval's.
 */
export function ndcgAt(ranking: JudgedRanking, k: number): number {
  const { grades, idealGains } = ranking;
  let dcg = 0;
  const n = Math.min(k, grades.length);
  for (let i = 0; i < n; i++) {
    const gain = grades[i]!;
    if (gain > 0) dcg += gain / Math.log2(i + 2);
  }
  let idcg = 0;
  const m = Math.min(k, idealGains.length);
  for (let i = 0; i < m; i++) idcg += idealGains[i]! / Math.log2(i + 2);
  // trec_eval leaves the (necessarily zero) DCG undivided when the ideal DCG is 0.
  return idcg > 0 ? dcg / idcg : dcg;
}
