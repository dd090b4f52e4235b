/**
 * Cross-encoder reranking throughput: pairs/s of pairlift's `onnx-cross-encoder` reranker on the
 * ms-marco MiniLM-L-6 twin (RANDOM weights: speed only, never quality) at reranking depths 10,
 * 20, 50 and 100, against a bare onnxruntime-node InferenceSession fed the very batches pairlift
 * builds, in one run.
 *
 *   npx tsx bench/rerank.bench.ts
 *
 * - Data: BEIR SciFact test queries, each paired with `depth` corpus documents in file order
 *   (query k of the run takes the documents from position 100·k on), as `title + " " + text`.
 *   BENCH_QUERIES queries per depth (default 2), different queries for each depth.
 * - pairlift = `score()`: query and documents → tokens → length-sorted batches → forward passes
 *   (transformers.js) → the logits in candidate order. onnxruntime-node = a bare session on the
 *   same ONNX file (CPU provider, default options) running the same batches, tokenized by
 *   pairlift beforehand and not timed.
 * - The two run batch by batch, in alternating order, for BENCH_ROUNDS rounds (default 3): to
 *   time pairlift on one batch, `score()` is called with that batch's candidates, which it
 *   turns into the same single batch (same texts, same padding). pairlift overhead = pairlift's
 *   time ÷ the bare session's time − 1 over a depth's batches, median over rounds.
 * - Settings: dtype q8, batchSize 32 (batches give the bare session something to batch too; the
 *   provider's default is 1, see the batch-size table), maxLength BENCH_MAX_LENGTH (default 256).
 *   The default maxLength (512) is left out of the main table because of its cost here: see the
 *   batch-size table, which scores BENCH_SWEEP_DOCS documents (default 16) once at batch sizes 1
 *   and 32 and maxLength 256 and 512.
 *
 * It prints the tables and rewrites the `rerank` section of BENCHMARKS.md. When the data or the
 * model is missing (../shared, or BEIR_DIR and MODELS_DIR) it says so and exits 0 without
 * writing anything.
 */
import { existsSync } from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { InferenceSession, Tensor as OrtTensor } from "onnxruntime-node";
import { loadBeirSplit, readBeirCorpus } from "../src/io/beir.js";
import type { RerankCandidate } from "../src/rerank/reranker.js";
import {
  createCrossEncoder,
  type CrossEncoderReranker,
} from "../src/rerank/providers/cross-encoder.js";
import type { PairBatch } from "../src/rerank/providers/pair-tokenizer.js";
import {
  BEIR_DIR,
  BENCHMARKS_FILE,
  ROOT,
  describeMachine,
  machineLine,
  sectionMarkers,
  writeBenchmarkSection,
} from "./support/benchmarks-md.js";

const SECTION = "rerank";
const SCIFACT = join(BEIR_DIR, "scifact");
const TWIN = join(
  process.env["MODELS_DIR"] ?? resolve(ROOT, "../shared/models"),
  "twin-ms-marco-MiniLM-L-6-v2",
);
const ENV_KNOBS = [
  "BEIR_DIR",
  "MODELS_DIR",
  "BENCH_ROUNDS",
  "BENCH_QUERIES",
  "BENCH_MAX_LENGTH",
  "BENCH_SWEEP_DOCS",
];
const COMMAND = `${ENV_KNOBS.filter((name) => process.env[name] !== undefined)
  .map((name) => `${name}=${process.env[name]} `)
  .join("")}npx tsx bench/rerank.bench.ts`;
const ROUNDS = positiveInt("BENCH_ROUNDS", 3);
const QUERIES = positiveInt("BENCH_QUERIES", 2);
const MAX_LENGTH = positiveInt("BENCH_MAX_LENGTH", 256);
const SWEEP_DOCS = positiveInt("BENCH_SWEEP_DOCS", 16);
const DEPTHS = [10, 20, 50, 100];
const BATCH_SIZE = 32;
const DOCUMENT_STRIDE = 100;
const { start: START, end: END } = sectionMarkers(SECTION);

interface DepthResult {
  depth: number;
  queries: number;
  pairs: number;
  batches: number;
  meanTokens: number;
  truncated: number;
  /** Pairs per second, per round. */
  pairlift: number[];
  ort: number[];
  /** Per round: pairlift time ÷ onnxruntime time − 1 over the depth's batches. */
  overheads: number[];
  /** Per batch and round: pairlift time ÷ onnxruntime time − 1 on that batch. */
  batchOverheads: number[];
  tokenizeMsPerPair: number;
}

