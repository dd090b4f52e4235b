import { type JudgedRanking, RELEVANCE_LEVEL } from "../ranking.js";

/**
 * Reciprocal rank of the first relevant document (trec_eval's `recip_rank`, m_recip_rank.c), or 0
 * when none is retrieved. With a cutoff k (MRR@k, not a trec_eval measure), only the top k count.
 */
export function reciprocalRank(ranking: JudgedRanking, k = Number.POSITIVE_INFINITY): number {
  const { grades } = ranking;
  const n = Math.min(k, grades.length);
  for (let i = 0; i < n; i++) {
    if (grades[i]! >= RELEVANCE_LEVEL) return 1 / (i + 1);
  }
  return 0;
}
