/**
 * BM25 side by side: pairlift's LexicalIndex against MiniSearch, Orama, wink-bm25-text-search and
 * SQLite FTS5 (better-sqlite3), on the BEIR SciFact and NFCorpus test splits, in one Node process.
 *
 *   npm run bench            (= tsx --expose-gc bench/bm25.bench.ts)
 *
 * For every dataset it runs BENCH_ROUNDS rounds (default 3); in each, every engine in turn, in
 * an order that rotates from round to round, is built from the title + text of every document
 * (timed), warmed up with one pass over the test queries, timed over BENCH_PASSES passes (default
 * 2; top 10, one query at a time; a pass repeats the queries until it has lasted 1 s), then
 * dropped and garbage collected, so that one index is alive at a time and noise from other work
 * on the machine falls on every engine alike. nDCG@10 of each
 * engine's top-100 run is scored by pairlift's trec_eval-exact evaluate(), at the engine's own
 * default BM25 parameters and, where it takes them, at pairlift's k1 = 0.9, b = 0.4.
 * It prints the tables and rewrites the `bm25` section of BENCHMARKS.md.
 *
 * Data: ../shared/data/beir/{scifact,nfcorpus} relative to the repository root, or BEIR_DIR.
 * When a dataset is missing it says so and exits 0 without writing anything.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { evaluate } from "../src/eval/evaluate.js";
import { parseMetricNames } from "../src/eval/measures.js";
import { loadBeirSplit, readBeirCorpus } from "../src/io/beir.js";
import { LexicalIndex } from "../src/lexical/lexical-index.js";
import type { Document, Qrels, Query, Run } from "../src/types.js";
import {
  BEIR_DIR,
  BENCHMARKS_FILE,
  describeMachine,
  sectionMarkers,
  writeBenchmarkSection,
  type Machine,
} from "./support/benchmarks-md.js";
import { ENGINES, SHARED, flatten, type BuiltEngine, type Corpus } from "./support/bm25-engines.js";

const DATASETS = ["scifact", "nfcorpus"] as const;
const SPLIT = "test";
const COMMAND = `${["BEIR_DIR", "BENCH_ROUNDS", "BENCH_PASSES"]
  .filter((name) => process.env[name] !== undefined)
  .map((name) => `${name}=${process.env[name]} `)
  .join("")}npm run bench  # = tsx --expose-gc bench/bm25.bench.ts`;
/** Rounds over all engines; each builds every index anew and times its queries. */
const ROUNDS = positiveInt("BENCH_ROUNDS", 3);
/** Timed passes over all the queries per engine per round, after one warm-up pass. */
const PASSES = positiveInt("BENCH_PASSES", 2);
/** A timed pass repeats the queries until it has lasted this long. */
const MIN_PASS_MS = 1000;
/** Results per timed query (what a search box shows). */
const TIMED_K = 10;
/** Results per query in the run that nDCG@10 is computed on. */
const QUALITY_DEPTH = 100;
/** Robertson's classic parameters: FTS5's fixed bm25(), and wink's and Orama's defaults. */
const CLASSIC = { k1: 1.2, b: 0.75 };
const NDCG = parseMetricNames(["ndcg@10"]);
const { start: START, end: END } = sectionMarkers("bm25");

const gc = (globalThis as { gc?: () => void }).gc;

interface DatasetResult {
  dataset: string;
  documents: number;
  queries: number;
  rows: EngineResult[];
  /** pairlift's nDCG@10 at k1 1.2, b 0.75: the parameters FTS5 fixes and most peers default to. */
  pairliftAtClassic: number;
}

interface EngineResult {
  engine: string;
  indexSeconds: number;
  docsPerSecond: number;
  queriesPerSecond: number;
  p50: number;
  p99: number;
  ndcg: number;
  /** nDCG@10 at k1 0.9, b 0.4; undefined when the engine cannot take them. */
  ndcgShared: number | undefined;
  emptyQueries: number;
}

async function main(): Promise<void> {
  const missing = DATASETS.filter((name) => !existsSync(join(BEIR_DIR, name, "corpus.jsonl")));
  if (missing.length > 0) {
    console.log(
      `bench: BEIR data not found (${missing.map((name) => join(BEIR_DIR, name)).join(", ")}); ` +
        "set BEIR_DIR to a folder holding scifact/ and nfcorpus/. Nothing was measured or written.",
    );
    return;
  }
  if (gc === undefined)
    console.warn("bench: run with --expose-gc to collect garbage between engines");
  const machine = describeMachine();
  console.log(`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.date}`);
  const results: DatasetResult[] = [];
  for (const name of DATASETS) {
    const result = await benchDataset(name);
    console.log(`\n${tableOf(result)}\n`);
    results.push(result);
  }
  const section = renderSection(machine, results);
  await writeBenchmarkSection("bm25", section);
  console.log(goalLines(results).join("\n"));
  console.log(`\nwrote ${BENCHMARKS_FILE}`);
}

