import { FlatIndex } from "./flat.js";
import { bytesOf, writeVectorIndexFile } from "./format.js";
import type { VectorIndexFile } from "./format.js";
import { dotRowsI8 } from "./kernels.js";
import { drainTopK, emptyResult, TopK } from "./results.js";
import { checkBatch, checkK, checkSearchOptions } from "./validate.js";
import type {
  VectorBatch,
  VectorBatchSearchOptions,
  VectorIndex,
  VectorMetric,
  VectorSearchOptions,
  VectorSearchResult,
} from "./vector-index.js";

export interface FlatInt8IndexOptions {
  dimension: number;
  /** Default `cosine` (vectors and queries are L2-normalised by the index). */
  metric?: VectorMetric;
  /** Slots to allocate up front (default: grow as vectors arrive). */
  capacity?: number;
}

/** Re-scored candidates per wanted hit when `rescore` is not given. */
export const DEFAULT_RESCORE_FACTOR = 4;
const BLOCK_ROWS = 1024;
const QUANTIZATION = "per-dimension-min-max";

/**
 * Exact search in int8 space, then exact float32 re-scoring of the best candidates.
 *
 * Quantization is per dimension: dimension j maps its range [min_j, max_j] over the stored
 * (for cosine: normalised) vectors linearly onto the 256 int8 codes, x ≈ min_j + scale_j ·
 * (code + 128) with scale_j = (max_j − min_j) / 255. Per-dimension ranges keep the resolution
 * where real embeddings have it: their dimensions differ in spread, and one global range would
 * spend most codes on the widest dimension. The query stays float (asymmetric), so the int8
 * score is Σ_j (q_j·scale_j)·code_j plus a per-query constant: an exact scan of the quantized
 * vectors, with error only from the vectors' rounding.
 *
 * Ranges follow the data. `add` only widens the running ranges; codes are brought up to date
 * lazily, on the next search, save or `quantize()`: new rows are quantized, and if a range
 * widened every row is re-quantized (one pass over the float32 vectors, a few times the cost
 * of a search). A bulk load therefore costs one quantization however it is batched; adds
 * that keep widening ranges between searches re-quantize each time (load first, then search).
 *
 * Re-scoring: the best `rescore` candidates (default 4 × k) by int8 score are scored exactly
 * against the float32 vectors, and the best k of those are returned with exact scores, so
 * results are the exact ones whenever the true top k is among the candidates. `rescore: 0`
 * returns the int8 ranking with its approximate (de-quantized) scores.
 *
 * Memory trade-off: the float32 vectors stay in memory (a FlatIndex inside), so the index takes
 * 5 bytes per dimension per vector, 1.25× the flat index, not less. What int8 saves is the
 * bytes a search scans (1 per dimension instead of 4); re-scoring touches only `rescore` rows.
 * Keeping the float32 rows on disk instead would cut memory to ~1/4 at the price of random
 * reads per query; not done here. Both are saved in the file.
 *
 * Speed: in JavaScript the scan is bound by arithmetic, not memory (V8 has no SIMD for it, and
 * an int8 value costs the same convert, multiply and add as a float), so this index scans at
 * about the flat index's speed (see BENCHMARKS.md); the 4× fewer bytes would pay off with a
 * SIMD kernel (WebAssembly i8x16 or native), which the layout is ready for.
 */
export class FlatInt8Index implements VectorIndex {
  readonly kind = "flat-int8";
  readonly reproducible = true;
  private floats: FlatIndex;
  private codes: Int8Array = new Int8Array(0);
  /** Running per-dimension range of every stored vector. */
  private readonly rangeMin: Float32Array;
  private readonly rangeMax: Float32Array;
  /** The range the current codes were made with: x ≈ codeMin + codeScale · (code + 128). */
  private readonly codeMin: Float32Array;
  private readonly codeScale: Float32Array;
  private rangeChanged = false;
  private quantizedRows = 0;
  private readonly weights: Float32Array;
  private readonly scoreBuffer = new Float64Array(BLOCK_ROWS);

  constructor(options: FlatInt8IndexOptions) {
    this.floats = new FlatIndex(options);
    const d = this.floats.dimension;
    this.rangeMin = new Float32Array(d).fill(Infinity);
    this.rangeMax = new Float32Array(d).fill(-Infinity);
    this.codeMin = new Float32Array(d);
    this.codeScale = new Float32Array(d);
    this.weights = new Float32Array(d);
  }

  get dimension(): number {
    return this.floats.dimension;
  }

  get metric(): VectorMetric {
    return this.floats.metric;
  }

  get size(): number {
    return this.floats.size;
  }

  get slotCount(): number {
    return this.floats.slotCount;
  }

  add(vectors: VectorBatch): number {
    const first = this.floats.add(vectors);
    const stored = this.floats.vectors();
    const d = this.dimension;
    const min = this.rangeMin;
    const max = this.rangeMax;
    let changed = false;
    for (let at = first * d; at < stored.length; at += d) {
      for (let j = 0; j < d; j += 1) {
        const x = stored[at + j]!;
        if (x < min[j]!) {
          min[j] = x;
          changed = true;
        }
        if (x > max[j]!) {
          max[j] = x;
          changed = true;
        }
      }
    }
    if (changed) this.rangeChanged = true;
    return first;
  }

  remove(slot: number): boolean {
    return this.floats.remove(slot);
  }

