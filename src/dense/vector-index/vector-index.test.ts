import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bruteForce, row, tempDir } from "../../../test/support/vector-reference.js";
import { isPairliftError } from "../../errors.js";
import { createVectorIndex } from "./create.js";
import type { CreateVectorIndexOptions } from "./create.js";
import { GaussianMixture } from "./synthetic.js";
import { loadVectorIndex } from "./vector-index.js";
import type { VectorIndex, VectorIndexKind } from "./vector-index.js";

/** The contract every kind keeps: slots, validation, removal, persistence. */

const D = 16;
const mixture = new GaussianMixture({ dimension: D, clusters: 12, spread: 0.8, seed: 7 });
const data = mixture.sample(600, 1, false);
const queries = mixture.sample(20, 2, false);
const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Every kind, plus an HNSW graph stored in f16 that re-scores against its float32 rows (the
 * i8 graph needs components in [−1, 1], which these unnormalised `dot` vectors break; its own
 * tests are in hnsw.test.ts). HNSW graphs are built on one thread (the default), so each is
 * the same graph every run and the exact-order checks below hold or fail every time: a graph
 * built on two threads depends on their interleaving, and with the `dot` metric on
 * unnormalised vectors such a graph may leave a vector unreachable now and then.
 */
const VARIANTS: Array<[string, VectorIndexKind, Partial<CreateVectorIndexOptions>]> = [
  ["flat", "flat", {}],
  ["flat-int8", "flat-int8", {}],
  ["hnsw", "hnsw", {}],
  ["hnsw (f16, rescore)", "hnsw", { quantization: "f16" }],
];

