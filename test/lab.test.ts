import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type PairliftConfig } from "../src/config/config-file.js";
import { EmbeddingCache } from "../src/dense/embedding-cache.js";
import { compareReports } from "../src/eval/compare/compare-reports.js";
import { evaluateDataset } from "../src/eval/evaluate-dataset.js";
import { loadBeirSplit } from "../src/io/beir.js";
import { MAX_QUERY_CHARS } from "../src/lexical/lexical-index.js";
import { resolveLabSettings } from "../src/lab/lab-config.js";
import { writeProbeSet } from "../src/lab/probe.js";
import { expandGrid } from "../src/lab/sweep/grid.js";
import { analyzeLab, type LabReport } from "../src/lab/sweep/analyze.js";
import { RESULTS_FILE } from "../src/lab/sweep/results-store.js";
import { LabInterrupted, runLab, type LabEvent, type LabRun } from "../src/lab/sweep/runner.js";
import type { PipelineConfig } from "../src/pipeline/config.js";
import { labReportMarkdown } from "../src/report/markdown.js";
import { CHART_IDS, escapeHtml, renderLabReportHtml } from "../src/report/html.js";
import { labReportJson } from "../src/report/write.js";
import { HashingEmbedder } from "./support/hashing-embedder.js";

/** The lab on the demo catalogue, with a hashing stand-in embedder so it runs in seconds. */
const demo = fileURLToPath(new URL("../data/demo", import.meta.url));
const tmp = await mkdtemp(join(tmpdir(), "pairlift-lab-"));
const cache = new EmbeddingCache(":memory:");
const cacheRoot = join(tmp, "indexes");
const createEmbedder = (): Promise<HashingEmbedder> => Promise.resolve(new HashingEmbedder());
afterAll(async () => {
  cache.close();
  await rm(tmp, { recursive: true, force: true });
});

