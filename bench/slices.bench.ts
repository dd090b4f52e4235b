/**
 * Slices, probe sets and the regression gate on real data: which query slices each dense or
 * hybrid pipeline loses against `bm25` on BEIR SciFact and NFCorpus (test splits), how it does
 * on an exact-match probe set drawn from each corpus, and whether `pairlift compare --gate`
 * catches it.
 *
 *   npx tsx bench/slices.bench.ts
 *
 * - Every run is `evaluateDataset` (what `pairlift eval --probe DIR` runs): depth 1000, the
 *   automatic slices plus the probe set. Embeddings go through the persistent cache, so reruns
 *   only embed what the cache has not seen. The first `dense:use` run on SciFact embeds the
 *   corpus (about 15 minutes of CPU here), which is why `use` pipelines come last.
 * - Probe sets: `pairlift probe --seed 1 --max-identifiers PROBE_IDENTIFIERS` (default 100),
 *   written under the cache directory (probes/<dataset>); the corpus is not copied.
 * - Each candidate is compared with `bm25` by `compareReports` + `evaluateGate` (the library
 *   behind `pairlift compare A.json B.json --gate`) with GATE below.
 *
 * It prints the tables and rewrites the `slices` section of BENCHMARKS.md. Without the BEIR
 * data (../shared, or BEIR_DIR) it says so and exits 0 without writing anything.
 */
import { existsSync } from "node:fs";
import { loadConfig } from "../src/config/config-file.js";
import { compareReports, OVERALL, type Comparison } from "../src/eval/compare/compare-reports.js";
import {
  evaluateGate,
  signed,
  type GateConfigInput,
  type GateResult,
} from "../src/eval/compare/gate.js";
import { evaluateDataset, type EvalReport } from "../src/eval/evaluate-dataset.js";
import { writeProbeSet } from "../src/lab/probe.js";
import { cacheDir } from "../src/store/cache-dir.js";
import {
  BEIR_DIR,
  describeMachine,
  machineLine,
  sectionMarkers,
  writeBenchmarkSection,
} from "./support/benchmarks-md.js";

const DATASETS = [
  ["scifact", "SciFact"],
  ["nfcorpus", "NFCorpus"],
] as const;
/** The baseline every candidate is compared with. */
export const BASELINE = "bm25";
/**
 * Candidates, cheapest first: `use` embeds the corpus on its first run. Tuned or learned
 * pipelines defined in pairlift.config.yaml can be appended by name.
 */
export const CANDIDATES: readonly string[] = [
  "dense:glove",
  "hybrid:glove",
  "dense:use",
  "hybrid:use",
];
/** The gate `pairlift compare --gate` would apply in CI. */
export const GATE: GateConfigInput = {
  metric: "ndcg@10",
  alpha: 0.05,
  minQueries: 10,
  critical: { identifier: { maxDrop: 0.01 } },
};
const PROBE_IDENTIFIERS = Number(process.env["PROBE_IDENTIFIERS"] ?? 100);
const PROBE_SEED = 1;
const METRIC = "ndcg@10";

interface Candidate {
  pipeline: string;
  report: EvalReport;
  comparison: Comparison;
  gate: GateResult;
  probeComparison: Comparison;
  probeGate: GateResult;
}

function mean(report: { aggregate: Record<string, number> }): string {
  return report.aggregate[METRIC]!.toFixed(4);
}

/** "0.3310 (-0.3812*)": the candidate's value, its difference, * when Holm-significant. */
function cell(comparison: Comparison, slice: string, gate: GateResult): string {
  const result =
    slice === OVERALL
      ? comparison.overall.metrics[METRIC]
      : comparison.slices[slice]?.metrics[METRIC];
  if (result === undefined) return "—";
  const p = gate.pHolm[slice];
  const star = p !== undefined && p < gate.config.alpha ? "*" : "";
  return `${result.meanB.toFixed(4)} (${signed(result.meanDiff)}${star})`;
}

function lost(gate: GateResult): string {
  const names = [
    ...new Set(gate.failures.map((f) => (f.slice === OVERALL ? "overall" : `\`${f.slice}\``))),
  ];
  return names.length === 0 ? "none" : names.join(", ");
}

