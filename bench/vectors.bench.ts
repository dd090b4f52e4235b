/**
 * Vector search: pairlift's exact float32 (`flat`), exact int8 + float32 re-scoring
 * (`flat-int8`) and HNSW (`hnsw`, usearch) indexes, on synthetic clustered vectors, with the
 * machine's memory-bandwidth bound measured in the same run; and, first, the two HNSW libraries
 * that were candidates (usearch and hnswlib-node) side by side at matched parameters.
 *
 *   npx tsx --expose-gc bench/vectors.bench.ts [--n 1000000] [--queries 1000] [--exact-queries 40]
 *       [--compare-n 50000] [--ef 16,32,64,128,256] [--m 16] [--ef-construction 64]
 *       [--hnsw f32:16:64,i8:32:128] [--threads 2] [--clusters 1000] [--rank 0] [--noise 0]
 *       [--no-persist] [--no-write] [--section vectors]
 *
 * --hnsw lists the 1M HNSW graphs to build, one after another, as quantization:M:efConstruction
 * (a quantized graph re-scores its candidates against float32 rows); --m and --ef-construction
 * set the library comparison's graphs.
 *
 * Data: n × 384 float32 vectors from a seeded Gaussian mixture (1,000 centres drawn from
 * N(0, I), each vector = a centre + N(0, I) noise, L2-normalised; with --rank r the noise
 * lies in an r-dimensional subspace per cluster; see src/dense/vector-index/synthetic.ts);
 * queries are drawn the same way from their own seed.
 * Clustered, so that a query has real near neighbours and recall@10 means something. Metric:
 * cosine (all indexes normalise; the data already is).
 *
 * Ground truth: the exact top 10 of every query by inner product, from usearch's native
 * brute-force `exactSearch` on both cores (our JS flat index would take minutes for 1,000
 * queries on 1M vectors); the flat index's own answers are checked against it.
 *
 * Timing: one query at a time on one thread, unless a column says batch. The exact indexes are
 * timed in rounds interleaved with the bandwidth measurements (JS sum and native copy over the
 * same 1.5 GB array), so that noise from other work on the shared machine falls on all alike;
 * medians are reported. HNSW query timings are medians of 3 rounds over all the queries, with
 * the efSearch order rotating between rounds. Memory: process RSS, V8 heap and external
 * (ArrayBuffer) deltas across each build after a full GC, plus the index's own `memoryBytes()`.
 *
 * It prints the tables and rewrites the `vectors` section of BENCHMARKS.md (unless --no-write).
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import hnswlib from "hnswlib-node";
import { BatchMatches, Index, MetricKind, ScalarKind, exactSearch } from "usearch";
import type { Matches } from "usearch";
import { FlatInt8Index } from "../src/dense/vector-index/flat-int8.js";
import { FlatIndex } from "../src/dense/vector-index/flat.js";
import { HNSW_QUANTIZATIONS, HnswIndex } from "../src/dense/vector-index/hnsw.js";
import type { HnswQuantization } from "../src/dense/vector-index/hnsw.js";
import { GaussianMixture } from "../src/dense/vector-index/synthetic.js";
import { loadVectorIndex } from "../src/dense/vector-index/vector-index.js";
import type { VectorIndex } from "../src/dense/vector-index/vector-index.js";
import {
  BENCHMARKS_FILE,
  describeMachine as describeHost,
  sectionMarkers,
  writeBenchmarkSection,
} from "./support/benchmarks-md.js";
import type { Machine as Host } from "./support/benchmarks-md.js";

const gc = (globalThis as { gc?: () => void }).gc;

const { values: flags } = parseArgs({
  options: {
    n: { type: "string", default: "1000000" },
    d: { type: "string", default: "384" },
    queries: { type: "string", default: "1000" },
    "exact-queries": { type: "string", default: "40" },
    "compare-n": { type: "string", default: "50000" },
    "compare-queries": { type: "string", default: "500" },
    ef: { type: "string", default: "16,32,64,128,256" },
    m: { type: "string", default: "16" },
    "ef-construction": { type: "string", default: "64" },
    hnsw: { type: "string", default: "f32:16:64,i8:32:128" },
    threads: { type: "string", default: String(os.availableParallelism()) },
    clusters: { type: "string", default: "1000" },
    rank: { type: "string", default: "0" },
    noise: { type: "string", default: "0" },
    "no-persist": { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
    /** BENCHMARKS.md section to write (another data shape gets its own section). */
    section: { type: "string", default: "vectors" },
  },
});

const N = count("n");
const D = count("d");
const QUERIES = count("queries");
const EXACT_QUERIES = Math.min(count("exact-queries"), QUERIES);
const COMPARE_N = Math.min(count("compare-n", 0), N);
const COMPARE_QUERIES = Math.min(count("compare-queries"), QUERIES);
const EF = flags.ef.split(",").map((value) => positive(Number(value), "--ef"));
const M = count("m");
const EF_CONSTRUCTION = count("ef-construction");
const HNSW_GRAPHS = flags.hnsw.split(",").map(parseGraph);
const THREADS = count("threads");
const CLUSTERS = count("clusters");
const RANK = count("rank", 0);
const NOISE = Number(flags.noise);
const PERSIST = !flags["no-persist"];
const WRITE = !flags["no-write"];
const SECTION = flags.section;
const { start: START, end: END } = sectionMarkers(SECTION);
const K = 10;
/** Rounds the exact searches and bandwidth passes are interleaved in. */
const EXACT_ROUNDS = 4;
const HNSW_ROUNDS = 3;
const MB = 1e6;
const COMMAND = `npx tsx --expose-gc bench/vectors.bench.ts${process.argv
  .slice(2)
  .map((arg) => ` ${arg}`)
  .join("")}`;

// ---------------------------------------------------------------------------------------------
// Measurements

interface MemoryDelta {
  rss: number;
  heap: number;
  external: number;
}

interface Row {
  method: string;
  buildSeconds?: number;
  indexBytes?: number;
  memory?: MemoryDelta;
  qps1?: number;
  qpsBatch?: number;
  msPerQuery?: number;
  recall?: number;
  note?: string;
}

