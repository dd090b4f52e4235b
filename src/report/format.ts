/** Number formats shared by the lab's Markdown and HTML reports. */
import { formatBytes } from "../cli/format.js";
import { formatP, signed } from "../eval/compare/gate.js";
import type { ConfigurationSummary, LabReport, SliceDelta } from "../lab/sweep/analyze.js";
import { formatMoney, formatMs } from "../lab/recommend.js";

export { formatBytes, formatMoney, formatMs, formatP, signed };

export function metricValue(value: number | undefined): string {
  return value === undefined ? "—" : value.toFixed(4);
}

export function costText(summary: ConfigurationSummary, report: LabReport): string {
  const cost = summary.cost.per1000Queries;
  if (cost === null) return `unknown (no price for ${summary.cost.unpriced.join(", ")})`;
  return summary.hosted.length === 0 && cost === 0
    ? "0 (offline)"
    : `${formatMoney(cost)} ${report.constraints.currency}`;
}

/** `+0.0123 (−0.0040 … +0.0290)` */
export function deltaText(delta: SliceDelta): string {
  return `${signed(delta.meanDiff)} (${signed(delta.ci[0])} … ${signed(delta.ci[1])})`;
}

/** The overall columns: the report's metrics, then judged@10 unless it is one of them. */
export function overallColumns(report: LabReport): string[] {
  return report.metrics.includes(report.judged.metric)
    ? report.metrics
    : [...report.metrics, report.judged.metric];
}

/** A configuration's overall value of a metric or of judged@10. */
export function overallValue(summary: ConfigurationSummary, metric: string): number | undefined {
  return metric === summary.judged.metric && summary.aggregate[metric] === undefined
    ? summary.judged.aggregate
    : summary.aggregate[metric];
}

/** `0.0887 (+0.0020)`, `⚠` when the difference from the baseline is above the threshold. */
export function judgedDeltaText(summary: ConfigurationSummary): string {
  const judged = summary.comparison?.judged;
  if (judged === undefined) return metricValue(summary.judged.aggregate);
  return `${judged.b.toFixed(4)} (${signed(judged.difference)})${judged.warn ? " ⚠" : ""}`;
}

/** The configurations whose judged@10 differs from the baseline's by more than the threshold. */
export function judgedWarnings(report: LabReport): Array<{ id: string; warning: string }> {
  return report.configurations.flatMap((s) => {
    const warning = s.comparison?.judged?.warning;
    return warning === undefined ? [] : [{ id: s.id, warning }];
  });
}

/** Whether a slice delta is significant at the gate's alpha after Holm. */
export function isSignificant(delta: SliceDelta, alpha: number): boolean {
  return delta.pHolm !== null && delta.pHolm < alpha;
}

export function gateText(summary: ConfigurationSummary): string {
  const comparison = summary.comparison;
  if (comparison === undefined) return "baseline";
  const passed = comparison.gate.passed && (comparison.gate.probe?.passed ?? true);
  if (passed) return "pass";
  const slices = [
    ...comparison.gate.failures.map((f) => f.slice),
    ...(comparison.gate.probe?.failures ?? []).map((f) => `probe ${f.slice}`),
  ];
  return `FAIL: ${[...new Set(slices)].join(", ")}`;
}

/** Which Pareto fronts a configuration is on. */
export function frontsOf(report: LabReport, id: string): string[] {
  const fronts: string[] = [];
  if (report.pareto.latency.includes(id)) fronts.push("latency");
  if (report.pareto.cost.includes(id)) fronts.push("cost");
  return fronts;
}

/** Slice names in report order (the first configuration's order), with query counts. */
export function sliceNames(report: LabReport, probe = false): string[] {
  const first = report.configurations[0];
  const slices = probe ? first?.probe?.slices : first?.slices;
  return Object.keys(slices ?? {});
}

/** Stage names for stacked latency: the first stage's parts, then fusion, features, rerank. */
export function stageOrder(report: LabReport): string[] {
  const names = new Set<string>();
  for (const summary of report.configurations)
    for (const stage of Object.keys(summary.latency.stages))
      if (stage !== "retrieve") names.add(stage);
  const rank = (stage: string): number =>
    stage === "lexical"
      ? 0
      : stage.startsWith("embed:")
        ? 1
        : stage.startsWith("dense:")
          ? 2
          : ["fusion", "features", "rerank"].indexOf(stage) + 3;
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * Mean milliseconds per stage, stacking to the mean end-to-end time: `other` is what no stage
 * accounts for (bookkeeping between stages), never negative.
 */
export function stackedStages(
  summary: ConfigurationSummary,
  stages: readonly string[],
): Record<string, number> {
  const stacked: Record<string, number> = {};
  let sum = 0;
  for (const stage of stages) {
    const mean = summary.latency.stages[stage]?.meanMs ?? 0;
    stacked[stage] = mean;
    sum += mean;
  }
  stacked["other"] = Math.max(0, summary.latency.meanMs - sum);
  return stacked;
}
