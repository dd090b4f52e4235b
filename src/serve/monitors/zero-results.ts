import type { SearchMonitor } from "./types.js";

/**
 * Nothing found, or nothing good: no hits at all, or (where a floor is configured for the
 * pipeline, since score scales differ by pipeline) every hit scoring below it.
 */
export function zeroResultsMonitor(scoreFloors: Readonly<Record<string, number>>): SearchMonitor {
  return {
    type: "zero_results",
    check: ({ pipeline, result }) => {
      if (result.hits.length === 0) return { message: "no results", detail: { results: 0 } };
      const floor = scoreFloors[pipeline];
      if (floor === undefined) return undefined;
      const top = Math.max(...result.hits.map((hit) => hit.score));
      if (top >= floor) return undefined;
      return {
        message: `all ${result.hits.length} scores are below the floor ${floor} (best ${top.toFixed(4)})`,
        detail: { results: result.hits.length, top, floor },
      };
    },
  };
}
