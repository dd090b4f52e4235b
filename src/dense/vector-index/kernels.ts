/**
 * The inner loops of exact search. A scan is bound by arithmetic, not memory, in JavaScript
 * (V8 emits scalar code: one load, one multiply and one add per value), so the loops are
 * shaped for the CPU: four rows at a time share each query value (one query load feeds four
 * multiply-adds), and each row keeps two accumulators (even and odd dimensions) to hide the
 * add latency. In a micro-benchmark on the benchmark machine this beat a one-row loop unrolled
 * by 8 by about 1.3×; bench/vectors.bench.ts reports the scan against a plain JavaScript sum
 * over the same array (about 1.6× its time at 1M × 384).
 *
 * The float32 and int8 scans are written out twice on purpose: one function per array type
 * keeps every element access monomorphic, which is what lets V8 compile them tightly.
 *
 * Summation order is fixed (even dimensions, odd dimensions, then their sum), and `dotRow` uses
 * the same order as the four-row loop, so a vector scores bit-identically in either path.
 */

/** out[r - from] = q · matrix row r, for rows [from, to) of a row-major n × d matrix. */
export function dotRowsF32(
  matrix: Float32Array,
  d: number,
  q: Float32Array,
  from: number,
  to: number,
  out: Float64Array,
): void {
  const even = d - (d & 1);
  let r = from;
  let o = 0;
  for (; r + 3 < to; r += 4, o += 4) {
    const b0 = r * d;
    const b1 = b0 + d;
    const b2 = b1 + d;
    const b3 = b2 + d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    for (let j = 0; j < even; j += 2) {
      const x = q[j]!;
      const y = q[j + 1]!;
      s0 += x * matrix[b0 + j]!;
      s1 += x * matrix[b1 + j]!;
      s2 += x * matrix[b2 + j]!;
      s3 += x * matrix[b3 + j]!;
      t0 += y * matrix[b0 + j + 1]!;
      t1 += y * matrix[b1 + j + 1]!;
      t2 += y * matrix[b2 + j + 1]!;
      t3 += y * matrix[b3 + j + 1]!;
    }
    if (even !== d) {
      const x = q[even]!;
      s0 += x * matrix[b0 + even]!;
      s1 += x * matrix[b1 + even]!;
      s2 += x * matrix[b2 + even]!;
      s3 += x * matrix[b3 + even]!;
    }
    out[o] = s0 + t0;
    out[o + 1] = s1 + t1;
    out[o + 2] = s2 + t2;
    out[o + 3] = s3 + t3;
  }
  for (; r < to; r += 1, o += 1) out[o] = dotRow(matrix, r * d, d, q);
}

/** q · matrix[base .. base + d), in the same order as `dotRowsF32`. */
export function dotRow(matrix: Float32Array, base: number, d: number, q: Float32Array): number {
  const even = d - (d & 1);
  let s = 0;
  let t = 0;
  for (let j = 0; j < even; j += 2) {
    s += q[j]! * matrix[base + j]!;
    t += q[j + 1]! * matrix[base + j + 1]!;
  }
  if (even !== d) s += q[even]! * matrix[base + even]!;
  return s + t;
}

/** `dotRowsF32` over int8 codes with float weights (a copy, for monomorphic access). */
export function dotRowsI8(
  codes: Int8Array,
  d: number,
  w: Float32Array,
  from: number,
  to: number,
  out: Float64Array,
): void {
  const even = d - (d & 1);
  let r = from;
  let o = 0;
  for (; r + 3 < to; r += 4, o += 4) {
    const b0 = r * d;
    const b1 = b0 + d;
    const b2 = b1 + d;
    const b3 = b2 + d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    for (let j = 0; j < even; j += 2) {
      const x = w[j]!;
      const y = w[j + 1]!;
      s0 += x * codes[b0 + j]!;
      s1 += x * codes[b1 + j]!;
      s2 += x * codes[b2 + j]!;
      s3 += x * codes[b3 + j]!;
      t0 += y * codes[b0 + j + 1]!;
      t1 += y * codes[b1 + j + 1]!;
      t2 += y * codes[b2 + j + 1]!;
      t3 += y * codes[b3 + j + 1]!;
    }
    if (even !== d) {
      const x = w[even]!;
      s0 += x * codes[b0 + even]!;
      s1 += x * codes[b1 + even]!;
      s2 += x * codes[b2 + even]!;
      s3 += x * codes[b3 + even]!;
    }
    out[o] = s0 + t0;
    out[o + 1] = s1 + t1;
    out[o + 2] = s2 + t2;
    out[o + 3] = s3 + t3;
  }
  for (; r < to; r += 1, o += 1) {
    const base = r * d;
    let s = 0;
    let t = 0;
    for (let j = 0; j < even; j += 2) {
      s += w[j]! * codes[base + j]!;
      t += w[j + 1]! * codes[base + j + 1]!;
    }
    if (even !== d) s += w[even]! * codes[base + even]!;
    out[o] = s + t;
  }
}

/** L2-normalises rows [from, to) in place; a zero row stays zero. */
export function normalizeRows(matrix: Float32Array, d: number, from: number, to: number): void {
  for (let r = from; r < to; r += 1) {
    const base = r * d;
    let norm = 0;
    for (let j = 0; j < d; j += 1) {
      const x = matrix[base + j]!;
      norm += x * x;
    }
    if (norm === 0) continue;
    const scale = 1 / Math.sqrt(norm);
    for (let j = 0; j < d; j += 1) matrix[base + j]! *= scale;
  }
}