async function benchDataset(name: string): Promise<DatasetResult> {
  const dir = join(BEIR_DIR, name);
  const split = await loadBeirSplit(dir, SPLIT);
  const documents: Document[] = [];
  for await (const document of readBeirCorpus(join(dir, "corpus.jsonl"))) documents.push(document);
  const corpus: Corpus = flatten(documents);
  const queries = split.queries;
  console.log(`\n${name}: ${documents.length} documents, ${queries.length} ${SPLIT} queries`);

  // ROUNDS rounds; in each, the engines one at a time in a rotating order: build (timed), a
  // warm-up pass, PASSES timed passes, then the index is dropped and garbage collected, so that
  // only one engine's index is alive at a time and noise on the machine falls on all alike.
  const buildSeconds = new Map<string, number[]>();
  const passRates = new Map<string, number[]>();
  const latencies = new Map<string, number[]>();
  const ndcg = new Map<string, number>();
  const empty = new Map<string, number>();
  let sink = 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const spec of rotate(ENGINES, round)) {
      collect();
      const buildStart = performance.now();
      const engine = spec.build(corpus, false);
      const seconds = (performance.now() - buildStart) / 1000;
      push(buildSeconds, spec.name, seconds);
      if (round === 0) {
        // Quality, untimed: the top-100 run scored with pairlift's evaluate().
        const { score, emptyQueries } = quality(engine, queries, split.qrels);
        ndcg.set(spec.name, score);
        empty.set(spec.name, emptyQueries);
      }
      for (const query of queries) sink += engine.search(query.text, TIMED_K).length;
      const times = latencies.get(spec.name) ?? [];
      latencies.set(spec.name, times);
      const rates: number[] = [];
      for (let pass = 0; pass < PASSES; pass += 1) {
        collect();
        // A pass goes over all the queries, again and again until MIN_PASS_MS have gone by,
        // so that a fast engine's pass is not a few milliseconds at the mercy of one hiccup.
        const start = performance.now();
        let elapsed = 0;
        let count = 0;
        do {
          for (const query of queries) {
            const before = performance.now();
            sink += engine.search(query.text, TIMED_K).length;
            times.push(performance.now() - before);
          }
          count += queries.length;
          elapsed = performance.now() - start;
        } while (elapsed < MIN_PASS_MS);
        rates.push(count / (elapsed / 1000));
      }
      for (const rate of rates) push(passRates, spec.name, rate);
      engine.close?.();
      console.log(
        `  round ${round + 1}/${ROUNDS} ${spec.name.padEnd(12)} index ${seconds.toFixed(2)} s, ` +
          `${rates.map((rate) => thousands(rate)).join(" / ")} queries/s` +
          (round === 0 ? `, nDCG@10 ${ndcg.get(spec.name)!.toFixed(4)}` : ""),
      );
    }
  }
  if (sink < 0) console.log(sink);

  // Quality at the shared parameters, untimed: a second build of each engine that takes them.
  const ndcgShared = new Map<string, number>();
  for (const spec of ENGINES) {
    if (spec.name === "pairlift") {
      ndcgShared.set(spec.name, ndcg.get(spec.name)!);
    } else if (spec.tunable) {
      collect();
      const engine = spec.build(corpus, true);
      const { score } = quality(engine, queries, split.qrels);
      ndcgShared.set(spec.name, score);
      engine.close?.();
      console.log(
        `  ${spec.name.padEnd(12)} nDCG@10 at k1 ${SHARED.k1}, b ${SHARED.b}: ${score.toFixed(4)}`,
      );
    }
  }

  // pairlift at FTS5's fixed parameters, so the one peer that cannot take ours is compared
  // at equal parameters too.
  collect();
  const classic = LexicalIndex.create({ bm25: CLASSIC });
  for (const document of corpus.documents) classic.add(document);
  const pairliftAtClassic = quality(
    {
      search: (query, k) =>
        classic.search(query, { k }).map((hit): [string, number] => [hit.id, hit.score]),
    },
    queries,
    split.qrels,
  ).score;
  console.log(
    `  pairlift     nDCG@10 at k1 ${CLASSIC.k1}, b ${CLASSIC.b}: ${pairliftAtClassic.toFixed(4)}`,
  );

  const rows = ENGINES.map((spec): EngineResult => {
    const seconds = median(buildSeconds.get(spec.name)!);
    const times = latencies.get(spec.name)!.sort((x, y) => x - y);
    return {
      engine: spec.name,
      indexSeconds: seconds,
      docsPerSecond: documents.length / seconds,
      queriesPerSecond: median(passRates.get(spec.name)!),
      p50: quantile(times, 0.5),
      p99: quantile(times, 0.99),
      ndcg: ndcg.get(spec.name)!,
      ndcgShared: ndcgShared.get(spec.name),
      emptyQueries: empty.get(spec.name)!,
    };
  });
  return {
    dataset: name,
    documents: documents.length,
    queries: queries.length,
    rows,
    pairliftAtClassic,
  };
}

