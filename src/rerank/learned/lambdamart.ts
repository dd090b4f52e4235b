/**
 * LambdaMART (Burges 2010): gradient-boosted regression trees whose gradients are LambdaRank's
 * λs, i.e. pairwise logistic gradients weighted by how much swapping the pair would change
 * nDCG. Written here because no maintained JavaScript library trains ranking trees; the
 * algorithm follows LightGBM's `lambdarank` objective (σ = 1, Newton leaf values, gains
 * 2^label − 1, histogram split finding over quantile bins).
 *
 * Training data: one row per (query, candidate) with a feature vector and a graded label,
 * grouped by query. Queries without any relevant candidate carry no gradient and are skipped.
 */
import { PairliftError } from "../../errors.js";

export interface RankingData {
  /** rows × features, row-major. */
  features: Float64Array;
  featureCount: number;
  labels: Float64Array;
  /** Row offsets of each query's candidates: query q owns rows [groups[q], groups[q+1]). */
  groups: Uint32Array;
}

export interface LambdaMartOptions {
  trees?: number;
  learningRate?: number;
  maxDepth?: number;
  minRowsInLeaf?: number;
  /** L2 regularisation of leaf values. */
  lambda?: number;
  bins?: number;
  /** nDCG cutoff the λs optimise (pairs below it still count when one side is above). */
  ndcgAt?: number;
  /** Validation data: training stops when it has not improved for `patience` trees, and keeps the best count. */
  validation?: RankingData;
  /** Stop when validation has not improved for this many trees. */
  patience?: number;
  onTree?: (tree: number, trainNdcg: number, validationNdcg: number | undefined) => void;
}

/** One regression tree, flattened: node i is a leaf when feature[i] < 0. */
export interface Tree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

export interface Ensemble {
  trees: Tree[];
  /** Best validation nDCG@ndcgAt seen (best train nDCG when there is no validation). */
  bestNdcg: number;
}

export function predictTree(tree: Tree, row: ArrayLike<number>, offset = 0): number {
  let node = 0;
  while (tree.feature[node]! >= 0) {
    node =
      row[offset + tree.feature[node]!]! <= tree.threshold[node]!
        ? tree.left[node]!
        : tree.right[node]!;
  }
  return tree.value[node]!;
}

export function predictEnsemble(
  trees: readonly Tree[],
  row: ArrayLike<number>,
  offset = 0,
): number {
  let score = 0;
  for (const tree of trees) score += predictTree(tree, row, offset);
  return score;
}

/** Mean nDCG@k over the queries that have a relevant candidate (gains 2^label − 1). */
export function meanNdcg(data: RankingData, scores: Float64Array, k: number): number {
  let total = 0;
  let counted = 0;
  for (let q = 0; q + 1 < data.groups.length; q += 1) {
    const start = data.groups[q]!;
    const end = data.groups[q + 1]!;
    const ideal = idealDcg(data.labels, start, end, k);
    if (ideal === 0) continue;
    const order = rankRows(scores, start, end);
    let dcg = 0;
    for (let r = 0; r < Math.min(k, order.length); r += 1)
      dcg += (2 ** data.labels[order[r]!]! - 1) / Math.log2(r + 2);
    total += dcg / ideal;
    counted += 1;
  }
  return counted === 0 ? 0 : total / counted;
}

function idealDcg(labels: Float64Array, start: number, end: number, k: number): number {
  const sorted = Array.from(labels.subarray(start, end)).sort((a, b) => b - a);
  let dcg = 0;
  for (let r = 0; r < Math.min(k, sorted.length); r += 1)
    dcg += (2 ** sorted[r]! - 1) / Math.log2(r + 2);
  return dcg;
}

/** Row indices of one query, best score first (ties: row order, for determinism). */
function rankRows(scores: Float64Array, start: number, end: number): number[] {
  const rows: number[] = [];
  for (let i = start; i < end; i += 1) rows.push(i);
  return rows.sort((a, b) => scores[b]! - scores[a]! || a - b);
}

