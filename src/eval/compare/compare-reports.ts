/**
 * Compares two eval reports query by query: overall and per slice, for every metric both
 * reports carry, the paired tests of paired.ts, with Holm–Bonferroni across the slices judged.
 */
import { PairliftError } from "../../errors.js";
import { sortStrcmp } from "../ranking.js";
import { DEFAULT_MIN_SLICE_QUERIES } from "../slices/slices.js";
import { holmAdjust } from "./holm.js";
import {
  DEFAULT_CONFIDENCE,
  DEFAULT_PERMUTATIONS,
  DEFAULT_RESAMPLES,
  DEFAULT_SEED,
  pairedTest,
  type PairedTestOptions,
  type PairedTestResult,
} from "./paired.js";

/** What compare needs from an eval report (the JSON `pairlift eval --json` writes). */
export interface ComparableReport {
  dataset?: string;
  split?: string;
  pipeline?: string;
  perQuery: Readonly<Record<string, Readonly<Record<string, number>>>>;
  slices?: Readonly<Record<string, { readonly queryIds?: readonly string[] | undefined }>>;
  /** judged@k per query (the eval report's `judged` section). */
  judged?: { readonly metric: string; readonly perQuery: Readonly<Record<string, number>> };
}

/** judged@10 differences above this get a warning (default of `judgedThreshold`). */
export const DEFAULT_JUDGED_THRESHOLD = 0.1;

/** Mean judged@k of both systems over the compared queries. */
export interface JudgedComparison {
  metric: string;
  a: number;
  b: number;
  /** b − a. */
  difference: number;
  /** The |difference| above which `warn` is set. */
  threshold: number;
  /** |difference| is above the threshold: the metrics are biased against the less judged one. */
  warn: boolean;
  /** The plain-words warning when `warn` (also in the comparison's `warnings`). */
  warning?: string;
}

export interface CompareOptions extends PairedTestOptions {
  /** Slices with fewer queries are reported but left out of the Holm family (default 10). */
  minQueries?: number;
  /**
   * Queries in only one report: false (default) fails with the ids; true compares the queries
   * both hold and says how many it dropped in `warnings`.
   */
  intersect?: boolean;
  /** Metrics to compare (default: every metric both reports carry). */
  metrics?: readonly string[];
  /** How A and B are named in messages (default: their pipelines). */
  labels?: [string, string];
  /** Warn when mean judged@10 differs by more than this (default 0.1). */
  judgedThreshold?: number;
}

export interface MetricComparison extends PairedTestResult {
  /** Holm-adjusted randomization p across the judged slices; null when the slice is too small. */
  pHolm: number | null;
}

export interface SliceComparison {
  queries: number;
  tooSmall: boolean;
  /** Empty when the slice has no queries. */
  metrics: Record<string, MetricComparison>;
}

export interface Comparison {
  a: { label: string; pipeline?: string; dataset?: string; split?: string };
  b: { label: string; pipeline?: string; dataset?: string; split?: string };
  metrics: string[];
  /** Queries compared (both reports). */
  queries: number;
  settings: Required<PairedTestOptions> & { minQueries: number };
  warnings: string[];
  /** Every compared query: the slice called "all" in tables. */
  overall: SliceComparison;
  slices: Record<string, SliceComparison>;
  /** Both reports' judged@k over the compared queries, when both carry it. */
  judged?: JudgedComparison;
}

/** The Holm family's name for the overall comparison. */
export const OVERALL = "all";

