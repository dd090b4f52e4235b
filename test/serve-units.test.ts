import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { PipelineHitRef, PipelineResult } from "../src/pipeline/pipeline.js";
import { loadServeConfig, parseServeConfig } from "../src/serve/config.js";
import { ServeMetrics } from "../src/serve/metrics.js";
import { identifierMissMonitor, queryIdentifiers } from "../src/serve/monitors/identifier-miss.js";
import { latencyBudgetMonitor } from "../src/serve/monitors/latency-budget.js";
import { lowRerankConfidenceMonitor } from "../src/serve/monitors/low-rerank-confidence.js";
import { NegativeFeedbackMonitor } from "../src/serve/monitors/negative-feedback.js";
import { pathDisagreementMonitor, topMargin } from "../src/serve/monitors/path-disagreement.js";
import type { SearchObservation } from "../src/serve/monitors/types.js";
import { zeroResultsMonitor } from "../src/serve/monitors/zero-results.js";
import { QueryLog } from "../src/serve/query-log.js";
import { searchBodySchema, zodValidator } from "../src/serve/requests.js";
import { ShadowRunner, compareRankings } from "../src/serve/shadow.js";
import type { OpenIndex } from "../src/store/index-store.js";
import {
  FakePipeline,
  buildCatalogueIndex,
  gate,
  hitsFor,
  sample,
} from "./support/serve-fixtures.js";