async function configWith(lab: Record<string, unknown>, extra = ""): Promise<PairliftConfig> {
  const path = join(tmp, `config-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(
    path,
    `embedders:\n  hash: { provider: test-hashing }\n${extra}lab: ${JSON.stringify({ dataset: demo, warmup: 2, ...lab })}\n`,
  );
  return loadConfig(path);
}

function lab(
  config: PairliftConfig,
  events: LabEvent[] = [],
  signal?: AbortSignal,
): Promise<LabRun> {
  return runLab({
    config,
    cacheRoot,
    embeddingCache: cache,
    createEmbedder,
    onEvent: (event) => events.push(event),
    ...(signal === undefined ? {} : { signal }),
  });
}

/** The same pipeline run by `eval`, to check the lab measures what eval would. */
async function evalReport(config: PairliftConfig, pipeline: PipelineConfig, rerankers = {}) {
  const { report } = await evaluateDataset({
    dataset: demo,
    pipeline: "under-test",
    config: {
      ...config,
      pipelines: { "under-test": pipeline },
      rerankers: { ...config.rerankers, ...rerankers },
    },
    depth: 1000,
    cacheRoot,
    embeddingCache: cache,
    createEmbedder,
  });
  return report;
}

describe("pairlift lab", () => {
  let run: LabRun;
  let config: PairliftConfig;
  const events: LabEvent[] = [];
  beforeAll(async () => {
    config = await configWith({
      embedders: ["hash"],
      fusion: [{ method: "rrf", k: 60 }, "tuned"],
      rerankers: ["none", "learned"],
      depths: [50],
      rerankDepths: [20],
      out: join(tmp, "sweep"),
    });
    run = await lab(config, events);
  });

  it("sweeps the grid in order and measures every configuration", () => {
    expect(run.configurations.map((c) => c.id)).toEqual([
      "bm25@50",
      "bm25@50 / learned@20",
      "hybrid:hash@50 / rrf k=60",
      "hybrid:hash@50 / rrf k=60 / learned@20",
      "hybrid:hash@50 / tuned",
      "hybrid:hash@50 / tuned / learned@20",
    ]);
    expect(run.baseline).toBe("bm25@50");
    expect(run.ran).toHaveLength(6);
    expect(run.reused).toEqual([]);
    for (const result of run.results) {
      expect(result.queries).toBe(124);
      expect(result.latency.queries).toBe(124);
      expect(result.latency.warmupQueries).toBe(2);
      expect(result.latency.p50Ms).toBeLessThanOrEqual(result.latency.p95Ms);
      expect(result.latency.p95Ms).toBeLessThanOrEqual(result.latency.p99Ms);
      expect(result.degradedQueries).toBe(0);
      expect(Object.keys(result.slices)).toContain("identifier");
      expect(result.index.parts["lexical"]).toBeGreaterThan(0);
    }
    const hybridLearned = run.results[3]!;
    expect(Object.keys(hybridLearned.latency.stages).sort()).toEqual([
      "dense:hash",
      "embed:hash",
      "features",
      "fusion",
      "lexical",
      "rerank",
      "retrieve",
    ]);
    expect(hybridLearned.index.parts["vectors:hash"]).toBeGreaterThan(0);
    expect(run.results[0]!.index.parts["vectors:hash"]).toBeUndefined();
    // Progress: one configuration event per configuration, queries counted up to 124.
    expect(
      events
        .filter((e) => e.type === "configuration")
        .map((e) => e.type === "configuration" && e.position),
    ).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events.some((e) => e.type === "queries" && e.done === 124 && e.total === 124)).toBe(
      true,
    );
  });

  it("measures exactly what eval measures for the same pipeline", async () => {
    const [bm25, , rrf, , , tunedLearned] = run.results;
    const lexical = await evalReport(config, { retrievers: [{ lexical: { depth: 50 } }] });
    expect(bm25!.perQuery).toEqual(lexical.perQuery);
    expect(bm25!.aggregate).toEqual(lexical.aggregate);
    expect(bm25!.slices).toEqual(lexical.slices);
    expect(bm25!.judged).toEqual(lexical.judged);
    const hybrid = await evalReport(config, {
      retrievers: [{ lexical: { depth: 50 } }, { dense: { embedder: "hash", depth: 50 } }],
      fusion: { method: "rrf", k: 60 },
    });
    expect(rrf!.perQuery).toEqual(hybrid.perQuery);
    expect(rrf!.judged).toEqual(hybrid.judged);
    // The tuned fusion and the trained reranker are files in --out/artifacts; eval with them agrees.
    expect(tunedLearned!.fusion).toBeDefined();
    expect(tunedLearned!.rerankerSource).toMatch(
      /artifacts\/learned-hybrid_hash@50-[0-9a-f]{16}\.json$/,
    );
    const reranked = await evalReport(
      config,
      {
        retrievers: [{ lexical: { depth: 50 } }, { dense: { embedder: "hash", depth: 50 } }],
        fusion: tunedLearned!.fusion!,
        rerank: { reranker: "trained", depth: 20 },
      },
      { trained: { provider: "learned", model: tunedLearned!.rerankerSource! } },
    );
    expect(tunedLearned!.perQuery).toEqual(reranked.perQuery);
  });

  it("records what reproduces the sweep", async () => {
    const record = JSON.parse(
      await readFile(join(run.out, "record.json"), "utf8"),
    ) as LabRun["record"];
    expect(record.format).toBe("pairlift-lab-record");
    expect(record.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(record.grid).toEqual(run.configurations.map((c) => c.id));
    expect(Object.keys(record.files)).toEqual(
      expect.arrayContaining([
        join(demo, "corpus.jsonl"),
        join(demo, "queries.jsonl"),
        join(demo, "qrels", "test.tsv"),
        join(demo, "qrels", "train.tsv"),
      ]),
    );
    expect(record.files[join(demo, "qrels", "test.tsv")]).toMatch(/^[0-9a-f]{64}$/);
    // Each trained reranker is a data file of the sweep, by hash.
    expect(
      Object.keys(record.files).filter((path) => path.includes("artifacts/learned-")),
    ).toHaveLength(3);
    expect(record.models.embedders["hash"]).toEqual({
      config: { provider: "test-hashing" },
      identity: new HashingEmbedder().identity,
    });
    expect(record.seeds).toEqual({ lab: 1, tuneFusion: 1, trainReranker: 1, compare: 42 });
    expect(record.settings.baseline).toBe("bm25@50");
  });

  it("compares with the baseline, finds the Pareto fronts and recommends", () => {
    const report = analyzeLab(run);
    expect(report.baseline).toBe("bm25@50");
    const [baseline, ...others] = report.configurations;
    expect(baseline!.comparison).toBeUndefined();
    for (const summary of others) {
      const comparison = summary.comparison!;
      expect(comparison.overall.queries).toBe(124);
      expect(comparison.overall.meanA).toBeCloseTo(baseline!.quality, 12);
      expect(comparison.overall.meanB).toBeCloseTo(summary.quality, 12);
      expect(comparison.slices["identifier"]?.queries).toBe(71);
    }
    const best = [...report.configurations].sort((a, b) => b.quality - a.quality)[0]!;
    // Offline: every cost is 0, so the cost front is the best quality alone (every
    // configuration that ties it: equal points do not dominate each other; tuned fusion of the
    // hashing embedder can settle on BM25's ranking).
    expect(report.pareto.cost).toEqual(
      report.configurations.filter((s) => s.quality === best.quality).map((s) => s.id),
    );
    expect(report.pareto.latency).toContain(best.id);
    expect(report.pareto.latency).toContain(
      [...report.configurations].sort(
        (a, b) => a.latency.p95Ms - b.latency.p95Ms || b.quality - a.quality,
      )[0]!.id,
    );
    const chosen = report.configurations.find((s) => s.id === report.recommendation.chosen)!;
    expect(chosen.comparison?.gate.passed ?? true).toBe(true);
    for (const summary of report.configurations)
      if ((summary.comparison?.gate.passed ?? true) === true)
        expect(summary.quality).toBeLessThanOrEqual(chosen.quality);

    const strict = analyzeLab({ ...run, settings: { ...run.settings, latencyBudgetMs: 1e-6 } });
    expect(strict.recommendation.chosen).toBeNull();
    expect(strict.recommendation.explanation).toMatch(
      /^Nothing qualifies: no configuration is within the 0\.00 ms p95 budget, with no gated slice regression against the baseline bm25@50\. Of 6 configurations, 6 exceed/,
    );
  });

  it("writes Markdown and self-contained HTML reports", () => {
    const report: LabReport = analyzeLab(run);
    const markdown = labReportMarkdown(report);
    expect(markdown).toContain(`**Recommendation: \`${report.recommendation.chosen}\`.**`);
    expect(markdown).toContain("## Pareto front: ndcg@10 against p95 latency");
    expect(markdown).toContain("## Against the baseline `bm25@50`");
    expect(markdown).toContain(`| \`${report.configurations[1]!.id}\` |`);
    const html = renderLabReportHtml(report, "/* echarts */");
    for (const id of CHART_IDS) expect(html).toContain(`id="${id}"`);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!www\.w3\.org)/);
    const data = /<script type="application\/json" id="lab-data">(.*?)<\/script>/s.exec(html)![1]!;
    expect(JSON.parse(data).configs).toHaveLength(6);
  });

  it("reports judged@10 per configuration and slice in Markdown, HTML and JSON", () => {
    const report = analyzeLab(run);
    expect(report.judged).toEqual({ metric: "judged@10", threshold: 0.1 });
    const mean = (values: readonly number[]): number =>
      values.reduce((sum, x) => sum + x, 0) / values.length;
    for (const [i, summary] of report.configurations.entries()) {
      const { perQuery } = run.results[i]!.judged;
      expect(summary.judged.aggregate).toBeCloseTo(mean(Object.values(perQuery)), 12);
      const identifier = run.results[i]!.slices["identifier"]!.queryIds;
      expect(summary.judged.slices["identifier"]).toBeCloseTo(
        mean(identifier.map((id) => perQuery[id]!)),
        12,
      );
    }
    // The hashing stand-in finds other documents than BM25: judged@10 is not the same everywhere.
    expect(new Set(report.configurations.map((s) => s.judged.aggregate)).size).toBeGreaterThan(1);

    const markdown = labReportMarkdown(report);
    expect(markdown).toContain(
      "| configuration | ndcg@10 | mrr@10 | recall@100 | map@100 | p@10 | judged@10 | p50 |",
    );
    const slices = Object.keys(report.configurations[0]!.slices);
    const judgedSection = markdown.slice(markdown.indexOf("## judged@10 per slice"));
    for (const summary of report.configurations) {
      const row = markdown.split("\n").find((line) => line.startsWith(`| \`${summary.id}\``))!;
      expect(row.split(" | ")[6]).toBe(summary.judged.aggregate.toFixed(4));
      expect(judgedSection).toContain(
        `| \`${summary.id}\` | ${[
          summary.judged.aggregate,
          ...slices.map((n) => summary.judged.slices[n]),
        ]
          .map((v) => (v === undefined ? "—" : v.toFixed(4)))
          .join(" | ")} |`,
      );
    }
    const candidate = report.configurations[2]!;
    const judged = candidate.comparison!.judged!;
    expect(judged.a).toBeCloseTo(report.configurations[0]!.judged.aggregate, 12);
    expect(judged.b).toBeCloseTo(candidate.judged.aggregate, 12);
    expect(markdown).toContain(
      `${judged.b.toFixed(4)} (${judged.difference >= 0 ? "+" : "-"}${Math.abs(judged.difference).toFixed(4)})`,
    );

    const html = renderLabReportHtml(report, "/* echarts */");
    expect(html).toContain('<h2 id="judged">judged@10 per slice</h2>');
    expect(html).toContain(`<th>judged@10</th>`);
    expect(html).toContain(`<td>${candidate.judged.aggregate.toFixed(4)}</td>`);

    const json = JSON.parse(labReportJson(report)) as LabReport;
    expect(json.configurations[2]!.judged).toEqual(candidate.judged);
    expect(json.configurations[2]!.comparison!.judged).toEqual(judged);
  });

  it("warns in plain words when a configuration's judged@10 is far from the baseline's", () => {
    const quiet = analyzeLab(run);
    const differences = quiet.configurations.map((s) =>
      Math.abs(s.comparison?.judged?.difference ?? 0),
    );
    const largest = Math.max(...differences);
    expect(largest).toBeGreaterThan(0);
    // At compare's threshold (0.1), exactly the configurations that far from the baseline warn.
    expect(
      quiet.configurations.filter((s) => s.comparison?.judged?.warn === true).map((s) => s.id),
    ).toEqual(quiet.configurations.filter((_, i) => differences[i]! > 0.1).map((s) => s.id));
    // A threshold below the largest difference makes that configuration warn, in compare's words.
    const threshold = largest / 2;
    const report = analyzeLab({
      ...run,
      settings: { ...run.settings, judgedThreshold: threshold },
    });
    const warned = report.configurations.filter((s) => s.comparison?.judged?.warn === true);
    expect(warned.map((s) => s.id)).toEqual(
      report.configurations
        .filter((s, i) => differences[i]! > threshold && s.comparison !== undefined)
        .map((s) => s.id),
    );
    const worst = report.configurations[differences.indexOf(largest)]!;
    const words = worst.comparison!.judged!.warning!;
    expect(words).toMatch(
      /^judged@10 differs: \d+% of bm25@50's top 10 is judged, \d+% of .+'s\. Unjudged documents count as misses, so .+ looks worse than .+ partly because nobody judged what it found/,
    );
    // The same words compare prints for the same two systems.
    const [baseline] = run.results;
    const result = run.results[differences.indexOf(largest)]!;
    const comparison = compareReports(
      { pipeline: baseline!.id, perQuery: baseline!.perQuery, judged: baseline!.judged },
      { pipeline: result.id, perQuery: result.perQuery, judged: result.judged },
      { judgedThreshold: threshold, resamples: 10, permutations: 10 },
    );
    expect(comparison.warnings).toContain(words);

    const markdown = labReportMarkdown(report);
    expect(markdown).toContain(`> **Caution:** judged@10 of \``);
    expect(markdown).toContain(`- \`${worst.id}\`: ${words}.`);
    expect(markdown).toContain(" ⚠ |");
    expect(worst.comparison!.gate.verdict).toContain("Caution: judged@10 is");
    const html = renderLabReportHtml(report, "/* echarts */");
    expect(html).toContain('id="judged-caution"');
    expect(html).toContain(escapeHtml(words));
    expect(JSON.parse(labReportJson(report)).judged.threshold).toBe(threshold);
  });
});