interface Persisted {
  method: string;
  fileBytes: number;
  saveSeconds: number;
  loadSeconds: number;
  identical: boolean;
}

interface PeerRow {
  library: string;
  /** Build threads. */
  threads: number;
  /** How its queries were timed. */
  search: string;
  buildSeconds: number;
  rss: number;
  fileBytes: number;
  saveSeconds: number;
  loadSeconds: number;
  qps: Map<number, number>;
  recall: Map<number, number>;
}

interface Bandwidth {
  jsSumMs: number;
  jsSumGBs: number;
  nativeCopyMs: number;
  nativeCopyGBs: number;
  bytes: number;
}

interface Results {
  loadBefore: number;
  loadAfter: number;
  generateSeconds: number;
  truthSeconds: number;
  bandwidth: Bandwidth;
  exactMs: number;
  int8Ms: number;
  flatAgreement: number;
  rows: Row[];
  persisted: Persisted[];
  peers: PeerRow[];
  hnswBuildThreads: number;
}

function collect(): void {
  gc?.();
  gc?.();
}

/**
 * Memory after a full GC and a turn of the event loop, so that native memory held by
 * collected objects (usearch and hnswlib indexes free theirs in finalizers) is given back.
 */
async function snapshot(): Promise<NodeJS.MemoryUsage> {
  collect();
  await new Promise((done) => setImmediate(done));
  collect();
  return process.memoryUsage();
}