/** "13 of 14": judged slices (overall included) significantly worse. */
function lostCount(gate: GateResult): string {
  const worse = new Set(gate.failures.filter((f) => f.kind === "significant").map((f) => f.slice));
  return `${worse.size} of ${gate.judged.length}`;
}

/**
 * The fusion variants, tuned fusion and learned reranker that bench/pipelines.bench.ts tuned and
 * trained on each dataset's train split (its config file), when it has run.
 */
const TRAINED_CONFIG = cacheDir("bench-pipelines", "pairlift.config.yaml");
const trainedCandidates = (name: string): string[] =>
  existsSync(TRAINED_CONFIG)
    ? ["hybrid-minmax", "hybrid-zscore", "hybrid-dbsf", `tuned-${name}`, `tuned-${name}-ltr`]
    : [];

async function runDataset(dir: string, name: string): Promise<string[]> {
  const config = await loadConfig(existsSync(TRAINED_CONFIG) ? TRAINED_CONFIG : undefined);
  const probeDir = cacheDir("probes", name);
  const manifest = await writeProbeSet({
    dataset: dir,
    out: probeDir,
    seed: PROBE_SEED,
    maxIdentifiers: PROBE_IDENTIFIERS,
  });
  console.log(
    `${name}: probe set of ${manifest.queries} queries for ${manifest.identifiers} identifiers`,
  );
  const evaluate = async (pipeline: string): Promise<EvalReport> => {
    const started = performance.now();
    const { report } = await evaluateDataset({
      dataset: dir,
      pipeline,
      config,
      probe: probeDir,
      onProgress: (stage, done, total) => {
        if (stage.startsWith("embed") && done % 1024 < 64)
          console.log(`  ${name} ${stage} ${done}/${total}`);
      },
    });
    console.log(
      `${pipeline} on ${name}: nDCG@10 ${mean(report)}, probe ${mean(report.probe!)}, ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s, embedded ${report.stats.embeddedTexts} texts`,
    );
    return report;
  };
  const baseline = await evaluate(BASELINE);
  const candidates: Candidate[] = [];
  for (const pipeline of [...CANDIDATES, ...trainedCandidates(name)]) {
    const report = await evaluate(pipeline);
    const comparison = compareReports(baseline, report, { minQueries: GATE.minQueries! });
    const probeComparison = compareReports(baseline.probe!, report.probe!, {
      minQueries: GATE.minQueries!,
      labels: [BASELINE, pipeline],
    });
    const gate = evaluateGate(comparison, GATE);
    const probeGate = evaluateGate(probeComparison, { ...GATE, critical: {} });
    console.log(
      `  gate: ${gate.passed ? "PASS" : "FAIL"}; lost ${lost(gate)}; probe lost ${lost(probeGate)}`,
    );
    candidates.push({ pipeline, report, comparison, gate, probeComparison, probeGate });
  }

  const identifier = baseline.slices!["identifier"]!;
  const summary = [
    `| pipeline | nDCG@10 (${baseline.queries} queries) | \`identifier\` (${identifier.queries}) | probe set (${baseline.probe!.queries}) | slices significantly worse | probe slices significantly worse | gate |`,
    "| --- | ---: | ---: | ---: | --- | --- | --- |",
    `| \`${BASELINE}\` | ${mean(baseline)} | ${identifier.aggregate[METRIC]!.toFixed(4)} | ${mean(baseline.probe!)} | (baseline) | | |`,
    ...candidates.map(
      (c) =>
        `| \`${c.pipeline}\` | ${cell(c.comparison, OVERALL, c.gate)} | ${cell(c.comparison, "identifier", c.gate)} | ` +
        `${cell(c.probeComparison, OVERALL, c.probeGate)} | ${lost(c.gate)} | ${lostCount(c.probeGate)} | ` +
        `${c.gate.passed ? "pass" : "**FAIL** (exit 3)"} |`,
    ),
  ];
  const sliceNames = Object.keys(baseline.slices!).filter(
    (slice) => baseline.slices![slice]!.queries > 0,
  );
  const slices = [
    `| slice | queries | \`${BASELINE}\` | ${candidates.map((c) => `\`${c.pipeline}\``).join(" | ")} |`,
    `| --- | ---: | ---: | ${candidates.map(() => "---:").join(" | ")} |`,
    ...sliceNames.map((slice) => {
      const base = baseline.slices![slice]!;
      const small = base.tooSmall ? " (too small)" : "";
      return `| \`${slice}\`${small} | ${base.queries} | ${base.aggregate[METRIC]!.toFixed(4)} | ${candidates
        .map((c) => cell(c.comparison, slice, c.gate))
        .join(" | ")} |`;
    }),
    ...Object.keys(baseline.probe!.slices!)
      .filter((slice) => slice.startsWith("tag:") && baseline.probe!.slices![slice]!.queries > 0)
      .map((slice) => {
        const base = baseline.probe!.slices![slice]!;
        return `| probe \`${slice.slice(4)}\` | ${base.queries} | ${base.aggregate[METRIC]!.toFixed(4)} | ${candidates
          .map((c) => cell(c.probeComparison, slice, c.probeGate))
          .join(" | ")} |`;
      }),
  ];
  const verdicts = candidates.map((c) => {
    const text = c.gate.passed ? "PASS" : "FAIL";
    return `- \`${c.pipeline}\`: ${text}. ${verdictReason(c)}`;
  });
  return [...summary, "", ...slices, "", ...verdicts];
}

