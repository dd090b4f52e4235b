import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type PairliftConfig } from "../src/config/config-file.js";
import { EmbeddingCache } from "../src/dense/embedding-cache.js";
import { evaluateDataset } from "../src/eval/evaluate-dataset.js";
import { fuse } from "../src/fusion/fuse.js";
import { trainReranker } from "../src/lab/train-reranker.js";
import { tuneFusion } from "../src/lab/tune-fusion.js";
import { createPipeline, type PipelineContext } from "../src/pipeline/pipeline.js";
import type { Reranker } from "../src/rerank/reranker.js";
import { writeLearnedModel } from "../src/rerank/learned/model-file.js";
import { cachedIndex } from "../src/store/index-cache.js";
import type { OpenIndex } from "../src/store/index-store.js";
import { HashingEmbedder } from "./support/hashing-embedder.js";
import { sharedPath } from "./support/shared.js";

const tinyCrossEncoder = sharedPath("models/tiny-cross-encoder");

/** Hybrid pipelines, rerank budgets and the trainable stages, on the demo catalogue. */
const demo = fileURLToPath(new URL("../data/demo", import.meta.url));
const tmp = await mkdtemp(join(tmpdir(), "pairlift-hybrid-"));
const cache = new EmbeddingCache(":memory:");
let index: OpenIndex;
afterAll(async () => {
  cache.close();
  await rm(tmp, { recursive: true, force: true });
});
beforeAll(async () => {
  ({ index } = await cachedIndex({ source: { path: demo }, root: join(tmp, "indexes") }));
});

