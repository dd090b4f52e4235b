/**
 * The first stage: something that turns a query into a ranked list of documents. A pipeline
 * runs its retrievers concurrently and fuses their lists.
 */
import type { PairliftConfig } from "../config/config-file.js";
import { CachedEmbedder, type EmbeddingStats } from "../dense/cached-embedder.js";
import { buildDenseIndex, openDenseIndex } from "../dense/dense-index.js";
import type { Embedder } from "../dense/embedder.js";
import type { EmbeddingCache } from "../dense/embedding-cache.js";
import { createEmbedder } from "../dense/embedders/registry.js";
import { PairliftError } from "../errors.js";
import type { OpenIndex } from "../store/index-store.js";
import type { RetrieverDefinition } from "./config.js";

export interface RetrievedList {
  hits: { id: string; score: number }[];
  /** Milliseconds per stage (`lexical`; `embed:<name>` and `dense:<name>`). */
  timingsMs: Record<string, number>;
  /**
   * Set when the path had nothing to say about this query and returned no hits instead of a
   * guess (a dense path whose query vector is zero, or whose scores are all equal).
   */
  abstained?: string;
}

export interface Retriever {
  /** `lexical` or `dense:<embedder>`. */
  readonly name: string;
  search(query: string, depth: number, signal?: AbortSignal): Promise<RetrievedList>;
  stats(): EmbeddingStats;
  close(): Promise<void>;
}

export interface RetrieverContext {
  index: OpenIndex;
  config: PairliftConfig;
  cache?: EmbeddingCache;
  buildMissing?: boolean;
  onProgress?: (stage: string, done: number, total: number) => void;
  createEmbedder?: (name: string, config: PairliftConfig) => Promise<Embedder>;
}

const NO_COST: EmbeddingStats = Object.freeze({ embeddedTexts: 0, cacheHits: 0 });

export function lexicalRetriever(
  index: OpenIndex,
  definition: Extract<RetrieverDefinition, { kind: "lexical" }>,
): Retriever {
  const bm25 = {
    ...(definition.k1 === undefined ? {} : { k1: definition.k1 }),
    ...(definition.b === undefined ? {} : { b: definition.b }),
  };
  return {
    name: "lexical",
    search: (query, depth) => {
      const started = performance.now();
      const hits = index.lexical.search(query, { k: depth, bm25 });
      return Promise.resolve({ hits, timingsMs: { lexical: performance.now() - started } });
    },
    stats: () => ({ ...NO_COST }),
    close: () => Promise.resolve(),
  };
}

/** Dense retrieval with one embedder: embed the query, search the stored document vectors. */
export async function denseRetriever(
  embedderName: string,
  context: RetrieverContext,
): Promise<Retriever> {
  const { index, config } = context;
  if (context.cache === undefined)
    throw new PairliftError("E_USAGE", "dense pipelines need an embedding cache");
  const inner = await (context.createEmbedder ?? createEmbedder)(embedderName, config);
  const embedder = new CachedEmbedder(inner, context.cache);
  try {
    let dense = await openDenseIndex(index, embedderName, embedder.identity);
    if (dense === undefined) {
      if (context.buildMissing !== true) {
        throw new PairliftError(
          "E_CONFIG",
          `index ${index.dir} has no vectors for embedder "${embedderName}"; build them with \`pairlift index --index ${index.dir} --embedder ${embedderName}\``,
        );
      }
      dense = await buildDenseIndex({
        index,
        name: embedderName,
        embedder,
        onProgress: (done, total) => context.onProgress?.(`embed:${embedderName}`, done, total),
      });
    }
    const vectors = dense;
    const name = `dense:${embedderName}`;
    return {
      name,
      search: async (query, depth, signal) => {
        if (query.trim() === "")
          throw new PairliftError("E_QUERY", "query is empty", { field: "query" });
        const started = performance.now();
        const [vector] = await embedder.embed(
          [query],
          signal === undefined ? { role: "query" } : { role: "query", signal },
        );
        const embedded = performance.now();
        const timingsMs = { [`embed:${embedderName}`]: embedded - started };
        const unusable = unusableQueryVector(vector!);
        if (unusable !== undefined)
          return { hits: [], timingsMs, abstained: `${name} ${unusable}` };
        const hits = vectors.search(vector!, depth);
        timingsMs[name] = performance.now() - embedded;
        if (hits.length > 1 && hits[0]!.score - hits[hits.length - 1]!.score <= EQUAL_SCORES) {
          return {
            hits: [],
            timingsMs,
            abstained: `${name} scores every document the same for this query`,
          };
        }
        return { hits, timingsMs };
      },
      stats: () => ({ ...embedder.stats }),
      close: () => embedder.close(),
    };
  } catch (error) {
    await embedder.close();
    throw error;
  }
}

/** Scores this close together rank nothing: a list of them is index order, not relevance. */
const EQUAL_SCORES = 1e-9;
/** A query vector shorter than this carries no direction (a static model that knows no word). */
const NEAR_ZERO_NORM = 1e-6;

/**
 * Why a query vector cannot rank documents, or undefined when it can: non-finite values, or
 * (near) zero length, which scores every document 0 and would hand fusion the index order.
 */
export function unusableQueryVector(vector: Float32Array): string | undefined {
  let squares = 0;
  for (let i = 0; i < vector.length; i += 1) {
    const x = vector[i]!;
    if (!Number.isFinite(x)) return "returned a vector with NaN or infinite values for this query";
    squares += x * x;
  }
  return Math.sqrt(squares) < NEAR_ZERO_NORM ? "has no vector for this query" : undefined;
}
