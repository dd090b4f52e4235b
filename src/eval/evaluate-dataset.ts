import type { LexicalIndexOptionsInput } from "../lexical/options.js";
import type { PairliftConfig } from "../config/config-file.js";
import type { EmbeddingCache } from "../dense/embedding-cache.js";
import type { Embedder } from "../dense/embedder.js";
import { withDatasetPipeline } from "../lab/dataset-session.js";
import type { Reranker } from "../rerank/reranker.js";
import type { Run } from "../types.js";
import { evaluate } from "./evaluate.js";
import { searchQuery } from "./query-search.js";
import { LatencyRecorder, type LatencySummary } from "./latency.js";
import { JUDGED_METRIC, type JudgedReport, scoreWithJudged } from "./judged-report.js";
import { type MetricSpec, parseMetricNames } from "./measures.js";
import { verifyProbeDataset } from "../lab/probe.js";
import { loadSliceFile } from "./slices/slice-file.js";
import {
  assignSlices,
  DEFAULT_MIN_SLICE_QUERIES,
  indexTermStatistics,
  type SliceResult,
} from "./slices/slices.js";

export { JUDGED_METRIC, type JudgedReport };

/** The metrics every eval report carries unless asked otherwise. */
export const DEFAULT_EVAL_METRICS: readonly string[] = Object.freeze([
  "ndcg@10",
  "mrr@10",
  "recall@100",
  "map@100",
  "p@10",
]);

export interface EvaluateDatasetOptions {
  dataset: string;
  /** A slice file (YAML: `name: regex` or `name: [query ids]`), added to the automatic slices. */
  slices?: string;
  /** Slices with fewer queries are flagged `tooSmall` (default 10). */
  minSliceQueries?: number;
  /** A probe directory (`pairlift probe`) to run through the same pipeline, reported as `probe`. */
  probe?: string;
  split?: string;
  pipeline?: string;
  metrics?: readonly string[];
  /** Documents retrieved per query (default 1000, the TREC convention). */
  depth?: number;
  /**
   * Also score condensed lists (unjudged documents removed before ranking, trec_eval's `-J`),
   * reported as `condensed`.
   */
  condensed?: boolean;
  lexical?: LexicalIndexOptionsInput;
  cacheRoot?: string;
  /** Embedders and pipelines; default: pairlift.config.yaml in the working directory, if any. */
  config?: PairliftConfig;
  /** The embedding cache (default: embeddings.sqlite in the cache directory). */
  embeddingCache?: EmbeddingCache;
  onProgress?: (stage: string, done: number, total: number) => void;
  /** Substitute embedder factory, for tests. */
  createEmbedder?: (name: string, config: PairliftConfig) => Promise<Embedder>;
  /** Substitute reranker factory, for tests. */
  createReranker?: (name: string, config: PairliftConfig) => Promise<Reranker>;
}

/** The probe set's part of an eval report. */
export type ProbeReport = Pick<
  EvalReport,
  "dataset" | "split" | "queries" | "aggregate" | "perQuery" | "slices"
>;

/** The metrics on condensed lists (option `condensed`). */
export interface CondensedReport {
  aggregate: Record<string, number>;
  perQuery: Record<string, Record<string, number>>;
}

export interface EvalReport {
  dataset: string;
  split: string;
  pipeline: string;
  queries: number;
  depth: number;
  aggregate: Record<string, number>;
  perQuery: Record<string, Record<string, number>>;
  /** Metrics per query slice (eval/slices): automatic, `tag:` and slice-file slices. */
  slices?: Record<string, SliceResult>;
  /** The probe set (option `probe`) run through the same pipeline. */
  probe?: ProbeReport;
  /** judged@10 per query, per slice and overall. */
  judged?: JudgedReport;
  /** The metrics on condensed lists (option `condensed`). */
  condensed?: CondensedReport;
  index: { reused: boolean; documents: number; buildSeconds?: number };
  /**
   * What embedding cost (texts the models embedded, texts the cache answered), and how many
   * queries were answered degraded (an optional stage failed or ran over its budget).
   */
  stats: { embeddedTexts: number; cacheHits: number; degradedQueries: number };
  /** End-to-end and per-stage latency over the queries, in milliseconds. */
  latency: LatencySummary;
}