async function configWith(yaml: string): Promise<PairliftConfig> {
  const path = join(tmp, `config-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(path, `embedders:\n  hash: { provider: test-hashing }\n${yaml}`);
  return loadConfig(path);
}

function context(config: PairliftConfig, reranker?: Reranker): PipelineContext {
  return {
    index,
    config,
    cache,
    buildMissing: true,
    createEmbedder: () => Promise.resolve(new HashingEmbedder()),
    ...(reranker === undefined ? {} : { createReranker: () => Promise.resolve(reranker) }),
  };
}

/** A text reranker that prefers shorter documents, optionally slow or failing. */
function fakeReranker(behaviour: { delayMs?: number; fail?: boolean; wrongCount?: boolean } = {}) {
  let aborted = false;
  const reranker: Reranker & { aborted: () => boolean } = {
    identity: { provider: "fake", model: "shortest-first", options: {} },
    aborted: () => aborted,
    score: async (_query, candidates, options) => {
      if (behaviour.delayMs !== undefined)
        await new Promise<void>((done) => {
          const timer = setTimeout(done, behaviour.delayMs);
          options?.signal?.addEventListener("abort", () => {
            aborted = true;
            clearTimeout(timer);
            done();
          });
        });
      if (behaviour.fail === true) throw new Error("model crashed");
      const scores = Float64Array.from(candidates, (c) => -c.text.length);
      return behaviour.wrongCount === true ? scores.subarray(1) : scores;
    },
    close: () => Promise.resolve(),
  };
  return reranker;
}

const RERANKED = `rerankers:\n  fake: { provider: fake }\npipelines:\n  reranked:\n    retrievers: [ { lexical: { depth: 50 } }, { dense: { embedder: hash, depth: 50 } } ]\n    fusion: { method: rrf, k: 60 }\n    rerank: { reranker: fake, depth: 5, budgetMs: 200 }\n`;

describe("hybrid pipelines", () => {
  it("hybrid:<embedder> fuses BM25 and the dense path with RRF k=60, and says where each hit came from", async () => {
    const config = await configWith("");
    const pipeline = await createPipeline("hybrid:hash", context(config));
    // No identifier in the query: the exact-match guard leaves the fused order alone.
    const result = await pipeline.search("cordless drill driver", 10);
    const retrieved = result.retrieved!;
    expect(Object.keys(retrieved)).toEqual(["lexical", "dense:hash"]);
    expect(retrieved["lexical"]!.length).toBeLessThanOrEqual(100);
    const expected = fuse(
      [
        { retriever: "lexical", hits: retrieved["lexical"]! },
        { retriever: "dense:hash", hits: retrieved["dense:hash"]! },
      ],
      { method: "rrf", k: 60 },
      10,
    );
    expect(result.hits.map((hit) => hit.id)).toEqual(expected.map((hit) => hit.id));
    const top = result.hits[0]!;
    expect(top.fused).toBeCloseTo(expected[0]!.score, 12);
    // RRF arithmetic from the recorded positions: Σ 1 / (60 + rank).
    const fromPositions = Object.values(top.retrievers!).reduce(
      (sum, p) => sum + 1 / (60 + p.rank),
      0,
    );
    expect(top.score).toBeCloseTo(fromPositions, 12);
    expect(Object.keys(result.timingsMs)).toEqual(
      expect.arrayContaining(["lexical", "embed:hash", "dense:hash", "fusion", "total"]),
    );
    await pipeline.close();
  });

  it("a configured weight of 0 for the dense path gives exactly BM25's order", async () => {
    const config = await configWith(
      `pipelines:\n  lexical-only:\n    retrievers: [ { lexical: {} }, { dense: { embedder: hash } } ]\n    fusion: { method: weighted, normalization: minmax, weights: { "dense:hash": 0 } }\n`,
    );
    const pipeline = await createPipeline("lexical-only", context(config));
    const bm25 = await createPipeline("bm25", context(config));
    const query = "bosch professional drill";
    const fused = await pipeline.search(query, 10);
    const plain = await bm25.search(query, 10);
    expect(fused.hits.map((h) => h.id)).toEqual(plain.hits.map((h) => h.id));
    await Promise.all([pipeline.close(), bm25.close()]);
  });

  it("refuses unknown pipelines and rerankers with the names it knows", async () => {
    const config = await configWith(RERANKED);
    await expect(createPipeline("hybird:hash", context(config))).rejects.toThrow(
      /unknown pipeline "hybird:hash"; available: bm25, dense:<embedder>, hybrid:<embedder>.*reranked/,
    );
    const noReranker = await configWith(
      `pipelines:\n  p:\n    retrievers: [ { lexical: {} } ]\n    rerank: { reranker: nope }\n`,
    );
    await expect(createPipeline("p", { ...context(noReranker) })).rejects.toThrow(
      /no reranker named "nope"; the config defines none/,
    );
    await expect(configWith(`pipelines:\n  p:\n    retrievers: []\n`)).rejects.toThrow(
      /pipelines\.p\.retrievers/,
    );
  });
});

describe("rerank stage", () => {
  it("reranks the head, keeps the fused tail below it, and records both scores", async () => {
    const config = await configWith(RERANKED);
    const pipeline = await createPipeline("reranked", context(config, fakeReranker()));
    const result = await pipeline.search("cordless drill", 10);
    expect(result.degraded).toBeUndefined();
    const head = result.hits.slice(0, 5);
    const lengths = head.map((hit) => -hit.rerank!);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b)); // shortest first
    expect(result.hits.slice(5).every((hit) => hit.rerank === undefined)).toBe(true);
    const scores = result.hits.map((hit) => hit.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a)); // monotone: a TREC run keeps this order
    expect(result.timingsMs["rerank"]).toBeGreaterThanOrEqual(0);
    await pipeline.close();
  });

  it("over budget: returns the fused order marked degraded, and aborts the reranker", async () => {
    const config = await configWith(RERANKED);
    const slow = fakeReranker({ delayMs: 5_000 });
    const pipeline = await createPipeline("reranked", context(config, slow));
    const plain = await createPipeline("hybrid:hash", context(config));
    const result = await pipeline.search("cordless drill", 10);
    expect(result.degraded).toMatchObject({ stage: "rerank", kind: "timeout" });
    expect(result.degraded!.message).toMatch(/longer than its 200 ms budget/);
    expect(slow.aborted()).toBe(true);
    const fused = await plain.search("cordless drill", 10);
    expect(result.hits.map((h) => h.id)).toEqual(fused.hits.map((h) => h.id));
    await Promise.all([pipeline.close(), plain.close()]);
  });

  it("a failing or misbehaving reranker degrades the answer instead of failing the query", async () => {
    const config = await configWith(RERANKED);
    for (const [behaviour, pattern] of [
      [{ fail: true }, /failed \(model crashed\)/],
      [{ wrongCount: true }, /returned 4 scores for 5 candidates/],
    ] as const) {
      const pipeline = await createPipeline("reranked", context(config, fakeReranker(behaviour)));
      const result = await pipeline.search("cordless drill", 10);
      expect(result.degraded?.kind).toBe("error");
      expect(result.degraded?.message).toMatch(pattern);
      expect(result.hits).toHaveLength(10);
      await pipeline.close();
    }
  });

  it("a reranker that throws synchronously (a learned model missing a feature) degrades too", async () => {
    const config = await configWith(RERANKED);
    const throwing: Reranker = {
      identity: { provider: "fake", model: "throws", options: {} },
      score: () => {
        throw new Error("needs feature dense:glove.score");
      },
      close: () => Promise.resolve(),
    };
    const pipeline = await createPipeline("reranked", context(config, throwing));
    const result = await pipeline.search("cordless drill", 10);
    expect(result.degraded?.message).toMatch(/failed \(needs feature dense:glove\.score\)/);
    expect(result.hits).toHaveLength(10);
    await pipeline.close();
  });

  it("a failing dense path degrades a hybrid to its lexical answer", async () => {
    const config = await configWith("");
    const broken = new HashingEmbedder();
    const pipeline = await createPipeline("hybrid:hash", {
      ...context(config),
      createEmbedder: () => Promise.resolve(broken),
    });
    broken.embed = () => Promise.reject(new Error("embedding API unreachable"));
    // A query no earlier test embedded, so the embedding cache cannot answer it.
    const result = await pipeline.search("cordless drill never embedded before", 5);
    expect(result.degraded).toMatchObject({ stage: "dense:hash", kind: "error" });
    expect(result.hits.length).toBe(5);
    expect(Object.keys(result.retrieved!)).toEqual(["lexical"]);
    await expect(pipeline.search("", 5)).rejects.toThrow(/query is empty/); // the user's error still fails
    await pipeline.close();
  });
});

describe.runIf(tinyCrossEncoder.present)("cross-encoder in a configured pipeline", () => {
  it("loads an onnx-cross-encoder from the config and reranks the fused head with its scores", async () => {
    const config = await configWith(
      `rerankers:\n  ce: { provider: onnx-cross-encoder, model: ${tinyCrossEncoder.path}, maxLength: 128, batchSize: 4 }\npipelines:\n  ce:\n    retrievers: [ { lexical: { depth: 20 } }, { dense: { embedder: hash, depth: 20 } } ]\n    rerank: { reranker: ce, depth: 8, budgetMs: 30000 }\n`,
    );
    const pipeline = await createPipeline("ce", context(config));
    const result = await pipeline.search("cordless drill with two batteries", 10);
    expect(result.degraded).toBeUndefined();
    const head = result.hits.slice(0, 8);
    expect(head.every((hit) => Number.isFinite(hit.rerank))).toBe(true);
    const reranks = head.map((hit) => hit.rerank!);
    expect(reranks).toEqual([...reranks].sort((a, b) => b - a));
    expect(result.hits[8]!.rerank).toBeUndefined();
    await pipeline.close();
  });
});

describe("trained stages", () => {
  it("train-reranker learns from train judgments; the learned reranker beats its first stage on demo train", async () => {
    const config = await configWith(
      `rerankers:\n  ltr: { provider: learned, model: ./ltr.json }\npipelines:\n  ltr:\n    retrievers: [ { lexical: { depth: 50 } }, { dense: { embedder: hash, depth: 50 } } ]\n    rerank: { reranker: ltr, depth: 30 }\n`,
    );
    const common = {
      config,
      dataset: demo,
      cacheRoot: join(tmp, "indexes"),
      embeddingCache: cache,
      createEmbedder: () => Promise.resolve(new HashingEmbedder()),
    };
    const trained = await trainReranker({ ...common, split: "train", pipeline: "ltr", trees: 40 });
    expect(trained.model.features).toContain("identifier.all");
    expect(trained.model.trees.length).toBeGreaterThan(0);
    expect(trained.queries.train).toBeGreaterThan(20);
    expect(trained.heldOut?.queries).toBeGreaterThan(0);
    expect(trained.model.trees).toHaveLength(40); // no early stopping on the final fit
    await writeLearnedModel(join(tmp, "ltr.json"), trained.model);
    const reranked = await evaluateDataset({ ...common, split: "train", pipeline: "ltr" });
    const firstStage = await evaluateDataset({
      ...common,
      split: "train",
      pipeline: "hybrid:hash",
    });
    expect(reranked.report.aggregate["ndcg@10"]!).toBeGreaterThan(
      firstStage.report.aggregate["ndcg@10"]!,
    );
    expect(reranked.report.latency.stages).toHaveProperty("rerank");
    expect(reranked.report.stats.degradedQueries).toBe(0);
  });

  it("tune-fusion searches on train only and reports the default and each single path", async () => {
    const config = await configWith("");
    const tuned = await tuneFusion({
      config,
      dataset: demo,
      pipeline: "hybrid:hash",
      trainSplit: "train",
      testSplit: "test",
      cacheRoot: join(tmp, "indexes"),
      embeddingCache: cache,
      createEmbedder: () => Promise.resolve(new HashingEmbedder()),
    });
    expect(tuned.search).toBe("grid");
    expect(tuned.searched).toBe(9 * 10);
    expect(tuned.train.tuned).toBeGreaterThanOrEqual(tuned.train.default);
    expect(tuned.train.tuned).toBeGreaterThanOrEqual(tuned.train.single["lexical"]!); // weight 0 was a candidate
    expect(tuned.test?.queries).toBeGreaterThan(0);
    expect(tuned.leaderboard[0]!.value).toBe(tuned.train.tuned);
    // The file it writes is usable as `fusion: { tuned: FILE }`.
    await writeFile(join(tmp, "tuned.json"), JSON.stringify(tuned));
    const usesIt = await configWith(
      `pipelines:\n  tuned:\n    retrievers: [ { lexical: {} }, { dense: { embedder: hash } } ]\n    fusion: { tuned: ./tuned.json }\n`,
    );
    const pipeline = await createPipeline("tuned", context(usesIt));
    expect((await pipeline.search("drill", 3)).hits).toHaveLength(3);
    await pipeline.close();
  });
});