describe.each(VARIANTS)("%s index", (label, kind, variant) => {
  function createVectorIndexOf(options: CreateVectorIndexOptions): VectorIndex {
    return createVectorIndex(kind, { ...variant, ...options });
  }

  function build(metric: "cosine" | "dot" = "cosine"): VectorIndex {
    const index = createVectorIndexOf({ dimension: D, metric, efSearch: 200 });
    index.add(data);
    return index;
  }

  function results(index: VectorIndex, k = 10): Array<[number[], number[]]> {
    return Array.from({ length: 20 }, (_, i) => {
      const { slots, scores } = index.search(row(queries, D, i), k);
      return [Array.from(slots), Array.from(scores)];
    });
  }

  function expectError(run: () => unknown, code: string, message: RegExp): void {
    let caught: unknown;
    try {
      run();
    } catch (error) {
      caught = error;
    }
    expect(isPairliftError(caught), `expected a PairliftError, got ${String(caught)}`).toBe(true);
    expect((caught as { code: string }).code).toBe(code);
    expect((caught as Error).message).toMatch(message);
  }

  it("hands out dense slots in insertion order, from packed rows or an array of vectors", () => {
    const index = createVectorIndexOf({ dimension: D });
    expect(index.kind).toBe(kind);
    expect(index.add(data.subarray(0, 3 * D))).toBe(0);
    expect(index.add([row(data, D, 3), row(data, D, 4)])).toBe(3);
    expect(index.add(new Float32Array(0))).toBe(5);
    expect(index.size).toBe(5);
    expect(index.slotCount).toBe(5);
    const self = index.search(row(data, D, 4), 1);
    expect(Array.from(self.slots)).toEqual([4]);
    expect(self.scores[0]).toBeCloseTo(1, 5);
  });

  it("scores are similarities, best first, and k larger than the index returns every vector", () => {
    const index = createVectorIndexOf({ dimension: D, metric: "dot" });
    index.add(data.subarray(0, 40 * D));
    const { slots, scores } = index.search(row(queries, D, 0), 100);
    expect(slots.length).toBe(40);
    const truth = bruteForce(data.subarray(0, 40 * D), D, row(queries, D, 0), "dot");
    // Exact for HNSW too: with ef 100 over 40 nodes the search expands every node it can
    // reach, and the one-thread graph is the same every run, so this holds or fails every time.
    expect(Array.from(slots)).toEqual(truth.map((hit) => hit.slot));
    for (let i = 1; i < scores.length; i += 1)
      expect(scores[i]!).toBeLessThanOrEqual(scores[i - 1]!);
    expect(index.search(row(queries, D, 0), 0).slots.length).toBe(0);
  });

  it("refuses a vector of the wrong dimension, naming both dimensions, and keeps what it had", () => {
    const index = build();
    const before = results(index);
    expectError(
      () => index.add([row(data, D, 0), new Float32Array(D + 1)]),
      "E_FIELD",
      new RegExp(`vectors\\[1\\] has dimension ${D + 1}; this index expects dimension ${D}`),
    );
    expectError(
      () => index.add(new Float32Array(D * 2 + 3)),
      "E_FIELD",
      new RegExp(`${D * 2 + 3} values.*dimension ${D}`),
    );
    expectError(
      () => index.search(new Float32Array(D - 1), 5),
      "E_FIELD",
      new RegExp(`query has dimension ${D - 1}; this index expects dimension ${D}`),
    );
    expect(index.size).toBe(600);
    expect(results(index)).toEqual(before);
  });

  it("refuses NaN and ±Infinity in vectors and queries", () => {
    const index = build();
    const bad = data.slice(0, 3 * D);
    bad[D + 5] = Number.NaN;
    expectError(() => index.add(bad), "E_FIELD", /vectors\[1\]\[5\] is NaN/);
    const infinite = row(data, D, 0).slice();
    infinite[2] = Number.POSITIVE_INFINITY;
    expectError(() => index.add([infinite]), "E_FIELD", /vectors\[0\]\[2\] is Infinity/);
    expectError(() => index.search(infinite, 3), "E_FIELD", /query\[2\] is Infinity/);
    expect(index.slotCount).toBe(600);
  });

  it("refuses bad k and options", () => {
    const index = build();
    expectError(() => index.search(row(queries, D, 0), -1), "E_CONFIG", /k must be/);
    expectError(() => index.search(row(queries, D, 0), 1.5), "E_CONFIG", /k must be/);
    expectError(() => index.search(row(queries, D, 0), 3, { efSearch: 0 }), "E_CONFIG", /efSearch/);
    expectError(() => index.search(row(queries, D, 0), 3, { rescore: -2 }), "E_CONFIG", /rescore/);
  });

  it("never returns a removed slot", () => {
    const index = build();
    const query = row(queries, D, 3);
    const first = index.search(query, 10);
    const gone = new Set([first.slots[0]!, first.slots[3]!, 17]);
    for (const slot of gone) expect(index.remove(slot)).toBe(true);
    expect(index.remove(17)).toBe(false);
    expect(index.isRemoved(17)).toBe(true);
    expect(index.isRemoved(18)).toBe(false);
    expect(index.size).toBe(597);
    expect(index.slotCount).toBe(600);
    expectError(() => index.remove(600), "E_UNKNOWN_ID", /slot 600 does not exist/);
    for (let i = 0; i < 20; i += 1) {
      const { slots } = index.search(row(queries, D, i), 50);
      expect(slots.length).toBe(50);
      for (const slot of slots) expect(gone.has(slot)).toBe(false);
    }
    const self = index.search(row(data, D, 17), 5);
    expect(Array.from(self.slots)).not.toContain(17);
    // Adding after removals keeps counting slots on.
    expect(index.add(row(data, D, 17))).toBe(600);
    expect(Array.from(index.search(row(data, D, 17), 1).slots)).toEqual([600]);
  });

  it("removing everything leaves an index that finds nothing", () => {
    const index = createVectorIndexOf({ dimension: D });
    index.add(data.subarray(0, 5 * D));
    for (let slot = 0; slot < 5; slot += 1) index.remove(slot);
    expect(index.size).toBe(0);
    expect(index.search(row(queries, D, 0), 3).slots.length).toBe(0);
    expect(createVectorIndexOf({ dimension: D }).search(row(queries, D, 0), 3).slots.length).toBe(
      0,
    );
  });

  it("searchBatch answers like search, query by query", () => {
    const index = build();
    const batch = index.searchBatch(queries, 10, { threads: 2 });
    expect(batch.length).toBe(20);
    batch.forEach((result, i) => {
      const single = index.search(row(queries, D, i), 10);
      expect(Array.from(result.slots)).toEqual(Array.from(single.slots));
      expect(Array.from(result.scores)).toEqual(Array.from(single.scores));
    });
    expect(index.searchBatch([row(queries, D, 0)], 4)[0]!.slots.length).toBe(4);
  });

  it.each(["cosine", "dot"] as const)(
    "saves and loads (%s): same kind, parameters, slots, tombstones and results",
    async (metric) => {
      const index = build(metric);
      index.remove(5);
      index.remove(99);
      const path = join(dir, `${label.replace(/\W+/g, "-")}-${metric}.vectors`);
      const bytes = await index.save(path);
      expect(bytes).toBeGreaterThan(600 * D);
      const loaded = await loadVectorIndex(path);
      expect(loaded.kind).toBe(kind);
      expect(loaded.dimension).toBe(D);
      expect(loaded.metric).toBe(metric);
      expect(loaded.size).toBe(598);
      expect(loaded.slotCount).toBe(600);
      expect(loaded.isRemoved(99)).toBe(true);
      expect(results(loaded)).toEqual(results(index));
      // The loaded index keeps working: add, remove, save again.
      expect(loaded.add(row(data, D, 5))).toBe(600);
      expect(loaded.remove(600)).toBe(true);
      expect(loaded.remove(7)).toBe(true);
      const again = await loadVectorIndex(path);
      expect(again.size).toBe(598);
      await loaded.save(path);
      const third = await loadVectorIndex(path);
      expect(third.size).toBe(597);
      expect(results(third)).toEqual(results(loaded));
    },
  );
});