/**
 * Runs every judged query of a BEIR split through a pipeline and scores the run with the
 * trec_eval-exact metrics. The index is built once per corpus and configuration, then reused.
 */
export async function evaluateDataset(
  options: EvaluateDatasetOptions,
): Promise<{ report: EvalReport; run: Run }> {
  const split = options.split ?? "test";
  const pipelineName = options.pipeline ?? "bm25";
  const depth = options.depth ?? 1000;
  const metrics = parseMetricNames(options.metrics ?? DEFAULT_EVAL_METRICS);
  await verifyProbeDataset(options.dataset);
  const sliceFile = options.slices === undefined ? undefined : await loadSliceFile(options.slices);
  const run: Run = new Map();
  const latency = new LatencyRecorder();
  let degradedQueries = 0;
  const { data, index, built, embedding } = await withDatasetPipeline(
    { ...options, split, pipeline: pipelineName },
    async ({ data, index, pipeline, built }) => {
      for (const [i, query] of data.queries.entries()) {
        const result = await searchQuery(pipeline, query, depth);
        run.set(query.id, new Map(result.hits.map((hit) => [hit.id, hit.score])));
        latency.record(result.timingsMs);
        if (result.degraded !== undefined) degradedQueries += 1;
        options.onProgress?.("queries", i + 1, data.queries.length);
      }
      return { data, index, built, embedding: pipeline.stats() };
    },
  );
  // complete: a judged query the pipeline found nothing for still counts, as 0; judged@10 is
  // computed in the same pass and reported on its own.
  const membership = assignSlices(data.queries, {
    terms: indexTermStatistics(index.lexical),
    ...(sliceFile === undefined ? {} : { sliceFile }),
  });
  const { queries, aggregate, perQuery, slices, judged } = scoreWithJudged(
    data.qrels,
    run,
    metrics,
    membership,
    options.minSliceQueries ?? DEFAULT_MIN_SLICE_QUERIES,
  );
  const condensed =
    options.condensed === true ? condensedReport(data.qrels, run, metrics) : undefined;
  const probe =
    options.probe === undefined ? undefined : await evaluateProbe(options, options.probe);
  const index_: EvalReport["index"] = { reused: built.reused, documents: index.lexical.size };
  if (built.seconds !== undefined) index_.buildSeconds = built.seconds;
  return {
    report: {
      dataset: options.dataset,
      split,
      pipeline: pipelineName,
      queries,
      depth,
      aggregate,
      perQuery,
      slices,
      ...(probe === undefined ? {} : { probe }),
      judged,
      ...(condensed === undefined ? {} : { condensed }),
      index: index_,
      stats: { ...embedding, degradedQueries },
      latency: latency.summary(),
    },
    run,
  };
}

function condensedReport(
  qrels: Parameters<typeof evaluate>[0],
  run: Run,
  metrics: readonly MetricSpec[],
): CondensedReport {
  const evaluation = evaluate(qrels, run, metrics, { complete: true, condensed: true });
  return { aggregate: evaluation.aggregate, perQuery: Object.fromEntries(evaluation.perQuery) };
}

/** Runs a probe set through the same pipeline and settings (its split is always `test`). */
async function evaluateProbe(options: EvaluateDatasetOptions, dir: string): Promise<ProbeReport> {
  const { probe: _probe, slices: _slices, ...shared } = options;
  const { report } = await evaluateDataset({ ...shared, dataset: dir, split: "test" });
  const { dataset, split, queries, aggregate, perQuery, slices } = report;
  return {
    dataset,
    split,
    queries,
    aggregate,
    perQuery,
    ...(slices === undefined ? {} : { slices }),
  };
}
