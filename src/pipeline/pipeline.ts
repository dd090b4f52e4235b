import type { PairliftConfig } from "../config/config-file.js";
import { CachedEmbedder, type EmbeddingStats } from "../dense/cached-embedder.js";
import { buildDenseIndex, openDenseIndex } from "../dense/dense-index.js";
import type { Embedder } from "../dense/embedder.js";
import type { EmbeddingCache } from "../dense/embedding-cache.js";
import { createEmbedder } from "../dense/embedders/registry.js";
import { PairliftError } from "../errors.js";
import type { OpenIndex } from "../store/index-store.js";
import { parsePipelineSpec } from "./spec.js";

/** Where one retriever put a document: its 1-based rank and its own score. */
export interface RetrieverPosition {
  rank: number;
  score: number;
}

export interface PipelineHit {
  id: string;
  /** The final score: the rerank score when reranked, else the fused (or single-path) score. */
  score: number;
  /** Per retriever (by its name, e.g. `lexical`, `dense:use`): where it put this document. */
  retrievers?: Record<string, RetrieverPosition>;
  /** The fused score, when more than one retriever ran. */
  fused?: number;
  /** The reranker's score, when this document was reranked. */
  rerank?: number;
}

/** Why a response is not what the full pipeline would have returned. */
export interface Degradation {
  stage: string;
  /** `timeout` (over budget), `error` (the stage failed) or `overload` (concurrency limit). */
  kind: "timeout" | "error" | "overload";
  message: string;
}

export interface PipelineResult {
  hits: PipelineHit[];
  /** Milliseconds spent in each stage, by stage name (`lexical`, `embed:use`, `dense:use`, `fusion`, `rerank`). */
  timingsMs: Record<string, number>;
  /** Each retriever's own top list (ids and scores, best first), for monitors and debugging. */
  retrieved?: Record<string, PipelineHitRef[]>;
  /** Set when an optional stage failed or ran over budget and the pipeline fell back. */
  degraded?: Degradation;
}

export interface PipelineHitRef {
  id: string;
  score: number;
}

/** A named way of answering a query: retrievers, fusion and reranking configured together. */
export interface Pipeline {
  readonly name: string;
  search(query: string, k: number): Promise<PipelineResult>;
  /** What embedding cost so far (zero for lexical pipelines). */
  stats(): EmbeddingStats;
  close(): Promise<void>;
}

export interface PipelineContext {
  index: OpenIndex;
  config: PairliftConfig;
  /** The embedding cache; dense pipelines need one. */
  cache?: EmbeddingCache;
  /** Build missing dense vectors (eval on a cached index) instead of failing (an explicit --index). */
  buildMissing?: boolean;
  onProgress?: (stage: string, done: number, total: number) => void;
  /** Substitute embedder factory, for tests. */
  createEmbedder?: (name: string, config: PairliftConfig) => Promise<Embedder>;
}

const NO_COST: EmbeddingStats = Object.freeze({ embeddedTexts: 0, cacheHits: 0 });

/** The BM25 pipeline over an index's lexical part. */
export function bm25Pipeline(index: OpenIndex): Pipeline {
  return {
    name: "bm25",
    search: (query, k) => {
      const started = performance.now();
      const hits = index.lexical.search(query, { k });
      return Promise.resolve({ hits, timingsMs: { lexical: performance.now() - started } });
    },
    stats: () => ({ ...NO_COST }),
    close: () => Promise.resolve(),
  };
}

/** Dense retrieval with one embedder: embed the query, search the stored document vectors. */
export async function densePipeline(name: string, context: PipelineContext): Promise<Pipeline> {
  const { index, config } = context;
  if (context.cache === undefined)
    throw new PairliftError("E_USAGE", "dense pipelines need an embedding cache");
  const inner = await (context.createEmbedder ?? createEmbedder)(name, config);
  const embedder = new CachedEmbedder(inner, context.cache);
  try {
    let dense = await openDenseIndex(index, name, embedder.identity);
    if (dense === undefined) {
      if (context.buildMissing !== true) {
        throw new PairliftError(
          "E_CONFIG",
          `index ${index.dir} has no vectors for embedder "${name}"; build them with \`pairlift index --index ${index.dir} --embedder ${name}\``,
        );
      }
      dense = await buildDenseIndex({
        index,
        name,
        embedder,
        onProgress: (done, total) => context.onProgress?.(`embed:${name}`, done, total),
      });
    }
    const vectors = dense;
    return {
      name: `dense:${name}`,
      search: async (query, k) => {
        if (query.trim() === "")
          throw new PairliftError("E_QUERY", "query is empty", { field: "query" });
        const started = performance.now();
        const [vector] = await embedder.embed([query], { role: "query" });
        const embedded = performance.now();
        const hits = vectors.search(vector!, k);
        return {
          hits,
          timingsMs: { embed: embedded - started, dense: performance.now() - embedded },
        };
      },
      stats: () => ({ ...embedder.stats }),
      close: () => embedder.close(),
    };
  } catch (error) {
    await embedder.close();
    throw error;
  }
}

/** Resolves a pipeline by name: `bm25`, or `dense:<embedder>` with an embedder from the config. */
export async function createPipeline(name: string, context: PipelineContext): Promise<Pipeline> {
  const spec = parsePipelineSpec(name);
  switch (spec.kind) {
    case "bm25":
      return bm25Pipeline(context.index);
    case "dense":
      return densePipeline(spec.embedder, context);
  }
}