async function deltaSince(before: NodeJS.MemoryUsage): Promise<MemoryDelta> {
  const after = await snapshot();
  return {
    rss: after.rss - before.rss,
    heap: after.heapUsed - before.heapUsed,
    external: after.external - before.external,
  };
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function rowOf(data: Float32Array, i: number): Float32Array {
  return data.subarray(i * D, (i + 1) * D);
}

/** recall@10 of result lists against the truth lists (both slot arrays). */
function recallOf(found: ReadonlyArray<ArrayLike<number>>, truth: readonly Int32Array[]): number {
  let hits = 0;
  found.forEach((slots, q) => {
    const wanted = new Set(truth[q]!);
    for (let i = 0; i < Math.min(K, slots.length); i += 1) if (wanted.has(slots[i]!)) hits += 1;
  });
  return hits / (K * found.length);
}

/** The tightest JS scan: a sum over the array with 4 and with 8 accumulators; the faster. */
function jsSumMs(data: Float32Array): number {
  const timings: number[] = [];
  for (const sum of [sum4, sum8]) {
    const started = performance.now();
    const total = sum(data);
    timings.push(performance.now() - started);
    if (Number.isNaN(total)) throw new Error("NaN in the data");
  }
  return Math.min(...timings);
}

function sum4(a: Float32Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const end = a.length - (a.length % 4);
  for (let i = 0; i < end; i += 4) {
    s0 += a[i]!;
    s1 += a[i + 1]!;
    s2 += a[i + 2]!;
    s3 += a[i + 3]!;
  }
  for (let i = end; i < a.length; i += 1) s0 += a[i]!;
  return s0 + s1 + s2 + s3;
}

function sum8(a: Float32Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let s5 = 0;
  let s6 = 0;
  let s7 = 0;
  const end = a.length - (a.length % 8);
  for (let i = 0; i < end; i += 8) {
    s0 += a[i]!;
    s1 += a[i + 1]!;
    s2 += a[i + 2]!;
    s3 += a[i + 3]!;
    s4 += a[i + 4]!;
    s5 += a[i + 5]!;
    s6 += a[i + 6]!;
    s7 += a[i + 7]!;
  }
  for (let i = end; i < a.length; i += 1) s0 += a[i]!;
  return s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
}

/**
 * Native read bandwidth: memcpy of the whole array, 512 KiB at a time, into one buffer that
 * stays in the core's L2 cache, so that the time is the read stream from memory.
 */
function nativeCopyMs(data: Float32Array): number {
  const chunk = (512 << 10) / 4;
  const target = new Float32Array(chunk);
  const started = performance.now();
  for (let at = 0; at < data.length; at += chunk) {
    target.set(data.subarray(at, Math.min(at + chunk, data.length)));
  }
  return performance.now() - started;
}

// ---------------------------------------------------------------------------------------------
// The benchmark

async function main(): Promise<void> {
  if (gc === undefined) console.warn("bench: run with --expose-gc for the memory columns");
  const started = performance.now();
  const loadBefore = os.loadavg()[0]!;
  const machine = describeMachine();
  log(`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.date}`);
  log(`n = ${N.toLocaleString("en-US")} × ${D}, ${QUERIES} queries, ${CLUSTERS} clusters`);

  let clock = performance.now();
  const mixture = new GaussianMixture({
    dimension: D,
    clusters: CLUSTERS,
    spread: 1,
    seed: 1,
    rank: RANK,
    noise: NOISE,
  });
  const data = mixture.sample(N, 2);
  const queries = mixture.sample(QUERIES, 3);
  const generateSeconds = seconds(clock);
  log(`generated in ${generateSeconds.toFixed(1)} s`);

  const peers = COMPARE_N > 0 ? await comparePeers(data, queries) : [];

  clock = performance.now();
  const truth = groundTruth(data, N, queries, QUERIES);
  const truthSeconds = seconds(clock);
  log(`ground truth (usearch exactSearch, ${THREADS} threads) in ${truthSeconds.toFixed(1)} s`);
  const rows: Row[] = [];
  rows.push({
    method: `usearch \`exactSearch\` (native brute force, batch of ${QUERIES}, ${THREADS} threads)`,
    qpsBatch: QUERIES / truthSeconds,
    recall: 1,
    note: "the ground truth",
  });

  const persisted: Persisted[] = [];
  const tmp = mkdtempSync(join(os.tmpdir(), "pairlift-vectors-bench-"));
  try {
    const exact = await benchExact(data, queries, truth, rows, persisted, tmp);
    for (const graph of HNSW_GRAPHS) {
      await benchHnsw(graph, data, queries, truth, rows, persisted, tmp);
      gc?.();
    }
    const results: Results = {
      loadBefore,
      loadAfter: os.loadavg()[0]!,
      generateSeconds,
      truthSeconds,
      bandwidth: exact.bandwidth,
      exactMs: exact.exactMs,
      int8Ms: exact.int8Ms,
      flatAgreement: exact.flatAgreement,
      rows,
      persisted,
      peers,
      hnswBuildThreads: THREADS,
    };
    const section = renderSection(machine, results, seconds(started));
    console.log(`\n${section}\n`);
    if (WRITE) {
      await writeBenchmarkSection(SECTION, section);
      log(`wrote ${BENCHMARKS_FILE}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  log(`total ${seconds(started).toFixed(0)} s`);
}

/** Top-10 slots per query by exact inner product (usearch's native brute force). */
function groundTruth(
  data: Float32Array,
  n: number,
  queries: Float32Array,
  count: number,
): Int32Array[] {
  // exactSearch ignores a typed array's byteOffset: pass arrays that start at offset 0.
  const dataset = data.byteOffset === 0 && data.length === n * D ? data : data.slice(0, n * D);
  const batch = queries.slice(0, count * D);
  const found = exactSearch(dataset, batch, D, K, MetricKind.IP, THREADS) as Matches | BatchMatches;
  if (!(found instanceof BatchMatches)) return [Int32Array.from(found.keys, Number)];
  return Array.from({ length: count }, (_, q) =>
    Int32Array.from(found.keys.subarray(q * K, q * K + K), Number),
  );
}

async function benchExact(
  data: Float32Array,
  queries: Float32Array,
  truth: readonly Int32Array[],
  rows: Row[],
  persisted: Persisted[],
  tmp: string,
): Promise<{ bandwidth: Bandwidth; exactMs: number; int8Ms: number; flatAgreement: number }> {
  let before = await snapshot();
  let clock = performance.now();
  const flat = new FlatIndex({ dimension: D, metric: "cosine" });
  flat.add(data);
  const flatBuild = seconds(clock);
  const flatMemory = await deltaSince(before);
  log(`flat: built in ${flatBuild.toFixed(1)} s`);

  before = await snapshot();
  clock = performance.now();
  const int8 = new FlatInt8Index({ dimension: D, metric: "cosine" });
  int8.add(data);
  int8.quantize();
  const int8Build = seconds(clock);
  const int8Memory = await deltaSince(before);
  log(`flat-int8: built in ${int8Build.toFixed(1)} s`);

  // Warm up the kernels, then interleave: bandwidth passes, exact queries, int8 queries.
  flat.search(rowOf(queries, 0), K);
  int8.search(rowOf(queries, 0), K);
  int8.search(rowOf(queries, 0), K, { rescore: 0 });
  const sums: number[] = [];
  const copies: number[] = [];
  const flatTimes: number[] = [];
  const int8Times: number[] = [];
  const flatFound: Int32Array[] = [];
  const int8Found: Int32Array[] = [];
  const int8Raw: Int32Array[] = [];
  const perRound = Math.ceil(EXACT_QUERIES / EXACT_ROUNDS);
  for (let round = 0; round < EXACT_ROUNDS; round += 1) {
    sums.push(jsSumMs(data));
    copies.push(nativeCopyMs(data));
    for (let q = round * perRound; q < Math.min((round + 1) * perRound, EXACT_QUERIES); q += 1) {
      let t = performance.now();
      flatFound[q] = flat.search(rowOf(queries, q), K).slots;
      flatTimes.push(performance.now() - t);
      t = performance.now();
      int8Found[q] = int8.search(rowOf(queries, q), K).slots;
      int8Times.push(performance.now() - t);
      int8Raw[q] = int8.search(rowOf(queries, q), K, { rescore: 0 }).slots;
    }
    log(
      `  round ${round + 1}: sum ${sums.at(-1)!.toFixed(0)} ms, copy ${copies.at(-1)!.toFixed(0)} ms, ` +
        `flat ${median(flatTimes).toFixed(0)} ms, int8 ${median(int8Times).toFixed(0)} ms`,
    );
  }
  const bytes = N * D * 4;
  const jsSum = median(sums);
  const bandwidth: Bandwidth = {
    jsSumMs: jsSum,
    jsSumGBs: bytes / jsSum / MB,
    nativeCopyMs: median(copies),
    nativeCopyGBs: bytes / median(copies) / MB,
    bytes,
  };
  const exactMs = median(flatTimes);
  const int8Ms = median(int8Times);
  const exactTruth = truth.slice(0, EXACT_QUERIES);
  const flatAgreement = recallOf(flatFound, exactTruth);
  rows.push({
    method: "pairlift `flat` (exact float32)",
    buildSeconds: flatBuild,
    indexBytes: flat.memoryBytes(),
    memory: flatMemory,
    qps1: 1000 / exactMs,
    msPerQuery: exactMs,
    recall: flatAgreement,
    note: `${EXACT_QUERIES} queries`,
  });
  rows.push({
    method: "pairlift `flat-int8` (exact int8, re-score top 4·k = 40 in float32)",
    buildSeconds: int8Build,
    indexBytes: int8.memoryBytes(),
    memory: int8Memory,
    qps1: 1000 / int8Ms,
    msPerQuery: int8Ms,
    recall: recallOf(int8Found, exactTruth),
    note: `${EXACT_QUERIES} queries; build includes quantization`,
  });
  rows.push({
    method: "pairlift `flat-int8`, `rescore: 0` (int8 ranking only)",
    recall: recallOf(int8Raw, exactTruth),
    note: "same scan; recall only",
  });

  if (PERSIST) {
    persisted.push(await roundTrip("flat", flat, queries, tmp));
    persisted.push(await roundTrip("flat-int8", int8, queries, tmp));
  }
  return { bandwidth, exactMs, int8Ms, flatAgreement };
}

interface HnswGraph {
  quantization: HnswQuantization;
  M: number;
  efConstruction: number;
}

function parseGraph(spec: string): HnswGraph {
  const [quantization, m, efConstruction] = spec.split(":");
  if (!HNSW_QUANTIZATIONS.includes(quantization as HnswQuantization)) {
    throw new Error(`--hnsw ${spec}: quantization must be one of ${HNSW_QUANTIZATIONS.join(", ")}`);
  }
  return {
    quantization: quantization as HnswQuantization,
    M: positive(Number(m), "--hnsw M", 2),
    efConstruction: positive(Number(efConstruction), "--hnsw efConstruction"),
  };
}

function graphLabel(graph: HnswGraph): string {
  const scalars = graph.quantization === "f32" ? "f32" : `${graph.quantization} + re-score`;
  return `${scalars}, M ${graph.M}, efC ${graph.efConstruction}`;
}

async function benchHnsw(
  graph: HnswGraph,
  data: Float32Array,
  queries: Float32Array,
  truth: readonly Int32Array[],
  rows: Row[],
  persisted: Persisted[],
  tmp: string,
): Promise<void> {
  const before = await snapshot();
  const clock = performance.now();
  const index = new HnswIndex({
    dimension: D,
    metric: "cosine",
    M: graph.M,
    efConstruction: graph.efConstruction,
    quantization: graph.quantization,
    threads: THREADS,
    // The numbers below were measured on every core; one thread (the reproducible default)
    // costs what bench/hnsw-build.bench.ts measures.
    buildThreads: THREADS,
  });
  const label = graphLabel(graph);
  // In slices, to log progress; each slice is one multi-threaded native add.
  const slice = Math.max(1, Math.ceil(N / 10));
  for (let at = 0; at < N; at += slice) {
    index.add(data.subarray(at * D, Math.min(at + slice, N) * D));
    log(
      `  hnsw (${label}): ${Math.min(at + slice, N).toLocaleString("en-US")} added, ${seconds(clock).toFixed(0)} s`,
    );
  }
  const build = seconds(clock);
  const memory = await deltaSince(before);
  log(`hnsw (${label}): built in ${build.toFixed(1)} s on ${THREADS} threads`);

  const single = new Map<number, number[]>();
  const batch = new Map<number, number[]>();
  const recall = new Map<number, number>();
  index.searchBatch(queries, K, { efSearch: EF[0]! }); // warm-up
  for (let round = 0; round < HNSW_ROUNDS; round += 1) {
    const order = [...EF.slice(round % EF.length), ...EF.slice(0, round % EF.length)];
    for (const ef of order) {
      const found: Int32Array[] = [];
      let clockQ = performance.now();
      for (let q = 0; q < QUERIES; q += 1)
        found.push(index.search(rowOf(queries, q), K, { efSearch: ef }).slots);
      push(single, ef, QUERIES / seconds(clockQ));
      recall.set(ef, recallOf(found, truth));
      clockQ = performance.now();
      index.searchBatch(queries, K, { efSearch: ef, threads: THREADS });
      push(batch, ef, QUERIES / seconds(clockQ));
    }
    log(`  hnsw round ${round + 1} done`);
  }
  EF.forEach((ef, i) => {
    const qps1 = median(single.get(ef)!);
    rows.push({
      method: `pairlift \`hnsw\` (usearch, ${label}), efSearch ${ef}`,
      ...(i === 0
        ? {
            buildSeconds: build,
            indexBytes: index.memoryBytes(),
            memory,
            note: `built on ${THREADS} threads; index bytes estimated${graph.quantization === "f32" ? "" : ", float32 rows included"}`,
          }
        : {}),
      qps1,
      qpsBatch: median(batch.get(ef)!),
      msPerQuery: 1000 / qps1,
      recall: recall.get(ef)!,
    });
  });
  if (PERSIST) persisted.push(await roundTrip(`hnsw (${label})`, index, queries, tmp));
}