function quality(
  engine: BuiltEngine,
  queries: Query[],
  qrels: Qrels,
): { score: number; emptyQueries: number } {
  const run: Run = new Map();
  let emptyQueries = 0;
  for (const query of queries) {
    const hits = engine.search(query.text, QUALITY_DEPTH);
    if (hits.length === 0) emptyQueries += 1;
    run.set(query.id, new Map(hits));
  }
  const score = evaluate(qrels, run, NDCG, { complete: true }).aggregate["ndcg@10"]!;
  return { score, emptyQueries };
}

// ---------------------------------------------------------------------------------------------
// Output

const HEADER = [
  "engine",
  "index docs/s",
  "queries/s",
  "p50 ms",
  "p99 ms",
  "nDCG@10",
  "nDCG@10 at k1 0.9, b 0.4",
];

function tableOf(result: DatasetResult): string {
  const rows = result.rows.map((row) => [
    row.engine,
    thousands(row.docsPerSecond),
    thousands(row.queriesPerSecond),
    row.p50.toFixed(3),
    row.p99.toFixed(3),
    row.ndcg.toFixed(4),
    row.ndcgShared === undefined ? "n/a" : row.ndcgShared.toFixed(4),
  ]);
  const title = `${result.dataset} (${result.documents} documents, ${result.queries} ${SPLIT} queries)`;
  const classic = `pairlift at k1 ${CLASSIC.k1}, b ${CLASSIC.b} (FTS5's fixed parameters): nDCG@10 ${result.pairliftAtClassic.toFixed(4)}.`;
  return `${title}\n\n${markdownTable(HEADER, rows)}\n\n${classic}`;
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

function renderSection(machine: Machine, results: DatasetResult[]): string {
  const out: string[] = [START, "", "## BM25: pairlift and its peers", ""];
  out.push(
    "Generated by `bench/bm25.bench.ts`; do not edit by hand between the markers. Rerun with:",
    "",
    "```sh",
    COMMAND,
    "```",
    "",
    `- Machine: ${machine.cpu}, ${machine.cores} cores (\`os.cpus()\`), ${machine.os}, Node ${machine.node}; run on ${machine.date}.`,
    "- One Node process, one thread. Data: BEIR SciFact and NFCorpus (`../shared/data/beir`), " +
      `\`${SPLIT}\` split: the queries that have judgments.`,
    `- ${ROUNDS} rounds; in each, every engine in turn (the order rotates from round to round) ` +
      "is built, warmed up with one pass over the queries, timed, then dropped, with a full GC " +
      "(`--expose-gc`) between engines and before each timed pass: one index is alive at a " +
      "time, and noise from other work on the machine falls on every engine alike.",
    "- **index docs/s**: documents ÷ build time (title + text of every document, in memory; " +
      `median of ${ROUNDS} builds).`,
    `- **queries/s, p50, p99**: top ${TIMED_K}, one query at a time on one thread, ${PASSES} ` +
      `timed passes per round (${ROUNDS * PASSES} in all); a pass runs all the queries, repeated ` +
      `until it has lasted ${MIN_PASS_MS / 1000} s. queries/s is the median over passes; ` +
      "p50/p99 are over every timed query of every pass. Times include each engine's own query " +
      "parsing and analysis.",
    `- **nDCG@10**: each engine's top-${QUALITY_DEPTH} run over the same queries, scored with ` +
      "pairlift's `evaluate()` (trec_eval semantics, `complete: true`: a query with no hits " +
      "counts 0), at each engine's own default BM25 parameters. **nDCG@10 at k1 0.9, b 0.4** " +
      "rebuilds each engine that accepts BM25 parameters with pairlift's (Anserini's BEIR) " +
      "values, so that differences left are analysis and formula; FTS5's `bm25()` has fixed " +
      "k1 = 1.2, b = 0.75.",
    "- Every engine is queried as a disjunction (OR) of the query's terms, as BM25 is defined. " +
      'Every peer indexes one field holding `title + "\\n" + text`; pairlift indexes the title ' +
      "and text fields at weight 1 each, which it scores as one flat field.",
    "- The machine is shared (2 cores, other work running), so single numbers are noisy; the " +
      "interleaving keeps the comparison between engines fair within a run.",
    "- Peer behaviours that explain their numbers: MiniSearch and Orama score with BM25+ " +
      "(δ = 0.5), and MiniSearch multiplies a document's score by the number of query terms it " +
      "matches. Orama matches each query word as a prefix in its radix tree (`exact: true` " +
      "instead filters to documents holding every word verbatim, an AND) and stores a term's " +
      "tf as 1 ÷ (number of distinct tokens of the field), since it de-duplicates a field's " +
      "tokens at insert (its `allowDuplicates: true` option scored lower still when tried on " +
      "SciFact, so the default stays). " +
      "wink's `propagateNegations` prefixes words after a negation with `!`. FTS5's `bm25()` " +
      "cannot take k1 or b.",
    "",
    "### Engines and settings",
    "",
  );
  for (const spec of ENGINES) {
    out.push(
      `- **${spec.name}** ${spec.version}, default BM25 ${spec.defaults}: ${spec.settings}.`,
    );
  }
  out.push("");
  for (const result of results) {
    out.push(`### ${tableOf(result)}`, "");
    const empty = result.rows.filter((row) => row.emptyQueries > 0);
    if (empty.length > 0) {
      out.push(
        `Queries with no hits: ${empty.map((row) => `${row.engine} ${row.emptyQueries}`).join(", ")}.`,
        "",
      );
    }
  }
  out.push("### Goals", "", ...goalLines(results), "", END);
  return out.join("\n");
}

function goalLines(results: DatasetResult[]): string[] {
  const lines: string[] = [];
  const verdict = (met: boolean) => (met ? "**met**" : "**not met**");
  const scifact = results.find((result) => result.dataset === "scifact")!;
  const own = (result: DatasetResult) => result.rows.find((row) => row.engine === "pairlift")!;
  const peers = (result: DatasetResult) => result.rows.filter((row) => row.engine !== "pairlift");
  const qps = own(scifact).queriesPerSecond;
  lines.push(
    `- ≥ 3,000 queries/s on SciFact on one core: ${verdict(qps >= 3000)} (${thousands(qps)} queries/s).`,
  );
  for (const result of results) {
    const fastest = peers(result).reduce((a, b) =>
      b.queriesPerSecond > a.queriesPerSecond ? b : a,
    );
    const ratio = own(result).queriesPerSecond / fastest.queriesPerSecond;
    lines.push(
      `- ≥ 2× the fastest peer's queries/s on ${result.dataset}: ${verdict(ratio >= 2)} ` +
        `(${ratio.toFixed(2)}× ${fastest.engine}, ${thousands(fastest.queriesPerSecond)} queries/s).`,
    );
  }
  for (const result of results) {
    const mine = own(result).ndcg;
    const better = peers(result).filter((row) => row.ndcg > mine);
    lines.push(
      `- nDCG@10 ≥ every peer's on ${result.dataset}, each engine at its own default parameters: ` +
        `${verdict(better.length === 0)} (pairlift ${mine.toFixed(4)}` +
        (better.length === 0
          ? ")."
          : `; higher: ${better.map((row) => `${row.engine} ${row.ndcg.toFixed(4)}`).join(", ")}).`),
    );
  }
  for (const result of results) {
    // Equal parameters: peers that take them at k1 0.9, b 0.4 against pairlift's defaults;
    // FTS5, which cannot, against pairlift at its fixed k1 1.2, b 0.75.
    const pairs = peers(result).map((row) =>
      row.ndcgShared === undefined
        ? {
            engine: row.engine,
            peer: row.ndcg,
            mine: result.pairliftAtClassic,
            at: `k1 ${CLASSIC.k1}, b ${CLASSIC.b}`,
          }
        : {
            engine: row.engine,
            peer: row.ndcgShared,
            mine: own(result).ndcg,
            at: `k1 ${SHARED.k1}, b ${SHARED.b}`,
          },
    );
    const lost = pairs.filter((pair) => pair.peer > pair.mine);
    lines.push(
      `- nDCG@10 ≥ every peer's on ${result.dataset} at equal BM25 parameters: ${verdict(lost.length === 0)} (` +
        pairs
          .map(
            (pair) =>
              `${pair.engine} ${pair.peer.toFixed(4)} vs pairlift ${pair.mine.toFixed(4)} at ${pair.at}`,
          )
          .join("; ") +
        ").",
    );
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Helpers

function collect(): void {
  gc?.();
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const values = map.get(key);
  if (values === undefined) map.set(key, [value]);
  else values.push(value);
}

function median(values: number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

/** Nearest-rank quantile of ascending values. */
function quantile(sorted: number[], q: number): number {
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}

function thousands(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

await main();
