import type { PostingList } from "./posting-list.js";
import type { Bm25Params } from "./options.js";

/** Lucene's BM25 idf: ln(1 + (N − df + 0.5) / (df + 0.5)); always positive. */
export function bm25Idf(documentCount: number, documentFrequency: number): number {
  return Math.log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/** What a BM25 scorer needs to know about the index it scores. */
export interface Bm25Statistics {
  /** Number of document slots (live documents after compaction). */
  slotCount: number;
  /** Per field, the length of each slot. */
  fieldLengths: readonly Uint32Array[];
  fieldWeights: readonly number[];
}

/**
 * The parts of BM25 that depend only on the index and the parameters, computed once per index
 * state: each slot's length norm, and each term's weighted term frequencies (built lazily, the
 * first time a query asks for the term).
 */
export class Bm25Weights {
  /** Σ_f weight_f · length_f of each slot. */
  readonly lengths: Float64Array;
  readonly norms: Float64Array;
  readonly averageLength: number;
  private readonly combined = new Map<PostingList, Float32Array>();

  constructor(
    private readonly statistics: Bm25Statistics,
    readonly params: Bm25Params,
  ) {
    const { slotCount, fieldLengths, fieldWeights } = statistics;
    const lengths = new Float64Array(slotCount);
    let total = 0;
    for (let f = 0; f < fieldLengths.length; f += 1) {
      const weight = fieldWeights[f]!;
      const field = fieldLengths[f]!;
      for (let slot = 0; slot < slotCount; slot += 1) lengths[slot]! += weight * field[slot]!;
    }
    for (let slot = 0; slot < slotCount; slot += 1) total += lengths[slot]!;
    this.averageLength = slotCount === 0 ? 0 : total / slotCount;
    const { k1, b } = params;
    const average = this.averageLength > 0 ? this.averageLength : 1;
    this.lengths = lengths;
    this.norms = lengths.map((length) => k1 * (1 - b + (b * length) / average));
  }

  /** Weighted term frequency of each posting: Σ_f weight_f · tf_f. */
  frequencies(list: PostingList): Float32Array {
    let frequencies = this.combined.get(list);
    if (frequencies === undefined) {
      frequencies = new Float32Array(list.length);
      const weights = this.statistics.fieldWeights;
      for (let f = 0; f < list.tf.length; f += 1) {
        const weight = weights[f]!;
        if (weight === 0) continue;
        const tf = list.tf[f]!;
        for (let i = 0; i < list.length; i += 1) frequencies[i]! += weight * tf[i]!;
      }
      this.combined.set(list, frequencies);
    }
    return frequencies;
  }
}