interface SweepRow {
  maxLength: number;
  batchSize: number;
  rate: number;
  meanTokens: number;
}

async function main(): Promise<void> {
  const missing = [join(SCIFACT, "corpus.jsonl"), join(TWIN, "onnx")].filter(
    (path) => !existsSync(path),
  );
  if (missing.length > 0) {
    console.log(
      `bench: shared data not found (${missing.join(", ")}); set BEIR_DIR and MODELS_DIR to the ` +
        "folders holding scifact/ and twin-ms-marco-MiniLM-L-6-v2/. Nothing was measured or written.",
    );
    return;
  }
  const began = performance.now();
  const machine = describeMachine();
  const loadBefore = os.loadavg()[0]!;
  console.log(`${machineLine(machine)}; load average ${loadBefore.toFixed(2)}`);

  const candidates: RerankCandidate[] = [];
  for await (const document of readBeirCorpus(join(SCIFACT, "corpus.jsonl"))) {
    candidates.push({ id: document.id, text: `${document.title} ${document.text}`, features: {} });
  }
  const { queries } = await loadBeirSplit(SCIFACT, "test");
  const needed = DEPTHS.length * QUERIES;
  if (queries.length < needed || candidates.length < needed * DOCUMENT_STRIDE) {
    throw new Error(`SciFact has too few queries or documents for BENCH_QUERIES=${QUERIES}`);
  }

  const context = { baseDir: ROOT, cacheDir: join(ROOT, ".cache/pairlift"), env: {} };
  const reranker = await createCrossEncoder(
    {
      provider: "onnx-cross-encoder",
      model: TWIN,
      dtype: "q8",
      maxLength: MAX_LENGTH,
      batchSize: BATCH_SIZE,
    },
    context,
  );
  const session = await InferenceSession.create(join(TWIN, "onnx", "model_quantized.onnx"), {
    executionProviders: ["cpu"],
  });

  const results: DepthResult[] = [];
  let k = 0;
  for (const depth of DEPTHS) {
    const work = Array.from({ length: QUERIES }, () => {
      const query = queries[k]!.text;
      const docs = candidates.slice(k * DOCUMENT_STRIDE, k * DOCUMENT_STRIDE + depth);
      k += 1;
      return { query, docs };
    });
    results.push(await benchDepth(depth, work, reranker, session));
  }
  await reranker.close();

  const sweepQuery = queries[k]!.text;
  const sweepDocs = candidates.slice(k * DOCUMENT_STRIDE, k * DOCUMENT_STRIDE + SWEEP_DOCS);
  const sweep = await benchBatchSizes(sweepQuery, sweepDocs, context);
  await session.release();

  const loadAfter = os.loadavg()[0]!;
  const seconds = (performance.now() - began) / 1000;
  const section = renderSection(machine, results, sweep, [loadBefore, loadAfter], seconds);
  await writeBenchmarkSection(SECTION, section);
  console.log(`\n${section}\n\nwrote ${BENCHMARKS_FILE} (run took ${seconds.toFixed(0)} s)`);
}

