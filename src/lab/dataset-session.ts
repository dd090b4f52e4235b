import { loadConfig, type PairliftConfig } from "../config/config-file.js";
import type { Embedder } from "../dense/embedder.js";
import type { EmbeddingCache } from "../dense/embedding-cache.js";
import { loadBeirSplit, type BeirDataset } from "../io/beir.js";
import type { LexicalIndexOptionsInput } from "../lexical/options.js";
import { resolvePipeline, type PipelineDefinition } from "../pipeline/config.js";
import { withOpenPipeline, type Pipeline, type PipelineContext } from "../pipeline/pipeline.js";
import { cachedIndex } from "../store/index-cache.js";
import type { OpenIndex } from "../store/index-store.js";

export interface DatasetSessionOptions {
  dataset: string;
  split: string;
  pipeline: string;
  config?: PairliftConfig;
  lexical?: LexicalIndexOptionsInput;
  cacheRoot?: string;
  embeddingCache?: EmbeddingCache;
  onProgress?: (stage: string, done: number, total: number) => void;
  createEmbedder?: PipelineContext["createEmbedder"];
  createReranker?: PipelineContext["createReranker"];
  /** Adjusts the resolved pipeline before it is opened (training replaces the rerank stage). */
  adjust?: (definition: PipelineDefinition) => PipelineDefinition;
}

export interface DatasetSession {
  data: BeirDataset;
  index: OpenIndex;
  pipeline: Pipeline;
  definition: PipelineDefinition;
  config: PairliftConfig;
  /** Whether the cached index was reused, or how long building it took. */
  built: { reused: boolean; seconds?: number };
}

/**
 * Runs `work` with a BEIR split, its (cached) index and an open pipeline, and closes the
 * pipeline and any embedding cache it opened afterwards: what eval, tune-fusion and
 * train-reranker share.
 */
export async function withDatasetPipeline<T>(
  options: DatasetSessionOptions,
  work: (session: DatasetSession) => Promise<T>,
): Promise<T> {
  const config = options.config ?? (await loadConfig());
  const resolved = resolvePipeline(options.pipeline, config.pipelines, config.file);
  const definition = options.adjust?.(resolved) ?? resolved;
  const data = await loadBeirSplit(options.dataset, options.split);
  // Fields: the caller's, else the config's (`fields:`), else found in the corpus.
  const lexical =
    options.lexical ?? (config.fields === undefined ? undefined : { fields: config.fields });
  const { index, reused, stats } = await cachedIndex({
    source: { path: options.dataset },
    ...(lexical === undefined ? {} : { lexical }),
    ...(options.cacheRoot === undefined ? {} : { root: options.cacheRoot }),
    onProgress: (done) => options.onProgress?.("index", done, 0),
  });
  const context = {
    index,
    config,
    buildMissing: true,
    ...(options.embeddingCache === undefined ? {} : { cache: options.embeddingCache }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(options.createEmbedder === undefined ? {} : { createEmbedder: options.createEmbedder }),
    ...(options.createReranker === undefined ? {} : { createReranker: options.createReranker }),
  };
  const built = stats === undefined ? { reused } : { reused, seconds: stats.seconds };
  return withOpenPipeline(definition, context, (pipeline) =>
    work({ data, index, pipeline, definition, config, built }),
  );
}

/** The embedder factory type, re-exported for commands. */
export type EmbedderFactory = (name: string, config: PairliftConfig) => Promise<Embedder>;
