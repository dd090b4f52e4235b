/**
 * Exact product first (issue 13), measured: nDCG@10 overall and on the identifier slices of
 * the demo catalogue and BEIR SciFact (and NFCorpus overall), for
 *   1. the design options of identifier scoring, BM25 alone, guard off: title and text only
 *      (before), an identifier field (`sku`) at weights 1 and 5, and identifier parts at query
 *      weight 1 or 0.5;
 *   1b. on the demo, the guard's owner-context weight (0 = off) with `bm25`;
 *   2. every shorthand pipeline the demo lab fuses (bm25, hybrid:glove, hybrid:use,
 *      hybrid:use+glove) with the exact-match guard on (the default) and off;
 *   3. the BM25 peers of bench/bm25.bench.ts (MiniSearch, Orama, wink, SQLite FTS5) on the same
 *      queries, each indexing title + text as one field, beside pairlift's BM25 on the same
 *      title + text and with its defaults (identifier fields found in the corpus, the guard);
 *   4. the newcomer cases of the issue, query by query.
 *
 *   npx tsx bench/identifiers.bench.ts [--no-write]
 *
 * Data: data/demo (bundled) and ../shared/data/beir/{scifact,nfcorpus} (or BEIR_DIR); a missing
 * BEIR set is skipped with a note. Embedders: the built-in `use` and `glove`, through the
 * embedding cache. Rewrites the `identifiers` section of BENCHMARKS.md (unless --no-write).
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig, type PairliftConfig } from "../src/config/config-file.js";
import { evaluate } from "../src/eval/evaluate.js";
import { evaluateDataset, type EvalReport } from "../src/eval/evaluate-dataset.js";
import { parseMetricNames } from "../src/eval/measures.js";
import { loadBeirSplit, readBeirCorpus } from "../src/io/beir.js";
import type { LexicalIndexOptionsInput } from "../src/lexical/options.js";
import { DEFAULT_GUARD } from "../src/pipeline/identifier-guard.js";
import type { PipelineConfig } from "../src/pipeline/config.js";
import { createPipeline } from "../src/pipeline/pipeline.js";
import { openDefaultEmbeddingCache } from "../src/dense/embedding-cache.js";
import { buildIndex } from "../src/store/index-store.js";
import type { Document, Run } from "../src/types.js";
import {
  BEIR_DIR,
  ROOT,
  describeMachine,
  machineLine,
  sectionMarkers,
  writeBenchmarkSection,
} from "./support/benchmarks-md.js";
import { ENGINES, flatten } from "./support/bm25-engines.js";

const { values: flags } = parseArgs({
  options: { "no-write": { type: "boolean", default: false } },
});
const COMMAND = "npx tsx bench/identifiers.bench.ts";
const DEMO = join(ROOT, "data/demo");
const DEPTH = 100;
const NDCG = parseMetricNames(["ndcg@10"]);
/** Slices shown per dataset: automatic `identifier`, and the demo's tags. */
const DEMO_SLICES = [
  "identifier",
  "tag:identifier",
  "tag:natural-language",
  "tag:owner-vs-accessory",
  "tag:sibling-sku",
  "tag:compatibility",
  "tag:code-in-word",
];
const BEIR_SLICES = ["identifier"];
const TITLE_TEXT: LexicalIndexOptionsInput = {
  fields: [
    { name: "title", weight: 1 },
    { name: "text", weight: 1 },
  ],
};
const sku = (weight: number) => ({
  fields: [...TITLE_TEXT.fields!, { name: "sku", weight, role: "identifier" as const }],
});

interface Dataset {
  name: string;
  dir: string;
  slices: string[];
}

const datasets: Dataset[] = [{ name: "demo", dir: DEMO, slices: DEMO_SLICES }];
const skipped: string[] = [];
for (const name of ["scifact", "nfcorpus"]) {
  const dir = join(BEIR_DIR, name);
  if (existsSync(join(dir, "corpus.jsonl"))) datasets.push({ name, dir, slices: BEIR_SLICES });
  else skipped.push(`${name} (not found at ${dir})`);
}

