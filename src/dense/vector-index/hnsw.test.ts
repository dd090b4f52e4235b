import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { recallAt, row, tempDir } from "../../../test/support/vector-reference.js";
import { FlatIndex } from "./flat.js";
import { HnswIndex } from "./hnsw.js";
import { GaussianMixture } from "./synthetic.js";
import { loadVectorIndex } from "./vector-index.js";

const D = 64;

/** 5,000 vectors and 100 queries of a seeded mixture, with each query's exact top 10. */
function dataset(clusters: number, seed: number) {
  const mixture = new GaussianMixture({ dimension: D, clusters, spread: 1, seed });
  const vectors = mixture.sample(5000, 1);
  const queryRows = mixture.sample(100, 2);
  const exact = new FlatIndex({ dimension: D });
  exact.add(vectors);
  const top10 = Array.from({ length: 100 }, (_, i) => {
    const { slots, scores } = exact.search(row(queryRows, D, i), 10);
    return Array.from(slots, (slot, j) => ({ slot, score: scores[j]! }));
  });
  return { vectors, queryRows, top10 };
}

const { vectors: data, queryRows: queries, top10: truth } = dataset(50, 5);

/** The exact dot product of stored row `slot` with the first query. */
function dotOf(vectors: Float32Array, slot: number, firstQuery: Float32Array): number {
  let dot = 0;
  for (let d = 0; d < D; d += 1) dot += vectors[slot * D + d]! * firstQuery[d]!;
  return dot;
}

function recall(index: HnswIndex, efSearch?: number, rescore?: number): number {
  let sum = 0;
  for (let i = 0; i < 100; i += 1) {
    const options = {
      ...(efSearch === undefined ? {} : { efSearch }),
      ...(rescore === undefined ? {} : { rescore }),
    };
    sum += recallAt(index.search(row(queries, D, i), 10, options).slots, truth[i]!, 10);
  }
  return sum / 100;
}