export function compareReports(
  a: ComparableReport,
  b: ComparableReport,
  options: CompareOptions = {},
): Comparison {
  const labels = options.labels ?? [a.pipeline ?? "A", b.pipeline ?? "B"];
  const minQueries = options.minQueries ?? DEFAULT_MIN_SLICE_QUERIES;
  const settings = {
    seed: options.seed ?? DEFAULT_SEED,
    resamples: options.resamples ?? DEFAULT_RESAMPLES,
    permutations: options.permutations ?? DEFAULT_PERMUTATIONS,
    confidence: options.confidence ?? DEFAULT_CONFIDENCE,
    minQueries,
  };
  const warnings: string[] = [];
  if (a.dataset !== undefined && b.dataset !== undefined && a.dataset !== b.dataset)
    warnings.push(`the reports come from different datasets (${a.dataset} vs ${b.dataset})`);
  if (a.split !== undefined && b.split !== undefined && a.split !== b.split)
    warnings.push(`the reports come from different splits (${a.split} vs ${b.split})`);

  const queries = pairedQueries(a, b, labels, options.intersect === true, warnings);
  const metrics = sharedMetrics(a, b, queries, options.metrics, labels, warnings);
  const slices = sliceMembership(a, b, new Set(queries), labels, warnings);

  const compareSlice = (ids: readonly string[]): SliceComparison => {
    const result: SliceComparison = {
      queries: ids.length,
      tooSmall: ids.length < minQueries,
      metrics: {},
    };
    if (ids.length === 0) return result;
    for (const metric of metrics) {
      const valuesA = ids.map((id) => a.perQuery[id]![metric]!);
      const valuesB = ids.map((id) => b.perQuery[id]![metric]!);
      result.metrics[metric] = { ...pairedTest(valuesA, valuesB, settings), pHolm: null };
    }
    return result;
  };
  const overall = compareSlice(queries);
  const sliceResults: Record<string, SliceComparison> = {};
  for (const [name, ids] of slices) sliceResults[name] = compareSlice(ids);

  // Holm across the slices judged (overall included), one family per metric.
  for (const metric of metrics) {
    const family = [overall, ...Object.values(sliceResults)].filter(
      (slice) => !slice.tooSmall && slice.metrics[metric] !== undefined,
    );
    const adjusted = holmAdjust(family.map((slice) => slice.metrics[metric]!.pRandomization));
    family.forEach((slice, i) => (slice.metrics[metric]!.pHolm = adjusted[i]!));
  }
  const judged = compareJudged(a, b, queries, options.judgedThreshold, labels, warnings);
  return {
    a: describe(labels[0], a),
    b: describe(labels[1], b),
    metrics,
    queries: queries.length,
    settings,
    warnings,
    overall,
    slices: sliceResults,
    ...(judged === undefined ? {} : { judged }),
  };
}

function compareJudged(
  a: ComparableReport,
  b: ComparableReport,
  queries: readonly string[],
  threshold = DEFAULT_JUDGED_THRESHOLD,
  labels: [string, string],
  warnings: string[],
): JudgedComparison | undefined {
  if (a.judged === undefined || b.judged === undefined || queries.length === 0) return undefined;
  if (a.judged.metric !== b.judged.metric) return undefined;
  const mean = (values: Readonly<Record<string, number>>): number =>
    queries.reduce((sum, id) => sum + (values[id] ?? 0), 0) / queries.length;
  const valueA = mean(a.judged.perQuery);
  const valueB = mean(b.judged.perQuery);
  const difference = valueB - valueA;
  const comparison: JudgedComparison = {
    metric: a.judged.metric,
    a: valueA,
    b: valueB,
    difference,
    threshold,
    warn: Math.abs(difference) > threshold,
  };
  const warning = judgedWarning(comparison, labels);
  if (warning === undefined) return comparison;
  warnings.push(warning);
  return { ...comparison, warning };
}

/**
 * The plain-words warning for a judged@k difference above the threshold (undefined below it):
 * what compare, the gate and the lab report all say.
 */
function judgedWarning(
  judged: Omit<JudgedComparison, "warning">,
  labels: readonly [string, string],
): string | undefined {
  if (!judged.warn) return undefined;
  const [less, more] = judged.difference < 0 ? [labels[1], labels[0]] : [labels[0], labels[1]];
  const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;
  return (
    `${judged.metric} differs: ${pct(judged.a)} of ${labels[0]}'s top 10 is judged, ` +
    `${pct(judged.b)} of ${labels[1]}'s. Unjudged documents count as misses, so ${less} ` +
    `looks worse than ${more} partly because nobody judged what it found; judge those ` +
    `documents, or compare condensed lists (pairlift eval --condensed, then compare --condensed)`
  );
}

function describe(label: string, report: ComparableReport): Comparison["a"] {
  return {
    label,
    ...(report.pipeline === undefined ? {} : { pipeline: report.pipeline }),
    ...(report.dataset === undefined ? {} : { dataset: report.dataset }),
    ...(report.split === undefined ? {} : { split: report.split }),
  };
}

