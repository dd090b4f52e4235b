import { loadBeirSplit } from "../io/beir.js";
import type { LexicalIndexOptionsInput } from "../lexical/options.js";
import { createPipeline } from "../pipeline/pipeline.js";
import { cachedIndex } from "../store/index-cache.js";
import type { Run } from "../types.js";
import { evaluate } from "./evaluate.js";
import { parseMetricNames } from "./measures.js";

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
  split?: string;
  pipeline?: string;
  metrics?: readonly string[];
  /** Documents retrieved per query (default 1000, the TREC convention). */
  depth?: number;
  lexical?: LexicalIndexOptionsInput;
  cacheRoot?: string;
  onProgress?: (stage: "index" | "queries", done: number, total: number) => void;
}

export interface EvalReport {
  dataset: string;
  split: string;
  pipeline: string;
  queries: number;
  depth: number;
  aggregate: Record<string, number>;
  perQuery: Record<string, Record<string, number>>;
  index: { reused: boolean; documents: number; buildSeconds?: number };
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
  const data = await loadBeirSplit(options.dataset, split);
  const { index, reused, stats } = await cachedIndex({
    source: { path: options.dataset },
    ...(options.lexical === undefined ? {} : { lexical: options.lexical }),
    ...(options.cacheRoot === undefined ? {} : { root: options.cacheRoot }),
    onProgress: (done) => options.onProgress?.("index", done, 0),
  });
  const pipeline = createPipeline(pipelineName, index);
  const run: Run = new Map();
  for (const [i, query] of data.queries.entries()) {
    const result = await pipeline.search(query.text, depth);
    run.set(query.id, new Map(result.hits.map((hit) => [hit.id, hit.score])));
    options.onProgress?.("queries", i + 1, data.queries.length);
  }
  // complete: a judged query the pipeline found nothing for still counts, as 0.
  const evaluation = evaluate(data.qrels, run, metrics, { complete: true });
  const index_: EvalReport["index"] = { reused, documents: index.lexical.size };
  if (stats !== undefined) index_.buildSeconds = stats.seconds;
  return {
    report: {
      dataset: options.dataset,
      split,
      pipeline: pipelineName,
      queries: evaluation.numQueries,
      depth,
      aggregate: evaluation.aggregate,
      perQuery: Object.fromEntries(evaluation.perQuery),
      index: index_,
    },
    run,
  };
}
