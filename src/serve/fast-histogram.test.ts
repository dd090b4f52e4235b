import { AggregatorRegistry, Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { FastHistogram } from "./fast-histogram.js";

const BUCKETS = [0.001, 0.01, 0.1, 1];
const OBSERVED: [number, string, string][] = [
  [0.0005, "bm25", "lexical"],
  [0.01, "bm25", "lexical"], // on a bound: counted in that bucket
  [0.2, "hybrid", "dense"],
  [3, "bm25", "rerank"], // beyond the last bound: only in +Inf
  [0.05, "bm25", "lexical"],
];

function both(): { reference: Registry; fast: Registry } {
  const reference = new Registry();
  const fast = new Registry();
  const histogram = new Histogram({
    name: "latency_seconds",
    help: "Latency",
    labelNames: ["pipeline", "stage"],
    buckets: BUCKETS,
    registers: [reference],
  });
  const mine = new FastHistogram(
    "latency_seconds",
    "Latency",
    ["pipeline", "stage"],
    BUCKETS,
    fast,
  );
  for (const [value, pipeline, stage] of OBSERVED) {
    histogram.observe({ pipeline, stage }, value);
    mine.observe(value, pipeline, stage);
  }
  return { reference, fast };
}

describe("FastHistogram", () => {
  it("writes the lines prom-client's Histogram writes for the same observations", async () => {
    const { reference, fast } = both();
    const lines = async (registry: Registry) => (await registry.metrics()).split("\n").sort();
    expect(await lines(fast)).toEqual(await lines(reference));
  });

  it("merges across processes like prom-client's Histogram (the --workers /metrics)", async () => {
    const { reference, fast } = both();
    const merged = async (registry: Registry) =>
      (
        await AggregatorRegistry.aggregate([
          await registry.getMetricsAsJSON(),
          await registry.getMetricsAsJSON(),
        ]).metrics()
      )
        .split("\n")
        .sort();
    expect(await merged(fast)).toEqual(await merged(reference));
  });
});
