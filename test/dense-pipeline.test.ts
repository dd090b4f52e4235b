import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/config-file.js";
import { openDenseIndex } from "../src/dense/dense-index.js";
import { EmbeddingCache } from "../src/dense/embedding-cache.js";
import { evaluateDataset } from "../src/eval/evaluate-dataset.js";
import { createPipeline } from "../src/pipeline/pipeline.js";
import { cachedIndex } from "../src/store/index-cache.js";
import { HashingEmbedder } from "./support/hashing-embedder.js";

/** dense:<embedder> end to end on the demo catalogue, with a deterministic stand-in model. */
const demo = fileURLToPath(new URL("../data/demo", import.meta.url));
const tmp = await mkdtemp(join(tmpdir(), "pairlift-dense-"));
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe("dense pipelines", () => {
  // The first evaluation embeds the corpus into the cached demo index that every test here
  // reads; the tests only search it.
  const model = new HashingEmbedder();
  let embeddingCache: EmbeddingCache;
  let options: Parameters<typeof evaluateDataset>[0];
  let first: Awaited<ReturnType<typeof evaluateDataset>>;
  beforeAll(async () => {
    const config = await loadConfig();
    config.embedders["hash"] = { provider: "test-hashing" };
    embeddingCache = new EmbeddingCache(join(tmp, "embeddings.sqlite"));
    options = {
      dataset: demo,
      pipeline: "dense:hash",
      config,
      cacheRoot: join(tmp, "indexes"),
      embeddingCache,
      createEmbedder: () => Promise.resolve(model),
    };
    first = await evaluateDataset(options);
  });
  afterAll(() => embeddingCache.close());

  it("embeds the corpus once, persists the vectors beside the index, and then embeds nothing", async () => {
    expect(first.report.stats).toMatchObject({ embeddedTexts: 438 + 124, cacheHits: 0 });
    expect(first.report.aggregate["ndcg@10"]).toBeGreaterThan(0.2); // trigram overlap finds many SKUs
    expect([...first.run.values()].every((ranking) => ranking.size === 438)).toBe(true); // depth 1000 > corpus

    const second = await evaluateDataset(options);
    expect(second.report.stats).toMatchObject({ embeddedTexts: 0, cacheHits: 124 }); // vectors were stored with the index
    expect(second.report.aggregate).toEqual(first.report.aggregate);
  });

  it("refuses vectors built by another model, and missing vectors on an explicit index", async () => {
    const { index } = await cachedIndex({ source: { path: demo }, root: join(tmp, "indexes") });
    const changed = new HashingEmbedder(64, { lowercase: false });
    await expect(openDenseIndex(index, "hash", changed.identity)).rejects.toThrow(
      /the vectors for embedder "hash" were built with test-hashing\/trigrams@1 \{"dimension":64\}, but "hash" is now .*"lowercase":false/,
    );
    const config = await loadConfig();
    const cache = new EmbeddingCache(":memory:");
    await expect(
      createPipeline("dense:other", {
        index,
        config,
        cache,
        createEmbedder: () => Promise.resolve(new HashingEmbedder()),
      }),
    ).rejects.toThrow(
      /has no vectors for embedder "other"; build them with `pairlift index --index .* --embedder other`/,
    );
    cache.close();
  });

  it("answers a query with embed and dense timings", async () => {
    const { index } = await cachedIndex({ source: { path: demo }, root: join(tmp, "indexes") });
    const config = await loadConfig();
    const cache = new EmbeddingCache(":memory:");
    const pipeline = await createPipeline("dense:hash", {
      index,
      config,
      cache,
      createEmbedder: () => Promise.resolve(new HashingEmbedder()),
    });
    const result = await pipeline.search("KT-2040 drill", 5);
    expect(result.hits).toHaveLength(5);
    expect(Object.keys(result.timingsMs)).toEqual(
      expect.arrayContaining(["embed:hash", "dense:hash", "total"]),
    );
    await expect(pipeline.search("  ", 5)).rejects.toThrow(/query is empty/);
    await pipeline.close();
    cache.close();
  });
});