function verdictReason(c: Candidate): string {
  const critical = c.gate.failures.find((f) => f.kind === "critical");
  const overall = c.comparison.overall.metrics[METRIC]!;
  const parts = [`overall ${signed(overall.meanDiff)}`];
  if (critical !== undefined)
    parts.push(`\`identifier\` ${signed(-(critical.meanA - critical.meanB))} (allowed -0.0100)`);
  const significant = c.gate.failures.filter((f) => f.kind === "significant").length;
  if (significant > 0) parts.push(`${significant} slice(s) significantly worse`);
  return `${parts.join("; ")}.`;
}

async function main(): Promise<void> {
  const missing = DATASETS.filter(([name]) => !existsSync(`${BEIR_DIR}/${name}/corpus.jsonl`));
  if (missing.length > 0) {
    console.log(
      `bench: BEIR data not found under ${BEIR_DIR} (${missing.map(([name]) => name).join(", ")}); nothing measured.`,
    );
    return;
  }
  const machine = describeMachine();
  const sections: string[] = [];
  for (const [name, title] of DATASETS) {
    const lines = await runDataset(`${BEIR_DIR}/${name}`, name);
    sections.push(`### ${title} (test split)`, "", ...lines, "");
  }
  const { start, end } = sectionMarkers("slices");
  const section = [
    start,
    "",
    "## Slices, probe sets and the regression gate (BEIR test splits)",
    "",
    "Generated by `bench/slices.bench.ts`; rerun with `npx tsx bench/slices.bench.ts`.",
    "",
    `- Machine: ${machineLine(machine)}.`,
    "- Each pipeline: `pairlift eval --dataset ../shared/data/beir/NAME --pipeline P --probe PROBE` (depth 1000), then `pairlift compare bm25.json P.json --gate` against `bm25`.",
    `- Probe sets: \`pairlift probe --dataset ../shared/data/beir/NAME --seed ${PROBE_SEED} --max-identifiers ${PROBE_IDENTIFIERS}\`: rare identifiers (df ≤ 3) of the corpus as bare, sentence, case, separator, spaced and truncated variants; relevant = the documents containing the identifier.`,
    `- Gate: ${METRIC}, alpha ${GATE.alpha} on the two-sided paired randomization test (10,000 sign flips, seed 42), Holm-adjusted across the slices with ≥ ${GATE.minQueries} queries (overall included); critical slice \`identifier\` may drop by at most 0.01. The gate fails on a significant loss in any judged slice, or on the critical drop even when the aggregate improves.`,
    "- Critical drops count whatever the slice's size: NFCorpus has only 3 `identifier` queries, so its critical-slice failures rest on 3 queries (its `identifier` row is marked too small for the significance test).",
    "- Cells: the candidate's nDCG@10 (difference from `bm25`; `*` = Holm-adjusted p < 0.05). `hybrid:X` = BM25 and `dense:X` at depth 100 each, fused by RRF (k = 60).",
    "",
    ...sections,
    end,
  ].join("\n");
  await writeBenchmarkSection("slices", section);
  console.log("wrote BENCHMARKS.md (slices)");
}

await main();
