/**
 * `pairlift lab` on BEIR SciFact and NFCorpus with every offline embedder (`use`, `glove`) and
 * the learned reranker, then the cross-encoder twin for latency only; writes the `lab` section
 * of BENCHMARKS.md with what each sweep recommends and how long it took.
 *
 *   npm run bench:lab        (= npx tsx bench/lab.bench.ts)
 *
 * - Grid per dataset (the lab's defaults): BM25 alone, fused with `use`, with `glove`, with
 *   both; RRF k=60 and fusion tuned on the training split; no reranker and the learned
 *   (LambdaMART) reranker trained on the training split at rerank depth 50; 100 candidates per
 *   retriever: 14 configurations, measured on the test split.
 * - Training split: SciFact `train` (809 queries); NFCorpus `dev` (324 queries) rather than
 *   `train` (2,590), which would multiply training time by eight for this benchmark.
 * - The cross-encoder twin (`../shared/models/twin-ms-marco-MiniLM-L-6-v2`) has RANDOM weights:
 *   its rows report latency and throughput only; their quality is meaningless and is not shown.
 *   It reranks BM25's top 20 (q8, maxLength 256) on the first BENCH_TWIN_QUERIES SciFact queries
 *   (default 20): at ~20 pairs/s on this machine, the full split would take 5 minutes per depth.
 * - Each sweep starts from an empty `--out` (`.cache/pairlift/bench-lab/<name>`), so its time
 *   includes tuning and training; index, document vectors and embedding cache are reused when
 *   an earlier run built them (the section says which). BENCH_RESUME=1 keeps earlier results.
 *
 * When ../shared (or BEIR_DIR) is absent it says so and writes nothing.
 */
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { labProgress } from "../src/cli/commands/lab.js";
import { formatBytes } from "../src/cli/format.js";
import { BUILTIN_EMBEDDERS, type PairliftConfig } from "../src/config/config-file.js";
import { analyzeLab, type LabReport } from "../src/lab/sweep/analyze.js";
import { runLab } from "../src/lab/sweep/runner.js";
import { signed } from "../src/eval/compare/gate.js";
import { writeLabReports } from "../src/report/write.js";
import { cacheDir } from "../src/store/cache-dir.js";
import {
  BEIR_DIR,
  ROOT,
  describeMachine,
  machineLine,
  sectionMarkers,
  writeBenchmarkSection,
} from "./support/benchmarks-md.js";

const SECTION = "lab";
const TWIN = join(
  process.env["MODELS_DIR"] ?? resolve(ROOT, "../shared/models"),
  "twin-ms-marco-MiniLM-L-6-v2",
);
const TWIN_QUERIES = Number(process.env["BENCH_TWIN_QUERIES"] ?? 20);
const RESUME = process.env["BENCH_RESUME"] === "1";
const DATASETS = [
  { name: "scifact", label: "SciFact", trainSplit: "train" },
  { name: "nfcorpus", label: "NFCorpus", trainSplit: "dev" },
];

interface Sweep {
  label: string;
  report: LabReport;
  seconds: number;
  /** Embedders whose document vectors this sweep had to build (the rest were in the index cache). */
  embeddedDocuments: string[];
}

async function sweep(label: string, config: PairliftConfig, out: string): Promise<Sweep> {
  if (!RESUME) await rm(out, { recursive: true, force: true });
  console.log(`\n== ${label}`);
  const progress = labProgress({
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stdout.write(text),
    interactive: false,
  });
  const embeddedDocuments = new Set<string>();
  const began = performance.now();
  const run = await runLab({
    config,
    command: "npm run bench:lab",
    onEvent: (event) => {
      if (event.type === "stage" && event.stage.startsWith("embed documents ("))
        embeddedDocuments.add(event.stage.slice("embed documents (".length, -1));
      progress(event);
    },
  });
  const seconds = (performance.now() - began) / 1000;
  const report = analyzeLab(run);
  const paths = await writeLabReports(report, run.out);
  console.log(`report: ${paths.html}`);
  return { label, report, seconds, embeddedDocuments: [...embeddedDocuments] };
}