  isRemoved(slot: number): boolean {
    return this.floats.isRemoved(slot);
  }

  search(query: Float32Array, k: number, options?: VectorSearchOptions): VectorSearchResult {
    const q = this.floats.prepareQuery(query);
    checkK(k);
    checkSearchOptions(options);
    return this.searchPrepared(q, k, options?.rescore);
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
      results.push(this.searchPrepared(this.floats.prepareQuery(query), k, options?.rescore));
    }
    return results;
  }

  /** Brings the int8 codes up to date with the stored vectors (searches do this lazily). */
  quantize(): void {
    const d = this.dimension;
    const slots = this.slotCount;
    if (this.rangeChanged) {
      for (let j = 0; j < d; j += 1) {
        this.codeMin[j] = this.rangeMin[j]!;
        this.codeScale[j] = (this.rangeMax[j]! - this.rangeMin[j]!) / 255;
      }
      this.rangeChanged = false;
      this.quantizedRows = 0;
    }
    if (this.quantizedRows === slots) return;
    if (this.codes.length < slots * d) {
      const capacity = Math.max(slots, (this.codes.length / d) * 2);
      const codes = new Int8Array(capacity * d);
      codes.set(this.codes.subarray(0, this.quantizedRows * d));
      this.codes = codes;
    }
    const stored = this.floats.vectors();
    const codes = this.codes;
    const inverse = new Float64Array(d);
    for (let j = 0; j < d; j += 1) {
      const scale = this.codeScale[j]!;
      inverse[j] = scale > 0 ? 1 / scale : 0;
    }
    const min = this.codeMin;
    for (let at = this.quantizedRows * d, end = slots * d; at < end; at += d) {
      for (let j = 0; j < d; j += 1) {
        const code = Math.round((stored[at + j]! - min[j]!) * inverse[j]!) - 128;
        codes[at + j] = code < -128 ? -128 : code > 127 ? 127 : code;
      }
    }
    this.quantizedRows = slots;
  }

  memoryBytes(): number {
    return this.floats.memoryBytes() + this.codes.byteLength + 6 * 4 * this.dimension;
  }

  async save(path: string): Promise<number> {
    this.quantize();
    const used = this.slotCount * this.dimension;
    return writeVectorIndexFile(
      path,
      this.floats.fileFields("flat-int8", { quantization: QUANTIZATION }),
      [
        ...this.floats.fileSections(),
        ["codes", bytesOf(this.codes, used)],
        ["min", bytesOf(this.rangeMin)],
        ["max", bytesOf(this.rangeMax)],
        ["codeMin", bytesOf(this.codeMin)],
        ["codeScale", bytesOf(this.codeScale)],
      ],
    );
  }

  static async fromFile(file: VectorIndexFile): Promise<FlatInt8Index> {
    const { kind, dimension, metric, slotCount, params } = file.header;
    if (kind !== "flat-int8") throw file.corrupt(`kind is ${kind}, not flat-int8`);
    if (params["quantization"] !== QUANTIZATION) {
      throw file.corrupt(`unknown quantization ${JSON.stringify(params["quantization"])}`);
    }
    const index = new FlatInt8Index({ dimension, metric });
    index.floats = await FlatIndex.readStorage(file);
    const codes = await file.read("codes", slotCount * dimension);
    index.codes = new Int8Array(codes.buffer, 0, slotCount * dimension);
    const vector = async (name: string, into: Float32Array): Promise<void> => {
      const bytes = await file.read(name, dimension * 4);
      into.set(new Float32Array(bytes.buffer, 0, dimension));
    };
    await vector("min", index.rangeMin);
    await vector("max", index.rangeMax);
    await vector("codeMin", index.codeMin);
    await vector("codeScale", index.codeScale);
    index.quantizedRows = slotCount;
    index.rangeChanged = false;
    return index;
  }

  private searchPrepared(
    q: Float32Array,
    k: number,
    rescore: number | undefined,
  ): VectorSearchResult {
    const want = Math.min(k, this.size);
    if (want === 0) return emptyResult();
    this.quantize();
    const d = this.dimension;
    // score(x) ≈ Σ q_j·(codeMin_j + 128·scale_j) + Σ (q_j·scale_j)·code_j
    let offset = 0;
    for (let j = 0; j < d; j += 1) {
      const scale = this.codeScale[j]!;
      this.weights[j] = q[j]! * scale;
      offset += q[j]! * (this.codeMin[j]! + 128 * scale);
    }
    const wanted = rescore ?? DEFAULT_RESCORE_FACTOR * k;
    const candidates = wanted === 0 ? want : Math.min(Math.max(wanted, want), this.size);
    const top = new TopK(candidates);
    const scores = this.scoreBuffer;
    const removed = this.floats.tombstones();
    const skipRemoved = this.size < this.slotCount;
    const slots = this.slotCount;
    for (let from = 0; from < slots; from += BLOCK_ROWS) {
      const to = Math.min(from + BLOCK_ROWS, slots);
      dotRowsI8(this.codes, d, this.weights, from, to, scores);
      for (let slot = from; slot < to; slot += 1) {
        if (skipRemoved && removed[slot] === 1) continue;
        top.offer(scores[slot - from]!, slot);
      }
    }
    if (wanted === 0) return drainTopK(top, offset);
    const exact = new TopK(want);
    for (const { slot } of top.drain()) exact.offer(this.floats.scoreSlot(q, slot), slot);
    return drainTopK(exact);
  }
}
