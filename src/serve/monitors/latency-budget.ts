import type { SearchMonitor } from "./types.js";

/** A response slower than the budget, with the stage that took longest. */
export function latencyBudgetMonitor(budgetMs: number): SearchMonitor {
  return {
    type: "latency_budget",
    check: ({ tookMs, result }) => {
      if (tookMs <= budgetMs) return undefined;
      const slowest = Object.entries(result.timingsMs).reduce<[string, number] | undefined>(
        (worst, entry) => (worst === undefined || entry[1] > worst[1] ? entry : worst),
        undefined,
      );
      return {
        message: `took ${tookMs.toFixed(1)} ms, over the ${budgetMs} ms budget${slowest === undefined ? "" : ` (slowest stage: ${slowest[0]}, ${slowest[1].toFixed(1)} ms)`}`,
        detail: { tookMs, budgetMs, timingsMs: result.timingsMs },
      };
    },
  };
}