/** LambdaRank gradients (λ) and second derivatives for every row at the current scores. */
function lambdas(
  data: RankingData,
  scores: Float64Array,
  ndcgAt: number,
  gradient: Float64Array,
  hessian: Float64Array,
): void {
  gradient.fill(0);
  hessian.fill(0);
  const { labels, groups } = data;
  for (let q = 0; q + 1 < groups.length; q += 1) {
    const start = groups[q]!;
    const end = groups[q + 1]!;
    const ideal = idealDcg(labels, start, end, ndcgAt);
    if (ideal === 0) continue;
    const order = rankRows(scores, start, end);
    for (let a = 0; a < order.length; a += 1) {
      const i = order[a]!;
      for (let b = a + 1; b < order.length; b += 1) {
        const j = order[b]!;
        if (labels[i] === labels[j]) continue;
        if (a >= ndcgAt && b >= ndcgAt) continue; // swapping two rows below the cutoff changes nothing
        const [high, low] = labels[i]! > labels[j]! ? [i, j] : [j, i];
        const gainDelta = 2 ** labels[i]! - 2 ** labels[j]!;
        const discountDelta =
          (a < ndcgAt ? 1 / Math.log2(a + 2) : 0) - (b < ndcgAt ? 1 / Math.log2(b + 2) : 0);
        const delta = Math.abs((gainDelta * discountDelta) / ideal);
        const rho = 1 / (1 + Math.exp(scores[high]! - scores[low]!));
        gradient[high]! += delta * rho;
        gradient[low]! -= delta * rho;
        const h = delta * rho * (1 - rho);
        hessian[high]! += h;
        hessian[low]! += h;
      }
    }
  }
}

/** Quantile bin edges per feature: value ≤ edges[b] falls in bin b. */
function binEdges(data: RankingData, bins: number): Float64Array[] {
  const rows = data.labels.length;
  const edges: Float64Array[] = [];
  for (let f = 0; f < data.featureCount; f += 1) {
    const values = new Float64Array(rows);
    for (let r = 0; r < rows; r += 1) values[r] = data.features[r * data.featureCount + f]!;
    values.sort();
    const cut: number[] = [];
    for (let b = 1; b < bins; b += 1) {
      const value = values[Math.min(rows - 1, Math.floor((b * rows) / bins))]!;
      if (cut.length === 0 || value > cut[cut.length - 1]!) cut.push(value);
    }
    // The last edge is the maximum, so every value has a bin.
    if (cut.length === 0 || cut[cut.length - 1]! < values[rows - 1]!) cut.push(values[rows - 1]!);
    edges.push(Float64Array.from(cut));
  }
  return edges;
}

function binRows(data: RankingData, edges: readonly Float64Array[]): Uint8Array {
  const { featureCount } = data;
  const rows = data.labels.length;
  const binned = new Uint8Array(rows * featureCount);
  for (let r = 0; r < rows; r += 1) {
    for (let f = 0; f < featureCount; f += 1) {
      const value = data.features[r * featureCount + f]!;
      const edge = edges[f]!;
      let lo = 0;
      let hi = edge.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (value <= edge[mid]!) hi = mid;
        else lo = mid + 1;
      }
      binned[r * featureCount + f] = lo;
    }
  }
  return binned;
}

export function trainLambdaMart(data: RankingData, options: LambdaMartOptions = {}): Ensemble {
  const treeCount = options.trees ?? 300;
  const learningRate = options.learningRate ?? 0.1;
  const maxDepth = options.maxDepth ?? 4;
  const minRows = options.minRowsInLeaf ?? 20;
  const lambda = options.lambda ?? 1;
  const ndcgAt = options.ndcgAt ?? 10;
  const patience = options.patience ?? 50;
  const rows = data.labels.length;
  if (rows === 0) throw new PairliftError("E_USAGE", "no training rows: no query had candidates");
  if (data.featureCount === 0) throw new PairliftError("E_USAGE", "no features to train on");
  const edges = binEdges(data, Math.min(255, options.bins ?? 64));
  const binned = binRows(data, edges);
  const scores = new Float64Array(rows);
  const validationScores =
    options.validation === undefined
      ? undefined
      : new Float64Array(options.validation.labels.length);
  const gradient = new Float64Array(rows);
  const hessian = new Float64Array(rows);
  const trees: Tree[] = [];
  let best = { ndcg: -1, trees: 0 };
  for (let t = 0; t < treeCount; t += 1) {
    lambdas(data, scores, ndcgAt, gradient, hessian);
    const tree = growTree(data, binned, edges, gradient, hessian, { maxDepth, minRows, lambda });
    for (let i = 0; i < tree.value.length; i += 1) tree.value[i]! *= learningRate;
    trees.push(tree);
    for (let r = 0; r < rows; r += 1)
      scores[r]! += predictTree(tree, data.features, r * data.featureCount);
    const trainNdcg = meanNdcg(data, scores, ndcgAt);
    let validationNdcg: number | undefined;
    if (options.validation !== undefined && validationScores !== undefined) {
      const v = options.validation;
      for (let r = 0; r < v.labels.length; r += 1)
        validationScores[r]! += predictTree(tree, v.features, r * v.featureCount);
      validationNdcg = meanNdcg(v, validationScores, ndcgAt);
    }
    options.onTree?.(t + 1, trainNdcg, validationNdcg);
    const watched = validationNdcg ?? trainNdcg;
    if (watched > best.ndcg + 1e-9) best = { ndcg: watched, trees: t + 1 };
    else if (validationNdcg !== undefined && t + 1 - best.trees >= patience) break;
  }
  // Without validation data every tree is kept: training nDCG is no reason to stop.
  return {
    trees: options.validation === undefined ? trees : trees.slice(0, best.trees),
    bestNdcg: best.ndcg,
  };
}

