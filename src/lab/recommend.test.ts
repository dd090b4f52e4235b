import { describe, expect, it } from "vitest";
import { recommend, type QualityGain, type RecommendCandidate } from "./recommend.js";

const pass = { passed: true, failures: [] };
const gain = (meanDiff: number, p: number): QualityGain => ({
  meanDiff,
  ci: [meanDiff - 0.01, meanDiff + 0.01],
  p,
});

/** bm25 is the baseline; `versusBaseline` is each one's paired gain over it. */
const candidates: RecommendCandidate[] = [
  { id: "bm25", quality: 0.7, p95Ms: 2, costPer1000: 0 },
  {
    id: "hybrid",
    quality: 0.8,
    p95Ms: 30,
    costPer1000: 0,
    gate: pass,
    versusBaseline: gain(0.1, 0.001),
  },
  {
    id: "hosted",
    quality: 0.9,
    p95Ms: 40,
    costPer1000: 0.5,
    gate: pass,
    versusBaseline: gain(0.2, 0.0001),
  },
  {
    id: "breaks-skus",
    quality: 0.95,
    p95Ms: 5,
    costPer1000: 0,
    gate: { passed: false, failures: ["identifier (-0.3000, significant)"] },
    versusBaseline: gain(0.25, 0.0001),
  },
];