/** One depth: every query's batches, pairlift and the bare session alternating, ROUNDS times. */
async function benchDepth(
  depth: number,
  work: Array<{ query: string; docs: RerankCandidate[] }>,
  reranker: CrossEncoderReranker,
  session: InferenceSession,
): Promise<DepthResult> {
  // The batches score() makes, as pairlift calls (one per batch) and as onnxruntime feeds.
  reranker.tokenize(work[0]!.query, work[0]!.docs); // warm the tokenizer's code and word cache
  const started = performance.now();
  const planned = work.map(({ query, docs }) => ({
    query,
    docs,
    batches: reranker.tokenize(query, docs),
  }));
  const tokenizeMs = performance.now() - started;
  const units = planned.flatMap(({ query, docs, batches }) =>
    batches.map((batch) => ({
      query,
      docs: batch.slots.map((slot) => docs[slot]!),
      feeds: feedsOf(batch, session.inputNames),
      batch,
    })),
  );
  const pairs = units.reduce((sum, unit) => sum + unit.docs.length, 0);
  const tokens = units.flatMap(({ batch }) => rowLengths(batch));
  // Warm-up: one batch each.
  await reranker.score(units[0]!.query, units[0]!.docs);
  await session.run(units[0]!.feeds);

  const result: DepthResult = {
    depth,
    queries: work.length,
    pairs,
    batches: units.length,
    meanTokens: tokens.reduce((sum, n) => sum + n, 0) / tokens.length,
    truncated: tokens.filter((n) => n === MAX_LENGTH).length,
    pairlift: [],
    ort: [],
    overheads: [],
    batchOverheads: [],
    tokenizeMsPerPair: tokenizeMs / pairs,
  };
  for (let round = 0; round < ROUNDS; round += 1) {
    let pairliftMs = 0;
    let ortMs = 0;
    for (let u = 0; u < units.length; u += 1) {
      const unit = units[u]!;
      let oneMs = 0;
      let bareMs = 0;
      const timePairlift = async () => {
        const begin = performance.now();
        await reranker.score(unit.query, unit.docs);
        oneMs = performance.now() - begin;
      };
      const timeOrt = async () => {
        const begin = performance.now();
        const out = await session.run(unit.feeds);
        void (out["logits"]!.data as Float32Array)[0];
        bareMs = performance.now() - begin;
      };
      if ((u + round) % 2 === 0) {
        await timePairlift();
        await timeOrt();
      } else {
        await timeOrt();
        await timePairlift();
      }
      pairliftMs += oneMs;
      ortMs += bareMs;
      result.batchOverheads.push(oneMs / bareMs - 1);
    }
    result.pairlift.push(pairs / (pairliftMs / 1000));
    result.ort.push(pairs / (ortMs / 1000));
    result.overheads.push(pairliftMs / ortMs - 1);
    console.log(
      `depth ${depth}: round ${round + 1}: pairlift ${result.pairlift.at(-1)!.toFixed(2)} pairs/s, ` +
        `onnxruntime ${result.ort.at(-1)!.toFixed(2)} pairs/s, overhead ` +
        `${(result.overheads.at(-1)! * 100).toFixed(1)}%`,
    );
  }
  return result;
}

/** pairlift's score() once per setting on the same documents (after one warm-up pair). */
async function benchBatchSizes(
  query: string,
  docs: RerankCandidate[],
  context: { baseDir: string; cacheDir: string; env: Record<string, string> },
): Promise<SweepRow[]> {
  const rows: SweepRow[] = [];
  for (const maxLength of [256, 512]) {
    for (const batchSize of [1, BATCH_SIZE]) {
      const reranker = await createCrossEncoder(
        { provider: "onnx-cross-encoder", model: TWIN, dtype: "q8", maxLength, batchSize },
        context,
      );
      await reranker.score(query, docs.slice(0, 1));
      const lengths = reranker.tokenize(query, docs).flatMap(rowLengths);
      const started = performance.now();
      await reranker.score(query, docs);
      const rate = docs.length / ((performance.now() - started) / 1000);
      const meanTokens = lengths.reduce((sum, n) => sum + n, 0) / lengths.length;
      console.log(
        `batch sizes: maxLength ${maxLength}, batchSize ${batchSize}: ${rate.toFixed(2)} pairs/s`,
      );
      rows.push({ maxLength, batchSize, rate, meanTokens });
      await reranker.close();
    }
  }
  return rows;
}

function feedsOf(batch: PairBatch, names: readonly string[]): Record<string, OrtTensor> {
  const dims = [batch.rows, batch.width];
  return Object.fromEntries(
    names.map((name) => {
      const data =
        name === "input_ids"
          ? batch.inputIds
          : name === "attention_mask"
            ? batch.attentionMask
            : batch.tokenTypeIds!;
      return [name, new OrtTensor("int64", data, dims)];
    }),
  );
}

