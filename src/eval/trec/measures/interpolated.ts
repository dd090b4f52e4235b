/**
 * Interpolated precision at recall levels (m_iprec_at_recall.c, m_11pt_avg.c): the precision at
 * recall r is the best precision at any rank whose recall is ≥ r. A recall level becomes a count
 * of relevant documents with C's lround (trec_eval 10.0; version 9 and earlier added 0.9).
 */
import type { JudgedQuery } from "../judged-query.js";
import type { TrecMeasure } from "../measure.js";

const ELEVEN_POINTS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1] as const;

/** C's lround: halves round away from zero. */
function lround(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

interface Interpolated {
  /** Interpolated precision at each level, in the order the levels were given. */
  readonly values: Float64Array;
  /** Level indexes by ascending relevant count; trec_eval fills them from the last one back. */
  readonly order: readonly number[];
}

function interpolatedPrecision(query: JudgedQuery, levels: readonly number[]): Interpolated {
  const { rels, numRet, numRelRet, numRel, relevanceLevel } = query;
  const out = new Float64Array(levels.length);
  const targets = levels.map((x) => lround(x * numRel));
  const order = targets.map((_, i) => i).sort((a, b) => targets[a]! - targets[b]!);
  if (numRet === 0) return { values: out, order };
  let cut = order.length - 1;
  while (cut >= 0 && targets[order[cut]!]! > numRelRet) cut--;
  let best = numRelRet / numRet;
  let relSoFar = numRelRet;
  for (let i = numRet; i > 0 && relSoFar > 0; i--) {
    const precision = relSoFar / i;
    if (best < precision) best = precision;
    if (rels[i - 1]! >= relevanceLevel) {
      while (cut >= 0 && relSoFar === targets[order[cut]!]) out[order[cut--]!] = best;
      relSoFar--;
    }
  }
  while (cut >= 0) out[order[cut--]!] = best;
  return { values: out, order };
}

export const iprecAtRecall: TrecMeasure = {
  name: "iprec_at_recall",
  paramKind: "double-cutoffs",
  defaults: ELEVEN_POINTS,
  description: "interpolated precision at recall level r (the recall–precision graph)",
  perQuery: "float",
  summary: "mean",
  compute(query, params, out, offset) {
    out.set(interpolatedPrecision(query, params.values).values, offset);
  },
};

export const elevenPointAverage: TrecMeasure = {
  name: "11pt_avg",
  paramKind: "doubles",
  defaults: ELEVEN_POINTS,
  description: "interpolated precision averaged over recall levels (default 0, 0.1, …, 1)",
  perQuery: "float",
  summary: "mean",
  compute(query, params, out, offset) {
    const { values, order } = interpolatedPrecision(query, params.values);
    // Summed in the order trec_eval reaches the levels, so the total agrees to the last bit.
    let sum = 0;
    for (let i = order.length - 1; i >= 0; i--) sum += values[order[i]!]!;
    out[offset] = params.values.length > 0 ? sum / params.values.length : 0;
  },
};
