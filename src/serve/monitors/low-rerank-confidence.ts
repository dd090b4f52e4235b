import type { SearchMonitor } from "./types.js";

/** The reranker's best candidate still scores below the floor: it believes nothing here answers. */
export function lowRerankConfidenceMonitor(floor: number): SearchMonitor {
  return {
    type: "low_rerank_confidence",
    check: ({ result }) => {
      const top = result.hits[0]?.rerank;
      if (top === undefined || top >= floor) return undefined;
      return {
        message: `the top rerank score ${top.toFixed(4)} is below ${floor}`,
        detail: { top, floor },
      };
    },
  };
}
