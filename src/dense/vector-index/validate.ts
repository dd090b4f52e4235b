import { PairliftError } from "../../errors.js";
import { VECTOR_METRICS } from "./format.js";
import type { VectorBatch, VectorBatchSearchOptions, VectorMetric } from "./vector-index.js";

/**
 * Checks shared by every index kind. Vectors that cannot be stored (wrong dimension, NaN,
 * ±Infinity, not a Float32Array) are `E_FIELD`; option values are `E_CONFIG`.
 */

/** Checks a batch in full and returns how many vectors it holds; stores nothing. */
export function checkBatch(vectors: VectorBatch, dimension: number, field = "vectors"): number {
  if (vectors instanceof Float32Array) {
    if (vectors.length % dimension !== 0) {
      throw new PairliftError(
        "E_FIELD",
        `packed ${field} hold ${vectors.length} values, which is not a whole number of vectors of dimension ${dimension} (the index's dimension); one vector of dimension ${vectors.length} or rows of another dimension?`,
        { field },
      );
    }
    const bad = firstNonFinite(vectors);
    if (bad >= 0) {
      const row = Math.floor(bad / dimension);
      throw nonFinite(`${field}[${row}][${bad - row * dimension}]`, vectors[bad]!, field);
    }
    return vectors.length / dimension;
  }
  if (!Array.isArray(vectors)) {
    throw new PairliftError(
      "E_FIELD",
      `${field} must be a Float32Array or an array of Float32Array`,
      { field },
    );
  }
  vectors.forEach((vector, index) => checkVector(vector, dimension, `${field}[${index}]`, field));
  return vectors.length;
}

/** Checks one vector (a query, or one row of a batch). */
export function checkVector(
  vector: unknown,
  dimension: number,
  name = "query",
  field = name,
): asserts vector is Float32Array {
  if (!(vector instanceof Float32Array)) {
    throw new PairliftError("E_FIELD", `${name} must be a Float32Array`, { field });
  }
  if (vector.length !== dimension) {
    throw new PairliftError(
      "E_FIELD",
      `${name} has dimension ${vector.length}; this index expects dimension ${dimension}`,
      { field },
    );
  }
  const bad = firstNonFinite(vector);
  if (bad >= 0) throw nonFinite(`${name}[${bad}]`, vector[bad]!, field);
}

/** Copies a checked batch into `target` from element `offset` on. */
export function copyBatch(vectors: VectorBatch, target: Float32Array, offset: number): void {
  if (vectors instanceof Float32Array) {
    target.set(vectors, offset);
    return;
  }
  let at = offset;
  for (const vector of vectors) {
    target.set(vector, at);
    at += vector.length;
  }
}

export function checkK(k: number): void {
  if (!Number.isSafeInteger(k) || k < 0) {
    throw new PairliftError("E_CONFIG", `k must be a non-negative integer, got ${String(k)}`, {
      field: "k",
    });
  }
}

export function checkSearchOptions(options: VectorBatchSearchOptions | undefined): void {
  if (options === undefined) return;
  checkInteger(options.efSearch, "efSearch", 1);
  checkInteger(options.rescore, "rescore", 0);
  checkInteger(options.threads, "threads", 0);
}

/** An optional integer option of at least `min`. */
export function checkInteger(value: number | undefined, name: string, min: number): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new PairliftError(
      "E_CONFIG",
      `${name} must be an integer of at least ${min}, got ${String(value)}`,
      { field: name },
    );
  }
}

export function checkDimension(dimension: number): void {
  if (!Number.isSafeInteger(dimension) || dimension < 1) {
    throw new PairliftError(
      "E_CONFIG",
      `dimension must be a positive integer, got ${String(dimension)}`,
      { field: "dimension" },
    );
  }
}

export function checkMetric(metric: string): asserts metric is VectorMetric {
  if (!VECTOR_METRICS.includes(metric as VectorMetric)) {
    throw new PairliftError(
      "E_CONFIG",
      `metric must be one of ${VECTOR_METRICS.join(", ")}, got ${JSON.stringify(metric)}`,
      { field: "metric" },
    );
  }
}

/** The slot, checked to be one the index has handed out. */
export function checkSlot(slot: number, slotCount: number): void {
  if (!Number.isSafeInteger(slot) || slot < 0 || slot >= slotCount) {
    throw new PairliftError(
      "E_UNKNOWN_ID",
      `slot ${String(slot)} does not exist (the index has slots 0 to ${slotCount - 1})`,
      { field: "slot" },
    );
  }
}

function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i += 1) {
    const x = values[i]!;
    // x - x is 0 for every finite x, NaN for NaN and ±Infinity.
    if (x - x !== 0) return i;
  }
  return -1;
}

function nonFinite(where: string, value: number, field: string): PairliftError {
  return new PairliftError("E_FIELD", `${where} is ${String(value)}; vectors must be finite`, {
    field,
  });
}
