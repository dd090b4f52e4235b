import { describe, expect, it } from "vitest";
import { holmAdjust } from "./holm.js";
import { bootstrapInterval, pairedTest, signFlipTest } from "./paired.js";
import { seededRandom, shuffle } from "./random.js";
import {
  logGamma,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTTwoSidedP,
} from "./student-t.js";

describe("Student's t through the incomplete beta", () => {
  it("computes ln Γ", () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(logGamma(0.1)).toBeCloseTo(Math.log(9.513507698668732), 12);
  });

  it("matches closed forms of I_x(a, b)", () => {
    expect(regularizedIncompleteBeta(0.37, 1, 1)).toBeCloseTo(0.37, 14);
    expect(regularizedIncompleteBeta(0.6, 2, 1)).toBeCloseTo(0.36, 14);
    expect(regularizedIncompleteBeta(0.5, 3, 3)).toBeCloseTo(0.5, 14);
    // I_0.3(2, 3) = Σ_{j=2..4} C(4,j) 0.3^j 0.7^(4−j) = 0.2646 + 0.0756 + 0.0081
    expect(regularizedIncompleteBeta(0.3, 2, 3)).toBeCloseTo(0.3483, 12);
    expect(regularizedIncompleteBeta(0.9, 2, 3)).toBeCloseTo(
      1 - regularizedIncompleteBeta(0.1, 3, 2),
      14,
    );
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });

  it("gives textbook two-sided p-values", () => {
    // R: 2 * pt(-2, 10) = 0.07338803; qt(0.975, 9) = 2.262157.
    expect(studentTTwoSidedP(2.0, 10)).toBeCloseTo(0.07338803, 7);
    expect(studentTTwoSidedP(-2.0, 10)).toBeCloseTo(0.07338803, 7);
    expect(studentTTwoSidedP(2.262157, 9)).toBeCloseTo(0.05, 6);
    expect(studentTTwoSidedP(2.262, 9)).toBeCloseTo(0.05, 3);
    // df = 1 is the Cauchy distribution: P(|T| ≥ 1) = 1/2.
    expect(studentTTwoSidedP(1, 1)).toBeCloseTo(0.5, 14);
    // df = 2: P(|T| ≥ t) = 1 − t / √(t² + 2).
    expect(studentTTwoSidedP(3, 2)).toBeCloseTo(1 - 3 / Math.sqrt(11), 13);
    // Large df tends to the normal: 1.959964 → 0.05.
    expect(studentTTwoSidedP(1.959964, 1e7)).toBeCloseTo(0.05, 5);
    expect(studentTTwoSidedP(0, 5)).toBe(1);
    expect(studentTCdf(2.0, 10)).toBeCloseTo(1 - 0.07338803 / 2, 7);
    expect(studentTCdf(-2.0, 10)).toBeCloseTo(0.07338803 / 2, 7);
  });
});

