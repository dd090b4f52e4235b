import { loadBeirSplit } from "../io/beir.js";
import type { LexicalIndexOptionsInput } from "../lexical/options.js";
import { loadConfig, type PairliftConfig } from "../config/config-file.js";
import { EmbeddingCache } from "../dense/embedding-cache.js";
import type { Embedder } from "../dense/embedder.js";
import { createPipeline } from "../pipeline/pipeline.js";
import { parsePipelineSpec } from "../pipeline/spec.js";
import { cacheDir } from "../store/cache-dir.js";
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
  /** Embedders and pipelines; default: pairlift.config.yaml in the working directory, if any. */
  config?: PairliftConfig;
  /** The embedding cache (default: embeddings.sqlite in the cache directory). */
  embeddingCache?: EmbeddingCache;
  onProgress?: (stage: string, done: number, total: number) => void;
  /** Substitute embedder factory, for tests. */
  createEmbedder?: (name: string, config: PairliftConfig) => Promise<Embedder>;
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
  /** What embedding cost: texts the models embedded, and texts the cache answered. */
  stats: { embeddedTexts: number; cacheHits: number };
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
  const spec = parsePipelineSpec(pipelineName);
  const config = options.config ?? (await loadConfig());
  const data = await loadBeirSplit(options.dataset, split);
  const { index, reused, stats } = await cachedIndex({
    source: { path: options.dataset },
    ...(options.lexical === undefined ? {} : { lexical: options.lexical }),
    ...(options.cacheRoot === undefined ? {} : { root: options.cacheRoot }),
    onProgress: (done) => options.onProgress?.("index", done, 0),
  });
  const ownCache =
    spec.kind === "dense" && options.embeddingCache === undefined
      ? new EmbeddingCache(cacheDir("embeddings.sqlite"))
      : undefined;
  const embeddingCache = options.embeddingCache ?? ownCache;
  const run: Run = new Map();
  let embedding = { embeddedTexts: 0, cacheHits: 0 };
  try {
    const pipeline = await createPipeline(pipelineName, {
      index,
      config,
      buildMissing: true,
      ...(embeddingCache === undefined ? {} : { cache: embeddingCache }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      ...(options.createEmbedder === undefined ? {} : { createEmbedder: options.createEmbedder }),
    });
    try {
      for (const [i, query] of data.queries.entries()) {
        const result = await pipeline.search(query.text, depth);
        run.set(query.id, new Map(result.hits.map((hit) => [hit.id, hit.score])));
        options.onProgress?.("queries", i + 1, data.queries.length);
      }
      embedding = pipeline.stats();
    } finally {
      await pipeline.close();
    }
  } finally {
    ownCache?.close();
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
      stats: embedding,
    },
    run,
  };
}
