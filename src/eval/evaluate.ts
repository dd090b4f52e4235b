/**
 * trec_eval 10.0-exact evaluation of a run against relevance judgments.
 *
 * Which queries count (trec_eval.c):
 * - queries in the run but not in the qrels are ignored;
 * - queries in the qrels are evaluated when the run has them, including queries whose judgments
 *   are all non-relevant (their metrics are 0);
 * - queries in the qrels that the run lacks are skipped, unless `complete` (trec_eval `-c`): then
 *   they score 0 on every metric, appear in `perQuery`, and the average is over every qrels query.
 * Per-query values are summed in strcmp order of qid and divided by the number of queries, as
 * trec_eval accumulates them, so averages agree to the last bit.
 */
import type { Qrels, Run } from "../types.js";
import type { MetricSpec } from "./measures.js";
import { averagePrecision } from "./metrics/map.js";
import { ndcgAt } from "./metrics/ndcg.js";
import { precisionAt } from "./metrics/precision.js";
import { recallAt } from "./metrics/recall.js";
import { reciprocalRank } from "./metrics/recip-rank.js";
import { successAt } from "./metrics/success.js";
import { judgedAt } from "./metrics/judged.js";
import { emptyRanking, type JudgedRanking, judgeRun, sortStrcmp } from "./ranking.js";

export interface EvaluateOptions {
  /** trec_eval `-c`: average over every qrels query, a query missing from the run scoring 0. */
  complete?: boolean;
  /** Score condensed lists: unjudged documents removed before ranking (trec_eval `-J`). */
  condensed?: boolean;
}

export interface EvaluationResult {
  /** Metric values per evaluated query, in strcmp order of qid. */
  perQuery: Map<string, Record<string, number>>;
  /** Mean of each metric over the evaluated queries (all qrels queries when `complete`); 0 when there are none. */
  aggregate: Record<string, number>;
  /** How many queries the aggregate averages over. */
  numQueries: number;
}

/** Computes one metric on one query's judged ranking. */
export function computeMetric(spec: MetricSpec, ranking: JudgedRanking): number {
  const k = spec.cutoff;
  switch (spec.family) {
    case "map":
      return averagePrecision(ranking);
    case "map_cut":
      return averagePrecision(ranking, cutoffOf(spec));
    case "recip_rank":
      return k === undefined ? reciprocalRank(ranking) : reciprocalRank(ranking, k);
    case "P":
      return precisionAt(ranking, cutoffOf(spec));
    case "recall":
      return recallAt(ranking, cutoffOf(spec));
    case "ndcg_cut":
      return ndcgAt(ranking, cutoffOf(spec));
    case "success":
      return successAt(ranking, cutoffOf(spec));
    case "judged":
      return judgedAt(ranking, cutoffOf(spec));
  }
}

function cutoffOf(spec: MetricSpec): number {
  if (spec.cutoff === undefined) throw new TypeError(`metric ${spec.name} needs a cutoff`);
  return spec.cutoff;
}

/** Evaluates `run` against `qrels` on `metrics` with trec_eval 10.0 semantics (see the module doc). */
export function evaluate(
  qrels: Qrels,
  run: Run,
  metrics: readonly MetricSpec[],
  options: EvaluateOptions = {},
): EvaluationResult {
  const complete = options.complete === true;
  const specs = uniqueByName(metrics);
  const sums = new Float64Array(specs.length);
  const perQuery = new Map<string, Record<string, number>>();
  for (const qid of sortStrcmp([...qrels.keys()])) {
    const judgments = qrels.get(qid);
    const scores = run.get(qid);
    let ranking: JudgedRanking;
    if (scores !== undefined && scores.size > 0) {
      ranking = judgeRun(scores, judgments, { condensed: options.condensed === true });
    } else if (complete) ranking = emptyRanking(judgments);
    else continue;
    const values: Record<string, number> = {};
    for (let m = 0; m < specs.length; m++) {
      const spec = specs[m]!;
      const value = computeMetric(spec, ranking);
      values[spec.name] = value;
      sums[m]! += value;
    }
    perQuery.set(qid, values);
  }
  const numQueries = complete ? qrels.size : perQuery.size;
  const aggregate: Record<string, number> = {};
  for (let m = 0; m < specs.length; m++) {
    aggregate[specs[m]!.name] = numQueries > 0 ? sums[m]! / numQueries : 0;
  }
  return { perQuery, aggregate, numQueries };
}

function uniqueByName(metrics: readonly MetricSpec[]): MetricSpec[] {
  const seen = new Set<string>();
  const out: MetricSpec[] = [];
  for (const spec of metrics) {
    if (seen.has(spec.name)) continue;
    seen.add(spec.name);
    out.push(spec);
  }
  return out;
}