/** The built-in embedders and nothing else, whatever a pairlift.config.yaml in the way says. */
function builtinConfig(): PairliftConfig {
  return {
    file: undefined,
    baseDir: ROOT,
    embedders: Object.fromEntries(
      Object.entries(BUILTIN_EMBEDDERS).map(([name, block]) => [
        name,
        { ...block, provider: String(block["provider"]) },
      ]),
    ),
    rerankers: {},
    pipelines: {},
    sections: {},
  };
}

async function main(): Promise<void> {
  const present = DATASETS.filter((d) => existsSync(join(BEIR_DIR, d.name, "corpus.jsonl")));
  if (present.length === 0) {
    console.log(
      `bench: BEIR data not found under ${BEIR_DIR}; set BEIR_DIR to the folder holding scifact/ and nfcorpus/. Nothing was measured or written.`,
    );
    return;
  }
  const began = performance.now();
  const machine = describeMachine();
  console.log(machineLine(machine));
  const sweeps: Sweep[] = [];
  for (const dataset of present) {
    const config = builtinConfig();
    config.sections.lab = {
      dataset: join(BEIR_DIR, dataset.name),
      trainSplit: dataset.trainSplit,
      out: cacheDir("bench-lab", dataset.name),
    };
    sweeps.push(await sweep(dataset.label, config, cacheDir("bench-lab", dataset.name)));
  }
  let twin: Sweep | undefined;
  if (existsSync(join(TWIN, "onnx")) && present.some((d) => d.name === "scifact")) {
    const config = builtinConfig();
    config.rerankers = {
      twin: { provider: "onnx-cross-encoder", model: TWIN, dtype: "q8", maxLength: 256 },
    };
    config.sections.lab = {
      dataset: join(BEIR_DIR, "scifact"),
      trainSplit: null,
      firstStages: ["bm25"],
      rerankers: ["none", "twin"],
      rerankDepths: [20],
      maxQueries: TWIN_QUERIES,
      warmup: 3,
      out: cacheDir("bench-lab", "twin"),
    };
    twin = await sweep("cross-encoder twin (latency only)", config, cacheDir("bench-lab", "twin"));
  } else {
    console.log(`\nskipping the cross-encoder twin: ${TWIN}/onnx not found`);
  }
  const totalSeconds = (performance.now() - began) / 1000;
  await writeBenchmarkSection(SECTION, section(sweeps, twin, totalSeconds, machineLine(machine)));
  console.log(
    `\nwrote the ${SECTION} section of BENCHMARKS.md (${(totalSeconds / 60).toFixed(1)} min)`,
  );
}