/** Save, load, and check the loaded index answers the first 100 queries identically. */
async function roundTrip(
  method: string,
  index: VectorIndex,
  queries: Float32Array,
  tmp: string,
): Promise<Persisted> {
  const path = join(tmp, `${method.replace(/\W+/g, "-")}.vectors`);
  let clock = performance.now();
  const fileBytes = await index.save(path);
  const saveSeconds = seconds(clock);
  clock = performance.now();
  const loaded = await loadVectorIndex(path);
  const loadSeconds = seconds(clock);
  let identical = true;
  const checks = method.startsWith("hnsw") ? Math.min(100, QUERIES) : Math.min(5, QUERIES);
  for (let q = 0; q < checks; q += 1) {
    const a = index.search(rowOf(queries, q), K);
    const b = loaded.search(rowOf(queries, q), K);
    if (a.slots.join() !== b.slots.join() || a.scores.join() !== b.scores.join()) identical = false;
  }
  rmSync(path, { force: true });
  log(
    `${method}: saved ${(fileBytes / MB).toFixed(0)} MB in ${saveSeconds.toFixed(1)} s, loaded in ${loadSeconds.toFixed(1)} s`,
  );
  return { method, fileBytes, saveSeconds, loadSeconds, identical };
}

/** usearch and hnswlib-node at the same M and efConstruction on the first COMPARE_N vectors. */
async function comparePeers(data: Float32Array, queries: Float32Array): Promise<PeerRow[]> {
  const n = COMPARE_N;
  log(`peers: usearch vs hnswlib-node on ${n.toLocaleString("en-US")} × ${D}`);
  const subset = data.slice(0, n * D);
  const batch = queries.slice(0, COMPARE_QUERIES * D);
  const truth = groundTruth(subset, n, queries, COMPARE_QUERIES);
  const dir = mkdtempSync(join(os.tmpdir(), "pairlift-hnsw-peers-"));
  const out: PeerRow[] = [];
  /** Every index built or loaded stays referenced until the end, so none is freed mid-measurement. */
  const alive: unknown[] = [];
  /** Each runs all the queries at one ef and returns the top-10 slots of each. */
  const searchers: Array<{ row: PeerRow; run: (ef: number) => Array<ArrayLike<number>> }> = [];
  const usearchConfig = {
    dimensions: D,
    metric: MetricKind.IP,
    quantization: ScalarKind.F32,
    connectivity: M,
    expansion_add: EF_CONSTRUCTION,
    expansion_search: 1,
    multi: false,
  };
  try {
    for (const threads of [1, THREADS]) {
      const before = await snapshot();
      const clock = performance.now();
      const index = new Index(usearchConfig);
      const keys = new BigUint64Array(n);
      for (let i = 0; i < n; i += 1) keys[i] = BigInt(i);
      index.add(keys, subset, threads);
      const buildSeconds = seconds(clock);
      const rss = (await deltaSince(before)).rss;
      const path = join(dir, `usearch-${threads}.usearch`);
      let t = performance.now();
      index.save(path);
      const saveSeconds = seconds(t);
      t = performance.now();
      const loaded = new Index(usearchConfig);
      loaded.load(path);
      const loadSeconds = seconds(t);
      alive.push(index, loaded);
      const row: PeerRow = {
        library: "usearch",
        threads,
        search: threads === 1 ? "one query at a time" : `batch on ${threads} threads`,
        buildSeconds,
        rss,
        fileBytes: statSize(path),
        saveSeconds,
        loadSeconds,
        qps: new Map(),
        recall: new Map(),
      };
      out.push(row);
      log(
        `  usearch (${threads} thread${threads > 1 ? "s" : ""}): built in ${buildSeconds.toFixed(1)} s`,
      );
      if (threads === 1) {
        const query = new Float32Array(D);
        searchers.push({
          row,
          run: (ef) =>
            Array.from({ length: COMPARE_QUERIES }, (_, q) => {
              query.set(rowOf(queries, q));
              const found = index.search(query, Math.max(K, ef), 1) as Matches;
              return Int32Array.from(found.keys.subarray(0, K), Number);
            }),
        });
      } else {
        searchers.push({
          row,
          run: (ef) => {
            const wanted = Math.max(K, ef);
            const found = index.search(batch, wanted, threads) as Matches | BatchMatches;
            if (!(found instanceof BatchMatches)) {
              return [Int32Array.from(found.keys.subarray(0, K), Number)];
            }
            return Array.from({ length: COMPARE_QUERIES }, (_, q) =>
              Int32Array.from(found.keys.subarray(q * wanted, q * wanted + K), Number),
            );
          },
        });
      }
    }
    {
      const before = await snapshot();
      const clock = performance.now();
      const index = new hnswlib.HierarchicalNSW("ip", D);
      index.initIndex({ maxElements: n, m: M, efConstruction: EF_CONSTRUCTION, randomSeed: 100 });
      for (let i = 0; i < n; i += 1) index.addPoint(Array.from(rowOf(subset, i)), i);
      const buildSeconds = seconds(clock);
      const rss = (await deltaSince(before)).rss;
      const path = join(dir, "hnswlib.bin");
      let t = performance.now();
      index.writeIndexSync(path);
      const saveSeconds = seconds(t);
      t = performance.now();
      const loaded = new hnswlib.HierarchicalNSW("ip", D);
      loaded.readIndexSync(path);
      const loadSeconds = seconds(t);
      alive.push(index, loaded);
      const row: PeerRow = {
        library: "hnswlib-node",
        threads: 1,
        search: "one query at a time",
        buildSeconds,
        rss,
        fileBytes: statSize(path),
        saveSeconds,
        loadSeconds,
        qps: new Map(),
        recall: new Map(),
      };
      out.push(row);
      log(`  hnswlib-node (1 thread): built in ${buildSeconds.toFixed(1)} s`);
      searchers.push({
        row,
        run: (ef) => {
          index.setEf(ef);
          return Array.from(
            { length: COMPARE_QUERIES },
            (_, q) => index.searchKnn(Array.from(rowOf(queries, q)), K).neighbors,
          );
        },
      });
    }
    const efs = EF.filter((ef) => ef <= 128);
    const timings = new Map<string, number[]>();
    for (let round = 0; round < HNSW_ROUNDS; round += 1) {
      const order = round % 2 === 0 ? searchers : [...searchers].reverse();
      for (const { row, run } of order) {
        for (const ef of efs) {
          const clock = performance.now();
          const found = run(ef);
          push(timings, `${row.library}/${row.threads}/${ef}`, COMPARE_QUERIES / seconds(clock));
          row.recall.set(ef, recallOf(found, truth));
        }
      }
    }
    for (const { row } of searchers) {
      for (const ef of efs) {
        row.qps.set(ef, median(timings.get(`${row.library}/${row.threads}/${ef}`)!));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  alive.length = 0;
  collect();
  return out;
}

function statSize(path: string): number {
  return statSync(path).size;
}

function push(map: Map<number | string, number[]>, key: number | string, value: number): void {
  const values = map.get(key);
  if (values === undefined) map.set(key, [value]);
  else values.push(value);
}

// ---------------------------------------------------------------------------------------------
// Report

interface Machine extends Host {
  memory: string;
}

/** The shared machine description (bench/support/benchmarks-md.ts) plus installed memory. */
function describeMachine(): Machine {
  return { ...describeHost(), memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB` };
}

function fixed(value: number | undefined, digits: number): string {
  return value === undefined ? "—" : value.toFixed(digits);
}

function thousands(value: number | undefined): string {
  return value === undefined ? "—" : Math.round(value).toLocaleString("en-US");
}

function megabytes(value: number | undefined): string {
  return value === undefined
    ? "—"
    : (value / MB).toLocaleString("en-US", { maximumFractionDigits: 0 });
}

function markdownTable(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ].join("\n");
}

function renderSection(machine: Machine, results: Results, totalSeconds: number): string {
  const { bandwidth, rows, peers, persisted } = results;
  const ratio = results.exactMs / bandwidth.jsSumMs;
  const hnswRows = rows.filter((row) => row.method.includes("`hnsw`"));
  const qualifying = hnswRows.filter(
    (row) => (row.recall ?? 0) >= 0.95 && (row.qpsBatch ?? 0) >= 2000,
  );
  const shape = RANK === 0 ? "" : ` (clusters in ${RANK}-dimensional subspaces)`;
  const out: string[] = [START, "", `## Vector search: exact, int8 and HNSW${shape}`, ""];
  out.push(
    "Generated by `bench/vectors.bench.ts`; do not edit by hand between the markers. Rerun with:",
    "",
    "```sh",
    COMMAND,
    "```",
    "",
    `- Machine: ${machine.cpu}, ${machine.cores} cores (\`os.cpus()\`), ${machine.memory}, ${machine.os}, Node ${machine.node}; run on ${machine.date}. Shared with other work (1-minute load average ${results.loadBefore.toFixed(1)} at the start, ${results.loadAfter.toFixed(1)} at the end, on ${machine.cores} cores): timings are medians of interleaved rounds, and still noisy; where the load exceeds one core, "${THREADS} threads" get little more than one.`,
    `- Data: ${N.toLocaleString("en-US")} × ${D} float32 vectors and ${QUERIES.toLocaleString("en-US")} queries from a seeded Gaussian mixture (${CLUSTERS.toLocaleString("en-US")} centres from N(0, I); ${RANK === 0 ? "vector = centre + N(0, I)" : `vector = centre + B_k z + ${NOISE} · N(0, I), z ~ N(0, I_${RANK}), a random ${D} × ${RANK} basis B_k per cluster`}, L2-normalised), generated in ${results.generateSeconds.toFixed(0)} s. Clustered so that queries have real neighbours. ${RANK === 0 ? `Inside a cluster the noise is isotropic: a query's ~${Math.round(N / CLUSTERS).toLocaleString("en-US")} cluster mates all have cosine ≈ 0.5 with it (the nearest only a few hundredths more) and there is no low-dimensional structure to follow, which is much harder for approximate search than real embeddings usually are (\`--rank 16 --noise 0.2\` draws each cluster from a 16-dimensional subspace instead).` : ""} Metric: cosine.`,
    `- Ground truth: exact top 10 by inner product from usearch's native \`exactSearch\` (${THREADS} threads, ${results.truthSeconds.toFixed(0)} s for all queries). The flat index agrees with it on ${(results.flatAgreement * 100).toFixed(1)}% of its top-10 slots${results.flatAgreement < 1 ? " (the rest are float rounding at near-ties)" : ""}.`,
    `- Exact indexes: ${EXACT_QUERIES} queries, one at a time on one thread (JavaScript; no batch or thread option), in ${EXACT_ROUNDS} rounds interleaved with the bandwidth passes. HNSW: all ${QUERIES.toLocaleString("en-US")} queries per efSearch, median of ${HNSW_ROUNDS} rounds; **q/s 1 thread** is one \`search()\` call per query, **q/s batch** is \`searchBatch()\` of all queries on ${THREADS} native threads.`,
    `- HNSW graphs (\`--hnsw\`): ${HNSW_GRAPHS.map(graphLabel).join("; ")}. **f32** stores the vectors in the graph as float32; **i8 + re-score** stores int8 codes in the graph (1 byte per dimension, usearch's own quantization) and keeps the float32 rows beside it, re-scoring each search's max(k, efSearch) graph candidates exactly (\`quantization: "i8"\` in \`HnswIndex\`), so its scores are exact and its q/s include the re-scoring, in JavaScript on the calling thread.`,
    "- Memory: RSS / V8 heap / external (ArrayBuffer and native) growth across the build after a full GC; **index MB** is the index's own `memoryBytes()` (for HNSW an estimate from usearch's layout). The flat and int8 rows hold their own copy of the vectors; the benchmark's source array (" +
      `${megabytes(bandwidth.bytes)} MB) is not counted.`,
    "",
    markdownTable(
      [
        "method",
        "build s",
        "index MB",
        "RSS Δ MB",
        "heap Δ MB",
        "external Δ MB",
        "q/s 1 thread",
        `q/s batch (${THREADS} threads)`,
        "ms/query (1 thread)",
        "recall@10",
        "note",
      ],
      rows.map((row) => [
        row.method,
        fixed(row.buildSeconds, 1),
        megabytes(row.indexBytes),
        megabytes(row.memory?.rss),
        megabytes(row.memory?.heap),
        megabytes(row.memory?.external),
        row.qps1 === undefined ? "—" : row.qps1 < 100 ? row.qps1.toFixed(2) : thousands(row.qps1),
        row.qpsBatch === undefined
          ? "—"
          : row.qpsBatch < 100
            ? row.qpsBatch.toFixed(2)
            : thousands(row.qpsBatch),
        row.msPerQuery === undefined ? "—" : row.msPerQuery.toFixed(row.msPerQuery < 10 ? 3 : 0),
        fixed(row.recall, 4),
        row.note ?? "",
      ]),
    ),
    "",
    "### Exact search against the memory-bandwidth bound",
    "",
    `An exact query scans every vector once: n · d · 4 = ${megabytes(bandwidth.bytes)} MB. The bound is the fastest JavaScript can read that array: a tight sum over the same Float32Array (4 or 8 accumulators, the faster), measured in the same rounds as the searches.`,
    "",
    markdownTable(
      ["measure", "ms per pass over the vectors", "GB/s", "× the JS bound"],
      [
        [
          "JS tight sum (the bound)",
          bandwidth.jsSumMs.toFixed(0),
          bandwidth.jsSumGBs.toFixed(1),
          "1.00",
        ],
        [
          "native read: memcpy in 512 KiB chunks into an L2-resident buffer (reference)",
          bandwidth.nativeCopyMs.toFixed(0),
          bandwidth.nativeCopyGBs.toFixed(1),
          (bandwidth.nativeCopyMs / bandwidth.jsSumMs).toFixed(2),
        ],
        [
          "pairlift `flat`, one exact query",
          results.exactMs.toFixed(0),
          (bandwidth.bytes / results.exactMs / MB).toFixed(1),
          ratio.toFixed(2),
        ],
        [
          "pairlift `flat-int8`, one query (scans n · d bytes of codes + re-scoring)",
          results.int8Ms.toFixed(0),
          (bandwidth.bytes / 4 / results.int8Ms / MB).toFixed(1) + " (codes)",
          (results.int8Ms / bandwidth.jsSumMs).toFixed(2),
        ],
      ],
    ),
    "",
  );
  if (persisted.length > 0) {
    out.push(
      "### Save and load",
      "",
      markdownTable(
        ["index", "file MB", "save s", "load s", "same results after load"],
        persisted.map((row) => [
          row.method,
          megabytes(row.fileBytes),
          row.saveSeconds.toFixed(1),
          row.loadSeconds.toFixed(1),
          row.identical ? "yes" : "**no**",
        ]),
      ),
      "",
    );
  }
  if (peers.length > 0) {
    const efs = [...peers[0]!.recall.keys()];
    out.push(
      "### HNSW library: usearch vs hnswlib-node",
      "",
      `Both libraries on the first ${COMPARE_N.toLocaleString("en-US")} vectors, inner product, M ${M}, efConstruction ${EF_CONSTRUCTION}, ${COMPARE_QUERIES} queries (median of ${HNSW_ROUNDS} interleaved rounds), recall@10 against exact. The one-thread builds are searched one query at a time on one thread; usearch's ${THREADS}-thread build is searched as one batch on ${THREADS} threads (what hnswlib-node cannot do). usearch is asked for max(k, efSearch) results with expansion_search 1 (the same as ef = efSearch, since its JS binding cannot change expansion_search after construction); hnswlib-node uses \`setEf\`. hnswlib-node takes a plain \`number[]\` per call, so its times include \`Array.from\` of each vector, as a caller's would. **RSS Δ** is growth across the build after a full GC (nothing is freed meanwhile).`,
      "",
      markdownTable(
        [
          "library",
          "build threads",
          "search",
          "build s",
          "vectors/s",
          "RSS Δ MB",
          "file MB",
          "save s",
          "load s",
          ...efs.map((ef) => `q/s · recall, ef ${ef}`),
        ],
        peers.map((row) => [
          row.library,
          String(row.threads),
          row.search,
          row.buildSeconds.toFixed(1),
          thousands(COMPARE_N / row.buildSeconds),
          megabytes(row.rss),
          megabytes(row.fileBytes),
          row.saveSeconds.toFixed(2),
          row.loadSeconds.toFixed(2),
          ...efs.map((ef) => `${thousands(row.qps.get(ef))} · ${fixed(row.recall.get(ef), 3)}`),
        ]),
      ),
      "",
      markdownTable(
        ["", "usearch 2.25.3", "hnswlib-node 3.0.0"],
        [
          [
            "multi-threaded add",
            "yes (`threads` argument)",
            "no: one synchronous `addPoint` per vector",
          ],
          ["batch / multi-threaded search", "yes (matrix of queries, `threads`)", "no"],
          [
            "vector type in and out",
            "Float32Array / Int8Array in, typed arrays out",
            "`number[]` in, `number[]` out",
          ],
          [
            "SIMD",
            "picked at run time (NumKong dynamic dispatch)",
            "as compiled at install: no `-march` in its binding.gyp, so SSE only on x86",
          ],
          [
            "removal",
            "`remove(keys)`; storage of removed vectors is reused",
            "`markDelete(label)`; optional replace-deleted",
          ],
          ["persistence", "`save` / `load` / `view` (memory-mapped)", "`writeIndex` / `readIndex`"],
          [
            "change efSearch per query",
            "not in the JS binding (worked around: ask for max(k, ef) results)",
            "`setEf`",
          ],
          ["other scalar types", "f16, bf16, i8, … (`quantization` f16 and i8)", "float32 only"],
          [
            "maintenance",
            "frequent releases; 2.25.3 is the last prebuilt for Node 20 (newer need Node 22)",
            "last release 3.0.0 (2024-03-11), wrapping hnswlib 0.8.0 (2023-12)",
          ],
          ["install", "prebuilt binaries", "compiled with node-gyp at install (needs a toolchain)"],
        ],
      ),
      "",
      choiceText(peers),
      "",
    );
  }
  out.push("### Goals", "");
  out.push(
    `- Exact float32 search within 2× of the memory-bandwidth bound: **${ratio <= 2 ? "met" : "not met"}** — one query takes ${results.exactMs.toFixed(0)} ms, ${ratio.toFixed(2)}× the ${bandwidth.jsSumMs.toFixed(0)} ms JavaScript sum over the same ${megabytes(bandwidth.bytes)} MB (${(bandwidth.bytes / results.exactMs / MB).toFixed(1)} GB/s effective). Against the hardware it is ${(results.exactMs / bandwidth.nativeCopyMs).toFixed(1)}× off: native code reads the array at ${bandwidth.nativeCopyGBs.toFixed(1)} GB/s, the JavaScript sum only at ${bandwidth.jsSumGBs.toFixed(1)} GB/s, because V8 emits scalar code (no SIMD) and both the sum and the scan are bound by arithmetic, not by memory.`,
  );
  const best = [...qualifying].sort((a, b) => (b.qpsBatch ?? 0) - (a.qpsBatch ?? 0))[0];
  // "pairlift `hnsw` (usearch, i8 + re-score, M 32, efC 128), efSearch 64" → the setting.
  const efOf = (row: Row): string =>
    row.method.replace(/^.*\(usearch, /, "").replace(/\), efSearch /, ", efSearch ");
  const small = peers.find((row) => row.library === "usearch" && row.threads === 1);
  const smallBatch = peers.find((row) => row.library === "usearch" && row.threads > 1);
  const smallBest =
    small === undefined
      ? undefined
      : [...small.qps.keys()]
          .filter((ef) => (small.recall.get(ef) ?? 0) >= 0.95)
          .sort((a, b) => small.qps.get(b)! - small.qps.get(a)!)[0];
  const smallLine =
    small === undefined || smallBest === undefined
      ? ""
      : ` At ${COMPARE_N.toLocaleString("en-US")} vectors (the library comparison) usearch reaches recall@10 ${fixed(small.recall.get(smallBest), 3)} at ${thousands(small.qps.get(smallBest))} q/s on one thread (ef ${smallBest}${smallBatch === undefined ? "" : `; ${thousands(smallBatch.qps.get(smallBest))} q/s as a batch on ${smallBatch.threads} threads`}), so what fails at ${N.toLocaleString("en-US")} is recall at these build settings on this data, not speed.`;
  out.push(
    best === undefined
      ? `- An HNSW setting with recall@10 ≥ 0.95 at ≥ 2,000 queries/s on ${THREADS} cores: **not met** — ${hnswRows.map((row) => `${efOf(row)}: recall ${fixed(row.recall, 3)} at ${thousands(row.qpsBatch)} q/s`).join("; ")}.${smallLine}`
      : `- An HNSW setting with recall@10 ≥ 0.95 at ≥ 2,000 queries/s on ${THREADS} cores: **met** — ${efOf(best)}: recall@10 ${fixed(best.recall, 3)} at ${thousands(best.qpsBatch)} q/s batched on ${THREADS} threads (${thousands(best.qps1)} q/s one query at a time on one thread).`,
  );
  // Each graph on its own: what it reaches at the goal's speed, and what the goal's recall costs.
  const graphs = new Map<string, Row[]>();
  for (const row of hnswRows) {
    const graph = row.method.replace(/^.*\(usearch, /, "").replace(/\), efSearch.*$/, "");
    graphs.set(graph, [...(graphs.get(graph) ?? []), row]);
  }
  for (const [graph, graphRows] of graphs) {
    const fast = graphRows.filter((row) => (row.qpsBatch ?? 0) >= 2000);
    const good = graphRows.filter((row) => (row.recall ?? 0) >= 0.95);
    const bestRecall = fast.sort((a, b) => (b.recall ?? 0) - (a.recall ?? 0))[0];
    const fastest = good.sort((a, b) => (b.qpsBatch ?? 0) - (a.qpsBatch ?? 0))[0];
    out.push(
      `  - ${graph} (built in ${(graphRows[0]!.buildSeconds ?? 0).toFixed(0)} s): ${bestRecall === undefined ? "no efSearch reaches 2,000 q/s" : `at ≥ 2,000 q/s at most recall@10 ${fixed(bestRecall.recall, 3)} (${efOf(bestRecall).replace(/^.*efSearch/, "efSearch")}, ${thousands(bestRecall.qpsBatch)} q/s)`}; ${fastest === undefined ? "no efSearch reaches recall 0.95" : `recall ≥ 0.95 at most ${thousands(fastest.qpsBatch)} q/s (${efOf(fastest).replace(/^.*efSearch/, "efSearch")}, recall ${fixed(fastest.recall, 3)})`}.`,
    );
  }
  out.push("", `Total benchmark time: ${(totalSeconds / 60).toFixed(1)} min.`, "", END);
  return out.join("\n");
}

/** The library choice, with this run's numbers. */
function choiceText(peers: readonly PeerRow[]): string {
  const one = peers.find((row) => row.library === "usearch" && row.threads === 1);
  const many = peers.find((row) => row.library === "usearch" && row.threads > 1);
  const other = peers.find((row) => row.library === "hnswlib-node");
  if (one === undefined || other === undefined) return "";
  const efs = [...one.qps.keys()];
  const ef = efs.includes(64) ? 64 : efs[Math.floor(efs.length / 2)]!;
  const buildRatio = one.buildSeconds / other.buildSeconds;
  const queryRatio = other.qps.get(ef)! / one.qps.get(ef)!;
  const compare = (ratio: number, faster: string): string =>
    ratio >= 1.1
      ? `hnswlib-node ${faster} ${ratio.toFixed(1)}× faster`
      : ratio <= 1 / 1.1
        ? `usearch ${faster} ${(1 / ratio).toFixed(1)}× faster`
        : "the two were within 10%";
  const hnswlibFaster = buildRatio >= 1.1 || queryRatio >= 1.1;
  return [
    "Choice: **usearch**, in `src/dense/vector-index/hnsw.ts`.",
    `At matched parameters the recall is about the same. Per thread: on one thread ${compare(buildRatio, "built")} (hnswlib-node ${other.buildSeconds.toFixed(1)} s, usearch ${one.buildSeconds.toFixed(1)} s), and at ef ${ef}, one query at a time, ${compare(queryRatio, "answered")} (hnswlib-node ${thousands(other.qps.get(ef))} q/s at recall ${fixed(other.recall.get(ef), 3)}, usearch ${thousands(one.qps.get(ef))} q/s at ${fixed(one.recall.get(ef), 3)}).`,
    `What decides it is what happens beyond one thread and around the search: usearch builds on every core and searches batches on several threads, hnswlib-node does neither (one synchronous call per vector or query), so usearch is the only one of the two that uses a second core from one process, and the only one whose 1M build and batch evaluation scale with bigger machines.${many === undefined ? "" : ` On this shared 2-core machine that shows only partly: the ${many.threads}-thread build took ${many.buildSeconds.toFixed(1)} s against ${one.buildSeconds.toFixed(1)} s on one thread, and a batch on ${many.threads} threads answered ${thousands(many.qps.get(ef))} q/s at ef ${ef}.`}`,
    "usearch also takes and returns typed arrays (hnswlib-node copies every vector to and from a `number[]`), reuses the storage of removed vectors, can memory-map a saved index, stores graphs in other scalar types (its i8 graph, re-scored exactly, is what reaches the 1M goal below), ships prebuilt binaries and is maintained, where hnswlib-node's last release is from March 2024.",
    `Its costs: ${hnswlibFaster ? "slower single-thread work in this run; " : ""}the prebuilt 2.25.3 is the last for Node 20; its JS binding fixes expansion_search at construction (worked around at no cost by asking for max(k, ef) results); and its \`exactSearch\` ignores a typed array's byteOffset (a bug to remember: pass arrays that start at offset 0).`,
    hnswlibFaster
      ? "If single-query latency on one core were what mattered, hnswlib-node would be the faster engine on this machine; the `VectorIndex` interface keeps the backend swappable."
      : "",
  ]
    .filter((line) => line !== "")
    .join(" ");
}

// ---------------------------------------------------------------------------------------------
// Helpers

function log(message: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function count(name: keyof typeof flags, min = 1): number {
  return positive(Number(flags[name]), `--${String(name)}`, min);
}

function positive(value: number, name: string, min = 1): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name} must be an integer of at least ${min}`);
  }
  return value;
}

await main();
