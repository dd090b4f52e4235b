import { describe, expect, it } from "vitest";
import { bruteForce, recallAt, row } from "../../../test/support/vector-reference.js";
import { FlatInt8Index } from "./flat-int8.js";
import { FlatIndex } from "./flat.js";
import { GaussianMixture } from "./synthetic.js";

const D = 32;
const mixture = new GaussianMixture({ dimension: D, clusters: 30, spread: 1, seed: 11 });
const data = mixture.sample(2000, 1, false);
const queries = mixture.sample(100, 2, false);

describe("FlatInt8Index", () => {
  it.each(["cosine", "dot"] as const)(
    "recall@10 ≥ 0.99 against exact search at the default re-scoring (%s)",
    (metric) => {
      const index = new FlatInt8Index({ dimension: D, metric });
      index.add(data);
      const exact = new FlatIndex({ dimension: D, metric });
      exact.add(data);
      let recall = 0;
      let recallUnrescored = 0;
      for (let i = 0; i < 100; i += 1) {
        const query = row(queries, D, i);
        const truth = bruteForce(data, D, query, metric);
        const found = index.search(query, 10);
        recall += recallAt(found.slots, truth, 10) / 100;
        recallUnrescored +=
          recallAt(index.search(query, 10, { rescore: 0 }).slots, truth, 10) / 100;
        // Re-scored hits carry exact float32 scores, the same as the flat index gives.
        const flat = exact.search(query, 10);
        found.slots.forEach((slot, j) => {
          const at = Array.from(flat.slots).indexOf(slot);
          if (at >= 0) expect(found.scores[j]).toBe(flat.scores[at]);
        });
      }
      expect(recall).toBeGreaterThanOrEqual(0.99);
      // Without re-scoring the int8 ranking alone is good but not exact.
      expect(recallUnrescored).toBeGreaterThan(0.8);
      expect(recallUnrescored).toBeLessThanOrEqual(recall);
    },
  );

  it("rescore: 0 returns de-quantized scores close to the exact ones", () => {
    const index = new FlatInt8Index({ dimension: D });
    index.add(data);
    const query = row(queries, D, 0);
    const truth = bruteForce(data, D, query, "cosine");
    const byslot = new Map(truth.map((hit) => [hit.slot, hit.score]));
    const { slots, scores } = index.search(query, 10, { rescore: 0 });
    slots.forEach((slot, j) => expect(Math.abs(scores[j]! - byslot.get(slot)!)).toBeLessThan(0.02));
  });

  it("a larger rescore never lowers recall, and rescore = every vector is exact", () => {
    const index = new FlatInt8Index({ dimension: D });
    index.add(data);
    for (let i = 0; i < 20; i += 1) {
      const query = row(queries, D, i);
      const truth = bruteForce(data, D, query, "cosine");
      const all = index.search(query, 10, { rescore: 2000 });
      expect(Array.from(all.slots)).toEqual(truth.slice(0, 10).map((hit) => hit.slot));
    }
  });

  it("re-quantizes when later vectors widen the range: trickled adds answer like a bulk build", () => {
    const bulk = new FlatInt8Index({ dimension: D });
    bulk.add(data);
    const trickle = new FlatInt8Index({ dimension: D });
    for (let i = 0; i < 2000; i += 250) {
      trickle.add(data.subarray(i * D, (i + 250) * D));
      trickle.search(row(queries, D, 0), 5); // quantizes what it has so far
    }
    for (let i = 0; i < 20; i += 1) {
      const query = row(queries, D, i);
      expect(trickle.search(query, 10)).toEqual(bulk.search(query, 10));
      expect(trickle.search(query, 10, { rescore: 0 })).toEqual(
        bulk.search(query, 10, { rescore: 0 }),
      );
    }
  });

  it("a dimension that never varies quantizes to one code and does not break scoring", () => {
    const index = new FlatInt8Index({ dimension: 3, metric: "dot" });
    index.add([Float32Array.of(1, 0.5, 2), Float32Array.of(1, -0.5, 1), Float32Array.of(1, 0, 0)]);
    const { slots, scores } = index.search(Float32Array.of(1, 1, 1), 3, { rescore: 0 });
    expect(Array.from(slots)).toEqual([0, 1, 2]);
    expect(scores[0]).toBeCloseTo(3.5, 1);
  });

  it("takes 1.25× the flat index's memory (float32 kept for re-scoring, plus 1 byte per value)", () => {
    const index = new FlatInt8Index({ dimension: D });
    index.add(data);
    index.quantize();
    const flat = new FlatIndex({ dimension: D });
    flat.add(data);
    expect(index.memoryBytes() / flat.memoryBytes()).toBeCloseTo(1.25, 1);
  });
});