const cacheRoot = await mkdtemp(join(tmpdir(), "pairlift-identifiers-bench-"));
const baseConfig = await loadConfig();

/** The config with each pipeline also defined with the guard off, as `<name> (guard off)`. */
function withUnguarded(config: PairliftConfig, pipelines: string[]): PairliftConfig {
  const extra: Record<string, PipelineConfig> = {};
  for (const name of pipelines) {
    const [kind, embedders] = name.split(":");
    const retrievers: PipelineConfig["retrievers"] =
      kind === "bm25"
        ? [{ lexical: {} }]
        : [
            { lexical: { depth: 100 } },
            ...embedders!.split("+").map((embedder) => ({ dense: { embedder, depth: 100 } })),
          ];
    extra[unguarded(name)] = { retrievers, guard: { enabled: false } };
  }
  return { ...config, pipelines: { ...config.pipelines, ...extra } };
}

function unguarded(name: string): string {
  return `${name.replace(/[:+]/g, "-")}-unguarded`;
}

interface Row {
  label: string;
  overall: number;
  slices: Record<string, number | undefined>;
  queries?: Record<string, number>;
}

function rowOf(label: string, report: EvalReport, slices: string[]): Row {
  return {
    label,
    overall: report.aggregate["ndcg@10"]!,
    slices: Object.fromEntries(
      slices.map((slice) => [slice, report.slices?.[slice]?.aggregate["ndcg@10"]]),
    ),
  };
}

async function run(
  dataset: Dataset,
  pipeline: string,
  config: PairliftConfig,
  lexical?: LexicalIndexOptionsInput,
): Promise<EvalReport> {
  const { report } = await evaluateDataset({
    dataset: dataset.dir,
    pipeline,
    config,
    depth: DEPTH,
    cacheRoot,
    ...(lexical === undefined ? {} : { lexical }),
  });
  return report;
}

// 1. Design options (BM25, guard off).
const designs: Record<string, Row[]> = {};
const PIPELINES = ["bm25", "hybrid:glove", "hybrid:use", "hybrid:use+glove"];
const config = withUnguarded(baseConfig, PIPELINES);
for (const dataset of datasets) {
  if (dataset.name === "nfcorpus") continue;
  const variants: Array<[string, LexicalIndexOptionsInput]> =
    dataset.name === "demo"
      ? [
          ["title + text (before)", TITLE_TEXT],
          ["+ sku identifier field, weight 1", sku(1)],
          [
            "+ sku identifier field, weight 5, parts weight 1",
            { ...sku(5), analyzer: { identifierPartsWeight: 1 } },
          ],
          ["+ sku identifier field, weight 5, parts weight 0.5 (default)", sku(5)],
        ]
      : [
          ["title + text, parts weight 1 (default)", TITLE_TEXT],
          [
            "title + text, parts weight 0.5",
            { ...TITLE_TEXT, analyzer: { identifierPartsWeight: 0.5 } },
          ],
        ];
  designs[dataset.name] = [];
  for (const [label, lexical] of variants) {
    const report = await run(dataset, unguarded("bm25"), config, lexical);
    designs[dataset.name]!.push(rowOf(label, report, dataset.slices));
    console.log(`${dataset.name} design ${label}: ${report.aggregate["ndcg@10"]!.toFixed(4)}`);
  }
}

// 1b. The guard's owner context (its title words added to the lexical lead's query), `bm25`.
const OWNER_CONTEXTS = [0, 0.1, 0.2, 0.5];
const contextName = (weight: number) => `bm25-owner-context-${weight}`;
for (const weight of OWNER_CONTEXTS) {
  config.pipelines = {
    ...config.pipelines,
    [contextName(weight)]: { retrievers: [{ lexical: {} }], guard: { ownerContext: weight } },
  };
}
const contextRows: Row[] = [];
for (const dataset of datasets.filter((candidate) => candidate.name === "demo")) {
  for (const weight of OWNER_CONTEXTS) {
    const report = await run(dataset, contextName(weight), config);
    const label = `guard on, owner context ${weight === 0 ? "off" : weight}${weight === DEFAULT_GUARD.ownerContext ? " (default)" : ""}`;
    contextRows.push(rowOf(label, report, dataset.slices));
    console.log(`demo ${label}: ${report.aggregate["ndcg@10"]!.toFixed(4)}`);
  }
}