describe("interrupting and resuming", () => {
  it("keeps finished configurations, and a rerun measures only the rest", async () => {
    const config = await configWith({
      firstStages: ["bm25", "hybrid:hash"],
      fusion: [{ method: "rrf", k: [20, 60] }],
      rerankers: ["none"],
      depths: [30],
      out: join(tmp, "resume"),
    });
    const controller = new AbortController();
    const first: LabEvent[] = [];
    const interrupted = await runLab({
      config,
      cacheRoot,
      embeddingCache: cache,
      createEmbedder,
      signal: controller.signal,
      onEvent: (event) => {
        first.push(event);
        if (event.type === "done") controller.abort();
      },
    }).catch((error: unknown) => error);
    expect(interrupted).toBeInstanceOf(LabInterrupted);
    expect((interrupted as LabInterrupted).finished).toBe(1);
    expect((interrupted as LabInterrupted).message).toMatch(
      /interrupted after 1 of 3 configurations; rerun the same command to resume/,
    );
    const lines = (await readFile(join(tmp, "resume", RESULTS_FILE), "utf8")).trim().split("\n");
    expect(lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(["bm25@30"]);

    const second: LabEvent[] = [];
    const resumed = await lab(config, second);
    expect(second[0]).toMatchObject({ type: "start", total: 3, pending: 2, reused: 1 });
    expect(second.flatMap((e) => (e.type === "configuration" ? [e.id] : []))).toEqual([
      "hybrid:hash@30 / rrf k=20",
      "hybrid:hash@30 / rrf k=60",
    ]);
    expect(resumed.reused).toEqual(["bm25@30"]);
    expect(resumed.results[0]!.finishedAt).toBe(
      (JSON.parse(lines[0]!) as { finishedAt: string }).finishedAt,
    );
    expect(
      (await readFile(join(tmp, "resume", RESULTS_FILE), "utf8")).trim().split("\n"),
    ).toHaveLength(3);

    const third: LabEvent[] = [];
    const again = await lab(config, third);
    expect(third.filter((e) => e.type === "configuration")).toEqual([]);
    expect(again.ran).toEqual([]);
    expect(again.results.map((r) => r.aggregate)).toEqual(resumed.results.map((r) => r.aggregate));

    // Another measurement setting is another fingerprint: nothing is reused.
    const changed = await configWith({
      firstStages: ["bm25", "hybrid:hash"],
      fusion: [{ method: "rrf", k: [20, 60] }],
      rerankers: ["none"],
      depths: [30],
      maxQueries: 10,
      out: join(tmp, "resume"),
    });
    const fourth: LabEvent[] = [];
    const limited = await lab(changed, fourth);
    expect(fourth[0]).toMatchObject({ type: "start", pending: 3, reused: 0 });
    expect(limited.results[0]!.queries).toBe(10);
  });
});

describe("cost, hosted providers and probe sets", () => {
  it("prices tokens per 1,000 queries and leaves an unpriced hosted provider off the cost front", async () => {
    const config = await configWith(
      {
        firstStages: ["bm25", "hybrid:hash", "hybrid:remote"],
        fusion: [{ method: "rrf" }],
        rerankers: ["none"],
        depths: [20],
        prices: { hash: { perMillionTokens: 2, perThousandQueries: 0.1 } },
        costCeiling: 0.15,
        out: join(tmp, "cost"),
      },
      "  remote: { provider: openai, model: m }\n",
    );
    const report = analyzeLab(await lab(config));
    const { queries } = await loadBeirSplit(demo, "test");
    const tokens =
      queries.reduce((sum, q) => sum + Math.ceil(q.text.length / 4), 0) / queries.length;
    const [bm25, hash, remote] = report.configurations;
    expect(bm25!.cost).toEqual({ per1000Queries: 0, unpriced: [] });
    expect(hash!.tokensPerQuery["hash"]).toBe(Math.round(tokens * 10) / 10);
    expect(hash!.cost.per1000Queries).toBeCloseTo(
      (hash!.tokensPerQuery["hash"]! * 1000 * 2) / 1e6 + 0.1,
      12,
    );
    expect(remote!.hosted).toEqual(["remote"]);
    expect(remote!.cost).toEqual({ per1000Queries: null, unpriced: ["remote"] });
    expect(report.pareto.costUnknown).toEqual([remote!.id]);
    expect(report.recommendation.excluded.find((e) => e.id === remote!.id)?.reasons).toContain(
      "its cost is unknown (no price for remote)",
    );
    expect(labReportMarkdown(report)).toContain("## Cost");
  });

  it("runs the probe set through every configuration and gates on it", async () => {
    const probe = join(tmp, "probe");
    await writeProbeSet({ dataset: demo, out: probe, seed: 2, maxIdentifiers: 20 });
    const config = await configWith({
      firstStages: ["bm25", "dense:hash"],
      rerankers: ["none"],
      depths: [20],
      probe,
      out: join(tmp, "probed"),
    });
    const report = analyzeLab(await lab(config));
    const { queries } = await loadBeirSplit(probe, "test");
    const [bm25, dense] = report.configurations;
    expect(bm25!.probe?.queries).toBe(queries.length);
    expect(Object.keys(bm25!.probe!.slices)).toContain("tag:bare");
    // Exact identifier lookups: the hashing model finds far fewer than BM25 does.
    expect(dense!.probe!.aggregate["ndcg@10"]!).toBeLessThan(bm25!.probe!.aggregate["ndcg@10"]!);
    expect(dense!.comparison!.gate.probe?.passed).toBe(false);
    expect(report.recommendation.chosen).toBe("bm25@20");
  });

  it("README's lab.yaml validates and expands to the 130 configurations it says", async () => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    const block = /```yaml\n(# lab\.yaml[\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const path = join(tmp, "readme-lab.yaml");
    await writeFile(path, block!);
    const config = await loadConfig(path);
    const settings = resolveLabSettings(config, { dataset: demo });
    const grid = expandGrid(settings, config.embedders, config.file);
    expect(grid).toHaveLength(130);
    expect(grid.filter((c) => c.firstStage.name === "bm25")).toHaveLength(5);
    expect(settings.prices).toEqual({
      openai: { perMillionTokens: 0.02, perThousandQueries: 0 },
      cohere: { perMillionTokens: 0, perThousandQueries: 2 },
    });
    expect(readme).toContain("That grid has 130 configurations");
  });

  it("names the configuration and query when a query fails, keeping what finished", async () => {
    const dataset = join(tmp, "long-query");
    await mkdir(join(dataset, "qrels"), { recursive: true });
    await writeFile(
      join(dataset, "corpus.jsonl"),
      '{"_id":"d1","title":"drill","text":"cordless drill"}\n{"_id":"d2","title":"saw","text":"circular saw"}\n',
    );
    await writeFile(
      join(dataset, "queries.jsonl"),
      `{"_id":"q1","text":"drill"}\n{"_id":"q2","text":"${"saw ".repeat(MAX_QUERY_CHARS / 4 + 1)}"}\n`,
    );
    await writeFile(
      join(dataset, "qrels", "test.tsv"),
      "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n",
    );
    const config = await configWith({
      dataset,
      trainSplit: null,
      firstStages: ["bm25"],
      depths: [10],
      warmup: 0,
      out: join(tmp, "long-query-out"),
    });
    await expect(lab(config)).rejects.toThrow(
      /queries\.jsonl:2: field "text": configuration "bm25@10" \(finished configurations are kept; rerun to resume\), query "q2": query is \d+ characters long/,
    );
  });

  it("refuses a baseline that is not in the grid, naming the ones that are", async () => {
    const config = await configWith({
      firstStages: ["bm25"],
      rerankers: ["none"],
      depths: [20],
      baseline: "bm25@100",
      out: join(tmp, "bad-baseline"),
    });
    await expect(lab(config)).rejects.toThrow(
      /field "lab\.baseline": baseline "bm25@100" is not a configuration of the grid; configurations: bm25@20/,
    );
  });
});
