/** Average precision and its variants (m_map.c, m_gm_map.c, m_map_cut.c). */
import type { TrecMeasure } from "../measure.js";
import { at, prefixes } from "../prefix.js";
import { TREC_CUTOFFS } from "./precision.js";

/** Floor for geometric means: a query scoring 0 would otherwise zero the whole mean. */
export const MIN_GEO_MEAN = 0.00001;

/** log(max(value, MIN_GEO_MEAN)): what a geometric-mean measure stores per query. */
export function geoLog(value: number): number {
  return Math.log(Math.max(value, MIN_GEO_MEAN));
}

function averagePrecision(query: Parameters<TrecMeasure["compute"]>[0], k: number): number {
  return query.numRel > 0 ? at(prefixes(query).precisionSum, k) / query.numRel : 0;
}

export const map: TrecMeasure = {
  name: "map",
  paramKind: "none",
  defaults: [],
  description: "average precision: Σ precision at each relevant retrieved document / R",
  perQuery: "float",
  summary: "mean",
  compute(query, _params, out, offset) {
    out[offset] = averagePrecision(query, query.numRet);
  },
};

export const gmMap: TrecMeasure = {
  name: "gm_map",
  paramKind: "none",
  defaults: [],
  description: "geometric mean of average precision (each query floored at 0.00001); summary only",
  perQuery: "none",
  summary: "geometric",
  compute(query, _params, out, offset) {
    out[offset] = geoLog(averagePrecision(query, query.numRet));
  },
};

export const mapCut: TrecMeasure = {
  name: "map_cut",
  paramKind: "long-cutoffs",
  defaults: TREC_CUTOFFS,
  description: "average precision counting only the top k documents",
  perQuery: "float",
  summary: "mean",
  compute(query, params, out, offset) {
    params.values.forEach((k, j) => (out[offset + j] = averagePrecision(query, k)));
  },
};
