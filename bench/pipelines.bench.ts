/**
 * The production pipelines side by side on BEIR test splits: BM25, each dense path, hybrids with
 * equal-weight RRF and with each score normalisation, fusion tuned on the train split, and the
 * tuned hybrid reranked by a LambdaMART model trained on the train split. Quality overall and on
 * the identifier slice, latency per stage, and paired significance of the learned reranker
 * against its own first stage and against BM25.
 *
 *   npx tsx bench/pipelines.bench.ts [--reuse]
 *
 * --reuse keeps tuned-fusion and reranker files an earlier run left in the cache directory
 * (.cache/pairlift/bench-pipelines/) instead of tuning and training again.
 *
 * Tuning and training read only the train judgments; every number in the table is on test.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { loadConfig } from "../src/config/config-file.js";
import { compareReports } from "../src/eval/compare/compare-reports.js";
import { evaluateDataset, type EvalReport } from "../src/eval/evaluate-dataset.js";
import { trainReranker } from "../src/lab/train-reranker.js";
import { tuneFusion, type TunedFusion } from "../src/lab/tune-fusion.js";
import { readLearnedModel, writeLearnedModel } from "../src/rerank/learned/model-file.js";
import { cacheDir } from "../src/store/cache-dir.js";
import {
  BEIR_DIR,
  describeMachine,
  machineLine,
  sectionMarkers,
  writeBenchmarkSection,
} from "./support/benchmarks-md.js";

const DATASETS = ["scifact", "nfcorpus"] as const;
const DEPTH = 100;
const THREE = `[ { lexical: { depth: ${DEPTH} } }, { dense: { embedder: use, depth: ${DEPTH} } }, { dense: { embedder: glove, depth: ${DEPTH} } } ]`;

function configText(): string {
  const lines = ["rerankers:"];
  for (const d of DATASETS) {
    lines.push(`  ltr-${d}: { provider: learned, model: ./ltr-${d}.json }`);
    lines.push(`  ltr-rrf-${d}: { provider: learned, model: ./ltr-rrf-${d}.json }`);
  }
  lines.push("pipelines:");
  for (const normalization of ["minmax", "zscore", "dbsf"])
    lines.push(
      `  hybrid-${normalization}: { retrievers: ${THREE}, fusion: { method: weighted, normalization: ${normalization} } }`,
    );
  for (const d of DATASETS) {
    lines.push(
      `  rrf-${d}-ltr: { retrievers: ${THREE}, fusion: { method: rrf, k: 60 }, rerank: { reranker: ltr-rrf-${d}, depth: ${DEPTH} } }`,
    );
    lines.push(`  tuned-${d}: { retrievers: ${THREE}, fusion: { tuned: ./tuned-${d}.json } }`);
    lines.push(
      `  tuned-${d}-ltr: { retrievers: ${THREE}, fusion: { tuned: ./tuned-${d}.json }, rerank: { reranker: ltr-${d}, depth: ${DEPTH} } }`,
    );
  }
  return `${lines.join("\n")}\n`;
}

interface Row {
  label: string;
  reports: Partial<Record<(typeof DATASETS)[number], EvalReport>>;
}

const fmt = (value: number | undefined): string => (value === undefined ? "—" : value.toFixed(4));

/** nDCG@10 of the queries outside the identifier slice. */
function restNdcg(report: EvalReport): number {
  const inSlice = new Set(report.slices?.["identifier"]?.queryIds ?? []);
  const rest = Object.entries(report.perQuery).filter(([id]) => !inSlice.has(id));
  return rest.reduce((sum, [, m]) => sum + (m["ndcg@10"] ?? 0), 0) / Math.max(1, rest.length);
}

