import { describe, expect, it } from "vitest";
import { compareReports, type ComparableReport } from "./compare-reports.js";
import { evaluateGate, gateConfigSchema, gateVerdict } from "./gate.js";
import { gateVerdictMarkdown, comparisonMarkdown } from "./markdown.js";

/** A report over queries i0…i(n−1) (identifier lookups) and w0…w(m−1) (word queries). */
function report(
  pipeline: string,
  identifier: readonly number[],
  words: readonly number[],
): ComparableReport {
  const perQuery: Record<string, Record<string, number>> = {};
  identifier.forEach((value, i) => (perQuery[`i${i}`] = { "ndcg@10": value, "mrr@10": value }));
  words.forEach((value, i) => (perQuery[`w${i}`] = { "ndcg@10": value, "mrr@10": value }));
  return {
    dataset: "synthetic",
    split: "test",
    pipeline,
    perQuery,
    slices: {
      identifier: { queryIds: identifier.map((_, i) => `i${i}`) },
      words: { queryIds: words.map((_, i) => `w${i}`) },
    },
  };
}

const fill = (n: number, value: number): number[] => new Array<number>(n).fill(value);

describe("compareReports", () => {
  it("compares overall and per slice with Holm across the judged slices", () => {
    // 20 identifier queries drop 0.9 → 0.3; 20 word queries rise 0.2 → 1.0.
    const a = report("bm25", fill(20, 0.9), fill(20, 0.2));
    const b = report("dense", fill(20, 0.3), fill(20, 1.0));
    const comparison = compareReports(a, b);
    expect(comparison.queries).toBe(40);
    expect(comparison.metrics).toEqual(["ndcg@10", "mrr@10"]);
    const overall = comparison.overall.metrics["ndcg@10"]!;
    expect(overall.meanA).toBeCloseTo(0.55, 12);
    expect(overall.meanB).toBeCloseTo(0.65, 12);
    expect(overall.meanDiff).toBeCloseTo(0.1, 12);
    expect([overall.wins, overall.ties, overall.losses]).toEqual([20, 0, 20]);
    const identifier = comparison.slices["identifier"]!.metrics["ndcg@10"]!;
    expect(identifier.meanDiff).toBeCloseTo(-0.6, 12);
    expect(identifier.ci[0]).toBeCloseTo(-0.6, 12);
    expect(identifier.ci[1]).toBeCloseTo(-0.6, 12);
    // Every one of 20 differences is −0.6: only 2 of 2^20 sign assignments are as extreme, so
    // the 10,000 sampled flips almost surely find none and p = 1/10,001.
    expect(identifier.pRandomization).toBe(1 / 10_001);
    // Holm over 3 tests (all, identifier, words): the two smallest p (1/10,001) × 3 and × 2,
    // with the running maximum keeping both at 3/10,001.
    expect(identifier.pHolm).toBeCloseTo(3 / 10_001, 15);
    expect(comparison.slices["words"]!.metrics["ndcg@10"]!.pHolm).toBeCloseTo(3 / 10_001, 15);
  });

  it("flags small slices and leaves them out of the Holm family", () => {
    const comparison = compareReports(
      report("a", fill(4, 0.5), fill(12, 0.5)),
      report("b", fill(4, 0.4), fill(12, 0.6)),
    );
    expect(comparison.slices["identifier"]!.tooSmall).toBe(true);
    expect(comparison.slices["identifier"]!.metrics["ndcg@10"]!.pHolm).toBeNull();
    expect(comparison.slices["words"]!.metrics["ndcg@10"]!.pHolm).not.toBeNull();
  });

  it("refuses reports with different queries unless asked to intersect", () => {
    const a = report("a", fill(3, 0.5), fill(3, 0.5));
    const b = report("b", fill(2, 0.5), fill(3, 0.5));
    expect(() => compareReports(a, b)).toThrow(
      /1 queries only in a \(i2\), 0 only in b.*--intersect to compare the 5 queries/,
    );
    const comparison = compareReports(a, b, { intersect: true, minQueries: 1 });
    expect(comparison.queries).toBe(5);
    expect(comparison.slices["identifier"]!.queries).toBe(2);
    expect(comparison.warnings.join("\n")).toMatch(/compared the 5 queries both reports hold/);
    expect(comparison.warnings.join("\n")).toMatch(/slice identifier holds different queries/);
  });

  it("renders a table per metric", () => {
    const markdown = comparisonMarkdown(
      compareReports(
        report("bm25", fill(20, 0.9), fill(20, 0.2)),
        report("dense", fill(20, 0.3), fill(20, 1)),
      ),
    );
    expect(markdown).toContain("## dense (B) vs bm25 (A)");
    expect(markdown).toContain("### mrr@10");
    expect(markdown).toMatch(/\| identifier \| 20 \| 0\.9000 \| 0\.3000 \| -0\.6000 \|/);
    expect(markdown).toMatch(/\| all \| 40 \| 0\.5500 \| 0\.6500 \| \+0\.1000 \|/);
  });
});