const tmp = await mkdtemp(join(tmpdir(), "pairlift-serve-units-"));
let index: OpenIndex;
beforeAll(async () => {
  index = await buildCatalogueIndex(tmp);
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

function observe(
  result: PipelineResult,
  extra: Partial<SearchObservation> = {},
): SearchObservation {
  return {
    queryId: "q",
    query: "drill",
    pipeline: "bm25",
    k: 10,
    result,
    tookMs: 1,
    index,
    ...extra,
  };
}

function ranked(prefix: string, scores: number[]): PipelineHitRef[] {
  return scores.map((score, i) => ({ id: `${prefix}${i}`, score }));
}

describe("monitors", () => {
  it("finds a query's identifiers as the joined terms the index stores", () => {
    expect(queryIdentifiers("Need KT-2040 and wd1680, 50 ft hose")).toEqual(
      new Map([
        ["kt2040", "kt-2040"],
        ["wd1680", "wd1680"],
      ]),
    );
    expect(queryIdentifiers("garden hose 50 ft").size).toBe(0);
  });

  it("identifier_miss: only for identifiers the corpus holds and no returned document contains", () => {
    const monitor = identifierMissMonitor();
    // WD1680 is in p3's text only.
    expect(monitor.check(observe(hitsFor("p1", "p2"), { query: "filter for WD1680" }))).toEqual({
      message: 'the corpus holds "wd1680", but none of the 2 results contains it',
      detail: { identifiers: ["wd1680"], terms: ["wd1680"], results: 2 },
    });
    expect(
      monitor.check(observe(hitsFor("p2", "p3"), { query: "filter for WD1680" })),
    ).toBeUndefined();
    expect(monitor.check(observe(hitsFor("p1"), { query: "WD-9999 filter" }))).toBeUndefined();
    expect(monitor.check(observe(hitsFor("p3"), { query: "vacuum filter" }))).toBeUndefined();
    // An empty result misses too.
    expect(monitor.check(observe(hitsFor(), { query: "kt2040" }))?.message).toBe(
      'the corpus holds "kt2040", but none of the 0 results contains it',
    );
  });

  it("zero_results: no hits, or every score below the pipeline's floor", () => {
    const monitor = zeroResultsMonitor({ bm25: 5 });
    expect(monitor.check(observe(hitsFor()))?.message).toBe("no results");
    expect(monitor.check(observe(hitsFor("p1", "p2", "p3")))?.message).toBe(
      "all 3 scores are below the floor 5 (best 3.0000)",
    );
    expect(monitor.check(observe(hitsFor("p1", "p2", "p3", "p4", "p5")))).toBeUndefined();
    expect(monitor.check(observe(hitsFor("p1"), { pipeline: "dense:use" }))).toBeUndefined();
  });

  it("low_rerank_confidence: the top rerank score under the floor", () => {
    const monitor = lowRerankConfidenceMonitor(0);
    const result = (rerank: number | undefined): PipelineResult => ({
      hits: [{ id: "p1", score: 1, ...(rerank === undefined ? {} : { rerank }) }],
      timingsMs: {},
    });
    expect(monitor.check(observe(result(-1.25)))?.message).toBe(
      "the top rerank score -1.2500 is below 0",
    );
    expect(monitor.check(observe(result(2)))).toBeUndefined();
    expect(monitor.check(observe(result(undefined)))).toBeUndefined();
  });

  it("latency_budget names the slowest stage", () => {
    const monitor = latencyBudgetMonitor(250);
    const result: PipelineResult = { hits: [], timingsMs: { lexical: 10, rerank: 280 } };
    expect(monitor.check(observe(result, { tookMs: 300 }))?.message).toBe(
      "took 300.0 ms, over the 250 ms budget (slowest stage: rerank, 280.0 ms)",
    );
    expect(monitor.check(observe(result, { tookMs: 250 }))).toBeUndefined();
  });

  it("path_disagreement: low overlap while one path's top hit stands out", () => {
    const monitor = pathDisagreementMonitor({ overlap: 0.2, margin: 0.5, strength: 3 });
    // BM25 found a standout (identifier match); the embedding's scores are flat.
    const lexical = ranked("l", [20, 8, 7.5, 7, 6.5, 6, 5.8, 5.5, 5.2, 5]);
    const dense = ranked("d", [0.61, 0.6, 0.6, 0.59, 0.58, 0.58, 0.57, 0.56, 0.56, 0.55]);
    expect(topMargin(lexical)).toBeCloseTo(12 / 15, 10);
    expect(topMargin(dense)).toBeCloseTo(0.01 / 0.06, 10);
    const finding = monitor.check(
      observe({ hits: [], timingsMs: {}, retrieved: { lexical, "dense:use": dense } }),
    );
    expect(finding?.message).toBe(
      "lexical and dense:use share 0 of their top 10, and lexical is far surer of its top hit (margin 0.80 vs 0.17)",
    );
    // Three shared documents: overlap 0.3 ≥ 0.2, no alert.
    const sharing = [...lexical.slice(0, 3), ...dense.slice(3)];
    expect(
      monitor.check(
        observe({ hits: [], timingsMs: {}, retrieved: { lexical, "dense:use": sharing } }),
      ),
    ).toBeUndefined();
    // Disjoint but both flat: neither path is sure, no alert.
    const flat = ranked("f", [10, 9.9, 9.8, 9.7, 9.6, 9.5, 9.4, 9.3, 9.2, 9.1]);
    expect(
      monitor.check(
        observe({ hits: [], timingsMs: {}, retrieved: { lexical: flat, "dense:use": dense } }),
      ),
    ).toBeUndefined();
    // Single-path pipelines have nothing to compare.
    expect(
      monitor.check(observe({ hits: [], timingsMs: {}, retrieved: { lexical } })),
    ).toBeUndefined();
  });

  it("negative_feedback alerts once per crossing of the windowed rate", () => {
    const monitor = new NegativeFeedbackMonitor({ windowMs: 1000, minEvents: 2, rate: 0.5 });
    expect(monitor.observe("bad", 0)).toBeUndefined(); // one event: below minEvents
    expect(monitor.observe("missing", 10)?.message).toBe(
      "2 of the last 2 feedback events are negative (100% ≥ 50%)",
    );
    expect(monitor.observe("bad", 20)).toBeUndefined(); // still firing
    expect(monitor.observe("good", 2000)).toBeUndefined(); // the others left the window: re-armed
    expect(monitor.rate(2000)).toEqual({ windowMs: 1000, events: 1, negative: 0, rate: 0 });
    expect(monitor.observe("bad", 2010)?.message).toBe(
      "1 of the last 2 feedback events are negative (50% ≥ 50%)",
    );
  });
});

describe("shadow runs", () => {
  it("compares rankings by overlap@10 and mean rank shift", () => {
    expect(compareRankings(["a", "b", "c", "d"], ["b", "a", "x"])).toEqual({
      overlapAt10: 0.5,
      rankShift: 1,
    });
    expect(compareRankings(["a", "b"], ["a", "b"])).toEqual({ overlapAt10: 1, rankShift: 0 });
    expect(compareRankings([], [])).toEqual({ overlapAt10: 1, rankShift: 0 });
    const twelve = "abcdefghijkl".split("");
    // Only the top 10s count: k and l are beyond them.
    expect(compareRankings(twelve, [...twelve].reverse()).overlapAt10).toBe(0.8);
  });

  it("samples, runs off the queue one job at a time, drops when full, and logs each comparison", async () => {
    const hold = gate();
    const candidate = new FakePipeline("candidate", async () => {
      await hold.promise;
      return hitsFor("b", "a", "x");
    });
    const metrics = new ServeMetrics();
    const log = new QueryLog(":memory:");
    let draws = [0.05, 0.5, 0.01, 0.02, 0.03];
    const runner = new ShadowRunner(
      { names: ["candidate"], sampleRate: 0.1, queue: 1 },
      {
        acquire: () => ({ pipeline: candidate, release: () => undefined }),
        metrics,
        log,
        random: () => {
          const [next, ...rest] = draws;
          draws = rest;
          return next!;
        },
      },
    );
    const job = (queryId: string) => ({
      queryId,
      query: "drill",
      k: 10,
      live: "bm25",
      liveIds: ["a", "b", "c", "d"],
    });
    expect(runner.offer(job("q1"))).toBe(true); // 0.05 < 0.1: sampled, starts running
    expect(runner.offer(job("q2"))).toBe(false); // 0.5: not sampled
    await expect.poll(() => candidate.calls).toBe(1);
    expect(runner.offer(job("q3"))).toBe(true); // queued behind q1
    expect(runner.offer(job("q4"))).toBe(false); // the queue (1) is full: dropped
    expect(runner.offer({ ...job("q5"), live: "candidate" })).toBe(false); // live is the candidate
    hold.open();
    await runner.idle();
    expect(runner.report()).toEqual({
      pipelines: ["candidate"],
      sampleRate: 0.1,
      queued: 0,
      runs: 2,
      dropped: 1,
      failed: 0,
      meanOverlapAt10: { candidate: 0.5 },
    });
    const runs = log.shadowRuns();
    expect(runs.map((run) => [run.queryId, run.overlapAt10, run.rankShift])).toEqual([
      ["q3", 0.5, 1],
      ["q1", 0.5, 1],
    ]);
    expect(runs[0]!.shadowTop).toEqual(["b", "a", "x"]);
    const text = await metrics.text();
    expect(sample(text, "pairlift_shadow_dropped_total")).toBe(1);
    expect(sample(text, "pairlift_shadow_overlap_at_10_sum", { shadow: "candidate" })).toBe(1);
    expect(sample(text, "pairlift_shadow_runs_total", { shadow: "candidate", outcome: "ok" })).toBe(
      2,
    );
    await log.close();
  });
});

describe("serve settings", () => {
  it("fills defaults and names the config path of a bad value", () => {
    const settings = parseServeConfig(undefined);
    expect(settings.limits).toEqual({
      bodyBytes: 16_384,
      queryChars: 1_024,
      maxK: 100,
      maxConcurrent: 64,
      timeoutMs: 5_000,
      bodyTimeoutMs: 10_000,
    });
    expect([settings.logMaxBytes, settings.shutdownGraceMs]).toEqual([1_073_741_824, 1_000]);
    expect(settings.shadow).toEqual([]);
    expect(() => parseServeConfig({ limits: { maxK: 0 } }, "serve.yaml")).toThrow(
      /serve\.yaml: invalid configuration:\n {2}serve\.limits\.maxK: /,
    );
    expect(() => parseServeConfig({ shadowSampleRate: 2 })).toThrow(/serve\.shadowSampleRate: /);
    expect(() => parseServeConfig({ monitor: {} })).toThrow(/Unrecognized key: "monitor"/);
  });

  it("accepts the serve block README.md shows", async () => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    const block = /```yaml\n(serve:[\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const settings = parseServeConfig((parse(block!) as { serve: unknown }).serve, "README.md");
    expect(settings.shadow).toEqual(["hybrid:minilm"]);
    expect(settings.monitors.scoreFloors).toEqual({ bm25: 5 });
  });

  it("reads the serve block of a YAML file", async () => {
    const file = join(tmp, "serve.yaml");
    await writeFile(
      file,
      "embedders: {}\nserve:\n  shadow: [dense:use]\n  shadowSampleRate: 0.25\n  monitors:\n    latencyBudgetMs: 100\n",
    );
    const settings = await loadServeConfig(file);
    expect(settings.shadow).toEqual(["dense:use"]);
    expect(settings.shadowSampleRate).toBe(0.25);
    expect(settings.monitors.latencyBudgetMs).toBe(100);
    expect(settings.monitors.rerankFloor).toBe(0);
    await writeFile(file, "limits: {}\n");
    await expect(loadServeConfig(file)).rejects.toThrow(
      /expected a `serve:` block at the top level/,
    );
  });
});

describe("search bodies", () => {
  it("parse the same without zod as with it, and leave every malformed body to zod's messages", () => {
    const limits = parseServeConfig(undefined).limits;
    const schema = searchBodySchema({ ...limits, queryChars: 20, maxK: 50 });
    const validate = zodValidator({ schema, method: "POST", url: "/search", httpPart: "body" });
    const bodies: unknown[] = [
      { query: "drill" },
      { query: "drill", k: 5, debug: true, pipeline: "bm25" },
      { query: "  KT-2040  ", k: 50, debug: false },
      { query: "x".repeat(20) },
      { query: "x".repeat(21) },
      { query: "   " },
      { query: "drill", k: 0 },
      { query: "drill", k: 51 },
      { query: "drill", k: 2.5 },
      { query: "drill", k: "5" },
      { query: "drill", pipeline: "" },
      { query: "drill", debug: "yes" },
      { query: "drill", kk: 3 },
      { query: 42 },
      {},
      [1, 2],
      null,
      "drill",
    ];
    for (const body of bodies) {
      const reference = schema.safeParse(body);
      const result = validate(body) as { value?: unknown; error?: Error };
      if (reference.success)
        expect({ body, value: result.value }).toEqual({ body, value: reference.data });
      else {
        expect({ body, value: result.value }).toEqual({ body, value: undefined });
        expect(result.error?.message).toContain(reference.error.issues[0]!.message);
      }
    }
  });
});
