import { type JudgedRanking, RELEVANCE_LEVEL } from "../ranking.js";

/**
 * Average precision (trec_eval's `map`, m_map.c), or with a cutoff k `map_cut.k` (m_map_cut.c):
 * the precision at the rank of each relevant document retrieved in the top k, summed, divided by
 * the number of relevant documents in the qrels (retrieved or not); 0 when the query has none.
 */
export function averagePrecision(ranking: JudgedRanking, k = Number.POSITIVE_INFINITY): number {
  const { grades, numRel } = ranking;
  if (numRel === 0) return 0;
  const n = Math.min(k, grades.length);
  let relSoFar = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (grades[i]! >= RELEVANCE_LEVEL) {
      relSoFar++;
      sum += relSoFar / (i + 1);
    }
  }
  return sum / numRel;
}
