import { mkdir, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bufferIO } from "../src/cli/io.js";
import { runCli } from "../src/cli/program.js";
import { denseDir, type DenseManifest } from "../src/dense/dense-index.js";
import { HnswIndex } from "../src/dense/vector-index/hnsw.js";
import { loadVectorIndex } from "../src/dense/vector-index/vector-index.js";
import { cacheDir } from "../src/store/cache-dir.js";
import { openIndex } from "../src/store/index-store.js";

/**
 * Dense retrieval through the CLI with the built-in GloVe embedder (real pre-trained vectors
 * shipped on npm). Uses the default cache directory, so the one-off GloVe conversion is shared
 * with the other tests of the run.
 */
const demo = fileURLToPath(new URL("../data/demo", import.meta.url));
const tmp = await mkdtemp(join(tmpdir(), "pairlift-cli-dense-"));
afterAll(() => rm(tmp, { recursive: true, force: true }));

interface CliResult {
  code: number;
  out: string;
  err: string;
}

async function cli(...argv: string[]): Promise<CliResult> {
  const io = bufferIO();
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

async function searchJson(dir: string, pipeline: string, query: string) {
  const search = await cli("search", "--index", dir, "--pipeline", pipeline, query, "--json");
  expect(search.code, search.err).toBe(0);
  return (JSON.parse(search.out) as { results: Array<{ id: string; score: number }> }).results;
}

describe("pairlift index --embedder / search --pipeline dense:", () => {
  // Every test here searches (and none changes) the demo index with flat GloVe vectors built here.
  const indexDir = join(tmp, "index");
  let built: CliResult;
  beforeAll(async () => {
    built = await cli("index", demo, "--index", indexDir, "--embedder", "glove");
  });

  it("stores GloVe vectors beside the BM25 index and searches them", async () => {
    expect(built.code, built.err).toBe(0);
    expect(built.out).toMatch(
      /embedded 438 documents with glove in [\d.]+ s \(\d+ by the model, \d+ from the cache\), 100-d, flat index/,
    );

    const search = await cli(
      "search",
      "--index",
      indexDir,
      "--pipeline",
      "dense:glove",
      "cordless drill",
      "--json",
    );
    expect(search.code, search.err).toBe(0);
    const json = JSON.parse(search.out) as {
      results: Array<{ title: string }>;
      timingsMs: Record<string, number>;
    };
    expect(json.results).toHaveLength(10);
    expect(Object.keys(json.timingsMs)).toEqual(
      expect.arrayContaining(["embed:glove", "dense:glove", "total"]),
    );
    // GloVe places "cordless" beside battery-powered, rechargeable things: no shared word needed.
    const related = json.results.filter((result) =>
      /drill|batter|recharge|cordless/i.test(result.title),
    );
    expect(related.length).toBeGreaterThanOrEqual(5);
  });

  it("a hybrid search shows where each retriever put each result and the fused score", async () => {
    const search = await cli(
      "search",
      "--index",
      indexDir,
      "--pipeline",
      "hybrid:glove",
      // No identifier: the exact-match guard leaves the fused order as it is.
      "cordless drill driver",
      "--json",
    );
    expect(search.code, search.err).toBe(0);
    const json = JSON.parse(search.out) as {
      results: Array<{
        id: string;
        score: number;
        fused: number;
        retrievers: Record<string, { rank: number; score: number }>;
      }>;
    };
    const top = json.results[0]!;
    expect(top.fused).toBe(top.score);
    // Found by both paths, and its RRF score is the sum of 1/(60 + rank) over them.
    expect(Object.keys(top.retrievers).sort()).toEqual(["dense:glove", "lexical"]);
    const rrf = Object.values(top.retrievers).reduce((sum, p) => sum + 1 / (60 + p.rank), 0);
    expect(top.fused).toBeCloseTo(rrf, 12);
    const text = await cli(
      "search",
      "--index",
      indexDir,
      "--pipeline",
      "hybrid:glove",
      "drill driver",
    );
    expect(text.out).toMatch(
      /lexical #\d+ \([\d.]+\) · dense:glove #\d+ \([\d.]+\) · fused [\d.]+/,
    );
  });

  it("puts the product that is the identifier first, and a dense path with no vector for the query abstains", async () => {
    // GloVe knows no `kt2040`: its query vector is zero. Fusing its scores (all 0, index order)
    // used to put jigsaw blades first; the path now abstains and says so.
    const text = await cli("search", "--index", indexDir, "--pipeline", "hybrid:glove", "kt2040");
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(
      /^ {2}1\. [\d.]+ {2}p0057 {2}Kestrel KT-2040 18V Brushless Drill Driver\n(.*\n)* {6}guard: exact identifier\n/,
    );
    expect(text.out).toContain("degraded: dense:glove has no vector for this query\n");
    expect(text.out).not.toContain("dense:glove #");
    // Nothing anywhere: no results (the zero_results monitor's case), not the first documents.
    const nothing = await cli(
      "search",
      "--index",
      indexDir,
      "--pipeline",
      "hybrid:glove",
      "zzqqxx",
    );
    expect(nothing.out).toBe(
      'no documents match "zzqqxx"\ndegraded: dense:glove has no vector for this query\n',
    );
    const json = JSON.parse(
      (await cli("search", "--index", indexDir, "--pipeline", "dense:glove", "zzqqxx", "--json"))
        .out,
    ) as { results: unknown[]; degraded: { kind: string; stage: string } };
    expect(json.results).toEqual([]);
    expect(json.degraded).toMatchObject({ kind: "abstained", stage: "dense:glove" });
  });

  it("builds an i8 HNSW graph with the given parameters that finds what the flat index finds", async () => {
    const hnswDir = join(tmp, "hnsw-index");
    const built = await cli(
      "index",
      demo,
      "--index",
      hnswDir,
      "--embedder",
      "glove",
      "--vector-index",
      "hnsw",
      "--hnsw-m",
      "8",
      "--hnsw-ef-search",
      "100",
      "--hnsw-quantization",
      "i8",
    );
    expect(built.code, built.err).toBe(0);
    expect(built.out).toMatch(/100-d, hnsw index\n/);
    const stored = await loadVectorIndex(
      join(denseDir(await openIndex(hnswDir), "glove"), "vectors.bin"),
    );
    expect(stored).toBeInstanceOf(HnswIndex);
    const graph = stored as HnswIndex;
    expect([graph.M, graph.efSearch, graph.quantization]).toEqual([8, 100, "i8"]);
    const exact = await searchJson(indexDir, "dense:glove", "drill");
    const approximate = await searchJson(hnswDir, "dense:glove", "drill");
    // HNSW promises recall, not the exact list: with 438 vectors and efSearch 100 the search
    // holds about a quarter of the collection as candidates, so at most one of the exact top 10
    // may be missed (a graph that lost more would be broken, not unlucky).
    const exactScores = new Map(exact.map((hit) => [hit.id, hit.score]));
    const found = approximate.filter((hit) => exactScores.has(hit.id));
    expect(approximate).toHaveLength(10);
    expect(found.length).toBeGreaterThanOrEqual(9);
    // Re-scoring is exact: whatever the graph found carries the flat index's score.
    for (const hit of found) expect(hit.score).toBeCloseTo(exactScores.get(hit.id)!, 5);
    const refused = await cli("index", demo, "--index", hnswDir, "--hnsw-quantization", "i4");
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/i4.*(f32|choices)/);
  });

  it("builds byte-identical HNSW graphs from the same input by default, and says when a build is not reproducible", async () => {
    const build = async (name: string, ...extra: string[]) => {
      const dir = join(tmp, name);
      const result = await cli(
        "index",
        demo,
        "--index",
        dir,
        "--embedder",
        "glove",
        "--vector-index",
        "hnsw",
        ...extra,
      );
      expect(result.code, result.err).toBe(0);
      const dense = denseDir(await openIndex(dir), "glove");
      const manifest = JSON.parse(
        await readFile(join(dense, "manifest.json"), "utf8"),
      ) as DenseManifest;
      return { out: result.out, manifest, bytes: await readFile(join(dense, "vectors.bin")) };
    };
    const first = await build("reproducible-1");
    const second = await build("reproducible-2");
    expect(first.manifest.reproducible).toBe(true);
    expect(first.bytes.equals(second.bytes)).toBe(true);
    const threaded = await build("threaded", "--hnsw-threads", "2");
    expect(threaded.manifest.reproducible).toBe(false);
    expect(threaded.out).toMatch(/hnsw index \(built on several threads: not reproducible\)/);
  });

  it("says how to build vectors an index lacks", async () => {
    const missing = await cli("search", "--index", indexDir, "--pipeline", "dense:use", "drill");
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(
      /has no vectors for embedder "use"; build them with `pairlift index --index .* --embedder use`/,
    );
  });
});

