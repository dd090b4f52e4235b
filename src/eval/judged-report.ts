/**
 * Scoring a query set with judged@10 beside its metrics, as `eval` and the lab both report it:
 * computed in the same pass as the metrics, then reported in its own section (unless it was
 * asked for as a metric), so the metrics, slices and per-query values stay what was asked for.
 */
import type { Qrels, Run } from "../types.js";
import { evaluate } from "./evaluate.js";
import { type MetricSpec, parseMetricName } from "./measures.js";
import { summarizeSlices, type SliceResult } from "./slices/slices.js";

/** The judged@k every eval report and lab result carries beside its metrics. */
export const JUDGED_METRIC = "judged@10";

/**
 * How much of each top 10 the qrels judge: when two systems differ here, their metrics are not
 * comparable (unjudged documents count as misses).
 */
export interface JudgedReport {
  metric: string;
  /** Mean over the evaluated queries. */
  aggregate: number;
  perQuery: Record<string, number>;
  /** Mean per slice (same slices as the report's; slices without queries are left out). */
  slices: Record<string, number>;
}

export interface ScoredSet {
  queries: number;
  aggregate: Record<string, number>;
  perQuery: Record<string, Record<string, number>>;
  slices: Record<string, SliceResult>;
  judged: JudgedReport;
}

/**
 * Scores a run against qrels with `complete` (a judged query the run found nothing for still
 * counts, as 0), summarises the slices, and reports judged@10 on its own.
 */
export function scoreWithJudged(
  qrels: Qrels,
  run: Run,
  metrics: readonly MetricSpec[],
  membership: ReadonlyMap<string, readonly string[]>,
  minSliceQueries: number,
): ScoredSet {
  const judgedSpec = parseMetricName(JUDGED_METRIC);
  const asked = metrics.some((m) => m.name === judgedSpec.name);
  const evaluation = evaluate(qrels, run, asked ? metrics : [...metrics, judgedSpec], {
    complete: true,
  });
  const allPerQuery = Object.fromEntries(evaluation.perQuery);
  const allSlices = summarizeSlices(allPerQuery, membership, minSliceQueries);
  const judged = judgedReport(judgedSpec.name, evaluation.aggregate, allPerQuery, allSlices);
  const strip = (values: Record<string, number>): Record<string, number> => {
    if (asked) return values;
    const { [judgedSpec.name]: _judged, ...rest } = values;
    return rest;
  };
  return {
    queries: evaluation.numQueries,
    aggregate: strip(evaluation.aggregate),
    perQuery: Object.fromEntries(
      Object.entries(allPerQuery).map(([qid, values]) => [qid, strip(values)]),
    ),
    slices: Object.fromEntries(
      Object.entries(allSlices).map(([name, slice]) => [
        name,
        { ...slice, aggregate: strip(slice.aggregate) },
      ]),
    ),
    judged,
  };
}

function judgedReport(
  metric: string,
  aggregate: Record<string, number>,
  perQuery: Record<string, Record<string, number>>,
  slices: Record<string, SliceResult>,
): JudgedReport {
  return {
    metric,
    aggregate: aggregate[metric] ?? 0,
    perQuery: Object.fromEntries(
      Object.entries(perQuery).map(([qid, values]) => [qid, values[metric] ?? 0]),
    ),
    slices: Object.fromEntries(
      Object.entries(slices)
        .filter(([, slice]) => slice.queries > 0)
        .map(([name, slice]) => [name, slice.aggregate[metric] ?? 0]),
    ),
  };
}
