import { loadConfig } from "../config/config-file.js";
import { EmbeddingCache } from "../dense/embedding-cache.js";
import { PairliftError } from "../errors.js";
import { createPipeline, type Pipeline, type PipelineContext } from "../pipeline/pipeline.js";
import { cacheDir } from "../store/cache-dir.js";
import { openIndex, type OpenIndex } from "../store/index-store.js";

/**
 * What one generation of the server answers with: an index and the pipelines built over it.
 * `/admin/reload` builds a new set, switches to it, and closes the old one once drained.
 */
export interface ServingSet {
  index: OpenIndex;
  /** Every pipeline a request may name (shadow pipelines included). */
  pipelines: ReadonlyMap<string, Pipeline>;
  /** The pipeline a request without `pipeline` gets. */
  defaultPipeline: string;
  /** Closes the pipelines and whatever they share (the embedding cache). */
  close(): Promise<void>;
}

export type LoadServingSet = () => Promise<ServingSet>;

export interface OpenServingSetOptions {
  indexDir: string;
  /** The pairlift config (embedders, pipelines); default pairlift.config.yaml when present. */
  configPath?: string;
  defaultPipeline: string;
  /** Further pipelines to build: those requests may name, and the shadow ones. */
  pipelines?: readonly string[];
  /** The embedding cache file (default: embeddings.sqlite in the cache directory). */
  embeddingCachePath?: string;
  /** Substitute embedder factory, for tests. */
  createEmbedder?: PipelineContext["createEmbedder"];
}

/**
 * Opens the index and builds every pipeline before anything is served, so a missing model or
 * vector file fails at startup (or fails a reload, leaving the old set serving), not mid-query.
 */
export async function openServingSet(options: OpenServingSetOptions): Promise<ServingSet> {
  const names = [...new Set([options.defaultPipeline, ...(options.pipelines ?? [])])];
  const [index, config] = await Promise.all([
    openIndex(options.indexDir),
    loadConfig(options.configPath),
  ]);
  // BM25 alone needs no embedding cache; anything else may embed queries.
  const cache = names.every((name) => name === "bm25")
    ? undefined
    : new EmbeddingCache(options.embeddingCachePath ?? cacheDir("embeddings.sqlite"));
  const pipelines = new Map<string, Pipeline>();
  const closeAll = async (): Promise<void> => {
    const results = await Promise.allSettled([...pipelines.values()].map((p) => p.close()));
    cache?.close();
    const failed = results.find((result) => result.status === "rejected");
    if (failed !== undefined) throw failed.reason;
  };
  try {
    for (const name of names) {
      pipelines.set(
        name,
        await createPipeline(name, {
          index,
          config,
          ...(cache === undefined ? {} : { cache }),
          ...(options.createEmbedder === undefined
            ? {}
            : { createEmbedder: options.createEmbedder }),
        }),
      );
    }
  } catch (error) {
    await closeAll().catch(() => undefined);
    if (error instanceof PairliftError) throw error;
    throw new PairliftError("E_CONFIG", `cannot build pipelines: ${String(error)}`, {}, error);
  }
  return { index, pipelines, defaultPipeline: options.defaultPipeline, close: closeAll };
}
