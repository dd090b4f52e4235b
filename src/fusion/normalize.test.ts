import { describe, expect, it } from "vitest";
import { PairliftError } from "../errors.js";
import { normalizeScores, type Normalization } from "./normalize.js";

// One small score list for every method: [1, 2, 3, 6].
//   min 1, max 6, mean μ = 12/4 = 3, deviations −2, −1, 0, 3, Σ(s − μ)² = 4 + 1 + 0 + 9 = 14.
const SCORES = [1, 2, 3, 6];

function close(actual: Float64Array, expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((value, i) => expect(actual[i]).toBeCloseTo(value, 12));
}

describe("normalizeScores", () => {
  it("minmax maps min → 0 and max → 1", () => {
    // (s − 1) / (6 − 1): 0/5, 1/5, 2/5, 5/5
    close(normalizeScores(SCORES, "minmax"), [0, 0.2, 0.4, 1]);
  });

  it("zscore uses the population standard deviation", () => {
    // σ = √(14/4) = √3.5 = 1.8708286933869707
    // (1−3)/σ = −1.0690449676496976, (2−3)/σ = −0.5345224838248488, 0, (6−3)/σ = 1.6035674514745464
    close(
      normalizeScores(SCORES, "zscore"),
      [-1.0690449676496976, -0.5345224838248488, 0, 1.6035674514745464],
    );
  });

  it("dbsf maps μ ± 3σ onto [0, 1] with Qdrant's sample standard deviation", () => {
    // s = √(14/3) = 2.160246899469287 (n − 1 = 3); value = 0.5 + (x − μ)/(6s), 6s = 12.96148139681572
    // 0.5 − 2/6s = 0.34569665003790806, 0.5 − 1/6s = 0.42284832501895403, 0.5,
    // 0.5 + 3/6s = 0.7314550249431379 (all inside [0, 1], so nothing is clipped)
    close(
      normalizeScores(SCORES, "dbsf"),
      [0.34569665003790806, 0.42284832501895403, 0.5, 0.7314550249431379],
    );
    // The population σ would give 0.5 − 2/(6·1.8708) = 0.3218, so this pins the n − 1.
    expect(normalizeScores(SCORES, "dbsf")[0]).toBeCloseTo(0.34569665, 8);
  });

  it("dbsf clips scores beyond three standard deviations", () => {
    // Twenty 0s and one 100: μ = 100/21, Σ(s − μ)² = 10000 − 21·(100/21)² = 200000/21,
    // s² = (200000/21)/20 = 10000/21, s = 100/√21, 6s = 600/√21.
    // zeros: 0.5 − (100/21)/(600/√21) = 0.5 − √21/126 = 0.4636303516273346
    // the 100: 0.5 + (2000/21)·√21/600 = 0.5 + 10√21/63 = 1.2274 → clipped to 1
    const scores = [...new Array<number>(20).fill(0), 100];
    const out = normalizeScores(scores, "dbsf");
    expect(out[0]).toBeCloseTo(0.4636303516273346, 12);
    expect(out[19]).toBeCloseTo(0.4636303516273346, 12);
    expect(out[20]).toBe(1);
  });

  it("none returns a copy of the scores and leaves the input alone", () => {
    const input = new Float64Array(SCORES);
    const out = normalizeScores(input, "none");
    expect([...out]).toEqual(SCORES);
    expect(out).not.toBe(input);
    normalizeScores(input, "minmax");
    expect([...input]).toEqual(SCORES);
  });

  it("handles all-equal and single scores without dividing by zero", () => {
    // 0.1 three times: the computed mean is 0.10000000000000002, so testing σ = 0 would fail;
    // min = max decides instead.
    const equal = [0.1, 0.1, 0.1];
    expect([...normalizeScores(equal, "minmax")]).toEqual([1, 1, 1]);
    expect([...normalizeScores(equal, "zscore")]).toEqual([0, 0, 0]);
    expect([...normalizeScores(equal, "dbsf")]).toEqual([0.5, 0.5, 0.5]);
    expect([...normalizeScores([7], "minmax")]).toEqual([1]);
    expect([...normalizeScores([7], "zscore")]).toEqual([0]);
    expect([...normalizeScores([7], "dbsf")]).toEqual([0.5]);
  });

  it("returns an empty array for no scores", () => {
    for (const method of ["minmax", "zscore", "dbsf", "none"] as const) {
      expect(normalizeScores([], method)).toHaveLength(0);
    }
  });

  it("refuses an unknown method with E_CONFIG", () => {
    const call = (): Float64Array => normalizeScores(SCORES, "l2" as Normalization);
    expect(call).toThrow(PairliftError);
    expect(call).toThrow(/unknown normalization "l2"; expected one of minmax, zscore, dbsf, none/);
  });
});
