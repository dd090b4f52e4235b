import { bytesOf, writeVectorIndexFile } from "./format.js";
import type { SectionSource, VectorFileFields, VectorIndexFile } from "./format.js";
import { dotRow, dotRowsF32, normalizeRows } from "./kernels.js";
import { drainTopK, emptyResult, TopK } from "./results.js";
import {
  checkBatch,
  checkDimension,
  checkK,
  checkMetric,
  checkSearchOptions,
  checkSlot,
  checkVector,
  copyBatch,
} from "./validate.js";
import type {
  VectorBatch,
  VectorBatchSearchOptions,
  VectorIndex,
  VectorMetric,
  VectorSearchOptions,
  VectorSearchResult,
} from "./vector-index.js";

export interface FlatIndexOptions {
  dimension: number;
  /** Default `cosine` (vectors and queries are L2-normalised by the index). */
  metric?: VectorMetric;
  /** Slots to allocate up front (default: grow as vectors arrive). */
  capacity?: number;
}

/** Rows scored per kernel call: 1,024 scores (8 KiB) stay in L1 while the heap reads them. */
const BLOCK_ROWS = 1024;
const MIN_CAPACITY = 16;

/**
 * Exact search: every live vector is scored against the query. The vectors live in one
 * contiguous Float32Array, row after row (n × d), that doubles when full (a batch that needs
 * more grows it to exactly what it needs), with one tombstone byte per slot beside it. A search
 * scores blocks of rows with the kernel in ./kernels.ts into a reused buffer and keeps the best
 * k in a typed-array heap, so it allocates nothing per row. Memory: 4·d bytes + 1 per slot
 * (times up to 2 for the doubling slack). Single-threaded.
 */
export class FlatIndex implements VectorIndex {
  readonly kind = "flat";
  readonly reproducible = true;
  readonly dimension: number;
  readonly metric: VectorMetric;
  private data: Float32Array;
  private removed: Uint8Array;
  private slots = 0;
  private removedSlots = 0;
  private readonly queryBuffer: Float32Array;
  private readonly scoreBuffer = new Float64Array(BLOCK_ROWS);

  constructor(options: FlatIndexOptions) {
    checkDimension(options.dimension);
    const metric = options.metric ?? "cosine";
    checkMetric(metric);
    this.dimension = options.dimension;
    this.metric = metric;
    const capacity = Math.max(0, Math.floor(options.capacity ?? 0));
    this.data = new Float32Array(capacity * this.dimension);
    this.removed = new Uint8Array(capacity);
    this.queryBuffer = new Float32Array(this.dimension);
  }

  get size(): number {
    return this.slots - this.removedSlots;
  }

  get slotCount(): number {
    return this.slots;
  }

  add(vectors: VectorBatch): number {
    const count = checkBatch(vectors, this.dimension);
    const first = this.slots;
    this.reserve(first + count);
    copyBatch(vectors, this.data, first * this.dimension);
    if (this.metric === "cosine") normalizeRows(this.data, this.dimension, first, first + count);
    this.slots = first + count;
    return first;
  }

  remove(slot: number): boolean {
    checkSlot(slot, this.slots);
    if (this.removed[slot] === 1) return false;
    this.removed[slot] = 1;
    this.removedSlots += 1;
    return true;
  }

  isRemoved(slot: number): boolean {
    checkSlot(slot, this.slots);
    return this.removed[slot] === 1;
  }

  search(query: Float32Array, k: number, options?: VectorSearchOptions): VectorSearchResult {
    const q = this.prepareQuery(query);
    checkK(k);
    checkSearchOptions(options);
    return this.searchPrepared(q, k);
  }

  searchBatch(
    queries: VectorBatch,
    k: number,
    options?: VectorBatchSearchOptions,
  ): VectorSearchResult[] {
    const count = checkBatch(queries, this.dimension, "queries");
    checkK(k);
    checkSearchOptions(options);
    const d = this.dimension;
    const results: VectorSearchResult[] = [];
    for (let i = 0; i < count; i += 1) {
      const query =
        queries instanceof Float32Array ? queries.subarray(i * d, (i + 1) * d) : queries[i]!;
      results.push(this.searchPrepared(this.prepareQuery(query), k));
    }
    return results;
  }

  memoryBytes(): number {
    return this.data.byteLength + this.removed.byteLength;
  }

