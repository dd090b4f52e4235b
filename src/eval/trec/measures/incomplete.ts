/**
 * Measures built for incomplete judgments: they skip documents the qrels do not list instead of
 * counting them as non-relevant (m_bpref.c, m_gm_bpref.c, m_infap.c).
 */
import type { JudgedQuery } from "../judged-query.js";
import { NONPOOL, UNJUDGED } from "../judged-query.js";
import type { TrecMeasure } from "../measure.js";
import { geoLog } from "./average-precision.js";

/** infAP's smoothing of the relevant fraction above each relevant document. */
const INFAP_EPSILON = 0.00001;

function bpref(query: JudgedQuery): number {
  const { rels, numRet, numRel, relevanceLevel, relLevels } = query;
  let numNonrel = 0;
  for (let g = 0; g < relevanceLevel && g < relLevels.length; g++) numNonrel += relLevels[g]!;
  let nonrelSoFar = 0;
  let sum = 0;
  for (let i = 0; i < numRet; i++) {
    const rel = rels[i]!;
    if (rel < 0) continue;
    if (rel < relevanceLevel) {
      nonrelSoFar++;
    } else if (nonrelSoFar > 0) {
      sum += 1 - Math.min(nonrelSoFar, numRel) / Math.min(numNonrel, numRel);
    } else {
      sum += 1;
    }
  }
  return numRel > 0 ? sum / numRel : sum;
}

export const bprefMeasure: TrecMeasure = {
  name: "bpref",
  paramKind: "none",
  defaults: [],
  description:
    "binary preference: for each relevant document, the fraction of the top R judged non-relevant ranked below it",
  perQuery: "float",
  summary: "mean",
  compute(query, _params, out, offset) {
    out[offset] = bpref(query);
  },
};

export const gmBpref: TrecMeasure = {
  name: "gm_bpref",
  paramKind: "none",
  defaults: [],
  description: "geometric mean of bpref (each query floored at 0.00001); summary only",
  perQuery: "none",
  summary: "geometric",
  compute(query, _params, out, offset) {
    out[offset] = geoLog(bpref(query));
  },
};

export const infAP: TrecMeasure = {
  name: "infAP",
  paramKind: "none",
  defaults: [],
  description:
    "inferred AP (Yilmaz & Aslam): AP estimated from a judged sample of the pool (grade -1 = pooled, not judged)",
  perQuery: "float",
  summary: "mean",
  compute(query, _params, out, offset) {
    const { rels, numRet, numRel, relevanceLevel } = query;
    let nonrelSoFar = 0;
    let relSoFar = 0;
    let unjudgedSoFar = 0;
    let sum = 0;
    for (let j = 0; j < numRet; j++) {
      const rel = rels[j]!;
      if (rel === NONPOOL) continue;
      if (rel === UNJUDGED) {
        unjudgedSoFar++;
        continue;
      }
      if (rel < relevanceLevel) {
        nonrelSoFar++;
        continue;
      }
      relSoFar++;
      if (j === 0) {
        sum += 1;
      } else {
        const fj = j;
        sum +=
          1 / (fj + 1) +
          (fj / (fj + 1)) *
            ((relSoFar - 1 + nonrelSoFar + unjudgedSoFar) / fj) *
            ((relSoFar - 1 + INFAP_EPSILON) / (relSoFar - 1 + nonrelSoFar + 2 * INFAP_EPSILON));
      }
    }
    out[offset] = numRel > 0 ? sum / numRel : sum;
  },
};