/** Real (unpadded) tokens of each row. */
function rowLengths(batch: PairBatch): number[] {
  const out: number[] = [];
  for (let row = 0; row < batch.rows; row += 1) {
    let n = 0;
    for (let i = row * batch.width; i < (row + 1) * batch.width; i += 1) {
      if (batch.attentionMask[i] === 1n) n += 1;
    }
    out.push(n);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Report

function renderSection(
  machine: ReturnType<typeof describeMachine>,
  results: DepthResult[],
  sweep: SweepRow[],
  loads: [number, number],
  seconds: number,
): string {
  const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
  const worst = Math.max(...results.map((row) => median(row.batchOverheads)));
  const sweepRate = (maxLength: number, batchSize: number) =>
    sweep.find((row) => row.maxLength === maxLength && row.batchSize === batchSize)!;
  const out: string[] = [START, "", "## Cross-encoder reranking (onnx-cross-encoder)", ""];
  out.push(
    "Generated by `bench/rerank.bench.ts`; do not edit by hand between the markers. Rerun with:",
    "",
    "```sh",
    COMMAND,
    "```",
    "",
    `- Machine: ${machineLine(machine)}; 1-min load average ${loads[0].toFixed(2)} at the ` +
      `start, ${loads[1].toFixed(2)} at the end (the machine is shared); the run took ` +
      `${seconds.toFixed(0)} s.`,
    "- Model: `twin-ms-marco-MiniLM-L-6-v2` (`../shared/models`), the shape of " +
      "cross-encoder/ms-marco-MiniLM-L-6-v2 with RANDOM weights: speed only, its scores mean " +
      `nothing. dtype q8 (\`onnx/model_quantized.onnx\`), batchSize ${BATCH_SIZE} ` +
      `(the provider's default is 1: see the batch-size table below), maxLength ${MAX_LENGTH}.`,
    `- Data: BEIR SciFact test queries, ${QUERIES} per depth (different ones at each depth), ` +
      `each paired with \`depth\` corpus documents in file order (query k takes the documents ` +
      `from position ${DOCUMENT_STRIDE}·k on), as \`title + " " + text\`.`,
    "- **pairlift** = `score()`: pairs → tokens → length-sorted batches → forward passes " +
      "(transformers.js) → logits in candidate order. **onnxruntime-node** = a bare " +
      "`InferenceSession` on the same file (CPU provider, default options) running the same " +
      "batches, tokenized by pairlift beforehand and not timed. The two alternate batch by batch " +
      "(pairlift is timed on a batch by scoring that batch's candidates, which it turns into the " +
      `same single batch). pairs/s: median of ${ROUNDS} rounds. Overhead = pairlift's time ÷ ` +
      "the session's − 1: per round over all of a depth's batches (median of the rounds), and " +
      "per batch, each pairlift batch against the session's run of it right before or after " +
      "(median over batches × rounds: the paired estimate, less exposed to load that comes and " +
      "goes on this shared machine).",
    "",
    markdownTable(
      [
        "depth",
        "pairs",
        "batches",
        "mean tokens",
        "pairlift pairs/s",
        "onnxruntime-node pairs/s",
        "overhead (rounds)",
        "overhead (paired batches)",
        "tokenization ms/pair",
      ],
      results.map((row) => [
        String(row.depth),
        `${row.pairs} (${row.queries} × ${row.depth})`,
        String(row.batches),
        `${row.meanTokens.toFixed(0)} (${row.truncated} cut)`,
        median(row.pairlift).toFixed(2),
        median(row.ort).toFixed(2),
        pct(median(row.overheads)),
        `${pct(median(row.batchOverheads))} (n=${row.batchOverheads.length})`,
        row.tokenizeMsPerPair.toFixed(3),
      ]),
    ),
    "",
    `- Goal: paired overhead under 5% at every depth — ${worst < 0.05 ? "met" : "**not met**"} ` +
      `(largest ${pct(worst)}). Per round, overhead: ` +
      results
        .map((row) => `depth ${row.depth} ${row.overheads.map((value) => pct(value)).join(" / ")}`)
        .join("; ") +
      ".",
    "- Tokenization ms/pair: pairlift's tokenization and batching of the depth's pairs (ASCII " +
      "WordPiece fast path), timed once after a warm-up, included in pairlift's time above.",
    "",
    `### Batch size and maxLength (pairlift, ${SWEEP_DOCS} documents, one pass each)`,
    "",
    markdownTable(
      ["maxLength", "batchSize", "mean tokens", "pairs/s"],
      sweep.map((row) => [
        String(row.maxLength),
        String(row.batchSize),
        row.meanTokens.toFixed(0),
        row.rate.toFixed(2),
      ]),
    ),
    "",
    `- On this machine batch ${BATCH_SIZE} ran ` +
      `${(sweepRate(256, BATCH_SIZE).rate / sweepRate(256, 1).rate).toFixed(2)}× as fast as ` +
      `batch 1 at maxLength 256 and ` +
      `${(sweepRate(512, BATCH_SIZE).rate / sweepRate(512, 1).rate).toFixed(2)}× at 512 ` +
      "(one pass each, not interleaved: the ratios carry the machine's noise). A batch's " +
      "attention tensors grow with rows × width²; at 512 tokens a batch of 32 holds ~400 MB " +
      "per attention score tensor, far past the caches of a small machine.",
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

await main();