  async save(path: string): Promise<number> {
    return writeVectorIndexFile(path, this.fileFields("flat", {}), this.fileSections());
  }

  static async fromFile(file: VectorIndexFile): Promise<FlatIndex> {
    if (file.header.kind !== "flat") throw file.corrupt(`kind is ${file.header.kind}, not flat`);
    return FlatIndex.readStorage(file);
  }

  // -------------------------------------------------------------------------------------------
  // For the int8 index, which keeps its float32 vectors (and tombstones) in a FlatIndex.

  /** The query, checked, copied into a reused buffer and normalised for cosine. */
  prepareQuery(query: Float32Array): Float32Array {
    checkVector(query, this.dimension);
    const q = this.queryBuffer;
    q.set(query);
    if (this.metric === "cosine") normalizeRows(q, this.dimension, 0, 1);
    return q;
  }

  /** The exact score of a slot for a prepared query. */
  scoreSlot(q: Float32Array, slot: number): number {
    return dotRow(this.data, slot * this.dimension, this.dimension, q);
  }

  /** The stored (normalised, for cosine) vectors of slots [0, slotCount), row after row. */
  vectors(): Float32Array {
    return this.data.subarray(0, this.slots * this.dimension);
  }

  /** One byte per slot of [0, slotCount): 1 = removed. */
  tombstones(): Uint8Array {
    return this.removed.subarray(0, this.slots);
  }

  fileFields(kind: "flat" | "flat-int8", params: Record<string, unknown>): VectorFileFields {
    return {
      kind,
      dimension: this.dimension,
      metric: this.metric,
      slotCount: this.slots,
      removedCount: this.removedSlots,
      params,
    };
  }

  fileSections(): Array<[string, SectionSource]> {
    return [
      ["vectors", bytesOf(this.data, this.slots * this.dimension * 4)],
      ["removed", bytesOf(this.removed, this.slots)],
    ];
  }

  /** Reads the `vectors` and `removed` sections (as views on the read buffers, no copy). */
  static async readStorage(file: VectorIndexFile): Promise<FlatIndex> {
    const { dimension, metric, slotCount } = file.header;
    const index = new FlatIndex({ dimension, metric });
    const vectors = await file.read("vectors", slotCount * dimension * 4);
    index.data = new Float32Array(vectors.buffer, 0, slotCount * dimension);
    index.removed = await readTombstones(file);
    index.slots = slotCount;
    index.removedSlots = file.header.removedCount;
    return index;
  }

  private searchPrepared(q: Float32Array, k: number): VectorSearchResult {
    const want = Math.min(k, this.size);
    if (want === 0) return emptyResult();
    const top = new TopK(want);
    const scores = this.scoreBuffer;
    const removed = this.removed;
    const skipRemoved = this.removedSlots > 0;
    for (let from = 0; from < this.slots; from += BLOCK_ROWS) {
      const to = Math.min(from + BLOCK_ROWS, this.slots);
      dotRowsF32(this.data, this.dimension, q, from, to, scores);
      for (let slot = from; slot < to; slot += 1) {
        if (skipRemoved && removed[slot] === 1) continue;
        top.offer(scores[slot - from]!, slot);
      }
    }
    return drainTopK(top);
  }

  private reserve(slots: number): void {
    const capacity = this.removed.length;
    if (slots <= capacity) return;
    const grown = Math.max(slots, capacity * 2, MIN_CAPACITY);
    const data = new Float32Array(grown * this.dimension);
    data.set(this.data.subarray(0, this.slots * this.dimension));
    const removed = new Uint8Array(grown);
    removed.set(this.removed.subarray(0, this.slots));
    this.data = data;
    this.removed = removed;
  }
}

/** The `removed` section: one 0/1 byte per slot, as many 1s as the header's removed count. */
export async function readTombstones(file: VectorIndexFile): Promise<Uint8Array> {
  const removed = await file.read("removed", file.header.slotCount);
  let ones = 0;
  for (const flag of removed) {
    if (flag > 1) throw file.corrupt("section removed holds a value other than 0 or 1");
    ones += flag;
  }
  if (ones !== file.header.removedCount) {
    throw file.corrupt(
      `section removed marks ${ones} slots, the header says ${file.header.removedCount}`,
    );
  }
  return removed;
}
