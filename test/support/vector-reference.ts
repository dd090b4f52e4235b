/**
 * Brute-force references for the vector index tests (src/dense/vector-index/*.test.ts): plain
 * float64 loops with no tricks, to check the optimised code against.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Ranked {
  slot: number;
  score: number;
}

/** Every vector's similarity to the query, best first (ties: lower slot first). */
export function bruteForce(
  data: Float32Array,
  dimension: number,
  query: Float32Array,
  metric: "cosine" | "dot",
  skip: ReadonlySet<number> = new Set(),
): Ranked[] {
  const norm = (at: number, of: Float32Array): number => {
    let sum = 0;
    for (let j = 0; j < dimension; j += 1) sum += of[at + j]! * of[at + j]!;
    return Math.sqrt(sum) || 1;
  };
  const queryNorm = metric === "cosine" ? norm(0, query) : 1;
  const out: Ranked[] = [];
  for (let slot = 0; slot * dimension < data.length; slot += 1) {
    if (skip.has(slot)) continue;
    const base = slot * dimension;
    let dot = 0;
    for (let j = 0; j < dimension; j += 1) dot += data[base + j]! * query[j]!;
    const score = metric === "cosine" ? dot / (norm(base, data) * queryNorm) : dot;
    out.push({ slot, score });
  }
  return out.sort((a, b) => b.score - a.score || a.slot - b.slot);
}

/** |found ∩ truth[0..k)| / k. */
export function recallAt(found: ArrayLike<number>, truth: readonly Ranked[], k: number): number {
  const wanted = new Set(truth.slice(0, k).map((hit) => hit.slot));
  let hits = 0;
  for (let i = 0; i < Math.min(k, found.length); i += 1) if (wanted.has(found[i]!)) hits += 1;
  return hits / k;
}

/** Row i of a packed n × d matrix (a view). */
export function row(data: Float32Array, dimension: number, i: number): Float32Array {
  return data.subarray(i * dimension, (i + 1) * dimension);
}

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "pairlift-vectors-"));
}