// 2. Pipelines, guard on and off (default fields: identifier fields found in the corpus).
const pipelineRows: Record<string, Row[]> = {};
for (const dataset of datasets) {
  pipelineRows[dataset.name] = [];
  for (const pipeline of PIPELINES) {
    for (const guard of [true, false]) {
      const report = await run(dataset, guard ? pipeline : unguarded(pipeline), config);
      pipelineRows[dataset.name]!.push(
        rowOf(`\`${pipeline}\`, guard ${guard ? "on" : "off"}`, report, dataset.slices),
      );
      console.log(
        `${dataset.name} ${pipeline} guard ${guard}: ${report.aggregate["ndcg@10"]!.toFixed(4)}`,
      );
    }
  }
}

// 3. Peers on the same queries (title + text as one field).
const peerRows: Record<string, Row[]> = {};
for (const dataset of datasets) {
  if (dataset.name === "nfcorpus") continue;
  const split = await loadBeirSplit(dataset.dir, "test");
  const documents: Document[] = [];
  for await (const document of readBeirCorpus(join(dataset.dir, "corpus.jsonl")))
    documents.push(document);
  const corpus = flatten(documents);
  const reference = await run(dataset, "bm25", config);
  const sliceIds = Object.fromEntries(
    dataset.slices.map((slice) => [slice, reference.slices?.[slice]?.queryIds ?? []]),
  );
  const score = (runOf: Run, ids?: string[]) => {
    const qrels =
      ids === undefined ? split.qrels : new Map(ids.map((id) => [id, split.qrels.get(id)!]));
    return evaluate(qrels, runOf, NDCG, { complete: true }).aggregate["ndcg@10"]!;
  };
  peerRows[dataset.name] = [
    rowOf("pairlift (defaults: identifier fields found, guard)", reference, dataset.slices),
  ];
  for (const engine of ENGINES) {
    const built = engine.build(corpus, false);
    const runOf: Run = new Map();
    for (const query of split.queries)
      runOf.set(query.id, new Map(built.search(query.text, DEPTH)));
    built.close?.();
    peerRows[dataset.name]!.push({
      label: engine.name === "pairlift" ? "pairlift (title + text, one field)" : engine.name,
      overall: score(runOf),
      slices: Object.fromEntries(
        dataset.slices.map((slice) => [
          slice,
          sliceIds[slice]!.length === 0 ? undefined : score(runOf, sliceIds[slice]),
        ]),
      ),
    });
    console.log(`${dataset.name} peer ${engine.name}: ${score(runOf).toFixed(4)}`);
  }
}

// 4. The newcomer cases on the demo: what comes first.
const NEWCOMER: Array<[pipeline: string, query: string, wanted: string]> = [
  ["bm25", "kt2040", "p0057"],
  ["bm25", "KT-2040", "p0057"],
  ["bm25", "kt 2040", "p0057"],
  ["bm25", "WD1680", "p0275"],
  ["bm25", "x100", "p0426"],
  ["bm25", "bsr18v55", "p0166"],
  ["hybrid:glove", "kt2040", "p0057"],
  ["hybrid:use", "kt2040", "p0057"],
  ["hybrid:glove", "zzqqxx", "(nothing)"],
];
const newcomerRows: string[][] = [];
{
  const built = await buildIndex({ source: { path: DEMO }, dir: join(cacheRoot, "demo-index") });
  const cache = openDefaultEmbeddingCache();
  try {
    for (const [name, query, wanted] of NEWCOMER) {
      const pipeline = await createPipeline(name, {
        index: built.index,
        config,
        cache,
        buildMissing: true,
      });
      const result = await pipeline.search(query, 3);
      await pipeline.close();
      const first = result.hits[0];
      const title =
        first === undefined
          ? "(nothing)"
          : `${first.id} ${built.index.documents.get(first.id)?.title ?? ""}`;
      const ok = first === undefined ? wanted === "(nothing)" : first.id === wanted;
      newcomerRows.push([
        `\`${name}\``,
        `\`${query}\``,
        title,
        first?.guard ?? "",
        result.degraded?.message ?? "",
        ok ? "yes" : "**no**",
      ]);
    }
  } finally {
    cache.close();
  }
}
await rm(cacheRoot, { recursive: true, force: true });

