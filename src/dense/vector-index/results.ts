import { TopK } from "../../lexical/top-k.js";
import type { VectorSearchResult } from "./vector-index.js";

/** Search results as parallel typed arrays, and the conversions into them. */

export function emptyResult(): VectorSearchResult {
  return { slots: new Int32Array(0), scores: new Float32Array(0) };
}

/** The pairs a TopK kept, best first (ties: lower slot first), plus `offset` on every score. */
export function drainTopK(top: TopK, offset = 0): VectorSearchResult {
  const kept = top.drain();
  const slots = new Int32Array(kept.length);
  const scores = new Float32Array(kept.length);
  kept.forEach((hit, i) => {
    slots[i] = hit.slot;
    scores[i] = hit.score + offset;
  });
  return { slots, scores };
}

export { TopK };