describe("the recommendation", () => {
  it("leaves out what breaks the budget, the ceiling or the gate, saying why", () => {
    const result = recommend(candidates, {
      baseline: "bm25",
      metric: "ndcg@10",
      latencyBudgetMs: 35,
      costCeiling: 0.1,
    });
    expect(result.chosen).toBe("hybrid");
    expect(result.rule).toBe("cheapest significant gain");
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
    expect(result.gain).toEqual({ ...gain(0.1, 0.001), pHolm: 0.001 });
    expect(result.explanation).toBe(
      "The cheapest configuration that beats the baseline bm25 significantly (paired randomization test, Holm-adjusted, alpha 0.05, gain at least 0.005 ndcg@10), among the 2 of 4 configurations within the 35.0 ms p95 budget, within the 0.10 USD per 1,000 queries ceiling, with no gated slice regression against the baseline bm25. " +
        "Against the baseline: +0.1000 ndcg@10 (95% CI +0.0900 … +0.1100, p 0.0010, Holm 0.0010), at p95 30.0 ms against 2.00 ms. " +
        "Runner-up: bm25 (0.7000), at p95 2.00 ms against 30.0 ms. " +
        "Better on ndcg@10 but left out: breaks-skus (0.9500: regresses against the baseline on identifier (-0.3000, significant)); hosted (0.9000: p95 40.0 ms is over the 35.0 ms budget; 0.50 USD per 1,000 queries is over the 0.10 USD ceiling).",
    );
  });

  it("pays more only for a gain that is significant against the cheaper one", () => {
    const compare = (a: string, b: string): QualityGain => {
      expect([a, b]).toEqual(["hybrid", "hosted"]);
      return gain(0.1, 0.004);
    };
    const costlier = recommend(candidates, { baseline: "bm25", metric: "ndcg@10", compare });
    expect(costlier.chosen).toBe("hosted");
    expect(costlier.rule).toBe("significantly better than a cheaper gain");
    expect(costlier.runnerUp).toBe("hybrid");
    expect(costlier.explanation).toMatch(
      /^Beats hybrid, the cheapest configuration that beats the baseline bm25, significantly .*: worth its cost\. Against the baseline: \+0\.2000 ndcg@10 .*, at p95 40\.0 ms against 2\.00 ms, 0\.50 USD against 0 USD per 1,000 queries\. Runner-up: hybrid \(0\.8000; the choice against it \+0\.1000 ndcg@10/,
    );

    const notSignificant = recommend(candidates, {
      baseline: "bm25",
      metric: "ndcg@10",
      compare: () => gain(0.1, 0.2),
    });
    expect(notSignificant.chosen).toBe("hybrid");
    expect(notSignificant.rule).toBe("cheapest significant gain");
    // Without a way to compare two candidates, nothing costlier can prove itself.
    expect(recommend(candidates, { baseline: "bm25", metric: "ndcg@10" }).chosen).toBe("hybrid");
  });

  it("keeps the baseline when no gain is significant after Holm, or big enough", () => {
    const close: RecommendCandidate[] = [
      { id: "bm25", quality: 0.7, p95Ms: 2, costPer1000: 0 },
      // p 0.03 alone, but Holm over the two compared: 0.06.
      {
        id: "a",
        quality: 0.72,
        p95Ms: 20,
        costPer1000: 0,
        gate: pass,
        versusBaseline: gain(0.02, 0.03),
      },
      {
        id: "b",
        quality: 0.71,
        p95Ms: 30,
        costPer1000: 0,
        gate: pass,
        versusBaseline: gain(0.01, 0.04),
      },
    ];
    const kept = recommend(close, { baseline: "bm25", metric: "ndcg@10" });
    expect(kept.chosen).toBe("bm25");
    expect(kept.rule).toBe("baseline kept");
    expect(kept.gain).toBeUndefined();
    expect(kept.explanation).toBe(
      "Keep the baseline: of the 3 of 3 configurations with no gated slice regression against the baseline bm25, none beats it significantly (paired randomization test, Holm-adjusted, alpha 0.05, gain at least 0.005 ndcg@10). " +
        "Closest: a (0.7200; against the baseline +0.0200 ndcg@10 (95% CI +0.0100 … +0.0300, p 0.0300, Holm 0.0600)), at p95 20.0 ms against 2.00 ms.",
    );
    // Significant, but below the smallest gain worth switching for.
    const small = recommend(close, {
      baseline: "bm25",
      metric: "ndcg@10",
      alpha: 0.1,
      minEffect: 0.03,
    });
    expect(small.chosen).toBe("bm25");
    expect(recommend(close, { baseline: "bm25", metric: "ndcg@10", alpha: 0.1 }).chosen).toBe("a");
  });

  it("without a qualifying baseline, starts from the cheapest configuration that qualifies", () => {
    const result = recommend(candidates, {
      baseline: "bm25",
      metric: "ndcg@10",
      costCeiling: 0.1,
      // The baseline is over budget; hybrid and breaks-skus... breaks-skus fails the gate.
      latencyBudgetMs: 1.5,
    });
    expect(result.chosen).toBeNull();
    const fits = recommend(
      [
        { id: "slow-baseline", quality: 0.7, p95Ms: 90, costPer1000: 0 },
        {
          id: "fast",
          quality: 0.69,
          p95Ms: 2,
          costPer1000: 0,
          gate: pass,
          versusBaseline: gain(-0.01, 0.5),
        },
        {
          id: "mid",
          quality: 0.72,
          p95Ms: 10,
          costPer1000: 0,
          gate: pass,
          versusBaseline: gain(0.02, 0.2),
        },
      ],
      {
        baseline: "slow-baseline",
        metric: "ndcg@10",
        latencyBudgetMs: 50,
        compare: () => gain(0.03, 0.3),
      },
    );
    expect(fits.chosen).toBe("fast");
    expect(fits.rule).toBe("cheapest that qualifies");
    expect(fits.explanation).toMatch(
      /^Nothing costlier beats fast, the cheapest configuration that qualifies \(the baseline slow-baseline does not: p95 90\.0 ms is over the 50\.0 ms budget\) significantly/,
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
    expect(result.rule).toBeNull();
    expect(result.qualifying).toEqual([]);
    expect(result.explanation).toBe(
      "Nothing qualifies: no configuration is within the 1.00 ms p95 budget, within the 0.10 USD per 1,000 queries ceiling, with no gated slice regression against the baseline bm25. " +
        "Of 4 configurations, 4 exceed the 1.00 ms p95 budget (the fastest, bm25, takes 2.00 ms); " +
        "1 exceed the 0.10 USD cost ceiling (the cheapest, bm25, costs 0 USD); 1 regress a gated slice against the baseline. " +
        "Closest: breaks-skus (ndcg@10 0.9500), left out because p95 5.00 ms is over the 1.00 ms budget; regresses against the baseline on identifier (-0.3000, significant). " +
        "Raise the budget or ceiling, or sweep cheaper configurations.",
    );
  });

  it("treats an unknown cost as over any ceiling, and as the dearest without one", () => {
    const result = recommend(
      [
        { id: "a", quality: 0.8, p95Ms: 20, costPer1000: 0 },
        {
          id: "b",
          quality: 0.85,
          p95Ms: 10,
          costPer1000: 0,
          gate: pass,
          versusBaseline: gain(0.05, 0.001),
        },
        {
          id: "c",
          quality: 0.9,
          p95Ms: 5,
          costPer1000: null,
          costNote: "no price for oa",
          gate: pass,
          versusBaseline: gain(0.1, 0.001),
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
