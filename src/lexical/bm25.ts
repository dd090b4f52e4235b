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
  /**
   * Per field, its length-normalisation group: fields of one group are normalised together,
   * by their combined weighted length, with the group's b (`groupB`). Default: one group.
   */
  fieldGroups?: readonly number[];
  /** Per group, its b; `undefined` takes the params' b. */
  groupB?: readonly (number | undefined)[];
}

/**
 * The parts of BM25 that depend only on the index and the parameters, computed once per index
 * state: each slot's length norm, and each term's weighted term frequencies (built lazily, the
 * first time a query asks for the term).
 *
 * Scoring is BM25F (Robertson, Zaragoza & Taylor, "Simple BM25 extension to multiple weighted
 * fields", CIKM 2004; Zaragoza et al., TREC 2004), with fields normalised in groups:
 *
 *   tf̃(t, d) = Σ_g (Σ_{f ∈ g} w_f · tf(t, f, d)) / B_g(d),  B_g(d) = 1 − b_g + b_g · len_g(d) / avglen_g
 *   score(d) = Σ_t qw_t · idf(t) · tf̃ / (k1 + tf̃)
 *
 * with len_g the group's weighted length Σ_{f ∈ g} w_f · len_f and one saturation k1 shared by
 * all fields (saturating each field on its own would let a term repeated across fields score
 * more than the same count in one field, the flaw BM25F fixes). The `text` fields (title and
 * body) form one group, so an index of text fields only scores exactly as one flat field
 * (Anserini's BEIR baseline): tf̃ / (k1 + tf̃) = tf / (tf + k1 · B). It is computed in that form,
 * as pairlift always has, so such indexes keep their scores to the last bit. Identifier and
 * keyword fields are groups of their own: a one-token SKU field is not made longer, and its
 * match not weaker, by a long description.
 */
export class Bm25Weights {
  /** Σ_f weight_f · length_f of each slot. */
  readonly lengths: Float64Array;
  /**
   * What `frequencies` are saturated against: k1 · B(d) with one group, where frequencies are
   * the raw weighted counts; k1 with several, where they are tf̃ (already normalised).
   */
  readonly norms: Float64Array;
  readonly averageLength: number;
  /** Whether fields are normalised in several groups (frequencies are then tf̃). */
  readonly grouped: boolean;
  private readonly groupOf: readonly number[];
  /** Several groups: per group, 1 / B_g of each slot. */
  private readonly inverseNorms: Float64Array[] = [];
  private readonly combined = new Map<PostingList, Float32Array | Float64Array>();

  constructor(
    private readonly statistics: Bm25Statistics,
    readonly params: Bm25Params,
  ) {
    const { slotCount, fieldLengths, fieldWeights } = statistics;
    this.groupOf = statistics.fieldGroups ?? fieldLengths.map(() => 0);
    const groupCount = Math.max(0, ...this.groupOf) + 1;
    this.grouped = groupCount > 1;
    const lengths = weightedLength(slotCount, fieldLengths, fieldWeights, () => true);
    this.lengths = lengths;
    this.averageLength = average(lengths);
    const { k1 } = params;
    if (!this.grouped) {
      const { b } = params;
      const mean = this.averageLength > 0 ? this.averageLength : 1;
      this.norms = lengths.map((length) => k1 * (1 - b + (b * length) / mean));
      return;
    }
    this.norms = new Float64Array(slotCount).fill(k1);
    for (let g = 0; g < groupCount; g += 1) {
      const b = statistics.groupB?.[g] ?? params.b;
      const groupLengths = weightedLength(
        slotCount,
        fieldLengths,
        fieldWeights,
        (f) => this.groupOf[f] === g,
      );
      const mean = average(groupLengths) || 1;
      this.inverseNorms.push(groupLengths.map((length) => 1 / (1 - b + (b * length) / mean)));
    }
  }

  /**
   * Per posting of the list: Σ_f weight_f · tf_f (one group), or tf̃ (several groups). Either
   * way a posting scores idf · f / (f + norms[slot]).
   */
  frequencies(list: PostingList): Float32Array | Float64Array {
    let frequencies = this.combined.get(list);
    if (frequencies === undefined) {
      frequencies = this.grouped ? this.normalisedFrequencies(list) : this.weightedCounts(list);
      this.combined.set(list, frequencies);
    }
    return frequencies;
  }

  /** Σ_f weight_f · tf_f per posting, whatever the grouping (collection statistics). */
  weightedCounts(list: PostingList): Float32Array {
    const counts = new Float32Array(list.length);
    const weights = this.statistics.fieldWeights;
    for (let f = 0; f < list.tf.length; f += 1) {
      const weight = weights[f]!;
      if (weight === 0) continue;
      const tf = list.tf[f]!;
      for (let i = 0; i < list.length; i += 1) counts[i]! += weight * tf[i]!;
    }
    return counts;
  }

  private normalisedFrequencies(list: PostingList): Float64Array {
    const frequencies = new Float64Array(list.length);
    const weights = this.statistics.fieldWeights;
    const docs = list.docs;
    for (let f = 0; f < list.tf.length; f += 1) {
      const weight = weights[f]!;
      if (weight === 0) continue;
      const tf = list.tf[f]!;
      const inverse = this.inverseNorms[this.groupOf[f]!]!;
      for (let i = 0; i < list.length; i += 1) {
        const count = tf[i]!;
        if (count !== 0) frequencies[i]! += weight * count * inverse[docs[i]!]!;
      }
    }
    return frequencies;
  }
}

function weightedLength(
  slotCount: number,
  fieldLengths: readonly Uint32Array[],
  fieldWeights: readonly number[],
  include: (field: number) => boolean,
): Float64Array {
  const lengths = new Float64Array(slotCount);
  for (let f = 0; f < fieldLengths.length; f += 1) {
    if (!include(f)) continue;
    const weight = fieldWeights[f]!;
    const field = fieldLengths[f]!;
    for (let slot = 0; slot < slotCount; slot += 1) lengths[slot]! += weight * field[slot]!;
  }
  return lengths;
}

function average(values: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i += 1) total += values[i]!;
  return values.length === 0 ? 0 : total / values.length;
}
