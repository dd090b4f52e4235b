import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CachedEmbedder } from "./cached-embedder.js";
import type { EmbedOptions, Embedder, EmbedderIdentity } from "./embedder.js";
import { EmbeddingCache, identityKey } from "./embedding-cache.js";

const tmp = await mkdtemp(join(tmpdir(), "pairlift-cache-"));
afterAll(() => rm(tmp, { recursive: true, force: true }));

/** A deterministic fake model that counts what it was asked to embed. */
class CountingEmbedder implements Embedder {
  calls: string[][] = [];
  readonly normalized = false;
  constructor(
    readonly identity: EmbedderIdentity,
    readonly dimension: number,
  ) {}
  embed(texts: readonly string[], options: EmbedOptions): Promise<Float32Array[]> {
    this.calls.push([...texts]);
    const roleBit = options.role === "query" ? 1 : 0;
    return Promise.resolve(
      texts.map((text) =>
        Float32Array.from({ length: this.dimension }, (_, i) => text.length + i + roleBit),
      ),
    );
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const modelA: EmbedderIdentity = {
  provider: "fake",
  model: "a",
  revision: "1",
  options: { pooling: "mean" },
};
const modelB: EmbedderIdentity = { ...modelA, model: "b" };

describe("EmbeddingCache", () => {
  it("embeds each text once per model, across processes (re-opened file)", async () => {
    const path = join(tmp, "cache.sqlite");
    const first = new CountingEmbedder(modelA, 4);
    const cache = new EmbeddingCache(path);
    const cached = new CachedEmbedder(first, cache);
    const vectors = await cached.embed(["drill", "hose", "drill"], { role: "document" });
    expect(vectors.map((vector) => vector[0])).toEqual([5, 4, 5]);
    expect(first.calls).toEqual([["drill", "hose"]]);
    expect(cached.stats).toEqual({ embeddedTexts: 2, cacheHits: 0 });
    cache.close();

    const reopened = new EmbeddingCache(path);
    const again = new CountingEmbedder(modelA, 4);
    const warm = new CachedEmbedder(again, reopened);
    expect(await warm.embed(["hose", "drill", "saw"], { role: "document" })).toEqual([
      Float32Array.from([4, 5, 6, 7]),
      Float32Array.from([5, 6, 7, 8]),
      Float32Array.from([3, 4, 5, 6]),
    ]);
    expect(again.calls).toEqual([["saw"]]);
    expect(warm.stats).toEqual({ embeddedTexts: 1, cacheHits: 2 });

    // Another model, or another role, embeds only what it has not seen.
    const other = new CountingEmbedder(modelB, 4);
    await new CachedEmbedder(other, reopened).embed(["drill"], { role: "document" });
    expect(other.calls).toEqual([["drill"]]);
    const queries = new CountingEmbedder(modelA, 4);
    expect(
      (await new CachedEmbedder(queries, reopened).embed(["drill"], { role: "query" }))[0]![0],
    ).toBe(6);
    expect(queries.calls).toEqual([["drill"]]);
    reopened.close();
  });

  it("refuses vectors whose dimension differs from the model's earlier vectors", async () => {
    const cache = new EmbeddingCache(":memory:");
    await new CachedEmbedder(new CountingEmbedder(modelA, 4), cache).embed(["a"], {
      role: "document",
    });
    const wider = new CachedEmbedder(new CountingEmbedder(modelA, 8), cache);
    await expect(wider.embed(["b"], { role: "document" })).rejects.toThrow(
      /has dimension 8, but this model's cached vectors have dimension 4; refusing to mix them/,
    );
    // Nothing already stored was lost.
    const again = new CountingEmbedder(modelA, 4);
    await new CachedEmbedder(again, cache).embed(["a"], { role: "document" });
    expect(again.calls).toEqual([]);
  });

  it("keys identities canonically: option order does not matter, option values do", () => {
    expect(identityKey({ ...modelA, options: { a: 1, b: 2 } })).toBe(
      identityKey({ ...modelA, options: { b: 2, a: 1 } }),
    );
    expect(identityKey({ ...modelA, options: { a: 1 } })).not.toBe(
      identityKey({ ...modelA, options: { a: 2 } }),
    );
  });

  it("reports stats and prunes models by name or age", async () => {
    const cache = new EmbeddingCache(join(tmp, "stats.sqlite"));
    await new CachedEmbedder(new CountingEmbedder(modelA, 4), cache).embed(["a", "b"], {
      role: "document",
    });
    await new CachedEmbedder(new CountingEmbedder(modelB, 2), cache).embed(["a"], {
      role: "document",
    });
    const stats = cache.stats();
    expect(
      stats.map((model) => [model.model, model.vectors, model.bytes, model.dimension]).sort(),
    ).toEqual([
      ["a", 2, 32, 4],
      ["b", 1, 8, 2],
    ]);
    expect(cache.prune({ olderThanDays: 1 })).toEqual({ models: 0, vectors: 0 });
    expect(cache.prune({ models: ["fake/a"] })).toEqual({ models: 1, vectors: 2 });
    expect(cache.stats().map((model) => model.model)).toEqual(["b"]);
    cache.close();
  });
});
