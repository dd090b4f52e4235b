/** Markdown for comparisons and gate verdicts: terminal output and pull-request comments. */
import { markdownTable } from "../../cli/format.js";
import { OVERALL, type Comparison, type SliceComparison } from "./compare-reports.js";
import { formatP, gateVerdict, signed, type GateResult } from "./gate.js";

function sliceRows(comparison: Comparison): Array<[string, SliceComparison]> {
  return [[OVERALL, comparison.overall], ...Object.entries(comparison.slices)];
}

/** One table per metric: each slice's means, difference, interval, p-values and W/T/L. */
export function comparisonMarkdown(comparison: Comparison): string {
  const { a, b, settings } = comparison;
  const lines = [
    `## ${b.label} (B) vs ${a.label} (A)`,
    "",
    `${comparison.queries} paired queries${a.dataset === undefined ? "" : ` of ${a.dataset}`}` +
      `${a.split === undefined ? "" : ` (${a.split})`}. Δ = B − A; ` +
      `${Math.round(settings.confidence * 100)}% paired bootstrap CI (${settings.resamples} resamples), ` +
      `two-sided sign-flip randomization test (${settings.permutations} permutations, exact for small slices), ` +
      `paired t-test; Holm across slices with ≥ ${settings.minQueries} queries; seed ${settings.seed}. ` +
      "W/T/L: queries where B wins, ties, loses.",
  ];
  const judged = comparison.judged;
  if (judged !== undefined)
    lines.push(
      "",
      `${judged.metric} (the share of each top 10 the qrels judge): A ${judged.a.toFixed(4)}, ` +
        `B ${judged.b.toFixed(4)} (Δ ${signed(judged.difference)}; a warning when |Δ| > ${judged.threshold}).`,
    );
  for (const warning of comparison.warnings) lines.push("", `> warning: ${warning}`);
  for (const metric of comparison.metrics) {
    const rows = sliceRows(comparison).map(([name, slice]) => {
      const label = slice.tooSmall && slice.queries > 0 ? `${name} (too small)` : name;
      const m = slice.metrics[metric];
      if (m === undefined) return [label, "0", "—", "—", "—", "—", "—", "—", "—", "—"];
      return [
        label,
        String(slice.queries),
        m.meanA.toFixed(4),
        m.meanB.toFixed(4),
        signed(m.meanDiff),
        `${signed(m.ci[0])} … ${signed(m.ci[1])}`,
        formatP(m.pRandomization),
        formatP(m.pTTest),
        formatP(m.pHolm),
        `${m.wins}/${m.ties}/${m.losses}`,
      ];
    });
    lines.push(
      "",
      `### ${metric}`,
      "",
      markdownTable(
        ["slice", "queries", "A", "B", "Δ", "95% CI", "p (rand.)", "p (t)", "p (Holm)", "W/T/L"],
        rows,
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The verdict for a pull-request comment: the paragraph, then the gate metric per slice. */
export function gateVerdictMarkdown(comparison: Comparison, gate: GateResult): string {
  const { metric } = gate.config;
  const failed = new Map<string, string[]>();
  for (const failure of gate.failures) {
    const reasons = failed.get(failure.slice) ?? [];
    reasons.push(failure.kind === "critical" ? "critical drop" : "significantly worse");
    failed.set(failure.slice, reasons);
  }
  const rows = sliceRows(comparison).map(([name, slice]) => {
    const m = slice.metrics[metric];
    const status = failed.has(name)
      ? `❌ ${failed.get(name)!.join(", ")}`
      : slice.queries === 0
        ? "no queries"
        : slice.queries < gate.config.minQueries
          ? "too small to judge"
          : "✅";
    if (m === undefined) return [name, "0", "—", "—", "—", "—", status];
    return [
      name,
      String(slice.queries),
      m.meanA.toFixed(4),
      m.meanB.toFixed(4),
      signed(m.meanDiff),
      formatP(gate.pHolm[name] ?? null),
      status,
    ];
  });
  return [
    `### pairlift gate: ${gate.passed ? "PASS" : "FAIL"} (${comparison.b.label} vs ${comparison.a.label}, ${metric})`,
    "",
    gateVerdict(comparison, gate),
    "",
    markdownTable(["slice", "queries", "A", "B", "Δ", "p (Holm)", "status"], rows),
    "",
  ].join("\n");
}