async function main(): Promise<void> {
  const missing = DATASETS.filter((name) => !existsSync(`${BEIR_DIR}/${name}/corpus.jsonl`));
  if (missing.length > 0) {
    console.log(
      `bench: BEIR data not found under ${BEIR_DIR} (${missing.join(", ")}); nothing measured.`,
    );
    return;
  }
  const started = performance.now();
  const machine = describeMachine();
  const dir = cacheDir("bench-pipelines");
  await mkdir(dir, { recursive: true });
  const configPath = join(dir, "pairlift.config.yaml");
  await writeFile(configPath, configText());
  const notes: string[] = [];
  const tuningNotes: Record<string, string> = {};

  // 1. Learn on train: fusion first, then a reranker over the tuned first stage and one over
  //    the equal-weight RRF first stage.
  const reuse = process.argv.includes("--reuse");
  for (const d of DATASETS) {
    const config = await loadConfig(configPath);
    const dataset = `${BEIR_DIR}/${d}`;
    const tunedFile = join(dir, `tuned-${d}.json`);
    if (!(reuse && existsSync(tunedFile))) {
      const t0 = performance.now();
      const tuned = await tuneFusion({
        config,
        dataset,
        pipeline: "hybrid:use+glove",
        trainSplit: "train",
        testSplit: undefined,
      });
      await writeFile(tunedFile, `${JSON.stringify(tuned, null, 2)}\n`);
      tuningNotes[d] = `${((performance.now() - t0) / 1000).toFixed(0)} s`;
    }
    const tuned = JSON.parse(await readFile(tunedFile, "utf8")) as TunedFusion;
    notes.push(
      `${d}: tune-fusion chose \`${tuned.description}\` (train nDCG@10 ${tuned.train.tuned.toFixed(4)} vs default ${tuned.train.default.toFixed(4)}; ${tuned.searched} settings, ${tuned.search}${tuningNotes[d] === undefined ? "" : `, ${tuningNotes[d]}`})`,
    );
    console.log(notes.at(-1));
    for (const [model, pipeline] of [
      [`ltr-${d}`, `tuned-${d}-ltr`],
      [`ltr-rrf-${d}`, `rrf-${d}-ltr`],
    ] as const) {
      const file = join(dir, `${model}.json`);
      let seconds = "";
      if (!(reuse && existsSync(file))) {
        const t1 = performance.now();
        const trained = await trainReranker({ config, dataset, split: "train", pipeline });
        await writeLearnedModel(file, trained.model);
        seconds = `; ${((performance.now() - t1) / 1000).toFixed(0)} s`;
      }
      // The model file records how it was trained, whether trained now or by an earlier run.
      const { trees, features, training } = await readLearnedModel(file);
      const heldOut = training["heldOut"] as { queries: number; ndcg: number } | undefined;
      notes.push(
        `${d}: train-reranker over \`${pipeline}\`'s candidates: ${trees.length} trees, ${features.length} features, ${String(training["queries"])} train queries (held-out check on ${heldOut?.queries} train queries: nDCG@10 ${heldOut?.ndcg.toFixed(4)}${seconds})`,
      );
      console.log(notes.at(-1));
    }
  }

  // 2. Every pipeline on test.
  const rows: Row[] = [
    { label: "bm25", reports: {} },
    { label: "dense:use", reports: {} },
    { label: "dense:glove", reports: {} },
    { label: "hybrid:use (RRF k=60, equal weights)", reports: {} },
    { label: "hybrid:glove (RRF k=60, equal weights)", reports: {} },
    { label: "hybrid:use+glove (RRF k=60, equal weights)", reports: {} },
    { label: "hybrid:use+glove RRF + learned reranker (depth 100)", reports: {} },
    { label: "hybrid-minmax (use+glove, weighted, equal weights)", reports: {} },
    { label: "hybrid-zscore", reports: {} },
    { label: "hybrid-dbsf", reports: {} },
    { label: "tuned fusion (use+glove)", reports: {} },
    { label: "tuned fusion + learned reranker (depth 100)", reports: {} },
  ];
  const pipelineOf = (label: string, d: string): string =>
    label.includes("RRF + learned")
      ? `rrf-${d}-ltr`
      : label.startsWith("tuned fusion +")
        ? `tuned-${d}-ltr`
        : label.startsWith("tuned fusion")
          ? `tuned-${d}`
          : label.split(" ")[0]!;
  for (const d of DATASETS) {
    const config = await loadConfig(configPath);
    for (const row of rows) {
      const pipeline = pipelineOf(row.label, d);
      const { report } = await evaluateDataset({ config, dataset: `${BEIR_DIR}/${d}`, pipeline });
      row.reports[d] = report;
      console.log(
        `${d} ${pipeline}: nDCG@10 ${fmt(report.aggregate["ndcg@10"])} p95 ${report.latency.p95Ms} ms`,
      );
    }
  }

  // 3. Significance of the learned reranker.
  const significance: string[] = [];
  for (const d of DATASETS) {
    const report = (label: string): EvalReport => rows.find((r) => r.label === label)!.reports[d]!;
    const tunedLtr = report("tuned fusion + learned reranker (depth 100)");
    const rrfLtr = report("hybrid:use+glove RRF + learned reranker (depth 100)");
    for (const [reranked, against, base, ltr] of [
      [
        "tuned fusion + learned",
        "its first stage (tuned fusion)",
        report("tuned fusion (use+glove)"),
        tunedLtr,
      ],
      ["tuned fusion + learned", "bm25", report("bm25"), tunedLtr],
      [
        "RRF + learned",
        "its first stage (equal-weight RRF)",
        report("hybrid:use+glove (RRF k=60, equal weights)"),
        rrfLtr,
      ],
      ["RRF + learned", "bm25", report("bm25"), rrfLtr],
    ] as const) {
      const comparison = compareReports(base, ltr, { metrics: ["ndcg@10"] });
      const label = `${reranked} against ${against}`;
      const m = comparison.overall.metrics["ndcg@10"]!;
      significance.push(
        `| ${d} | ${label} | ${fmt(m.meanA)} | ${fmt(m.meanB)} | ${m.meanDiff >= 0 ? "+" : ""}${m.meanDiff.toFixed(4)} | [${m.ci[0].toFixed(4)}, ${m.ci[1].toFixed(4)}] | ${m.pRandomization.toFixed(4)} | ${m.pTTest?.toFixed(4) ?? "—"} | ${m.wins}/${m.ties}/${m.losses} |`,
      );
    }
  }

  const stages = (report: EvalReport | undefined): string =>
    report === undefined
      ? "—"
      : Object.entries(report.latency.stages)
          .filter(([stage]) => stage !== "retrieve")
          .map(([stage, s]) => `${stage} ${s.p50Ms.toFixed(1)}/${s.p95Ms.toFixed(1)}`)
          .join(", ");
  const table = [
    "| pipeline | SciFact nDCG@10 | NFCorpus nDCG@10 | SciFact recall@100 | NFCorpus recall@100 | SciFact identifier slice nDCG@10 (n) / rest | NFCorpus identifier / rest | p50 / p95 ms (SciFact) | per stage p50/p95 ms (SciFact) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ...rows.map((row) => {
      const s = row.reports.scifact;
      const n = row.reports.nfcorpus;
      const slice = (r: EvalReport | undefined): string => {
        const id = r?.slices?.["identifier"];
        return r === undefined || id === undefined
          ? "—"
          : `${fmt(id.aggregate["ndcg@10"])} (${id.queries}) / ${fmt(restNdcg(r))}`;
      };
      return `| ${row.label} | ${fmt(s?.aggregate["ndcg@10"])} | ${fmt(n?.aggregate["ndcg@10"])} | ${fmt(s?.aggregate["recall@100"])} | ${fmt(n?.aggregate["recall@100"])} | ${slice(s)} | ${slice(n)} | ${s?.latency.p50Ms.toFixed(1)} / ${s?.latency.p95Ms.toFixed(1)} | ${stages(s)} |`;
    }),
  ];
  const minutes = (performance.now() - started) / 60_000;
  const { start, end } = sectionMarkers("pipelines");
  const section = [
    start,
    "",
    "## Pipelines: fusion, tuned fusion and the learned reranker (BEIR test splits)",
    "",
    "Generated by `bench/pipelines.bench.ts`; rerun with `npx tsx bench/pipelines.bench.ts` " +
      `(took ${minutes.toFixed(1)} min with embeddings cached).`,
    "",
    `- Machine: ${machineLine(machine)}.`,
    `- Every retriever of a hybrid looks ${DEPTH} deep; eval depth 1000. \`use\` = Universal Sentence Encoder lite, \`glove\` = averaged GloVe 6B 100-d.`,
    "- Tuned fusion: `pairlift tune-fusion --split train` over `hybrid:use+glove`; learned reranker: `pairlift train-reranker --split train` over the tuned first stage. Neither sees test judgments.",
    "- Latency is per query, single-threaded, one query at a time, including embedding the query (the embedding cache answers repeated queries).",
    ...notes.map((note) => `- ${note}`),
    "",
    ...table,
    "",
    "Learned rerankers against their first stage and against BM25 (nDCG@10, paired over test queries; 95% bootstrap CI, two-sided randomization and t-test p-values, 10,000 resamples, seed 42):",
    "",
    "| dataset | B against A | A | B (learned) | B − A | 95% CI | p (randomization) | p (t-test) | wins/ties/losses |",
    "| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | --- |",
    ...significance,
    "",
    end,
  ].join("\n");
  await writeBenchmarkSection("pipelines", section);
  console.log(`wrote BENCHMARKS.md (pipelines) in ${minutes.toFixed(1)} min`);
}

await main();
