/** Counting measures (m_runid.c, m_num_q.c, m_num_ret.c, m_num_rel.c, m_num_rel_ret.c, m_num_nonrel_judged_ret.c). */
import type { TrecMeasure } from "../measure.js";

const COUNT = {
  paramKind: "none",
  defaults: [],
  perQuery: "long",
  summary: "sum",
} as const;

export const runid: TrecMeasure = {
  name: "runid",
  paramKind: "none",
  defaults: [],
  description: "the run's tag (last column of the run's last line)",
  perQuery: "none",
  summary: "runid",
  compute() {},
};

export const numQ: TrecMeasure = {
  name: "num_q",
  paramKind: "none",
  defaults: [],
  description: "number of queries averaged over",
  perQuery: "none",
  summary: "count",
  compute(_query, _params, out, at) {
    out[at] = 1;
  },
};

export const numRet: TrecMeasure = {
  ...COUNT,
  name: "num_ret",
  description: "documents retrieved (summed over queries)",
  compute(query, _params, out, at) {
    out[at] = query.numRet;
  },
};

export const numRel: TrecMeasure = {
  ...COUNT,
  name: "num_rel",
  description: "relevant documents in the qrels (summed over queries)",
  compute(query, _params, out, at) {
    out[at] = query.numRel;
  },
};

export const numRelRet: TrecMeasure = {
  ...COUNT,
  name: "num_rel_ret",
  description: "relevant documents retrieved (summed over queries)",
  compute(query, _params, out, at) {
    out[at] = query.numRelRet;
  },
};

export const numNonrelJudgedRet: TrecMeasure = {
  ...COUNT,
  name: "num_nonrel_judged_ret",
  description: "judged non-relevant documents retrieved (summed over queries)",
  compute(query, _params, out, at) {
    let count = 0;
    const { rels, numRet, relevanceLevel } = query;
    for (let i = 0; i < numRet; i++) {
      const rel = rels[i]!;
      if (rel >= 0 && rel < relevanceLevel) count++;
    }
    out[at] = count;
  },
};
