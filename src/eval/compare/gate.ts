/**
 * The regression gate: B fails against A when it is significantly worse on any slice with
 * enough queries (Holm-adjusted randomization p < alpha and a negative mean difference), or
 * when a named critical slice drops by more than its margin, whatever the aggregate does.
 */
import { z } from "zod";
import { PairliftError } from "../../errors.js";
import { holmAdjust } from "./holm.js";
import { OVERALL, type Comparison, type MetricComparison } from "./compare-reports.js";

/** The `gate:` section of the config file (and of `pairlift compare --gate`). */
export const gateConfigSchema = z
  .object({
    /** The metric the gate judges. */
    metric: z.string().min(1).default("ndcg@10"),
    /** Family-wise significance level over the slices judged. */
    alpha: z.number().gt(0).lt(1).default(0.05),
    /** Slices with fewer queries are not tested for significance. */
    minQueries: z.number().int().min(1).default(10),
    /** Slice name → the largest drop of the mean (A − B) allowed, significant or not. */
    critical: z
      .record(z.string().min(1), z.object({ maxDrop: z.number().min(0) }).strict())
      .default({}),
  })
  .strict();

export type GateConfig = z.output<typeof gateConfigSchema>;
export type GateConfigInput = z.input<typeof gateConfigSchema>;

export interface GateFailure {
  kind: "significant" | "critical";
  slice: string;
  queries: number;
  meanA: number;
  meanB: number;
  meanDiff: number;
  ci: [number, number];
  pHolm: number | null;
  /** The margin a critical slice was allowed. */
  maxDrop?: number;
}

export interface GateResult {
  passed: boolean;
  config: GateConfig;
  /** Slices tested for significance (overall first, as "all"). */
  judged: string[];
  /** Slices with too few queries to test. */
  tooSmall: string[];
  failures: GateFailure[];
  /** Holm-adjusted p per judged slice, for the gate's metric and minimum. */
  pHolm: Record<string, number>;
  /** Things the verdict should mention that are not failures (an empty critical slice). */
  notes: string[];
}

export function evaluateGate(comparison: Comparison, input: GateConfigInput = {}): GateResult {
  const config = gateConfigSchema.parse(input);
  const { metric } = config;
  if (!comparison.metrics.includes(metric)) {
    throw new PairliftError(
      "E_CONFIG",
      `the gate's metric ${metric} is not compared (available: ${comparison.metrics.join(", ")})`,
      { field: "gate.metric" },
    );
  }
  const all = [[OVERALL, comparison.overall] as const, ...Object.entries(comparison.slices)];
  for (const name of Object.keys(config.critical)) {
    if (name !== OVERALL && !Object.hasOwn(comparison.slices, name)) {
      throw new PairliftError(
        "E_CONFIG",
        `critical slice "${name}" is not a slice of these reports (slices: ${Object.keys(comparison.slices).join(", ")})`,
        { field: `gate.critical.${name}` },
      );
    }
  }
  // The gate's own Holm family: its minimum may differ from the comparison's.
  const judgedEntries = all.filter(
    ([, slice]) => slice.queries >= config.minQueries && slice.metrics[metric] !== undefined,
  );
  const adjusted = holmAdjust(
    judgedEntries.map(([, slice]) => slice.metrics[metric]!.pRandomization),
  );
  const pHolm: Record<string, number> = {};
  judgedEntries.forEach(([name], i) => (pHolm[name] = adjusted[i]!));

  const failures: GateFailure[] = [];
  const failure = (
    kind: GateFailure["kind"],
    slice: string,
    queries: number,
    result: MetricComparison,
  ): GateFailure => ({
    kind,
    slice,
    queries,
    meanA: result.meanA,
    meanB: result.meanB,
    meanDiff: result.meanDiff,
    ci: result.ci,
    pHolm: pHolm[slice] ?? null,
  });
  for (const [name, slice] of judgedEntries) {
    const result = slice.metrics[metric]!;
    if (pHolm[name]! < config.alpha && result.meanDiff < 0)
      failures.push(failure("significant", name, slice.queries, result));
  }
  const notes: string[] = [];
  for (const [name, { maxDrop }] of Object.entries(config.critical)) {
    const slice = name === OVERALL ? comparison.overall : comparison.slices[name]!;
    const result = slice.metrics[metric];
    if (result === undefined) {
      notes.push(`critical slice ${name} has no queries, so it was not checked`);
      continue;
    }
    // A margin of 0.01 on values printed to 4 places: ignore float noise below 1e-12.
    if (result.meanA - result.meanB > maxDrop + 1e-12)
      failures.push({ ...failure("critical", name, slice.queries, result), maxDrop });
  }
  return {
    passed: failures.length === 0,
    config,
    judged: judgedEntries.map(([name]) => name),
    tooSmall: all
      .filter(([, slice]) => slice.queries > 0 && slice.queries < config.minQueries)
      .map(([name]) => name),
    failures,
    pHolm,
    notes,
  };
}

