/** Precision at ranks (m_P.c, m_rel_P.c, m_Rprec.c, m_Rprec_mult.c). */
import type { TrecMeasure } from "../measure.js";
import { at, prefixes } from "../prefix.js";

export const TREC_CUTOFFS = [5, 10, 15, 20, 30, 100, 200, 500, 1000] as const;

const CUTOFF_MEASURE = {
  paramKind: "long-cutoffs",
  defaults: TREC_CUTOFFS,
  perQuery: "float",
  summary: "mean",
} as const;

export const P: TrecMeasure = {
  ...CUTOFF_MEASURE,
  name: "P",
  description:
    "precision at cutoff k: relevant in the top k / k (missing ranks count as non-relevant)",
  compute(query, params, out, offset) {
    const { relevant } = prefixes(query);
    params.values.forEach((k, j) => (out[offset + j] = at(relevant, k) / k));
  },
};

export const relativeP: TrecMeasure = {
  ...CUTOFF_MEASURE,
  name: "relative_P",
  description: "relevant in the top k / min(k, R): precision up to R, recall after",
  compute(query, params, out, offset) {
    const { relevant } = prefixes(query);
    params.values.forEach((k, j) => {
      const best = Math.min(k, query.numRel);
      out[offset + j] = best > 0 ? at(relevant, k) / best : 0;
    });
  },
};

export const Rprec: TrecMeasure = {
  name: "Rprec",
  paramKind: "none",
  defaults: [],
  description: "precision after R documents, R = number of relevant documents",
  perQuery: "float",
  summary: "mean",
  compute(query, _params, out, offset) {
    const n = Math.min(query.numRet, query.numRel);
    out[offset] = n > 0 ? prefixes(query).relevant[n]! / query.numRel : 0;
  },
};

export const RprecMult: TrecMeasure = {
  name: "Rprec_mult",
  paramKind: "double-cutoffs",
  defaults: [0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0],
  description: "precision after x·R documents, for each multiple x of R",
  perQuery: "float",
  summary: "mean",
  compute(query, params, out, offset) {
    const { relevant } = prefixes(query);
    params.values.forEach((x, j) => {
      // trec_eval turns the multiple into a rank with (long)(x·R + 0.9).
      const k = Math.trunc(x * query.numRel + 0.9);
      out[offset + j] = k > 0 ? at(relevant, k) / k : 0;
    });
  },
};
