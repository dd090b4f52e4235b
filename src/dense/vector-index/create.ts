import { defined } from "../../defined.js";
import { FlatInt8Index } from "./flat-int8.js";
import { FlatIndex } from "./flat.js";
import { HnswIndex } from "./hnsw.js";
import type { HnswIndexOptions, HnswQuantization } from "./hnsw.js";
import type { VectorIndex, VectorIndexKind, VectorMetric } from "./vector-index.js";

/** Options for any kind; each kind reads the ones that apply to it. */
export interface CreateVectorIndexOptions {
  dimension: number;
  /** Default `cosine` (the index L2-normalises vectors and queries). */
  metric?: VectorMetric;
  /** flat, flat-int8: slots to allocate up front. */
  capacity?: number;
  /** hnsw: connectivity (default 16). */
  M?: number;
  /** hnsw: candidate list size while inserting (default 128). */
  efConstruction?: number;
  /** hnsw: default candidate list size while searching (default 64). */
  efSearch?: number;
  /** hnsw: threads for batch searches (default: every core). */
  threads?: number;
  /** hnsw: threads that insert vectors (default 1: reproducible; more: faster, not reproducible). */
  buildThreads?: number;
  /** hnsw: how the graph stores vectors: f32 (default), f16 or i8. */
  quantization?: HnswQuantization;
  /** hnsw: keep float32 rows and re-score a quantized graph's candidates (default: on if quantized). */
  rescore?: boolean;
}

/** A new, empty index of the given kind. */
export function createVectorIndex(
  kind: VectorIndexKind,
  options: CreateVectorIndexOptions,
): VectorIndex {
  const { dimension, metric, capacity } = options;
  switch (kind) {
    case "flat":
      return new FlatIndex({ dimension, ...defined({ metric, capacity }) });
    case "flat-int8":
      return new FlatInt8Index({ dimension, ...defined({ metric, capacity }) });
    case "hnsw": {
      const { M, efConstruction, efSearch, threads, buildThreads, quantization, rescore } = options;
      const hnsw: HnswIndexOptions = {
        dimension,
        ...defined({
          metric,
          M,
          efConstruction,
          efSearch,
          threads,
          buildThreads,
          quantization,
          rescore,
        }),
      };
      return new HnswIndex(hnsw);
    }
  }
}