describe("paired tests", () => {
  it("reproduces Student's sleep data (R: t.test(paired = TRUE))", () => {
    // Cushny & Peebles via Student (1908): extra sleep with drug 2 minus drug 1.
    const drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
    const drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
    const result = pairedTest(drug1, drug2);
    expect(result.n).toBe(10);
    expect(result.meanDiff).toBeCloseTo(1.58, 12);
    expect(result.t).toBeCloseTo(4.062128, 5);
    expect(result.pTTest).toBeCloseTo(0.00283289, 8);
    // One tie (−0.1 vs −0.1); the other 9 all favour drug 2, so only the all-plus and all-minus
    // sign assignments are as extreme: exact p = 2 / 2^9.
    expect(result.randomizationExact).toBe(true);
    expect(result.pRandomization).toBeCloseTo(2 / 512, 15);
    expect([result.wins, result.ties, result.losses]).toEqual([9, 1, 0]);
  });

  it("counts sign assignments exactly for small samples", () => {
    // d = 1, 2, 3: the 8 sums are ±1 ±2 ±3 ∈ {6, 4, 2, 0, 0, −2, −4, −6}; |s| ≥ 6 twice.
    const result = pairedTest([0, 0, 0], [1, 2, 3]);
    expect(result.pRandomization).toBe(0.25);
    // t = 2 / (1/√3) = 2√3, df 2: p = 1 − t/√(t² + 2) = 1 − √12/√14.
    expect(result.t).toBeCloseTo(2 * Math.sqrt(3), 12);
    expect(result.pTTest).toBeCloseTo(1 - Math.sqrt(12 / 14), 12);
    // d = 1, 1, −1: sums ∈ {1 (×3), 3, −1 (×3), −3}; |s| ≥ 1 always.
    expect(pairedTest([0, 0, 1], [1, 1, 0]).pRandomization).toBe(1);
  });

  it("agrees with exact enumeration when it must sample", () => {
    const random = seededRandom(7);
    const diffs = Float64Array.from({ length: 14 }, () => random.next() - 0.35);
    const observed = Math.abs(diffs.reduce((s, d) => s + d, 0));
    let extreme = 0;
    for (let mask = 0; mask < 2 ** 14; mask += 1) {
      let s = 0;
      for (let i = 0; i < 14; i += 1) s += (mask >> i) & 1 ? -diffs[i]! : diffs[i]!;
      if (Math.abs(s) >= observed - 1e-12) extreme += 1;
    }
    const exact = extreme / 2 ** 14;
    const sampled = signFlipTest(diffs, 10_000, 1);
    expect(sampled.exact).toBe(false);
    expect(Math.abs(sampled.p - exact)).toBeLessThan(0.015);
    expect(signFlipTest(diffs, 20_000, 1).exact).toBe(true);
    expect(signFlipTest(diffs, 20_000, 1).p).toBeCloseTo(exact, 12);
  });

  it("never reports p = 0 from sampling", () => {
    const a = new Array<number>(40).fill(0);
    const b = new Array<number>(40).fill(0.5);
    const result = pairedTest(a, b, { permutations: 10_000 });
    expect(result.randomizationExact).toBe(false);
    expect(result.pRandomization).toBe(1 / 10_001);
    // No spread: the t-test has nothing to divide by; a constant shift is p = 0.
    expect(result.t).toBeNull();
    expect(result.pTTest).toBe(0);
    expect(result.ci).toEqual([0.5, 0.5]);
  });

  it("bootstraps a percentile interval", () => {
    // Means of two draws from {0, 1}: 0, ½, 1 with probability ¼, ½, ¼.
    expect(bootstrapInterval(Float64Array.from([0, 1]), 10_000, 0.95, 3)).toEqual([0, 1]);
    const random = seededRandom(11);
    const diffs = Float64Array.from({ length: 200 }, () => random.next() - 0.4);
    const mean = diffs.reduce((s, d) => s + d, 0) / diffs.length;
    const [low, high] = bootstrapInterval(diffs, 10_000, 0.95, 5);
    // Uniform(−0.4, 0.6): sd 0.2887, standard error 0.0204; the interval is about ±1.96 SE.
    expect(low).toBeLessThan(mean);
    expect(high).toBeGreaterThan(mean);
    expect(high - low).toBeGreaterThan(0.07);
    expect(high - low).toBeLessThan(0.09);
    expect(bootstrapInterval(diffs, 10_000, 0.95, 5)).toEqual([low, high]);
    expect(bootstrapInterval(diffs, 10_000, 0.95, 6)).not.toEqual([low, high]);
  });

  it("refuses unpaired or empty samples", () => {
    expect(() => pairedTest([1], [1, 2])).toThrow(/differ in length/);
    expect(() => pairedTest([], [])).toThrow(/at least one pair/);
  });
});

describe("Holm–Bonferroni", () => {
  it("steps down with a running maximum", () => {
    // Sorted: 0.01 × 3 = 0.03, 0.03 × 2 = 0.06, 0.04 × 1 = 0.04 → max(0.06, 0.04).
    const adjusted = holmAdjust([0.01, 0.04, 0.03]);
    expect(adjusted[0]).toBeCloseTo(0.03, 15);
    expect(adjusted[1]).toBeCloseTo(0.06, 15);
    expect(adjusted[2]).toBeCloseTo(0.06, 15);
    expect(holmAdjust([0.5, null, 0.6])).toEqual([1, null, 1]);
    expect(holmAdjust([0.02])).toEqual([0.02]);
  });
});

describe("seeded random", () => {
  it("is reproducible and uniform enough", () => {
    const first = Array.from({ length: 5 }, seededRandom(1).next);
    const again = seededRandom(1);
    expect(Array.from({ length: 5 }, again.next)).toEqual(first);
    expect(Array.from({ length: 5 }, seededRandom(2).next)).not.toEqual(first);
    const random = seededRandom(9);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i += 1) counts[random.below(4)]! += 1;
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(400);
    expect(shuffle([1, 2, 3, 4, 5], seededRandom(3)).sort()).toEqual([1, 2, 3, 4, 5]);
  });
});
