import { describe, expect, it } from "vitest";
import { seededRandom } from "./random.js";
import {
  logLikelihoodRatio,
  SequentialPreference,
  signTestP,
  summarizePreference,
  type PreferenceOutcome,
} from "./preference.js";

describe("preference from interleaved impressions", () => {
  it("sign test: exact binomial tails, worked by hand", () => {
    // 9 wins, 1 loss: 2 · (C(10,0) + C(10,1)) / 2^10 = 22/1024.
    expect(signTestP(9, 1)).toBeCloseTo(22 / 1024, 12);
    expect(signTestP(1, 9)).toBeCloseTo(22 / 1024, 12);
    expect(signTestP(5, 5)).toBe(1);
    expect(signTestP(0, 0)).toBe(1);
    // 3 wins, 0 losses: 2 · 1/8.
    expect(signTestP(3, 0)).toBeCloseTo(0.25, 12);
  });

  it("the mixture likelihood ratio, worked by hand for the uniform prior", () => {
    // Λ = B(w+1, l+1) / B(1,1) · 2^n = w! l! / (n+1)! · 2^n. For w = 2, l = 0: 2/6 · 4 = 4/3.
    expect(Math.exp(logLikelihoodRatio(2, 0, 1))).toBeCloseTo(4 / 3, 12);
    // For w = 1, l = 1: 1/6 · 4 = 2/3 (balanced outcomes are evidence for H0).
    expect(Math.exp(logLikelihoodRatio(1, 1, 1))).toBeCloseTo(2 / 3, 12);
  });

  it("summarises wins, ties and losses with the preference and its interval", () => {
    // Ten days of: three wins, a loss, six ties (the order matters to the always-valid p,
    // which is the smallest it has been).
    const day: PreferenceOutcome[] = [
      "win",
      "tie",
      "win",
      "tie",
      "tie",
      "loss",
      "tie",
      "win",
      "tie",
      "tie",
    ];
    const outcomes = Array.from({ length: 10 }, () => day).flat();
    const summary = summarizePreference(outcomes);
    expect(summary).toMatchObject({ impressions: 100, wins: 30, losses: 10, ties: 60 });
    expect(summary.preference).toBeCloseTo((30 + 30) / 100 - 0.5, 12);
    expect(summary.ci[0]).toBeLessThan(summary.preference);
    expect(summary.ci[1]).toBeGreaterThan(summary.preference);
    expect(summary.pSign).toBeLessThan(0.01);
    expect(summary.pSequential).toBeLessThan(0.05);
    expect(summary.pSequential).toBeGreaterThan(summary.pSign); // the price of peeking
  });

  it("checked after every impression, A/A experiments falsely win at most at alpha", () => {
    // 400 A/A experiments of 300 impressions, each checked after every impression: stopping
    // the first time p < 0.05 must not happen in more than ~5% (the sign test, checked as
    // often, would).
    const random = seededRandom(11);
    let sequentialWins = 0;
    let naiveWins = 0;
    for (let experiment = 0; experiment < 400; experiment += 1) {
      const sequential = new SequentialPreference();
      let naive = false;
      for (let i = 0; i < 300; i += 1) {
        const r = random.next();
        sequential.add(r < 0.3 ? "win" : r < 0.6 ? "loss" : "tie");
        if (!naive && i % 10 === 9 && signTestP(sequential.wins, sequential.losses) < 0.05)
          naive = true;
      }
      if (sequential.p < 0.05) sequentialWins += 1;
      if (naive) naiveWins += 1;
    }
    expect(sequentialWins / 400).toBeLessThanOrEqual(0.05);
    expect(naiveWins / 400).toBeGreaterThan(0.1);
  });
});