export function signed(value: number, digits = 4): string {
  const text = Math.abs(value).toFixed(digits);
  if (Number(text) === 0) return (0).toFixed(digits);
  return `${value < 0 ? "-" : "+"}${text}`;
}

export function formatP(p: number | null): string {
  if (p === null) return "—";
  return p < 0.0001 ? "< 0.0001" : p.toFixed(4);
}

function describeFailure(failure: GateFailure, metric: string): string {
  const where = `${failure.slice === OVERALL ? "all queries" : failure.slice} (${failure.queries} queries)`;
  const ci = `95% CI ${signed(failure.ci[0])} to ${signed(failure.ci[1])}`;
  if (failure.kind === "critical") {
    return (
      `critical slice ${where} dropped by ${(failure.meanA - failure.meanB).toFixed(4)} ${metric} ` +
      `(${failure.meanA.toFixed(4)} → ${failure.meanB.toFixed(4)}, ${ci}), more than the ${failure.maxDrop!.toFixed(4)} allowed`
    );
  }
  return `${where} ${signed(failure.meanDiff)} ${metric} (${ci}, Holm-adjusted p ${formatP(failure.pHolm)})`;
}

/** One plain-language paragraph: what the gate decided and why. */
export function gateVerdict(comparison: Comparison, gate: GateResult): string {
  const { metric, alpha, minQueries } = gate.config;
  const a = comparison.a.label;
  const b = comparison.b.label;
  const overall = comparison.overall.metrics[metric]!;
  const overallText =
    `Overall, ${b} changes ${metric} by ${signed(overall.meanDiff)} ` +
    `(${overall.meanA.toFixed(4)} → ${overall.meanB.toFixed(4)}, 95% CI ${signed(overall.ci[0])} to ${signed(overall.ci[1])}) ` +
    `over ${comparison.overall.queries} queries`;
  const judgedNote = comparison.judged?.warn
    ? ` Caution: ${comparison.judged.metric} is ${comparison.judged.a.toFixed(2)} for ${a} and ` +
      `${comparison.judged.b.toFixed(2)} for ${b}; unjudged documents count as misses, so this ` +
      `verdict is biased against the less judged system.`
    : "";
  const notes = (gate.notes.length > 0 ? ` Note: ${gate.notes.join("; ")}.` : "") + judgedNote;
  const judged = `${gate.judged.length} slice${gate.judged.length === 1 ? "" : "s"} with at least ${minQueries} queries`;
  if (gate.passed) {
    return (
      `PASS: ${b} is not significantly worse than ${a} on ${metric} in any of the ${judged} ` +
      `(paired randomization test, Holm-adjusted, alpha ${alpha})` +
      (Object.keys(gate.config.critical).length > 0
        ? `, and no critical slice (${Object.keys(gate.config.critical).join(", ")}) dropped by more than its margin`
        : "") +
      `. ${overallText}.${notes}`
    );
  }
  const significant = gate.failures.filter((f) => f.kind === "significant");
  const critical = gate.failures.filter((f) => f.kind === "critical");
  const parts: string[] = [];
  if (significant.length > 0)
    parts.push(
      `significantly worse (Holm-adjusted randomization p < ${alpha}) on ${significant
        .map((f) => describeFailure(f, metric))
        .join("; ")}`,
    );
  if (critical.length > 0) parts.push(critical.map((f) => describeFailure(f, metric)).join("; "));
  const hidden =
    overall.meanDiff > 0 ? ", so the aggregate improves while these queries get worse" : "";
  return (
    `FAIL: ${b} regresses against ${a} on ${metric}: ${parts.join("; and ")}. ` +
    `${overallText}${hidden}.${notes}`
  );
}
