/**
 * Graded measures over the whole ranking (m_ndcg.c, m_ndcg_rel.c, m_Rndcg.c, m_G.c, m_binG.c) and
 * at cutoffs (m_ndcg_cut.c). Gains come from gains.ts: by default a document gains its grade;
 * `-m ndcg.1=3,2=9` overrides grades 1 and 2. Discounts are log2(rank + 1).
 */
import type { JudgedQuery } from "../judged-query.js";
import type { TrecMeasure } from "../measure.js";
import type { MeasureParams } from "../params.js";
import { at, prefixes } from "../prefix.js";
import { gainLevels, gainOf, idealGains } from "./gains.js";
import { TREC_CUTOFFS } from "./precision.js";

const GAIN_MAP = {
  paramKind: "pairs",
  defaults: [],
  perQuery: "float",
  summary: "mean",
} as const;

interface Dcg {
  readonly dcg: number;
  readonly idealDcg: number;
}

/** DCG of the ranking and of the ideal ranking, each over its full length. */
function fullDcg(query: JudgedQuery, params: MeasureParams): Dcg {
  const levels = gainLevels(query, params);
  let dcg = 0;
  for (let i = 0; i < query.numRet; i++) {
    const gain = gainOf(levels, query.rels[i]!);
    if (gain !== 0) dcg += gain / Math.log2(i + 2);
  }
  let idealDcg = 0;
  const ideal = idealGains(levels);
  for (let i = 0; i < ideal.length; i++) idealDcg += ideal[i]! / Math.log2(i + 2);
  return { dcg, idealDcg };
}

export const ndcg: TrecMeasure = {
  ...GAIN_MAP,
  name: "ndcg",
  description:
    "nDCG over the whole ranking; gains per grade default to the grade, override with grade=gain pairs",
  compute(query, params, out, offset) {
    const { dcg, idealDcg } = fullDcg(query, params);
    out[offset] = idealDcg > 0 ? dcg / idealDcg : 0;
  },
};

export const dcg: TrecMeasure = {
  ...GAIN_MAP,
  name: "dcg",
  description: "DCG over the whole ranking (gains as ndcg)",
  compute(query, params, out, offset) {
    out[offset] = fullDcg(query, params).dcg;
  },
};

export const idealDcg: TrecMeasure = {
  ...GAIN_MAP,
  name: "ideal_dcg",
  description: "DCG of the ideal ranking (gains as ndcg)",
  compute(query, params, out, offset) {
    out[offset] = fullDcg(query, params).idealDcg;
  },
};

export const ndcgRel: TrecMeasure = {
  ...GAIN_MAP,
  name: "ndcg_rel",
  description:
    "nDCG averaged over the ranks of relevant documents (a missed one scores the final nDCG)",
  compute(query, params, out, offset) {
    const levels = gainLevels(query, params);
    const ideal = idealGains(levels);
    const n = query.numRet;
    let dcgSum = 0;
    let idealSum = 0;
    let sum = 0;
    let relRet = 0;
    for (let i = 0; i < n; i++) {
      const gain = gainOf(levels, query.rels[i]!);
      if (gain !== 0) dcgSum += gain / Math.log2(i + 2);
      if (i < ideal.length) idealSum += ideal[i]! / Math.log2(i + 2);
      if (gain > 0) {
        sum += dcgSum / idealSum;
        relRet++;
      }
    }
    for (let i = n; i < ideal.length; i++) idealSum += ideal[i]! / Math.log2(i + 2);
    sum += ((ideal.length - relRet) * dcgSum) / idealSum;
    out[offset] = sum > 0 ? sum / ideal.length : 0;
  },
};

