/** Measures of where relevant documents are found (m_recall.c, m_recip_rank.c, m_success.c). */
import type { TrecMeasure } from "../measure.js";
import { at, prefixes } from "../prefix.js";
import { TREC_CUTOFFS } from "./precision.js";

export const recall: TrecMeasure = {
  name: "recall",
  paramKind: "long-cutoffs",
  defaults: TREC_CUTOFFS,
  description: "relevant in the top k / R (R = relevant in the qrels)",
  perQuery: "float",
  summary: "mean",
  compute(query, params, out, offset) {
    const { relevant } = prefixes(query);
    params.values.forEach((k, j) => {
      out[offset + j] = query.numRel > 0 ? at(relevant, k) / query.numRel : 0;
    });
  },
};

export const recipRank: TrecMeasure = {
  name: "recip_rank",
  paramKind: "none",
  defaults: [],
  description: "1 / rank of the first relevant document (0 if none is retrieved)",
  perQuery: "float",
  summary: "mean",
  compute(query, _params, out, offset) {
    const { rels, numRet, relevanceLevel } = query;
    let value = 0;
    for (let i = 0; i < numRet; i++) {
      if (rels[i]! >= relevanceLevel) {
        value = 1 / (i + 1);
        break;
      }
    }
    out[offset] = value;
  },
};

export const success: TrecMeasure = {
  name: "success",
  paramKind: "long-cutoffs",
  defaults: [1, 5, 10],
  description: "1 if a relevant document is in the top k, else 0",
  perQuery: "float",
  summary: "mean",
  compute(query, params, out, offset) {
    const { relevant } = prefixes(query);
    params.values.forEach((k, j) => (out[offset + j] = at(relevant, k) > 0 ? 1 : 0));
  },
};
