import { type JudgedRanking, RELEVANCE_LEVEL } from "../ranking.js";

/**
 * Recall at cutoff k (trec_eval's `recall.k`, m_recall.c): relevant documents in the top k divided
 * by all relevant documents in the qrels (retrieved or not); 0 when the query has none.
 */
export function recallAt(ranking: JudgedRanking, k: number): number {
  if (ranking.numRel === 0) return 0;
  return relevantInTop(ranking, k) / ranking.numRel;
}

/** Number of relevant documents among the top k. */
export function relevantInTop(ranking: JudgedRanking, k: number): number {
  const { grades } = ranking;
  const n = Math.min(k, grades.length);
  let count = 0;
  for (let i = 0; i < n; i++) if (grades[i]! >= RELEVANCE_LEVEL) count++;
  return count;
}