describe("pairlift cache", () => {
  // This describe prunes the embedding cache, so it gets one of its own: another test file
  // embedding the demo at the same time must neither lose its vectors nor refill ours. The
  // GloVe table converted once for the whole run is shared through a link.
  const indexDir = join(tmp, "cache-index");
  let previousCacheDir: string | undefined;
  beforeAll(async () => {
    const shared = cacheDir("static-vectors");
    await mkdir(shared, { recursive: true });
    previousCacheDir = process.env["PAIRLIFT_CACHE_DIR"];
    const own = join(tmp, "cache");
    await mkdir(own, { recursive: true });
    await symlink(shared, join(own, "static-vectors"));
    process.env["PAIRLIFT_CACHE_DIR"] = own;
    const built = await cli("index", demo, "--index", indexDir, "--embedder", "glove");
    expect(built.code, built.err).toBe(0);
  });
  afterAll(() => {
    if (previousCacheDir === undefined) delete process.env["PAIRLIFT_CACHE_DIR"];
    else process.env["PAIRLIFT_CACHE_DIR"] = previousCacheDir;
  });

  it("reports the cache per model and prunes a model, after which vectors are re-embedded", async () => {
    const stats = await cli("cache", "stats", "--json");
    const models = (
      JSON.parse(stats.out) as {
        models: Array<{ provider: string; model: string; vectors: number }>;
      }
    ).models;
    expect(models.find((model) => model.provider === "static")?.vectors).toBe(438);
    expect((await cli("cache", "prune", "--model", "static/glove-6b-100d")).out).toMatch(
      /pruned \d+ models?, \d+ vectors/,
    );
    const rebuilt = await cli("index", "--index", indexDir, "--embedder", "glove");
    expect(rebuilt.out).toMatch(/\(438 by the model, 0 from the cache\)/);
    expect((await cli("cache", "prune")).err).toMatch(/say what to prune/);
  });
});
