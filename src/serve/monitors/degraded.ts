import type { SearchMonitor } from "./types.js";

/** A pipeline answered without one of its stages (failed, over budget or overloaded). */
export function degradedMonitor(): SearchMonitor {
  return {
    type: "degraded",
    check: ({ result }) => {
      const degraded = result.degraded;
      if (degraded === undefined) return undefined;
      return {
        message: `stage ${degraded.stage} ${degraded.kind}: ${degraded.message}`,
        detail: { ...degraded },
      };
    },
  };
}
