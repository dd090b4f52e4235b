/**
 * How much of a ranking the qrels do not cover (m_unjudged.c, m_relstring.c, m_rbp.c,
 * m_rbp_resid.c): a high value means the scores count unjudged documents as misses.
 */
import type { JudgedQuery } from "../judged-query.js";
import { NONPOOL, UNJUDGED } from "../judged-query.js";
import type { TrecMeasure } from "../measure.js";
import type { MeasureParams } from "../params.js";
import { gainLevels, gainOf } from "./gains.js";

/** RBP's default persistence: the chance a user goes on to the next document. */
const RBP_PERSISTENCE = 0.9;

export const unj: TrecMeasure = {
  name: "unj",
  paramKind: "long-cutoffs",
  defaults: [5, 10, 20],
  description: "fraction of the top k that the qrels do not judge (missing ranks count as judged)",
  perQuery: "float",
  summary: "mean",
  compute(query, params, out, offset) {
    const { rels, numRet } = query;
    let unjudged = 0;
    let i = 0;
    params.values.forEach((k, j) => {
      for (; i < k && i < numRet; i++) if (rels[i]! < 0) unjudged++;
      out[offset + j] = unjudged / k;
    });
  },
};

function relChar(rel: number): string {
  if (rel > 9) return ">";
  if (rel >= 0) return String(rel);
  if (rel === NONPOOL) return "-";
  if (rel === UNJUDGED) return ".";
  return "<";
}

export const relstring: TrecMeasure = {
  name: "relstring",
  paramKind: "doubles",
  defaults: [10],
  description:
    "the grades of the top N documents as text (N default 10; '-' not in the qrels, '.' pooled but unjudged, '>' above 9); per query only",
  perQuery: "none",
  summary: "none",
  compute() {},
  text(query: JudgedQuery, params: MeasureParams) {
    const n = Math.max(0, Math.min(Math.trunc(params.values[0] ?? 10), query.numRet));
    let out = "";
    for (let i = 0; i < n; i++) out += relChar(query.rels[i]!);
    return out;
  },
};

function persistence(params: MeasureParams): number {
  let p = RBP_PERSISTENCE;
  for (const pair of params.pairs) if (pair.name === "p") p = pair.value;
  return p;
}

export const rbp: TrecMeasure = {
  name: "rbp",
  paramKind: "pairs",
  defaults: [],
  description:
    "rank-biased precision (Moffat & Zobel), persistence p=0.9 (set with p=…); gains as ndcg, scaled into [0, 1]",
  perQuery: "float",
  summary: "mean",
  compute(query, params, out, offset) {
    const p = persistence(params);
    let levels = gainLevels(query, params);
    let min = 0;
    let max = 0;
    for (const level of levels) {
      if (level.gain < min) min = level.gain;
      if (level.gain > max) max = level.gain;
    }
    // Gains outside [0, 1] are scaled into it (as trec_eval, after Moffat); unjudged stay 0.
    if (min < 0 || max > 1) {
      levels = levels.map((level) => ({ ...level, gain: (level.gain - min) / (max - min) }));
    }
    let sum = 0;
    let weight = 1;
    for (let i = 0; i < query.numRet; i++) {
      const gain = gainOf(levels, query.rels[i]!);
      if (gain !== 0) sum += gain * weight;
      weight *= p;
    }
    out[offset] = (1 - p) * sum;
  },
};

export const rbpResid: TrecMeasure = {
  name: "rbp_resid",
  paramKind: "none",
  defaults: [],
  description:
    "RBP's residual: the weight RBP gives unjudged documents and the ranks past the end (0 if all judged)",
  perQuery: "float",
  summary: "mean",
  compute(query, _params, out, offset) {
    const p = RBP_PERSISTENCE;
    let unjudged = 0;
    let sum = 0;
    let weight = 1;
    for (let i = 0; i < query.numRet; i++) {
      if (query.rels[i]! < 0) {
        unjudged++;
        sum += weight;
      }
      weight *= p;
    }
    out[offset] = unjudged > 0 ? weight + (1 - p) * sum : 0;
  },
};