function section(
  sweeps: readonly Sweep[],
  twin: Sweep | undefined,
  totalSeconds: number,
  machine: string,
): string {
  const { start, end } = sectionMarkers(SECTION);
  const lines = [
    start,
    "",
    "## Lab: SciFact and NFCorpus",
    "",
    "Generated by `bench/lab.bench.ts`; do not edit by hand between the markers. Rerun with:",
    "",
    "```sh",
    "npm run bench:lab  # = tsx bench/lab.bench.ts",
    "```",
    "",
    `- Machine: ${machine}. The machine is shared with other work, so latencies are noisy; quality numbers are deterministic.`,
    `- Measurement time: ${[...sweeps, ...(twin === undefined ? [] : [twin])].map((s) => `${s.label} ${formatDuration(measured(s.report))}`).join(", ")} (each configuration's own time, kept in results.jsonl, so a resumed run reports the time of the run that measured it); this run took ${formatDuration(totalSeconds)}.`,
    "- Grid: `pairlift lab`'s defaults: BM25 alone; fused with `use` (USE-lite, 512-d), with `glove` (GloVe 6B 100-d) and with both; RRF k=60 and fusion tuned on the training split; no reranker and the learned (LambdaMART) reranker trained on the training split at rerank depth 50; 100 candidates per retriever. Measured on the test split: every query, one at a time, after 10 warm-up queries; query embeddings timed on the model itself.",
    "- Δ: nDCG@10 against `bm25@100` with its paired bootstrap 95% interval; \\* = Holm-adjusted randomization p < 0.05 over the slices. Gate: no slice with ≥ 10 queries significantly worse than `bm25@100`. QPS: single-stream.",
    "",
  ];
  for (const s of sweeps) {
    const r = s.report;
    const train = r.trainSplit;
    lines.push(
      `### ${s.label} (${r.split}, ${r.queries} queries; tuning and training on ${train})`,
      "",
      `${r.configurations.length} configurations measured in ${formatDuration(measured(r))} (the configurations' own times in results.jsonl, tuning and training included; this run: ${formatDuration(s.seconds)}); ` +
        (s.embeddedDocuments.length === 0
          ? "document vectors came from the index cache (embedding the corpus is not in this time)."
          : `document vectors embedded during the sweep for ${s.embeddedDocuments.join(", ")}.`),
      "",
      r.recommendation.chosen === null
        ? `**No recommendation.** ${r.recommendation.explanation}`
        : `**Recommendation: \`${r.recommendation.chosen}\`.** ${r.recommendation.explanation}`,
      "",
      table(r),
      "",
      `Pareto front (nDCG@10 against p95): ${r.pareto.latency.map((id) => `\`${id}\``).join(" → ")}.`,
      "",
    );
  }
  if (twin !== undefined) {
    const r = twin.report;
    lines.push(
      "### Cross-encoder twin: latency only",
      "",
      `\`twin-ms-marco-MiniLM-L-6-v2\` has the shape of cross-encoder/ms-marco-MiniLM-L-6-v2 with RANDOM weights: its reranking quality is meaningless and not shown. BM25's top 20 on the first ${r.queries} SciFact test queries, q8, maxLength 256; measured in ${formatDuration(measured(r))}.`,
      "",
      "| configuration | p50 | p95 | p99 | rerank p50 | QPS |",
      "| --- | --- | --- | --- | --- | --- |",
      ...r.configurations.map(
        (c) =>
          `| \`${c.id}\` | ${ms(c.latency.p50Ms)} | ${ms(c.latency.p95Ms)} | ${ms(c.latency.p99Ms)} | ${c.latency.stages["rerank"] === undefined ? "—" : ms(c.latency.stages["rerank"].p50Ms)} | ${c.throughputQps} |`,
      ),
      "",
    );
  } else {
    lines.push("The cross-encoder twin was not found, so its latency rows are missing.", "");
  }
  lines.push(end);
  return lines.join("\n");
}

function table(report: LabReport): string {
  const rows = report.configurations.map((c) => {
    const d = c.comparison?.overall;
    const delta =
      d === undefined
        ? "—"
        : `${signed(d.meanDiff)}${d.pHolm !== null && d.pHolm < report.gate.alpha ? "\\*" : ""} (${signed(d.ci[0])} … ${signed(d.ci[1])})`;
    const gate =
      c.comparison === undefined
        ? "baseline"
        : c.comparison.gate.passed
          ? "pass"
          : `fail: ${[...new Set(c.comparison.gate.failures.map((f) => `\`${f.slice}\``))].join(", ")}`;
    const marks = [
      c.id === report.recommendation.chosen ? "**recommended**" : "",
      report.pareto.latency.includes(c.id) ? "front" : "",
    ].filter((m) => m !== "");
    return `| \`${c.id}\`${marks.length > 0 ? ` (${marks.join(", ")})` : ""} | ${c.quality.toFixed(4)} | ${delta} | ${(c.aggregate["recall@100"] ?? 0).toFixed(4)} | ${ms(c.latency.p50Ms)} | ${ms(c.latency.p95Ms)} | ${c.throughputQps} | ${formatBytes(c.index.bytes)} | ${gate} |`;
  });
  return [
    "| configuration | nDCG@10 | Δ vs `bm25@100` (95% CI) | recall@100 | p50 | p95 | QPS | index | gate |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/** Seconds the configurations took when they were measured (resumed ones included). */
function measured(report: LabReport): number {
  return report.configurations.reduce((sum, c) => sum + c.seconds, 0);
}

function ms(value: number): string {
  return value >= 100
    ? `${value.toFixed(0)} ms`
    : value >= 10
      ? `${value.toFixed(1)} ms`
      : `${value.toFixed(2)} ms`;
}

function formatDuration(seconds: number): string {
  return seconds < 120 ? `${seconds.toFixed(0)} s` : `${(seconds / 60).toFixed(1)} min`;
}

await main();
