/** Small vector kernels shared by embedders and indexes. Tight loops over typed arrays. */

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  const n = a.length;
  for (let i = 0; i < n; i += 1) sum += a[i]! * b[i]!;
  return sum;
}

/** L2-normalises in place and returns the vector; a zero vector stays zero. */
export function l2Normalize(vector: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < vector.length; i += 1) norm += vector[i]! * vector[i]!;
  if (norm === 0) return vector;
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i += 1) vector[i]! *= scale;
  return vector;
}
