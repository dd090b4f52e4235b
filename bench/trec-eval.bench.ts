/**
 * How long scoring takes: every all_trec measure (`pairlift trec-eval -m all_trec`) against the
 * measure subset `trec-eval` computed before it knew them all, and against the friendly metrics
 * `pairlift eval` reports, on the same run in the same process.
 *
 *   node dist/cli/main.js eval --dataset ../shared/data/beir/scifact --pipeline bm25 \
 *     --run-out /tmp/scifact-bm25.run
 *   npx tsx bench/trec-eval.bench.ts [RUN] [QRELS]
 *
 * RUN defaults to /tmp/scifact-bm25.run, QRELS to SciFact's qrels/test.tsv (BEIR TSV, read as
 * `trec-eval` reads it). Reading the files is not timed; each variant is timed ROUNDS times after
 * WARMUP untimed rounds, and the median is reported. Rewrites the `trec-eval` section of
 * BENCHMARKS.md. Without the files it says so and exits 0.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { DEFAULT_EVAL_METRICS } from "../src/eval/evaluate-dataset.js";
import { evaluate } from "../src/eval/evaluate.js";
import {
  DEFAULT_TREC_MEASURES,
  parseMetricNames,
  parseTrecMeasures,
} from "../src/eval/measures.js";
import { trecEval } from "../src/eval/trec/trec-eval.js";
import { readTrecQrels, readTrecRun } from "../src/io/trec.js";
import {
  BEIR_DIR,
  describeMachine,
  machineLine,
  writeBenchmarkSection,
} from "./support/benchmarks-md.js";

const RUN = process.argv[2] ?? "/tmp/scifact-bm25.run";
const QRELS = process.argv[3] ?? join(BEIR_DIR, "scifact", "qrels", "test.tsv");
const WARMUP = 3;
const ROUNDS = 15;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(work: () => unknown): number {
  for (let i = 0; i < WARMUP; i++) work();
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    work();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

async function main(): Promise<void> {
  if (!existsSync(RUN) || !existsSync(QRELS)) {
    console.log(`trec-eval bench skipped: needs ${RUN} and ${QRELS} (see the header of this file)`);
    return;
  }
  const [qrels, run] = await Promise.all([readTrecQrels(QRELS), readTrecRun(RUN)]);
  const queries = [...run.keys()].filter((qid) => qrels.has(qid)).length;
  const results = [...run.values()].reduce((n, scores) => n + scores.size, 0);
  const subset = parseTrecMeasures(DEFAULT_TREC_MEASURES);
  const friendly = parseMetricNames(DEFAULT_EVAL_METRICS);
  const allTrec = trecEval(qrels, run, { measures: ["all_trec"] });
  const allTrecValues = allTrec.measures.reduce((n, m) => n + m.names.length, 0);

  const rows: [string, number, number][] = [
    [
      `all_trec (${allTrec.measures.length} measures, ${allTrecValues} values)`,
      allTrecValues,
      time(() => trecEval(qrels, run, { measures: ["all_trec"], complete: true })),
    ],
    [
      "official (trec_eval's default, no -m)",
      trecEval(qrels, run).measures.reduce((n, m) => n + m.names.length, 0),
      time(() => trecEval(qrels, run, { complete: true })),
    ],
    [
      `earlier trec-eval subset (${DEFAULT_TREC_MEASURES.join(" ")})`,
      subset.length,
      time(() => trecEval(qrels, run, { measures: DEFAULT_TREC_MEASURES, complete: true })),
    ],
    [
      `same subset, eval's metric path (evaluate)`,
      subset.length,
      time(() => evaluate(qrels, run, subset, { complete: true })),
    ],
    [
      `eval's friendly metrics (${DEFAULT_EVAL_METRICS.join(", ")})`,
      friendly.length,
      time(() => evaluate(qrels, run, friendly, { complete: true })),
    ],
  ];
  const machine = describeMachine();
  const table = [
    "| what is scored | values per query | median ms | µs per query |",
    "| --- | --- | --- | --- |",
    ...rows.map(
      ([what, values, ms]) =>
        `| ${what} | ${values} | ${ms.toFixed(1)} | ${((ms * 1000) / queries).toFixed(0)} |`,
    ),
  ].join("\n");
  console.log(`${queries} queries, ${results} results\n${table}`);
  await writeBenchmarkSection(
    "trec-eval",
    [
      "<!-- trec-eval:start -->",
      "",
      "## trec-eval: every all_trec measure vs the earlier subset",
      "",
      `Machine: ${machineLine(machine)}. Command: \`npx tsx bench/trec-eval.bench.ts\` on the run ` +
        "`node dist/cli/main.js eval --dataset ../shared/data/beir/scifact --pipeline bm25 --run-out /tmp/scifact-bm25.run` " +
        `writes (SciFact test, ${queries} queries, ${results} results) against \`qrels/test.tsv\`. ` +
        `Scoring only (files already read), \`-c\`; median of ${ROUNDS} rounds after ${WARMUP} warm-up rounds, all in one process.`,
      "",
      table,
      "",
      "One ranking (one sort) per query serves every measure; prefix sums of relevant documents, " +
        "precision and DCG serve every cutoff. `eval`'s friendly metrics keep their own path " +
        "(`evaluate`), untouched by the all_trec engine.",
      "",
      "<!-- trec-eval:end -->",
    ].join("\n"),
  );
}

await main();
