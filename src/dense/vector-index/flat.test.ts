import { describe, expect, it } from "vitest";
import { bruteForce, row } from "../../../test/support/vector-reference.js";
import { FlatIndex } from "./flat.js";
import { dotRow, dotRowsF32 } from "./kernels.js";
import { GaussianMixture, seededRandom } from "./synthetic.js";

const D = 32;
const mixture = new GaussianMixture({ dimension: D, clusters: 30, spread: 1, seed: 11 });
const data = mixture.sample(2000, 1, false);
const queries = mixture.sample(50, 2, false);

describe("FlatIndex", () => {
  it.each(["cosine", "dot"] as const)(
    "returns exactly the brute-force top 10 (%s, 2,000 × 32)",
    (metric) => {
      const index = new FlatIndex({ dimension: D, metric });
      index.add(data);
      for (let i = 0; i < 50; i += 1) {
        const query = row(queries, D, i);
        const truth = bruteForce(data, D, query, metric).slice(0, 10);
        const { slots, scores } = index.search(query, 10);
        expect(Array.from(slots)).toEqual(truth.map((hit) => hit.slot));
        truth.forEach((hit, j) => expect(scores[j]).toBeCloseTo(hit.score, 5));
      }
    },
  );

  it("grows by doubling across many small adds without changing results", () => {
    const bulk = new FlatIndex({ dimension: D });
    bulk.add(data);
    const trickle = new FlatIndex({ dimension: D });
    for (let i = 0; i < 2000; i += 7) {
      expect(trickle.add(data.subarray(i * D, Math.min(i + 7, 2000) * D))).toBe(i);
    }
    expect(trickle.slotCount).toBe(2000);
    expect(trickle.memoryBytes()).toBeLessThanOrEqual(2 * bulk.memoryBytes());
    for (let i = 0; i < 10; i += 1) {
      expect(trickle.search(row(queries, D, i), 10)).toEqual(bulk.search(row(queries, D, i), 10));
    }
  });

  it("keeps a copy: changing the caller's array later changes nothing", () => {
    const index = new FlatIndex({ dimension: D, metric: "dot" });
    const mine = data.slice(0, 10 * D);
    index.add(mine);
    const before = index.search(row(queries, D, 0), 3);
    mine.fill(100);
    expect(index.search(row(queries, D, 0), 3)).toEqual(before);
  });

  it("breaks score ties by the lower slot", () => {
    const index = new FlatIndex({ dimension: 4, metric: "dot" });
    const same = Float32Array.of(1, 0, 0, 0);
    index.add([Float32Array.of(0, 1, 0, 0), same, same, same, same]);
    expect(Array.from(index.search(same, 3).slots)).toEqual([1, 2, 3]);
  });

  it("cosine normalises stored vectors and queries; a zero vector scores 0", () => {
    const index = new FlatIndex({ dimension: 3 });
    index.add([Float32Array.of(3, 4, 0), Float32Array.of(0, 0, 0)]);
    const { slots, scores } = index.search(Float32Array.of(30, 40, 0), 2);
    expect(Array.from(slots)).toEqual([0, 1]);
    expect(scores[0]).toBeCloseTo(1, 6);
    expect(scores[1]).toBe(0);
  });
});

describe("the scan kernel", () => {
  it("scores any dimension and any row range like a plain loop, bit for bit with dotRow", () => {
    const random = seededRandom(3);
    for (const d of [1, 2, 3, 5, 8, 31, 384]) {
      const rows = 11;
      const matrix = Float32Array.from({ length: rows * d }, () => random() - 0.5);
      const q = Float32Array.from({ length: d }, () => random() - 0.5);
      const out = new Float64Array(rows);
      dotRowsF32(matrix, d, q, 2, rows, out);
      for (let r = 2; r < rows; r += 1) {
        let plain = 0;
        for (let j = 0; j < d; j += 1) plain += q[j]! * matrix[r * d + j]!;
        expect(out[r - 2]).toBeCloseTo(plain, 10);
        expect(out[r - 2]).toBe(dotRow(matrix, r * d, d, q));
      }
    }
  });
});
