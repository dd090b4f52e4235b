/**
 * Seeded synthetic vectors for tests and benchmarks: a Gaussian mixture, so that vectors have
 * near neighbours (their cluster) and approximate search has something to find. Uniform or
 * single-Gaussian vectors in hundreds of dimensions are all about equally far apart, which makes
 * recall@10 meaningless.
 *
 * Mixture: `clusters` centres drawn from N(0, I_d); a vector is a centre chosen uniformly plus
 * noise, L2-normalised when `normalize` (the default).
 * - `rank` 0 (default): isotropic noise, `spread` · N(0, I_d). With spread 1 two vectors of the
 *   same cluster have cosine ≈ 0.5, of different clusters ≈ 0; inside a cluster the vectors are
 *   as structureless as random points in d dimensions, so a cluster's ~n/clusters members are
 *   all about equally near a query: the hardest case for approximate search.
 * - `rank` r > 0: a mixture of low-rank Gaussians (factor analysers), closer to real embeddings,
 *   whose neighbourhoods have far fewer than d intrinsic dimensions: `spread` · B_k z +
 *   `noise` · N(0, I_d), with z ~ N(0, I_r) and B_k a d × r matrix of N(0, 1/r) entries per
 *   cluster (so the structured part has variance spread² per dimension, as in the isotropic
 *   case).
 */
export interface MixtureOptions {
  dimension: number;
  clusters: number;
  /** Standard deviation of a vector around its centre, relative to the centres' 1. */
  spread: number;
  seed: number;
  /** Dimensions of each cluster's subspace; 0 = isotropic noise. */
  rank?: number;
  /** Isotropic noise on top of the subspace (rank > 0 only). */
  noise?: number;
}

export class GaussianMixture {
  readonly dimension: number;
  private readonly centres: Float32Array;
  private readonly clusters: number;
  private readonly spread: number;
  private readonly rank: number;
  private readonly noise: number;
  /** rank > 0: per cluster a d × r basis, row-major (dimension j, factor f). */
  private readonly bases: Float32Array;

  constructor(options: MixtureOptions) {
    this.dimension = options.dimension;
    this.clusters = options.clusters;
    this.spread = options.spread;
    this.rank = options.rank ?? 0;
    this.noise = options.noise ?? 0;
    const random = seededRandom(options.seed);
    this.centres = gaussians(options.clusters * options.dimension, random);
    this.bases = gaussians(options.clusters * options.dimension * this.rank, random);
    const scale = this.rank > 0 ? 1 / Math.sqrt(this.rank) : 0;
    for (let i = 0; i < this.bases.length; i += 1) this.bases[i]! *= scale;
  }

  /** `count` vectors packed row after row, from their own seed. */
  sample(count: number, seed: number, normalize = true): Float32Array {
    const d = this.dimension;
    const r = this.rank;
    const random = seededRandom(seed);
    const out = gaussians(count * d, random);
    const z = new Float64Array(r);
    for (let row = 0; row < count; row += 1) {
      const cluster = Math.floor(random() * this.clusters);
      const centre = cluster * d;
      const base = row * d;
      if (r > 0) for (let f = 0; f < r; f += 1) z[f] = gaussian(random);
      let norm = 0;
      for (let j = 0; j < d; j += 1) {
        let x: number;
        if (r === 0) {
          x = this.centres[centre + j]! + this.spread * out[base + j]!;
        } else {
          const basis = (cluster * d + j) * r;
          let structured = 0;
          for (let f = 0; f < r; f += 1) structured += this.bases[basis + f]! * z[f]!;
          x = this.centres[centre + j]! + this.spread * structured + this.noise * out[base + j]!;
        }
        out[base + j] = x;
        norm += x * x;
      }
      if (normalize && norm > 0) {
        const scale = 1 / Math.sqrt(norm);
        for (let j = 0; j < d; j += 1) out[base + j]! *= scale;
      }
    }
    return out;
  }
}

/** mulberry32: a small, fast, seeded PRNG with uniform output in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One standard normal value (Box–Muller, one of the pair). */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** `count` standard normal values (Box–Muller). */
export function gaussians(count: number, random: () => number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < count) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}
