import { describe, expect, it } from "vitest";
import { recallAt, row } from "../../../test/support/vector-reference.js";
import { FlatIndex } from "./flat.js";
import { HnswIndex } from "./hnsw.js";
import { GaussianMixture } from "./synthetic.js";

const D = 64;
const mixture = new GaussianMixture({ dimension: D, clusters: 50, spread: 1, seed: 5 });
const data = mixture.sample(5000, 1);
const queries = mixture.sample(100, 2);
const exact = new FlatIndex({ dimension: D });
exact.add(data);
const truth = Array.from({ length: 100 }, (_, i) => {
  const { slots, scores } = exact.search(row(queries, D, i), 10);
  return Array.from(slots, (slot, j) => ({ slot, score: scores[j]! }));
});

function recall(index: HnswIndex, efSearch?: number): number {
  let sum = 0;
  for (let i = 0; i < 100; i += 1) {
    const options = efSearch === undefined ? {} : { efSearch };
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
    slots.forEach((slot, j) => {
      let dot = 0;
      for (let d = 0; d < D; d += 1) dot += data[slot * D + d]! * queries[d]!;
      expect(scores[j]).toBeCloseTo(dot, 5);
    });
  });

  it("exposes its parameters and refuses bad ones", () => {
    expect([index.M, index.efConstruction, index.efSearch]).toEqual([16, 128, 64]);
    expect(() => new HnswIndex({ dimension: D, M: 1 })).toThrow(/M must be/);
    expect(() => new HnswIndex({ dimension: 0 })).toThrow(/dimension must be/);
    expect(index.memoryBytes()).toBeGreaterThan(5000 * D * 4);
  });
});
