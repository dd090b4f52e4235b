import type { JudgedRanking } from "../ranking.js";
import { relevantInTop } from "./recall.js";

/**
 * Precision at cutoff k (trec_eval's `P.k`, m_P.c): relevant documents in the top k divided by k,
 * always by k: when fewer than k documents are retrieved the rest count as non-relevant.
 */
export function precisionAt(ranking: JudgedRanking, k: number): number {
  return relevantInTop(ranking, k) / k;
}
