import { randomBytes } from "node:crypto";
import { mkdir, rm, stat } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { BatchMatches, Index, Matches, ScalarKind } from "usearch";
import type * as Usearch from "usearch";
import { PairliftError } from "../../errors.js";
import { requireOptional } from "../../optional-module.js";
import { FlatIndex, readTombstones } from "./flat.js";
import { bytesOf, writeVectorIndexFile } from "./format.js";
import type { VectorIndexFile } from "./format.js";
import { normalizeRows } from "./kernels.js";
import { drainTopK, emptyResult, TopK } from "./results.js";
import {
  checkBatch,
  checkDimension,
  checkInteger,
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

export interface HnswIndexOptions {
  dimension: number;
  /** Default `cosine` (vectors and queries are L2-normalised by the index). */
  metric?: VectorMetric;
  /** Connectivity: graph neighbours per node on the upper layers (2·M on the base layer). */
  M?: number;
  /** Candidate list size while inserting (usearch `expansion_add`). */
  efConstruction?: number;
  /** Default candidate list size while searching (usearch `expansion_search`). */
  efSearch?: number;
  /** Threads for `searchBatch` (default: every core). */
  threads?: number;
  /**
   * Threads that insert an `add` batch (default 1). With one thread the same vectors added in
   * the same calls build a byte-identical graph; with more, the graph depends on how the
   * threads interleave (faster builds, not reproducible).
   */
  buildThreads?: number;
  /**
   * How the graph stores its vectors: `f32` (default), `f16` or `i8` (usearch's own scalar
   * types; `i8` needs every component within [−1, 1], which unit-length vectors satisfy).
   */
  quantization?: HnswQuantization;
  /**
   * Keep the float32 vectors beside a quantized graph and re-score its candidates exactly
   * (default: on for `f16` and `i8`; not allowed with `f32`, whose scores are exact already).
   */
  rescore?: boolean;
}

export type HnswQuantization = "f32" | "f16" | "i8";
export const HNSW_QUANTIZATIONS: readonly HnswQuantization[] = ["f32", "f16", "i8"];

export const HNSW_DEFAULTS = Object.freeze({
  M: 16,
  efConstruction: 128,
  efSearch: 64,
  quantization: "f32",
  buildThreads: 1,
} as const);

const SCALARS: Record<HnswQuantization, { kind: ScalarKind; bytes: number }> = {
  f32: { kind: "f32" as ScalarKind, bytes: 4 },
  f16: { kind: "f16" as ScalarKind, bytes: 2 },
  i8: { kind: "i8" as ScalarKind, bytes: 1 },
};

let usearchModule: typeof Usearch | undefined;

/**
 * usearch is an optional peer dependency, loaded by the first graph. Its CommonJS build: the ES
 * module build looks for its binary from a `file:` URL and recurses until the stack overflows.
 */
function usearch(): typeof Usearch {
  usearchModule ??= requireOptional<typeof Usearch>("usearch", {
    purpose: "the hnsw vector index",
  });
  return usearchModule;
}

const LIBRARY = "usearch";

/**
 * Approximate search on an HNSW graph built and searched by usearch (native, SIMD), wrapped in
 * pairlift's slots, validation, tombstones and file format.
 *
 * Why usearch and not hnswlib-node (both measured by bench/vectors.bench.ts; the numbers are in
 * BENCHMARKS.md). At the same M, efConstruction and ef they reach the same recall, and per
 * thread hnswlib-node was as fast or faster on the 2-core benchmark machine (builds up to
 * ~1.6×, single queries up to ~3× at high ef), SIMD or not: HNSW at 384 dimensions probably
 * waits on memory more than on arithmetic, and hnswlib keeps each vector beside its links.
 * usearch wins beyond one thread and around the search: it adds on every core and searches
 * batches on several threads, where hnswlib-node makes one synchronous call per vector or
 * query, so usearch is the only one of the two that can use more than one core from one
 * process, and its builds and batch evaluations scale with bigger machines. It also takes and
 * returns typed arrays (hnswlib-node wants a plain number[] per vector), reuses the storage of
 * removed vectors, can memory-map a saved index, ships prebuilt binaries and is released often
 * (hnswlib-node's last release, 3.0.0, is from March 2024). Its costs: slower single-thread
 * work here, the prebuilt 2.25.3 is the last for Node 20 (newer ones need Node 22), its
 * JavaScript binding fixes expansion_search at construction (see the constructor) and its
 * `exactSearch` ignores a typed array's byteOffset (not used here). If single-query latency on
 * one core were what mattered, hnswlib-node would be the faster backend on such a machine;
 * this class is the only place that would change.
 *
 * Metrics: both map to usearch's inner product on vectors the index normalises (cosine) or
 * keeps as given (dot); usearch reports distance = 1 − dot, and the score is 1 − distance.
 * Keys are slots. `remove` removes the key from the graph (usearch keeps it as a tombstone for
 * navigation) and marks our own tombstone, which results are filtered by as well.
 *
 * Quantization: with `i8` (or `f16`) the graph stores 1 (2) bytes per dimension instead of 4,
 * so a search reads a quarter of the bytes at every hop and the native kernels compare int8
 * codes. At a million vectors a graph search is bound by those random reads: on the 1M × 384
 * benchmark (BENCHMARKS.md) an i8 graph with twice the connectivity (M 32, efConstruction 128)
 * builds in about the time of an f32 graph at M 16 / efConstruction 64 and, re-scored, reaches
 * recall@10 0.97 at 2,600 queries/s where the f32 graph reaches 0.67 at 2,400. Rounding to int8
 * blurs the small score differences between near neighbours, though, so recall@10 of the codes
 * alone stalls (hnsw.test.ts shows the loss on tight clusters); hence `rescore`: the index
 * keeps the float32 vectors (a FlatIndex inside, 4 bytes per dimension) and re-scores each
 * search's max(k, efSearch) graph candidates exactly, which restores the recall and returns
 * exact scores. Memory is then the float rows plus the codes and links (1.3× the f32 graph at
 * these settings); the float rows are read only for the candidates.
 *
 * Persistence: the native index's own file (usearch save) is embedded as the `native` section
 * of a pairlift vector-index file, beside the header (kind, dimension, metric, M,
 * efConstruction, efSearch, slot and removed counts) and the `removed` section; loading copies
 * that section to a temporary file for usearch to load. Build threads are not saved.
 */
export class HnswIndex implements VectorIndex {
  readonly kind = "hnsw";
  readonly dimension: number;
  readonly metric: VectorMetric;
  readonly M: number;
  readonly efConstruction: number;
  readonly threads: number;
  readonly buildThreads: number;
  readonly quantization: HnswQuantization;
  private defaultEfSearch: number;
  private readonly native: Index;
  /** The float32 vectors (normalised for cosine) when a quantized graph re-scores. */
  private floats: FlatIndex | undefined;
  private removed: Uint8Array = new Uint8Array(0);
  private slots = 0;
  private removedSlots = 0;
  private readonly queryBuffer: Float32Array;

  constructor(options: HnswIndexOptions) {
    checkDimension(options.dimension);
    const metric = options.metric ?? "cosine";
    checkMetric(metric);
    checkInteger(options.M, "M", 2);
    checkInteger(options.efConstruction, "efConstruction", 1);
    checkInteger(options.efSearch, "efSearch", 1);
    checkInteger(options.threads, "threads", 1);
    checkInteger(options.buildThreads, "buildThreads", 1);
    this.dimension = options.dimension;
    this.metric = metric;
    this.M = options.M ?? HNSW_DEFAULTS.M;
    this.efConstruction = options.efConstruction ?? HNSW_DEFAULTS.efConstruction;
    this.defaultEfSearch = options.efSearch ?? HNSW_DEFAULTS.efSearch;
    this.threads = options.threads ?? availableParallelism();
    this.buildThreads = options.buildThreads ?? HNSW_DEFAULTS.buildThreads;
    this.quantization = options.quantization ?? HNSW_DEFAULTS.quantization;
    if (!HNSW_QUANTIZATIONS.includes(this.quantization)) {
      throw new PairliftError(
        "E_CONFIG",
        `quantization must be one of ${HNSW_QUANTIZATIONS.join(", ")}, got ${JSON.stringify(options.quantization)}`,
        { field: "quantization" },
      );
    }
    const rescore = options.rescore ?? this.quantization !== "f32";
    if (rescore && this.quantization === "f32") {
      throw new PairliftError(
        "E_CONFIG",
        "rescore needs a quantized graph (quantization f16 or i8): f32 scores are exact already",
        { field: "rescore" },
      );
    }
    if (rescore) this.floats = new FlatIndex({ dimension: this.dimension, metric: this.metric });
    // expansion_search is fixed when a usearch index is made (the JS binding has no setter),
    // but a search keeps max(expansion_search, wanted) candidates; so it is set to 1 here and
    // every search asks for max(k, efSearch) results and keeps the first k, which is exactly
    // HNSW with ef = efSearch (hnswlib's setEf semantics) and lets efSearch vary per query.
    const { Index, MetricKind } = usearch();
    this.native = new Index({
      dimensions: this.dimension,
      metric: MetricKind.IP,
      quantization: SCALARS[this.quantization].kind,
      connectivity: this.M,
      expansion_add: this.efConstruction,
      expansion_search: 1,
      multi: false,
    });
    this.queryBuffer = new Float32Array(this.dimension);
  }

  get size(): number {
    return this.slots - this.removedSlots;
  }

  /** Whether the same adds always build the same graph (one build thread). */
  get reproducible(): boolean {
    return this.buildThreads === 1;
  }

  get slotCount(): number {
    return this.slots;
  }

  /** The candidate list size searches use when the call does not give `efSearch`. */
  get efSearch(): number {
    return this.defaultEfSearch;
  }

  set efSearch(value: number) {
    checkInteger(value, "efSearch", 1);
    this.defaultEfSearch = value;
  }

  add(vectors: VectorBatch): number {
    const count = checkBatch(vectors, this.dimension);
    const first = this.slots;
    if (count === 0) return first;
    const packed = new Float32Array(count * this.dimension);
    copyBatch(vectors, packed, 0);
    if (this.metric === "cosine") normalizeRows(packed, this.dimension, 0, count);
    if (this.quantization === "i8") checkInt8Range(packed, this.dimension);
    const keys = new BigUint64Array(count);
    for (let i = 0; i < count; i += 1) keys[i] = BigInt(first + i);
    try {
      this.insert(keys, packed);
    } catch (error) {
      // A native failure (out of memory): take back whatever part of the batch went in, so
      // slots stay dense, and let the error through.
      this.native.remove(keys);
      throw error;
    }
    // After the graph took them, so a native failure leaves the float rows unchanged too.
    this.floats?.add(packed);
    if (first + count > this.removed.length) {
      const removed = new Uint8Array(Math.max(first + count, this.removed.length * 2));
      removed.set(this.removed.subarray(0, first));
      this.removed = removed;
    }
    this.slots = first + count;
    return first;
  }

  /**
   * usearch sizes its per-thread contexts to the threads of the add that grows its capacity,
   * and a batch search on more threads than that fails ("Reserve capacity ahead of searches!").
   * So every add that grows the capacity asks for all the contexts searches may use; with one
   * build thread, that add holds a single vector (one insertion, however many threads wait),
   * and the rest go in on one thread into the room it made: the graph is the same every run.
   */
  private insert(keys: BigUint64Array, packed: Float32Array): void {
    const contexts = Math.max(this.threads, this.buildThreads);
    if (this.buildThreads > 1) {
      this.native.add(keys, packed, contexts);
      return;
    }
    const d = this.dimension;
    for (let at = 0; at < keys.length;) {
      // An add of n keys grows the capacity when size + n ≥ capacity.
      const room = this.native.capacity() - this.native.size() - 1;
      if (room <= 0) {
        this.native.add(keys.subarray(at, at + 1), packed.subarray(at * d, (at + 1) * d), contexts);
        at += 1;
        continue;
      }
      const end = Math.min(keys.length, at + room);
      this.native.add(keys.subarray(at, end), packed.subarray(at * d, end * d), 1);
      at = end;
    }
  }

  remove(slot: number): boolean {
    checkSlot(slot, this.slots);
    if (this.removed[slot] === 1) return false;
    this.native.remove(BigInt(slot));
    this.floats?.remove(slot);
    this.removed[slot] = 1;
    this.removedSlots += 1;
    return true;
  }

  isRemoved(slot: number): boolean {
    checkSlot(slot, this.slots);
    return this.removed[slot] === 1;
  }

  search(query: Float32Array, k: number, options?: VectorSearchOptions): VectorSearchResult {
    checkVector(query, this.dimension);
    checkK(k);
    checkSearchOptions(options);
    const want = Math.min(k, this.size);
    if (want === 0) return emptyResult();
    const q = this.queryBuffer;
    q.set(query);
    if (this.metric === "cosine") normalizeRows(q, this.dimension, 0, 1);
    const wanted = Math.max(want, options?.efSearch ?? this.defaultEfSearch);
    const matches: Matches = this.native.search(q, wanted, 1);
    return this.collect(matches.keys, matches.distances, 0, matches.keys.length, want, {
      q,
      rescore: options?.rescore,
    });
  }

  /** Searches a batch on `threads` native threads (default: the index's `threads`). */
  searchBatch(
    queries: VectorBatch,
    k: number,
    options?: VectorBatchSearchOptions,
  ): VectorSearchResult[] {
    const count = checkBatch(queries, this.dimension, "queries");
    checkK(k);
    checkSearchOptions(options);
    const want = Math.min(k, this.size);
    if (count === 0) return [];
    if (want === 0) return Array.from({ length: count }, emptyResult);
    const packed = new Float32Array(count * this.dimension);
    copyBatch(queries, packed, 0);
    if (this.metric === "cosine") normalizeRows(packed, this.dimension, 0, count);
    const wanted = Math.max(want, options?.efSearch ?? this.defaultEfSearch);
    // At most the index's threads, which is how many search contexts usearch holds.
    const threads = count > 1 ? Math.min(options?.threads || this.threads, this.threads) : 1;
    // The binding returns Matches for one query and BatchMatches for several, whatever the
    // declared overload says.
    const found = this.native.search(packed, wanted, threads) as Matches | BatchMatches;
    const d = this.dimension;
    const rescore = options?.rescore;
    if (!(found instanceof usearch().BatchMatches)) {
      return [
        this.collect(found.keys, found.distances, 0, found.keys.length, want, {
          q: packed,
          rescore,
        }),
      ];
    }
    const results: VectorSearchResult[] = [];
    for (let i = 0; i < count; i += 1) {
      const start = i * wanted;
      const q = packed.subarray(i * d, (i + 1) * d);
      results.push(
        this.collect(found.keys, found.distances, start, start + Number(found.counts[i]), want, {
          q,
          rescore,
        }),
      );
    }
    return results;
  }

  /**
   * An estimate from usearch's layout: the graph's vectors (4, 2 or 1 bytes per dimension), a
   * base-layer neighbour list of 2·M u32 slots per node, upper layers (about one node in
   * M − 1, M slots each), a 10-byte node head and the key lookup table (~24 bytes per key),
   * plus our tombstone byte and, when re-scoring, the float32 vectors.
   */
  memoryBytes(): number {
    const n = this.slots;
    const scalar = SCALARS[this.quantization].bytes;
    const base = scalar * this.dimension + (2 * this.M * 4 + 4) + 10 + 24 + 1;
    const upper = (this.M * 4 + 4) / (this.M - 1);
    return Math.round(n * (base + upper)) + (this.floats?.vectors().byteLength ?? 0);
  }

  async save(path: string): Promise<number> {
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.usearch-${process.pid}-${randomBytes(4).toString("hex")}`;
    try {
      this.native.save(temporary);
      const byteLength = (await stat(temporary)).size;
      return await writeVectorIndexFile(
        path,
        {
          kind: "hnsw",
          dimension: this.dimension,
          metric: this.metric,
          slotCount: this.slots,
          removedCount: this.removedSlots,
          params: {
            library: LIBRARY,
            M: this.M,
            efConstruction: this.efConstruction,
            efSearch: this.defaultEfSearch,
            quantization: this.quantization,
            rescore: this.floats !== undefined,
          },
        },
        [
          ["removed", bytesOf(this.removed, this.slots)],
          ["native", { file: temporary, byteLength }],
          ...(this.floats === undefined
            ? []
            : ([["vectors", bytesOf(this.floats.vectors())]] as Array<[string, Uint8Array]>)),
        ],
      );
    } finally {
      await rm(temporary, { force: true });
    }
  }

  static async fromFile(file: VectorIndexFile): Promise<HnswIndex> {
    const { kind, dimension, metric, slotCount, removedCount, params } = file.header;
    if (kind !== "hnsw") throw file.corrupt(`kind is ${kind}, not hnsw`);
    if (params["library"] !== LIBRARY) {
      throw file.corrupt(`unknown HNSW library ${JSON.stringify(params["library"])}`);
    }
    const integer = (name: string, min: number): number => {
      const value = params[name];
      if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
        throw file.corrupt(`parameter ${name} is ${JSON.stringify(value)}`);
      }
      return value;
    };
    // Files from before quantization existed hold f32 graphs without float rows.
    const quantization = params["quantization"] ?? "f32";
    if (!HNSW_QUANTIZATIONS.includes(quantization as HnswQuantization)) {
      throw file.corrupt(`unknown quantization ${JSON.stringify(quantization)}`);
    }
    const rescore = params["rescore"] ?? false;
    if (typeof rescore !== "boolean" || (rescore && quantization === "f32")) {
      throw file.corrupt(`parameter rescore is ${JSON.stringify(rescore)}`);
    }
    const index = new HnswIndex({
      dimension,
      metric,
      M: integer("M", 2),
      efConstruction: integer("efConstruction", 1),
      efSearch: integer("efSearch", 1),
      quantization: quantization as HnswQuantization,
      rescore,
    });
    const removed = await readTombstones(file);
    // The float rows and tombstones share the header's slot counts, so the flat reader fits.
    if (rescore) index.floats = await FlatIndex.readStorage(file);
    await checkNativeSection(file, SCALARS[index.quantization].bytes);
    const temporary = join(
      tmpdir(),
      `pairlift-hnsw-${process.pid}-${randomBytes(4).toString("hex")}.usearch`,
    );
    try {
      await file.copyTo("native", temporary);
      try {
        index.native.load(temporary);
      } catch (error) {
        throw file.corrupt(`usearch could not load section native (${String(error)})`);
      }
    } finally {
      await rm(temporary, { force: true });
    }
    if (index.native.dimensions() !== dimension) {
      throw file.corrupt(
        `section native has dimension ${index.native.dimensions()}, the header says ${dimension}`,
      );
    }
    for (let slot = 0; slot < slotCount; slot += 1) {
      if (removed[slot] === 1 && index.native.contains(BigInt(slot)) === true) {
        index.native.remove(BigInt(slot));
      }
    }
    if (index.native.size() !== slotCount - removedCount) {
      throw file.corrupt(
        `section native holds ${index.native.size()} vectors, the header says ${slotCount - removedCount}`,
      );
    }
    index.removed = removed;
    index.slots = slotCount;
    index.removedSlots = removedCount;
    return index;
  }

  /**
   * Hits [from, to) of a native answer: live slots only, at most `want`. Without float rows,
   * in the graph's order with scores 1 − distance (i8: rescaled to the dot product); with
   * them, the first `rescore` (default: all) candidates re-scored exactly against the prepared
   * query `q`, best first.
   */
  private collect(
    keys: BigUint64Array,
    distances: Float32Array,
    from: number,
    to: number,
    want: number,
    exact: { q: Float32Array; rescore: number | undefined },
  ): VectorSearchResult {
    const floats = this.floats;
    if (floats !== undefined && exact.rescore !== 0) {
      const candidates = Math.max(want, exact.rescore ?? to - from);
      const top = new TopK(want);
      for (let i = from, seen = 0; i < to && seen < candidates; i += 1) {
        const slot = Number(keys[i]!);
        if (slot >= this.slots || this.removed[slot] === 1) continue;
        top.offer(floats.scoreSlot(exact.q, slot), slot);
        seen += 1;
      }
      return drainTopK(top);
    }
    const slots = new Int32Array(Math.min(want, to - from));
    const scores = new Float32Array(slots.length);
    const scale = this.quantization === "i8" ? I8_DOT_SCALE : 1;
    let n = 0;
    for (let i = from; i < to && n < slots.length; i += 1) {
      const slot = Number(keys[i]!);
      if (slot >= this.slots || this.removed[slot] === 1) continue;
      slots[n] = slot;
      scores[n] = (1 - distances[i]!) * scale;
      n += 1;
    }
    return n === slots.length
      ? { slots, scores }
      : { slots: slots.slice(0, n), scores: scores.slice(0, n) };
  }
}

/**
 * usearch stores x as trunc(x · 127) in i8 and reports 1 − Σ codes products as the inner
 * product distance, so (1 − distance) / 127² approximates the float dot product (a little low).
 */
const I8_DOT_SCALE = 1 / (127 * 127);

/** usearch casts f32 to i8 as trunc(x · 127), clamped: components outside [−1, 1] would clip. */
function checkInt8Range(packed: Float32Array, d: number): void {
  for (let i = 0; i < packed.length; i += 1) {
    const x = packed[i]!;
    if (x > 1 || x < -1) {
      const row = Math.floor(i / d);
      throw new PairliftError(
        "E_FIELD",
        `vectors[${row}][${i - row * d}] is ${x}: an i8 HNSW graph stores components in [−1, 1]; use metric cosine, unit-length vectors, or quantization f16/f32`,
        { field: "vectors" },
      );
    }
  }
}

/**
 * Checks the embedded usearch file before handing it to native code: usearch writes u32 rows,
 * u32 bytes per vector, the vectors, then its head, which starts with "usearch".
 */
async function checkNativeSection(file: VectorIndexFile, scalarBytes: number): Promise<void> {
  const { dimension, slotCount } = file.header;
  const sizes = await file.peek("native", 0, 8);
  if (sizes.byteLength < 8) throw file.corrupt("section native is too short");
  const view = new DataView(sizes.buffer);
  const rows = view.getUint32(0, true);
  const rowBytes = view.getUint32(4, true);
  // usearch reuses the storage of removed vectors, so rows may be fewer than slots.
  if (rows > slotCount || rowBytes !== dimension * scalarBytes) {
    throw file.corrupt(
      `section native holds ${rows} vectors of ${rowBytes} bytes; the header says at most ${slotCount} of ${dimension * scalarBytes}`,
    );
  }
  const magic = await file.peek("native", 8 + rows * rowBytes, 7);
  if (new TextDecoder("latin1").decode(magic) !== "usearch") {
    throw file.corrupt("section native is not a usearch index");
  }
}