export const Rndcg: TrecMeasure = {
  ...GAIN_MAP,
  name: "Rndcg",
  description:
    "nDCG averaged at the R-level boundaries (where the ideal gain changes) and at the end of the ranking",
  compute(query, params, out, offset) {
    out[offset] = 0;
    if (query.numRel === 0) return;
    const levels = gainLevels(query, params);
    const ideal = idealGains(levels);
    const n = query.numRet;
    let dcgSum = 0;
    let idealSum = 0;
    let sum = 0;
    let points = 0;
    const idealAt = (i: number): number => (i < ideal.length ? ideal[i]! : 0);
    // Mirrors trec_eval's walk: each loop tests the ideal gain left by the previous rank.
    let idealGain = idealAt(0);
    let previous = idealGain;
    const boundary = (): void => {
      if (idealGain !== previous) {
        if (idealSum > 0) {
          sum += dcgSum / idealSum;
          points++;
        }
        previous = idealGain;
      }
    };
    let i = 0;
    for (; i < n && idealGain > 0; i++) {
      const gain = gainOf(levels, query.rels[i]!);
      idealGain = idealAt(i);
      boundary();
      if (gain !== 0) dcgSum += gain / Math.log2(i + 2);
      if (idealGain > 0) idealSum += idealGain / Math.log2(i + 2);
    }
    if (i < n) {
      for (; i < n; i++) {
        const gain = gainOf(levels, query.rels[i]!);
        if (gain !== 0) dcgSum += gain / Math.log2(i + 2);
      }
      if (idealSum > 0) {
        sum += dcgSum / idealSum;
        points++;
      }
    }
    for (; idealGain > 0; i++) {
      idealGain = idealAt(i);
      boundary();
      if (idealGain > 0) idealSum += idealGain / Math.log2(i + 2);
    }
    out[offset] = points > 0 ? sum / points : 0;
  },
};

export const G: TrecMeasure = {
  ...GAIN_MAP,
  name: "G",
  description:
    "normalised gain: each document's gain / log2(2 + ideal gain so far − gain so far), over the ideal gain",
  compute(query, params, out, offset) {
    const levels = gainLevels(query, params);
    const ideal = idealGains(levels);
    const n = query.numRet;
    let resultsG = 0;
    let sumResults = 0;
    let sumCost = 0;
    for (let i = 0; i < n; i++) {
      const gain = gainOf(levels, query.rels[i]!);
      sumResults += gain;
      // Past the ideal ranking's positive gains every rank costs at least 1.
      const idealGain = i < ideal.length ? ideal[i]! : 0;
      sumCost += idealGain >= 1 ? idealGain : 1;
      if (gain !== 0) resultsG += gain / Math.log2(2 + sumCost - sumResults);
    }
    let sumIdeal = 0;
    for (let i = 0; i < ideal.length; i++) sumIdeal += ideal[i]!;
    out[offset] = sumIdeal > 0 ? resultsG / sumIdeal : 0;
  },
};

export const binG: TrecMeasure = {
  name: "binG",
  paramKind: "none",
  defaults: [],
  description:
    "binary G: average over relevant documents of 1 / log2(2 + non-relevant documents above it)",
  perQuery: "float",
  summary: "mean",
  compute(query, _params, out, offset) {
    const { rels, numRet, numRel, relevanceLevel } = query;
    let sum = 0;
    let relSoFar = 0;
    for (let i = 0; i < numRet; i++) {
      if (rels[i]! >= relevanceLevel) {
        relSoFar++;
        sum += 1 / Math.log2(3 + i - relSoFar);
      }
    }
    out[offset] = relSoFar > 0 ? sum / numRel : 0;
  },
};

export const ndcgCut: TrecMeasure = {
  name: "ndcg_cut",
  paramKind: "long-cutoffs",
  defaults: TREC_CUTOFFS,
  description: "nDCG of the top k (gain = grade), normalised by the ideal top k",
  perQuery: "float",
  summary: "mean",
  compute(query, params, out, offset) {
    const { dcg: dcgAt, idealDcg: idealAt } = prefixes(query);
    params.values.forEach((k, j) => {
      const ideal = at(idealAt, k);
      const value = at(dcgAt, k);
      // trec_eval leaves the (necessarily zero) DCG undivided when the ideal DCG is 0.
      out[offset + j] = ideal > 0 ? value / ideal : value;
    });
  },
};
