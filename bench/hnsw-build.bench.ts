/**
 * What a reproducible HNSW build costs: the same graph built on one thread (the default, whose
 * vectors.bin is byte-identical run after run) and on every core (`--hnsw-threads N`, faster,
 * not reproducible), at several collection sizes, in the same run.
 *
 *   npx tsx --expose-gc bench/hnsw-build.bench.ts [--sizes 10000,100000,1000000] [--d 384]
 *       [--m 16] [--ef-construction 128] [--quantization f32] [--threads 2] [--queries 200]
 *       [--no-write]
 *
 * Data: seeded Gaussian-mixture vectors (1,000 clusters in 384 dimensions, L2-normalised; see
 * src/dense/vector-index/synthetic.ts), the shape bench/vectors.bench.ts uses. Per size: one
 * build on one thread, a second one-thread build whose saved file is compared byte for byte
 * with the first (up to --verify-max vectors), and one build on --threads threads; each
 * graph's recall@10 against the exact top 10 (usearch's brute force) of --queries queries,
 * so the cheaper build is seen to buy nothing in quality. The machine's load average at each
 * build's start is printed beside it: other work on the 2 shared cores shows there.
 *
 * It prints a table and rewrites the `hnsw-build` section of BENCHMARKS.md (unless --no-write).
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { MetricKind, exactSearch } from "usearch";
import { HNSW_DEFAULTS, HnswIndex } from "../src/dense/vector-index/hnsw.js";
import type { HnswQuantization } from "../src/dense/vector-index/hnsw.js";
import { GaussianMixture } from "../src/dense/vector-index/synthetic.js";
import {
  describeMachine,
  machineLine,
  sectionMarkers,
  writeBenchmarkSection,
} from "./support/benchmarks-md.js";

const { values: flags } = parseArgs({
  options: {
    sizes: { type: "string", default: "10000,100000,1000000" },
    d: { type: "string", default: "384" },
    m: { type: "string", default: String(HNSW_DEFAULTS.M) },
    "ef-construction": { type: "string", default: String(HNSW_DEFAULTS.efConstruction) },
    quantization: { type: "string", default: HNSW_DEFAULTS.quantization },
    threads: { type: "string", default: String(os.availableParallelism()) },
    queries: { type: "string", default: "200" },
    "verify-max": { type: "string", default: "1000000" },
    "no-write": { type: "boolean", default: false },
  },
});

const sizes = flags.sizes.split(",").map(Number);
const D = Number(flags.d);
const M = Number(flags.m);
const efConstruction = Number(flags["ef-construction"]);
const quantization = flags.quantization as HnswQuantization;
const threads = Number(flags.threads);
const queryCount = Number(flags.queries);
const verifyMax = Number(flags["verify-max"]);
const gc = (globalThis as { gc?: () => void }).gc;

interface Build {
  threads: number;
  seconds: number;
  load: number;
  sha256: string;
  recall: number;
}

interface SizeResult {
  n: number;
  single: Build;
  repeat: Build | undefined;
  parallel: Build;
}

const scratch = mkdtempSync(join(os.tmpdir(), "pairlift-hnsw-build-"));

function build(
  vectors: Float32Array,
  buildThreads: number,
  queries: Float32Array,
  truth: BigUint64Array,
): Promise<Build> {
  gc?.();
  const load = os.loadavg()[0]!;
  const graph = new HnswIndex({
    dimension: D,
    M,
    efConstruction,
    quantization,
    buildThreads,
    threads,
  });
  const started = performance.now();
  graph.add(vectors);
  const seconds = (performance.now() - started) / 1000;
  const file = join(scratch, `graph-${buildThreads}.bin`);
  return graph.save(file).then(() => {
    const sha256 = createHash("sha256").update(readFileSync(file)).digest("hex");
    rmSync(file, { force: true });
    const found = graph.searchBatch(queries, 10, { threads });
    let hits = 0;
    found.forEach(({ slots }, q) => {
      const wanted = new Set(Array.from(truth.subarray(q * 10, q * 10 + 10), Number));
      for (const slot of slots) if (wanted.has(slot)) hits += 1;
    });
    return { threads: buildThreads, seconds, load, sha256, recall: hits / (10 * queryCount) };
  });
}

const results: SizeResult[] = [];
try {
  for (const n of sizes) {
    const mixture = new GaussianMixture({ dimension: D, clusters: 1000, spread: 1, seed: 11 });
    const vectors = mixture.sample(n, 1);
    const queries = mixture.sample(queryCount, 2);
    const truth = exactSearch(vectors, queries, D, 10, MetricKind.IP, threads).keys;
    const single = await build(vectors, 1, queries, truth);
    const repeat = n <= verifyMax ? await build(vectors, 1, queries, truth) : undefined;
    const parallel = await build(vectors, threads, queries, truth);
    const result = { n, single, repeat, parallel };
    results.push(result);
    console.log(formatRow(result));
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

function formatRow({ n, single, repeat, parallel }: SizeResult): string {
  const identical =
    repeat === undefined ? "not checked" : repeat.sha256 === single.sha256 ? "yes" : "**NO**";
  const cost = single.seconds / parallel.seconds;
  return (
    `| ${n.toLocaleString("en-US")} | ${single.seconds.toFixed(2)} s (load ${single.load.toFixed(1)})` +
    `${repeat === undefined ? "" : `, again ${repeat.seconds.toFixed(2)} s`} | ${identical} | ` +
    `${parallel.seconds.toFixed(2)} s (load ${parallel.load.toFixed(1)}) | ${cost.toFixed(2)}× | ` +
    `${single.recall.toFixed(3)} / ${parallel.recall.toFixed(3)} |`
  );
}

const machine = describeMachine();
const { start, end } = sectionMarkers("hnsw-build");
const command = `npx tsx --expose-gc bench/hnsw-build.bench.ts --sizes ${flags.sizes} --d ${D} --m ${M} --ef-construction ${efConstruction} --quantization ${quantization} --threads ${threads} --verify-max ${verifyMax}`;
const section = `${start}
## HNSW builds: reproducible (one thread) against parallel

${machineLine(machine)}. Command: \`${command}\`.

A graph built on one thread (\`pairlift index --vector-index hnsw\`, the default) is the same
graph every run: its \`vectors.bin\` is byte-identical, and the dense manifest records
\`"reproducible": true\`. \`--hnsw-threads ${threads}\` inserts on ${threads} threads: faster, but
the graph depends on how the threads interleave. Data: ${D}-d Gaussian-mixture vectors (1,000
clusters), M ${M}, efConstruction ${efConstruction}, ${quantization}; recall@10 of ${queryCount}
queries at efSearch ${HNSW_DEFAULTS.efSearch} against exact search. "load" is the 1-minute load
average when the build started (this machine has ${machine.cores} shared cores).

| vectors | one thread (reproducible) | byte-identical again | ${threads} threads | cost of reproducibility | recall@10 (1 / ${threads} threads) |
| ---: | ---: | :---: | ---: | ---: | ---: |
${results.map(formatRow).join("\n")}
${end}`;
console.log(`\n${section}`);
if (!flags["no-write"]) await writeBenchmarkSection("hnsw-build", section);