describe("the regression gate", () => {
  it("fails when a critical slice breaks even though the aggregate improves", () => {
    const comparison = compareReports(
      report("bm25", fill(20, 0.9), fill(20, 0.2)),
      report("dense:glove", fill(20, 0.3), fill(20, 1.0)),
    );
    const gate = evaluateGate(comparison, {
      metric: "ndcg@10",
      alpha: 0.05,
      minQueries: 10,
      critical: { identifier: { maxDrop: 0.01 } },
    });
    expect(gate.passed).toBe(false);
    expect(gate.judged).toEqual(["all", "identifier", "words"]);
    expect(gate.failures.map((f) => [f.kind, f.slice])).toEqual([
      ["significant", "identifier"],
      ["critical", "identifier"],
    ]);
    const verdict = gateVerdict(comparison, gate);
    expect(verdict).toMatch(/^FAIL: dense:glove regresses against bm25 on ndcg@10/);
    expect(verdict).toContain("identifier (20 queries) -0.6000 ndcg@10");
    expect(verdict).toContain("dropped by 0.6000 ndcg@10 (0.9000 → 0.3000");
    expect(verdict).toContain("more than the 0.0100 allowed");
    expect(verdict).toContain("so the aggregate improves while these queries get worse");
    const markdown = gateVerdictMarkdown(comparison, gate);
    expect(markdown).toMatch(/^### pairlift gate: FAIL/);
    expect(markdown).toMatch(/\| identifier \| 20 .*❌ significantly worse, critical drop \|/);
    expect(markdown).toMatch(/\| words \| 20 .* ✅ \|/);
  });

  it("catches a critical drop on a slice too small to test", () => {
    // 5 identifier queries lose 0.05 each; 30 word queries gain 0.2.
    const comparison = compareReports(
      report("a", fill(5, 0.8), fill(30, 0.3)),
      report("b", fill(5, 0.75), fill(30, 0.5)),
    );
    const critical = { identifier: { maxDrop: 0.01 } };
    const gate = evaluateGate(comparison, { critical });
    expect(gate.tooSmall).toEqual(["identifier"]);
    expect(gate.failures.map((f) => [f.kind, f.slice])).toEqual([["critical", "identifier"]]);
    // The same drop within a looser margin passes.
    const loose = evaluateGate(comparison, { critical: { identifier: { maxDrop: 0.05 } } });
    expect(loose.passed).toBe(true);
    expect(gateVerdict(comparison, loose)).toMatch(/^PASS: b is not significantly worse than a/);
  });

  it("passes when nothing is significantly worse", () => {
    const noisy = [0.1, 0.9, 0.4, 0.6, 0.5, 0.3, 0.7, 0.2, 0.8, 0.5, 0.4, 0.6];
    const shifted = [0.2, 0.8, 0.5, 0.5, 0.5, 0.4, 0.6, 0.3, 0.7, 0.5, 0.5, 0.5];
    const comparison = compareReports(report("a", noisy, noisy), report("b", shifted, noisy));
    const gate = evaluateGate(comparison, {});
    expect(gate.passed).toBe(true);
    expect(gate.failures).toEqual([]);
  });

  it("fails on a significant loss without any critical slice", () => {
    const a = report("a", fill(12, 0.5), fill(30, 0.6));
    const b = report("b", fill(12, 0.5), fill(30, 0.4));
    const gate = evaluateGate(compareReports(a, b), { minQueries: 10 });
    expect(gate.failures.map((f) => [f.kind, f.slice])).toEqual([
      ["significant", "all"],
      ["significant", "words"],
    ]);
  });

  it("validates its configuration", () => {
    expect(gateConfigSchema.parse({})).toEqual({
      metric: "ndcg@10",
      alpha: 0.05,
      minQueries: 10,
      critical: {},
    });
    expect(gateConfigSchema.safeParse({ alpha: 1.5 }).success).toBe(false);
    expect(gateConfigSchema.safeParse({ critical: { x: { maxDrop: -1 } } }).success).toBe(false);
    expect(gateConfigSchema.safeParse({ metrc: "ndcg@10" }).success).toBe(false);
    const comparison = compareReports(report("a", fill(2, 0.5), []), report("b", fill(2, 0.5), []));
    expect(() => evaluateGate(comparison, { metric: "map@100" })).toThrow(/gate's metric map@100/);
    expect(() => evaluateGate(comparison, { critical: { identfier: { maxDrop: 0 } } })).toThrow(
      /critical slice "identfier" is not a slice/,
    );
  });
});