// Output.
function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ].join("\n");
}

function sliceTable(rows: Row[], slices: string[]): string {
  return table(
    ["", "nDCG@10", ...slices.map((slice) => `\`${slice}\``)],
    rows.map((row) => [
      row.label,
      row.overall.toFixed(4),
      ...slices.map((slice) => row.slices[slice]?.toFixed(4) ?? "–"),
    ]),
  );
}

const parts: string[] = [];
for (const dataset of datasets) {
  parts.push(`### ${dataset.name}`);
  if (designs[dataset.name] !== undefined) {
    parts.push(
      "Identifier scoring options (`bm25`, guard off):",
      sliceTable(designs[dataset.name]!, dataset.slices),
    );
  }
  if (dataset.name === "demo" && contextRows.length > 0) {
    parts.push(
      "The guard's owner context (`bm25`): each word of the owner's title added to the query that " +
        "orders the lexical lead at this weight. The weight was chosen on these queries; the " +
        "rows beside it show how much the choice matters:",
      sliceTable(contextRows, dataset.slices),
    );
  }
  parts.push(
    "Pipelines with the exact-match guard on and off:",
    sliceTable(pipelineRows[dataset.name]!, dataset.slices),
  );
  if (peerRows[dataset.name] !== undefined) {
    parts.push(
      "BM25 peers on the same queries (title + text):",
      sliceTable(peerRows[dataset.name]!, dataset.slices),
    );
  }
}

const demoIdentifier = (label: string) =>
  pipelineRows["demo"]!.find((row) => row.label.startsWith(label))!.slices["tag:identifier"]!;
const scifact = pipelineRows["scifact"];
const goals = [
  `- Demo \`tag:identifier\` nDCG@10 ≥ 0.95 with every pipeline: ${PIPELINES.map((p) => `\`${p}\` ${demoIdentifier(`\`${p}\`, guard on`).toFixed(4)}`).join(", ")} (before this work, \`bm25\` 0.7548 on this data): **${PIPELINES.every((p) => demoIdentifier(`\`${p}\`, guard on`) >= 0.95) ? "met" : "not met"}**.`,
  ...(scifact === undefined
    ? []
    : [
        `- SciFact \`identifier\` slice, every hybrid with the guard ≥ BM25's 0.7289: ${PIPELINES.filter(
          (p) => p !== "bm25",
        )
          .map(
            (p) =>
              `\`${p}\` ${scifact.find((row) => row.label === `\`${p}\`, guard on`)!.slices["identifier"]!.toFixed(4)}`,
          )
          .join(", ")}.`,
      ]),
  `- Newcomer cases with the owning product (or nothing) first: ${newcomerRows.filter((row) => row[5] === "yes").length} of ${newcomerRows.length}.`,
];

const machine = describeMachine();
const { start, end } = sectionMarkers("identifiers");
const section = `${start}
## Identifiers: exact product first

${machineLine(machine)}. Command: \`${COMMAND}\`${skipped.length > 0 ? ` (skipped: ${skipped.join(", ")})` : ""}.
Depth ${DEPTH}, test splits; slices as \`eval\` reports them (\`identifier\`: queries with an
identifier-like token; \`tag:…\`: the demo's query tags). Defaults: identifier fields found in the
corpus (the demo's \`sku\`, weight 5), identifier parts at query weight 0.5 in such indexes, the
exact-match guard on.

${parts.join("\n\n")}

### Newcomer cases (demo)

${table(["pipeline", "query", "first", "guard", "degraded", "as wanted"], newcomerRows)}

### Goals

${goals.join("\n")}
${end}`;
console.log(`\n${section}`);
if (!flags["no-write"]) await writeBenchmarkSection("identifiers", section);