interface GrowOptions {
  maxDepth: number;
  minRows: number;
  lambda: number;
}

/** One Newton-step regression tree on (gradient, hessian), grown depth-first with histograms. */
function growTree(
  data: RankingData,
  binned: Uint8Array,
  edges: readonly Float64Array[],
  gradient: Float64Array,
  hessian: Float64Array,
  options: GrowOptions,
): Tree {
  const tree: Tree = { feature: [], threshold: [], left: [], right: [], value: [] };
  const { featureCount } = data;
  const all = new Uint32Array(data.labels.length);
  for (let r = 0; r < all.length; r += 1) all[r] = r;
  const newNode = (): number => {
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(0);
    return tree.feature.length - 1;
  };
  const grow = (node: number, rows: Uint32Array, depth: number): void => {
    let g = 0;
    let h = 0;
    for (const r of rows) {
      g += gradient[r]!;
      h += hessian[r]!;
    }
    tree.value[node] = g / (h + options.lambda);
    if (depth >= options.maxDepth || rows.length < 2 * options.minRows) return;
    const parentGain = (g * g) / (h + options.lambda);
    let best = { gain: 1e-12, feature: -1, bin: -1 };
    const histG = new Float64Array(256);
    const histH = new Float64Array(256);
    const histN = new Uint32Array(256);
    for (let f = 0; f < featureCount; f += 1) {
      const binsOf = edges[f]!.length;
      if (binsOf < 2) continue;
      histG.fill(0, 0, binsOf);
      histH.fill(0, 0, binsOf);
      histN.fill(0, 0, binsOf);
      for (const r of rows) {
        const b = binned[r * featureCount + f]!;
        histG[b]! += gradient[r]!;
        histH[b]! += hessian[r]!;
        histN[b]! += 1;
      }
      let gl = 0;
      let hl = 0;
      let nl = 0;
      for (let b = 0; b < binsOf - 1; b += 1) {
        gl += histG[b]!;
        hl += histH[b]!;
        nl += histN[b]!;
        const nr = rows.length - nl;
        if (nl < options.minRows) continue;
        if (nr < options.minRows) break;
        const gr = g - gl;
        const hr = h - hl;
        const gain =
          (gl * gl) / (hl + options.lambda) + (gr * gr) / (hr + options.lambda) - parentGain;
        if (gain > best.gain) best = { gain, feature: f, bin: b };
      }
    }
    if (best.feature < 0) return;
    const left: number[] = [];
    const right: number[] = [];
    for (const r of rows)
      (binned[r * featureCount + best.feature]! <= best.bin ? left : right).push(r);
    tree.feature[node] = best.feature;
    tree.threshold[node] = edges[best.feature]![best.bin]!;
    const l = newNode();
    const rNode = newNode();
    tree.left[node] = l;
    tree.right[node] = rNode;
    grow(l, Uint32Array.from(left), depth + 1);
    grow(rNode, Uint32Array.from(right), depth + 1);
  };
  grow(newNode(), all, 0);
  return tree;
}
