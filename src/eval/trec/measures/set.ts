/** Measures of the retrieved set as a whole, ignoring order (m_set_*.c, m_utility.c). */
import type { JudgedQuery } from "../judged-query.js";
import type { TrecMeasure } from "../measure.js";

const SET = { paramKind: "none", defaults: [], perQuery: "float", summary: "mean" } as const;

function setP(q: JudgedQuery): number {
  return q.numRet > 0 ? q.numRelRet / q.numRet : 0;
}

function setRecall(q: JudgedQuery): number {
  return q.numRel > 0 ? q.numRelRet / q.numRel : 0;
}

export const setPMeasure: TrecMeasure = {
  ...SET,
  name: "set_P",
  description: "relevant retrieved / retrieved",
  compute(query, _params, out, offset) {
    out[offset] = setP(query);
  },
};

export const setRelativeP: TrecMeasure = {
  ...SET,
  name: "set_relative_P",
  description: "relevant retrieved / min(retrieved, R)",
  compute(query, _params, out, offset) {
    const best = Math.min(query.numRet, query.numRel);
    out[offset] = best > 0 ? query.numRelRet / best : 0;
  },
};

export const setRecallMeasure: TrecMeasure = {
  ...SET,
  name: "set_recall",
  description: "relevant retrieved / R",
  compute(query, _params, out, offset) {
    out[offset] = setRecall(query);
  },
};

export const setMap: TrecMeasure = {
  ...SET,
  name: "set_map",
  description: "set precision × set recall (unranked average precision)",
  compute(query, _params, out, offset) {
    const { numRet, numRel, numRelRet } = query;
    out[offset] = numRet > 0 && numRel > 0 ? (numRelRet * numRelRet) / (numRet * numRel) : 0;
  },
};

export const setF: TrecMeasure = {
  ...SET,
  name: "set_F",
  paramKind: "doubles",
  defaults: [1],
  description: "(1+β)·P·R / (β·P + R) on the retrieved set; parameter β (default 1)",
  compute(query, params, out, offset) {
    const beta = params.values[0] ?? 1;
    const p = setP(query);
    const r = setRecall(query);
    out[offset] = query.numRelRet > 0 ? ((beta + 1) * p * r) / (beta * p + r) : 0;
  },
};

export const utility: TrecMeasure = {
  ...SET,
  name: "utility",
  paramKind: "doubles",
  defaults: [1, -1, 0, 0],
  paramCount: 4,
  description:
    "a·(relevant retrieved) + b·(non-relevant retrieved) + c·(relevant missed) + d·(non-relevant missed, needs -N); parameters a,b,c,d (default 1,-1,0,0)",
  compute(query, params, out, offset, context) {
    const [a = 0, b = 0, c = 0, d = 0] = params.values;
    const { numRet, numRel, numRelRet } = query;
    out[offset] =
      a * numRelRet +
      b * (numRet - numRelRet) +
      c * (numRel - numRelRet) +
      d * (context.numDocsInColl + numRelRet - numRet - numRel);
  },
};
