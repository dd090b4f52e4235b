import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bufferIO } from "../src/cli/io.js";
import { runCli } from "../src/cli/program.js";
import { loadConfig } from "../src/config/config-file.js";
import { EmbeddingCache } from "../src/dense/embedding-cache.js";
import { exportFeedback } from "../src/lab/feedback-export.js";
import { createPipeline } from "../src/pipeline/pipeline.js";
import { createServer } from "../src/serve/server.js";
import { openServingSet } from "../src/serve/serving-set.js";
import { sha256Text } from "../src/store/hash.js";
import type { OpenIndex } from "../src/store/index-store.js";
import { HashingEmbedder } from "./support/hashing-embedder.js";
import { buildCatalogueIndex, post, sample, testSettings } from "./support/serve-fixtures.js";

/** The server over real pipelines (BM25, and dense over a deterministic test embedder), then the feedback loop. */
const tmp = await mkdtemp(join(tmpdir(), "pairlift-serve-pipelines-"));
const configPath = join(tmp, "pairlift.config.yaml");
const logPath = join(tmp, "log", "serve.sqlite");
let index: OpenIndex;
const createEmbedder = () => Promise.resolve(new HashingEmbedder());

beforeAll(async () => {
  process.env["PAIRLIFT_CACHE_DIR"] = join(tmp, "cache");
  index = await buildCatalogueIndex(tmp);
  await writeFile(configPath, "embedders:\n  hash:\n    provider: test-hashing\n");
  // Vectors are built once beside the index, as `pairlift index --embedder hash` would.
  const cache = new EmbeddingCache(":memory:");
  const builder = await createPipeline("dense:hash", {
    index,
    config: await loadConfig(configPath),
    cache,
    buildMissing: true,
    createEmbedder,
  });
  await builder.close();
  cache.close();
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe("serving real pipelines", () => {
  it("serves bm25 and dense:hash, shadows dense on live bm25 queries, and reports cache hits", async () => {
    const server = createServer({
      settings: testSettings(
        { pipelines: ["dense:hash"], shadow: ["dense:hash"], shadowSampleRate: 1 },
        logPath,
      ),
      load: () =>
        openServingSet({
          indexDir: index.dir,
          configPath,
          defaultPipeline: "bm25",
          pipelines: ["dense:hash"],
          embeddingCachePath: join(tmp, "embeddings.sqlite"),
          createEmbedder,
        }),
      random: () => 0,
    });
    const url = await server.start({ port: 0 });
    try {
      const live = await post(`${url}/search`, { query: "KT-2040 drill", k: 5 });
      expect(live.status).toBe(200);
      const liveIds = (live.body["results"] as { id: string }[]).map((r) => r.id);
      expect(liveIds[0]).toBe("p1");
      await server.shadow.idle();
      const [run] = server.log.shadowRuns();
      expect(run).toMatchObject({ live: "bm25", shadow: "dense:hash", liveTop: liveIds });
      // The shadow's list is what dense:hash answers on its own, at depth max(k, 10).
      const dense = await post(`${url}/search`, {
        query: "KT-2040 drill",
        k: 10,
        pipeline: "dense:hash",
      });
      const denseIds = (dense.body["results"] as { id: string }[]).map((r) => r.id);
      expect(run!.shadowTop).toEqual(denseIds);
      const shared = liveIds.filter((id) => denseIds.includes(id)).length;
      expect(run!.overlapAt10).toBe(
        shared / Math.min(10, Math.max(liveIds.length, denseIds.length)),
      );

      // A dense search is not shadowed by itself; its repeat is a cache hit.
      await post(`${url}/search`, { query: "garden hose", pipeline: "dense:hash" });
      await post(`${url}/search`, { query: "garden hose", pipeline: "dense:hash" });
      await server.shadow.idle();
      expect(server.log.counts().shadow_runs).toBe(1);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      // Queries embedded: "KT-2040 drill" (shadow run, then a cache hit live), "garden hose" (then a hit).
      expect(
        sample(metrics, "pairlift_embedding_texts", { pipeline: "dense:hash", source: "model" }),
      ).toBe(2);
      expect(
        sample(metrics, "pairlift_embedding_texts", { pipeline: "dense:hash", source: "cache" }),
      ).toBe(2);
      expect(
        sample(metrics, "pairlift_embedding_cache_hit_ratio", { pipeline: "dense:hash" }),
      ).toBe(0.5);
      expect(
        sample(metrics, "pairlift_shadow_runs_total", { shadow: "dense:hash", outcome: "ok" }),
      ).toBe(1);
      // Stage names are the pipeline's own (`embed`, or `embed:hash`).
      expect(metrics).toMatch(
        /^pairlift_stage_duration_seconds_count\{pipeline="dense:hash",stage="embed[^"]*"\} 3$/m,
      );
      const monitor = (await (await fetch(`${url}/monitor`)).json()) as {
        shadow: { runs: number; meanOverlapAt10: Record<string, number> };
      };
      expect(monitor.shadow.runs).toBe(1);
      expect(monitor.shadow.meanOverlapAt10["dense:hash"]).toBe(run!.overlapAt10);
    } finally {
      await server.close();
    }
  });

  it("exports feedback as a BEIR folder that eval reads", async () => {
    const server = createServer({
      settings: testSettings({}, logPath),
      load: () => openServingSet({ indexDir: index.dir, configPath, defaultPipeline: "bm25" }),
    });
    const url = await server.start({ port: 0 });
    const search = async (query: string) =>
      (await post(`${url}/search`, { query })).body["queryId"] as string;
    const feedback = async (queryId: string, body: Record<string, string>) =>
      expect((await post(`${url}/feedback`, { queryId, ...body })).status).toBe(201);
    try {
      const q1 = await search("KT-2040 drill");
      await feedback(q1, { docId: "p1", signal: "click" });
      await feedback(q1, { docId: "p1", signal: "good" });
      await feedback(q1, { docId: "p6", signal: "bad" });
      const q1again = await search("kt-2040   DRILL"); // the same query, normalised
      await feedback(q1again, { docId: "p6", signal: "click" }); // a click does not undo "bad"
      const q3 = await search("filter for a shop vac");
      await feedback(q3, { signal: "missing", expectedDocId: "p3" });
      await feedback(q3, { docId: "p4", signal: "click" });
      await feedback(q3, { docId: "p4", signal: "bad" }); // a verdict outranks the click
      const q4 = await search("garden hose");
      await feedback(q4, { docId: "p4", signal: "bad" }); // negative only: nothing to score
    } finally {
      await server.close();
    }

    const out = join(tmp, "feedback-set");
    const report = await exportFeedback({ log: logPath, out });
    expect(report).toEqual({
      out,
      index: index.dir,
      feedbackEvents: 8,
      queries: 2,
      identifierQueries: 1,
      judgments: 4,
      relevant: 2,
      withoutRelevant: 1,
      unknownDocuments: 0,
    });
    const id1 = `fb-${sha256Text("kt-2040 drill").slice(0, 12)}`;
    const id3 = `fb-${sha256Text("filter for a shop vac").slice(0, 12)}`;
    const queries = (await readFile(join(out, "queries.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as unknown);
    expect(queries).toEqual([
      {
        _id: id1,
        text: "KT-2040 drill",
        metadata: { tags: ["identifier", "feedback"], pipelines: ["bm25"], feedbackEvents: 4 },
      },
      {
        _id: id3,
        text: "filter for a shop vac",
        metadata: { tags: ["feedback"], pipelines: ["bm25"], feedbackEvents: 3 },
      },
    ]);
    expect(await readFile(join(out, "qrels", "test.tsv"), "utf8")).toBe(
      `query-id\tcorpus-id\tscore\n${id1}\tp1\t1\n${id1}\tp6\t0\n${id3}\tp3\t1\n${id3}\tp4\t0\n`,
    );
    expect((await readFile(join(out, "corpus.jsonl"), "utf8")).trim().split("\n")).toHaveLength(6);

    const io = bufferIO();
    expect(await runCli(["eval", "--dataset", out, "--metrics", "ndcg@10"], io)).toBe(0);
    expect(io.out()).toMatch(/2 queries, 6 documents/);

    const cli = bufferIO();
    const again = join(tmp, "feedback-cli");
    expect(await runCli(["feedback", "export", "--log", logPath, "--out", again], cli)).toBe(0);
    expect(cli.out()).toContain(
      `exported 2 judged queries (1 identifier) with 4 judgments (2 relevant) from 8 feedback events to ${again}`,
    );
    expect(cli.out()).toContain("left out 1 queries whose feedback names no relevant document");
  });
});