describe("HnswIndex", () => {
  const index = new HnswIndex({ dimension: D, M: 16, efConstruction: 128, efSearch: 64 });
  index.add(data);

  it("recall@10 ≥ 0.95 against exact search on 5,000 × 64 clustered vectors", () => {
    expect(index.size).toBe(5000);
    expect(recall(index)).toBeGreaterThanOrEqual(0.95);
  });

  it("efSearch per query trades recall for speed; the default can be changed", () => {
    const low = recall(index, 10);
    const high = recall(index, 256);
    expect(high).toBeGreaterThanOrEqual(low);
    expect(high).toBeGreaterThanOrEqual(0.99);
    index.efSearch = 256;
    expect(recall(index)).toBe(high);
    index.efSearch = 64;
    expect(() => (index.efSearch = 0)).toThrow(/efSearch/);
  });

  it("scores are the exact similarities of the hits", () => {
    const { slots, scores } = index.search(row(queries, D, 0), 10);
    slots.forEach((slot, j) => expect(scores[j]).toBeCloseTo(dotOf(data, slot, queries), 5));
  });

  it("a batch search on several threads works whatever threads the vectors were added with", () => {
    // usearch keeps as many search contexts as the threads of the add that last grew its
    // capacity, and each search thread needs one: a single-vector add, or an index on one
    // thread, must not make a 2-thread batch search fail ("Reserve capacity ahead of
    // searches!").
    for (const quantization of ["f32", "f16", "i8"] as const) {
      for (const buildThreads of [1, 2]) {
        const small = new HnswIndex({ dimension: D, buildThreads, quantization });
        // 511 vectors fill usearch's capacity of 512; the next add grows it.
        small.add(data.subarray(D, 512 * D));
        small.add(row(data, D, 0));
        // Enough queries that the two threads surely search at the same time.
        const batch = small.searchBatch(data.subarray(0, 3000 * D), 5, {
          threads: 2,
          efSearch: 200,
        });
        expect(batch.every((result) => result.slots.length === 5)).toBe(true);
      }
    }
  });

  it("builds a byte-identical graph from the same vectors, in one batch or several, on one build thread", async () => {
    const dir = tempDir();
    try {
      const build = async (name: string, batches: number, buildThreads?: number) => {
        const graph = new HnswIndex({ dimension: D, ...(buildThreads ? { buildThreads } : {}) });
        const per = 2000 / batches;
        for (let b = 0; b < batches; b += 1)
          graph.add(data.subarray(b * per * D, (b + 1) * per * D));
        await graph.save(join(dir, name));
        return { graph, bytes: readFileSync(join(dir, name)) };
      };
      const once = await build("once", 1);
      const again = await build("again", 1);
      const inFour = await build("in-four", 4);
      expect(once.graph.reproducible).toBe(true);
      expect(once.bytes.equals(again.bytes)).toBe(true);
      // Each add that grows the capacity inserts one vector; the rest fill the room it made,
      // so where the caller cut the batches does not show in the graph.
      expect(once.bytes.equals(inFour.bytes)).toBe(true);
      const threaded = await build("threaded", 1, 2);
      expect(threaded.graph.reproducible).toBe(false);
      expect(() => new HnswIndex({ dimension: D, buildThreads: 0 })).toThrow(/buildThreads/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exposes its parameters and refuses bad ones", () => {
    expect([index.M, index.efConstruction, index.efSearch]).toEqual([16, 128, 64]);
    expect(() => new HnswIndex({ dimension: D, M: 1 })).toThrow(/M must be/);
    expect(() => new HnswIndex({ dimension: 0 })).toThrow(/dimension must be/);
    expect(index.memoryBytes()).toBeGreaterThan(5000 * D * 4);
  });
});

describe("HnswIndex with a quantized graph", () => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // Tight clusters: near neighbours differ by less than int8 rounding can tell apart.
  const { vectors: tightData, queryRows: tightQueries, top10: tightTruth } = dataset(5, 9);
  const tightRecall = (index: HnswIndex, rescore?: number): number => {
    let sum = 0;
    for (let i = 0; i < 100; i += 1) {
      const options = { efSearch: 128, ...(rescore === undefined ? {} : { rescore }) };
      sum += recallAt(index.search(row(tightQueries, D, i), 10, options).slots, tightTruth[i]!, 10);
    }
    return sum / 100;
  };
  const i8 = new HnswIndex({ dimension: D, quantization: "i8", efConstruction: 128 });
  i8.add(tightData);

  it("i8 re-scores its candidates exactly: recall of the float graph, exact scores", () => {
    expect([i8.quantization, i8.size]).toEqual(["i8", 5000]);
    const rescored = tightRecall(i8);
    const graphOnly = tightRecall(i8, 0);
    expect(rescored).toBeGreaterThanOrEqual(0.98);
    // int8 rounding alone loses near neighbours that re-scoring finds again.
    expect(graphOnly).toBeLessThan(rescored - 0.03);
    const { slots, scores } = i8.search(row(tightQueries, D, 0), 10);
    slots.forEach((slot, j) =>
      expect(scores[j]).toBeCloseTo(dotOf(tightData, slot, tightQueries), 5),
    );
  });

  it("without re-scoring, i8 scores approximate the dot product", () => {
    const { slots, scores } = i8.search(row(tightQueries, D, 0), 5, { rescore: 0 });
    slots.forEach((slot, j) =>
      expect(Math.abs(scores[j]! - dotOf(tightData, slot, tightQueries))).toBeLessThan(0.05),
    );
    const plain = new HnswIndex({ dimension: D, quantization: "i8", rescore: false });
    plain.add(tightData.subarray(0, 50 * D));
    expect(plain.memoryBytes()).toBeLessThan(50 * D * 4);
    expect(i8.memoryBytes()).toBeGreaterThan(5000 * D * 5);
  });

  it("searchBatch re-scores like search", () => {
    const batch = i8.searchBatch(tightQueries.subarray(0, 10 * D), 10, { efSearch: 64 });
    batch.forEach((result, i) => {
      const single = i8.search(row(tightQueries, D, i), 10, { efSearch: 64 });
      expect(Array.from(result.slots)).toEqual(Array.from(single.slots));
      expect(Array.from(result.scores)).toEqual(Array.from(single.scores));
    });
  });

  it("saves and loads quantization, float rows and results", async () => {
    // A graph of its own: the removal must not change the graph the other tests search.
    const graph = new HnswIndex({ dimension: D, quantization: "i8" });
    graph.add(tightData.subarray(0, 1000 * D));
    const path = join(dir, "i8.vectors");
    graph.remove(3);
    await graph.save(path);
    const loaded = await loadVectorIndex(path);
    expect(loaded).toBeInstanceOf(HnswIndex);
    expect((loaded as HnswIndex).quantization).toBe("i8");
    expect(loaded.isRemoved(3)).toBe(true);
    for (let i = 0; i < 10; i += 1) {
      const query = row(tightQueries, D, i);
      expect(Array.from(loaded.search(query, 10).scores)).toEqual(
        Array.from(graph.search(query, 10).scores),
      );
    }
    const f16 = new HnswIndex({ dimension: D, quantization: "f16", rescore: false });
    f16.add(tightData.subarray(0, 100 * D));
    await f16.save(join(dir, "f16.vectors"));
    const f16Loaded = (await loadVectorIndex(join(dir, "f16.vectors"))) as HnswIndex;
    expect(f16Loaded.quantization).toBe("f16");
    expect(f16Loaded.memoryBytes()).toBe(f16.memoryBytes());
  });

  it("refuses what an i8 graph cannot store and options that make no sense", () => {
    const dot = new HnswIndex({ dimension: 4, metric: "dot", quantization: "i8" });
    dot.add(new Float32Array([0.5, -0.5, 0.5, 0.5]));
    expect(() => dot.add(new Float32Array([0.1, 0.2, 1.5, 0, 0, 0, 0, 0]))).toThrow(
      /vectors\[0\]\[2\] is 1\.5: an i8 HNSW graph stores components in \[−1, 1\]/,
    );
    expect(dot.size).toBe(1);
    expect(() => new HnswIndex({ dimension: D, rescore: true })).toThrow(
      /rescore needs a quantized/,
    );
    expect(() => new HnswIndex({ dimension: D, quantization: "b1" as unknown as "i8" })).toThrow(
      /quantization must be one of f32, f16, i8/,
    );
  });
});
