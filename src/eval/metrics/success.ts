import type { JudgedRanking } from "../ranking.js";
import { relevantInTop } from "./recall.js";

/** Success at cutoff k (trec_eval's `success.k`, m_success.c): 1 if a relevant document is in the top k, else 0. */
export function successAt(ranking: JudgedRanking, k: number): number {
  return relevantInTop(ranking, k) > 0 ? 1 : 0;
}
