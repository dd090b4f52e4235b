/**
 * The contract every vector index implements: exact float32 (`flat`), exact int8 with float32
 * re-scoring (`flat-int8`) and approximate HNSW (`hnsw`, through the native usearch library).
 *
 * Slots. `add` hands out slots densely, 0, 1, 2, … in insertion order and returns the first
 * slot of the batch; the caller maps slots to document ids. `remove(slot)` leaves a tombstone:
 * the slot is never returned again and is never reused, so slots stay stable for the index's
 * life (also across save and load). Removal does not give memory back; rebuild to compact.
 *
 * Metrics. Scores are similarities, higher is better, best first.
 * - `dot`: the inner product of the vectors as given.
 * - `cosine`: the index L2-normalises every vector on `add` (it stores the normalised copy) and
 *   every query on `search`, then ranks by inner product, so callers need not normalise (doing
 *   so anyway is harmless). A zero vector stays zero and scores 0 against everything.
 *
 * Validation. A vector of the wrong dimension, or holding NaN or ±Infinity, is refused with a
 * PairliftError `E_FIELD` that names the expected and the actual dimension (or the bad value);
 * a batch is checked in full before anything is stored, so a refused batch leaves the index as
 * it was. `k` and the search options are checked too (`E_CONFIG`).
 *
 * Files. Every kind saves to one file in the pairlift vector-index format (./format.ts): magic
 * bytes, format version, a JSON header (kind, dimension, metric, parameters, slot count,
 * removed count) and 8-byte aligned binary sections. `loadVectorIndex` below reads the header
 * and dispatches on the kind; `createVectorIndex` (./create.ts) makes an empty index of a kind.
 */
import { FlatInt8Index } from "./flat-int8.js";
import { FlatIndex } from "./flat.js";
import { openVectorIndexFile } from "./format.js";
import { HnswIndex } from "./hnsw.js";

export type VectorIndexKind = "flat" | "flat-int8" | "hnsw";

export type VectorMetric = "cosine" | "dot";

/**
 * Vectors to add or queries to run: either n × d values packed row after row in one
 * Float32Array, or one Float32Array per vector.
 */
export type VectorBatch = Float32Array | readonly Float32Array[];

export interface VectorSearchOptions {
  /**
   * HNSW only: the candidate list size while searching the graph (larger = better recall,
   * slower). Defaults to the index's `efSearch`; values below k act as k. Ignored by the exact
   * indexes.
   */
  efSearch?: number;
  /**
   * How many of the best candidates by quantized score are re-scored exactly against the kept
   * float32 vectors: `flat-int8` (default 4 × k) and an `hnsw` graph built with a quantization
   * and `rescore` (default: all max(k, efSearch) candidates of the graph search). 0 returns the
   * quantized (approximate) scores without re-scoring; values between 1 and k act as k.
   * Ignored by the other kinds.
   */
  rescore?: number;
}

export interface VectorBatchSearchOptions extends VectorSearchOptions {
  /**
   * Worker threads for a batch (HNSW: the native library's own threads, at most the index's
   * `threads`; default: every core).
   * The exact indexes run on the calling thread and ignore it.
   */
  threads?: number;
}

/** Up to k hits, best first: parallel arrays of slots and similarity scores. */
export interface VectorSearchResult {
  slots: Int32Array;
  scores: Float32Array;
}

export interface VectorIndex {
  readonly kind: VectorIndexKind;
  readonly dimension: number;
  readonly metric: VectorMetric;
  /** Live vectors: slots handed out minus slots removed. */
  readonly size: number;
  /**
   * Whether the same vectors added in the same calls always give a byte-identical file (the
   * exact indexes always; HNSW when built on one thread).
   */
  readonly reproducible: boolean;
  /** Slots handed out so far, removed ones included; the next `add` starts here. */
  readonly slotCount: number;

  /** Appends vectors; returns the slot of the first one (the rest follow consecutively). */
  add(vectors: VectorBatch): number;
  /**
   * Tombstones a slot: it is never returned by a search again. Returns false when it was
   * already removed; an unknown slot is an `E_UNKNOWN_ID` error.
   */
  remove(slot: number): boolean;
  isRemoved(slot: number): boolean;
  /** The k best live slots for the query, best first (fewer when fewer are live). */
  search(query: Float32Array, k: number, options?: VectorSearchOptions): VectorSearchResult;
  /** `search` for each query of a batch, in order. */
  searchBatch(
    queries: VectorBatch,
    k: number,
    options?: VectorBatchSearchOptions,
  ): VectorSearchResult[];
  /**
   * Bytes of memory the index's own data takes (vectors, codes, tombstones, graph). For HNSW
   * it is an estimate from the native layout; process RSS is the ground truth.
   */
  memoryBytes(): number;
  /** Writes the index to `path` atomically; returns the file's size in bytes. */
  save(path: string): Promise<number>;
}

/**
 * Loads an index saved by any kind's `save`, dispatching on the kind in the file's header. A
 * missing file is `E_NOT_FOUND`; a file that is not a pairlift vector index, is from another
 * format version, is truncated or is inconsistent is `E_INDEX_FORMAT`.
 */
export async function loadVectorIndex(path: string): Promise<VectorIndex> {
  const file = await openVectorIndexFile(path);
  try {
    switch (file.header.kind) {
      case "flat":
        return await FlatIndex.fromFile(file);
      case "flat-int8":
        return await FlatInt8Index.fromFile(file);
      case "hnsw":
        return await HnswIndex.fromFile(file);
    }
  } finally {
    await file.close();
  }
}