function pairedQueries(
  a: ComparableReport,
  b: ComparableReport,
  labels: [string, string],
  intersect: boolean,
  warnings: string[],
): string[] {
  const idsA = Object.keys(a.perQuery);
  const idsB = new Set(Object.keys(b.perQuery));
  const both = idsA.filter((id) => idsB.has(id));
  const onlyA = idsA.filter((id) => !idsB.has(id));
  const inA = new Set(idsA);
  const onlyB = [...idsB].filter((id) => !inA.has(id));
  if (onlyA.length + onlyB.length > 0) {
    const sample = (ids: string[]): string =>
      ids.length === 0
        ? ""
        : ` (${ids.slice(0, 5).join(", ")}${ids.length > 5 ? `, … ${ids.length - 5} more` : ""})`;
    const what =
      `${onlyA.length} queries only in ${labels[0]}${sample(onlyA)}, ` +
      `${onlyB.length} only in ${labels[1]}${sample(onlyB)}`;
    if (!intersect) {
      throw new PairliftError(
        "E_UNKNOWN_ID",
        `the reports hold different queries: ${what}. Compare reports of the same dataset and split, or pass --intersect to compare the ${both.length} queries both hold`,
        { field: "perQuery" },
      );
    }
    warnings.push(`compared the ${both.length} queries both reports hold; left out ${what}`);
  }
  if (both.length === 0) {
    throw new PairliftError("E_UNKNOWN_ID", "the reports have no query in common", {
      field: "perQuery",
    });
  }
  return sortStrcmp(both);
}

function sharedMetrics(
  a: ComparableReport,
  b: ComparableReport,
  queries: readonly string[],
  wanted: readonly string[] | undefined,
  labels: [string, string],
  warnings: string[],
): string[] {
  // A metric counts when every compared query has it in both reports.
  const complete = (report: ComparableReport): Set<string> => {
    let names: Set<string> | undefined;
    for (const id of queries) {
      const here = Object.keys(report.perQuery[id]!);
      names = names === undefined ? new Set(here) : new Set(here.filter((m) => names!.has(m)));
    }
    return names ?? new Set();
  };
  const inA = complete(a);
  const inB = complete(b);
  const available = [...inA].filter((metric) => inB.has(metric));
  if (wanted !== undefined) {
    const missing = wanted.filter((metric) => !available.includes(metric));
    if (missing.length > 0) {
      throw new PairliftError(
        "E_CONFIG",
        `metric ${missing.join(", ")} is not in both reports (available: ${available.join(", ") || "none"})`,
        { field: "metrics" },
      );
    }
    return [...wanted];
  }
  const oneSided = [...new Set([...inA, ...inB])].filter((metric) => !available.includes(metric));
  if (oneSided.length > 0)
    warnings.push(
      `metrics not in both ${labels[0]} and ${labels[1]} are not compared: ${oneSided.join(", ")}`,
    );
  if (available.length === 0)
    throw new PairliftError("E_FIELD", "the reports share no metric", { field: "perQuery" });
  return available;
}

function sliceMembership(
  a: ComparableReport,
  b: ComparableReport,
  compared: ReadonlySet<string>,
  labels: [string, string],
  warnings: string[],
): Map<string, string[]> {
  const slices = new Map<string, string[]>();
  const names = [
    ...Object.keys(a.slices ?? {}),
    ...Object.keys(b.slices ?? {}).filter((name) => !Object.hasOwn(a.slices ?? {}, name)),
  ];
  for (const name of names) {
    const idsA = a.slices?.[name]?.queryIds;
    const idsB = b.slices?.[name]?.queryIds;
    if (idsA === undefined && idsB === undefined) continue;
    let ids: readonly string[];
    if (idsA !== undefined && idsB !== undefined) {
      const setB = new Set(idsB);
      ids = idsA.filter((id) => setB.has(id));
      if (ids.length !== idsA.length || ids.length !== idsB.length)
        warnings.push(
          `slice ${name} holds different queries in the two reports; compared the ${ids.length} in both`,
        );
    } else {
      ids = (idsA ?? idsB)!;
      warnings.push(
        `slice ${name} is only in ${idsA === undefined ? labels[1] : labels[0]}'s report; its membership is used for both`,
      );
    }
    slices.set(name, sortStrcmp(ids.filter((id) => compared.has(id))));
  }
  const withoutIds = [a, b].filter(
    (report) =>
      report.slices !== undefined &&
      Object.values(report.slices).some((slice) => slice.queryIds === undefined),
  );
  if (withoutIds.length > 0)
    warnings.push("some slices carry no queryIds (an older report?) and are not compared");
  return slices;
}
