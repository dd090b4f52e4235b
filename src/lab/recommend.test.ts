import { describe, expect, it } from "vitest";
import { recommend, type RecommendCandidate } from "./recommend.js";

const candidates: RecommendCandidate[] = [
  { id: "bm25", quality: 0.7, p95Ms: 2, costPer1000: 0 },
  { id: "hybrid", quality: 0.8, p95Ms: 30, costPer1000: 0, gate: { passed: true, failures: [] } },
  {
    id: "hosted",
    quality: 0.9,
    p95Ms: 40,
    costPer1000: 0.5,
    gate: { passed: true, failures: [] },
  },
  {
    id: "breaks-skus",
    quality: 0.95,
    p95Ms: 5,
    costPer1000: 0,
    gate: { passed: false, failures: ["identifier (-0.3000, significant)"] },
  },
];

describe("the recommendation", () => {
  it("picks the best quality that fits the budget, the ceiling and the gate", () => {
    const result = recommend(candidates, {
      baseline: "bm25",
      metric: "ndcg@10",
      latencyBudgetMs: 35,
      costCeiling: 0.1,
    });
    expect(result.chosen).toBe("hybrid");
    expect(result.qualifying).toEqual(["hybrid", "bm25"]);
    expect(result.excluded).toEqual([
      {
        id: "breaks-skus",
        quality: 0.95,
        reasons: ["regresses against the baseline on identifier (-0.3000, significant)"],
      },
      {
        id: "hosted",
        quality: 0.9,
        reasons: [
          "p95 40.0 ms is over the 35.0 ms budget",
          "0.50 USD per 1,000 queries is over the 0.10 USD ceiling",
        ],
      },
    ]);
    expect(result.explanation).toMatch(
      /^hybrid has the best ndcg@10 \(0\.8000\) of the 2 of 4 configurations within the 35\.0 ms p95 budget, within the 0\.10 USD per 1,000 queries ceiling, with no gated slice regression against the baseline bm25\. Better on ndcg@10 but left out: breaks-skus/,
    );
  });

  it("without limits, only the gate excludes; the baseline passes its own gate", () => {
    const result = recommend(candidates, { baseline: "bm25", metric: "ndcg@10" });
    expect(result.chosen).toBe("hosted");
    expect(result.excluded.map((e) => e.id)).toEqual(["breaks-skus"]);
  });

  it("keeps the baseline when nothing else qualifies, and says so", () => {
    const result = recommend(candidates, {
      baseline: "bm25",
      metric: "ndcg@10",
      latencyBudgetMs: 3,
    });
    expect(result.chosen).toBe("bm25");
    expect(result.explanation).toContain(
      "No other configuration beats the baseline under these limits: keep it.",
    );
  });

  it("says why when nothing qualifies", () => {
    const result = recommend(candidates, {
      baseline: "bm25",
      metric: "ndcg@10",
      latencyBudgetMs: 1,
      costCeiling: 0.1,
    });
    expect(result.chosen).toBeNull();
    expect(result.qualifying).toEqual([]);
    expect(result.explanation).toBe(
      "Nothing qualifies: no configuration is within the 1.00 ms p95 budget, within the 0.10 USD per 1,000 queries ceiling, with no gated slice regression against the baseline bm25. " +
        "Of 4 configurations, 4 exceed the 1.00 ms p95 budget (the fastest, bm25, takes 2.00 ms); " +
        "1 exceed the 0.10 USD cost ceiling (the cheapest, bm25, costs 0 USD); 1 regress a gated slice against the baseline. " +
        "Closest: breaks-skus (ndcg@10 0.9500), left out because p95 5.00 ms is over the 1.00 ms budget; regresses against the baseline on identifier (-0.3000, significant). " +
        "Raise the budget or ceiling, or sweep cheaper configurations.",
    );
  });

  it("treats an unknown cost as over any ceiling, and breaks quality ties by latency", () => {
    const result = recommend(
      [
        { id: "a", quality: 0.8, p95Ms: 20, costPer1000: 0 },
        { id: "b", quality: 0.8, p95Ms: 10, costPer1000: 0, gate: { passed: true, failures: [] } },
        {
          id: "c",
          quality: 0.9,
          p95Ms: 10,
          costPer1000: null,
          costNote: "no price for oa",
          gate: { passed: true, failures: [] },
        },
      ],
      { baseline: "a", metric: "ndcg@10", costCeiling: 1 },
    );
    expect(result.chosen).toBe("b");
    expect(result.excluded).toEqual([
      { id: "c", quality: 0.9, reasons: ["its cost is unknown (no price for oa)"] },
    ]);
  });
});
