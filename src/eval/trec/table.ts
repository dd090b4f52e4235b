/**
 * The measures `pairlift trec-eval` knows, in trec_eval 10.0's order (measures.c): measures are
 * computed and printed in this order whatever order `-m` names them in. Nicknames name sets of
 * them, as trec_eval's do.
 */
import type { TrecMeasure } from "./measure.js";
import { gmMap, map, mapCut } from "./measures/average-precision.js";
import { numNonrelJudgedRet, numQ, numRel, numRelRet, numRet, runid } from "./measures/counts.js";
import { bprefMeasure, gmBpref, infAP } from "./measures/incomplete.js";
import { elevenPointAverage, iprecAtRecall } from "./measures/interpolated.js";
import { G, Rndcg, binG, dcg, idealDcg, ndcg, ndcgCut, ndcgRel } from "./measures/ndcg.js";
import { P, Rprec, RprecMult, relativeP } from "./measures/precision.js";
import { recall, recipRank, success } from "./measures/rank.js";
import {
  setF,
  setMap,
  setPMeasure,
  setRecallMeasure,
  setRelativeP,
  utility,
} from "./measures/set.js";
import { rbp, rbpResid, relstring, unj } from "./measures/unjudged.js";

export const TREC_MEASURES: readonly TrecMeasure[] = [
  runid,
  numQ,
  numRet,
  numRel,
  numRelRet,
  map,
  gmMap,
  Rprec,
  bprefMeasure,
  recipRank,
  iprecAtRecall,
  P,
  relstring,
  recall,
  infAP,
  gmBpref,
  RprecMult,
  utility,
  elevenPointAverage,
  binG,
  G,
  dcg,
  idealDcg,
  ndcg,
  ndcgRel,
  Rndcg,
  ndcgCut,
  mapCut,
  relativeP,
  success,
  setPMeasure,
  setRelativeP,
  setRecallMeasure,
  setMap,
  setF,
  numNonrelJudgedRet,
  rbp,
  rbpResid,
  unj,
];

/** trec_eval's measure nicknames (the preference and judgment-group sets are not supported). */
export const TREC_NICKNAMES: Readonly<Record<string, readonly string[]>> = {
  official: [
    "runid",
    "num_q",
    "num_ret",
    "num_rel",
    "num_rel_ret",
    "map",
    "gm_map",
    "Rprec",
    "bpref",
    "recip_rank",
    "iprec_at_recall",
    "P",
  ],
  set: [
    "runid",
    "num_q",
    "num_ret",
    "num_rel",
    "num_rel_ret",
    "utility",
    "set_P",
    "set_recall",
    "set_relative_P",
    "set_map",
    "set_F",
  ],
  all_trec: [
    "runid",
    "num_q",
    "num_ret",
    "num_rel",
    "num_rel_ret",
    "map",
    "gm_map",
    "Rprec",
    "bpref",
    "recip_rank",
    "iprec_at_recall",
    "P",
    "relstring",
    "recall",
    "unj",
    "rbp",
    "rbp_resid",
    "infAP",
    "gm_bpref",
    "utility",
    "11pt_avg",
    "ndcg",
    "relative_P",
    "Rprec_mult",
    "success",
    "map_cut",
    "ndcg_cut",
    "ndcg_rel",
    "Rndcg",
    "binG",
    "G",
    "set_P",
    "set_recall",
    "set_relative_P",
    "set_map",
    "set_F",
    "num_nonrel_judged_ret",
  ],
};

/** What trec_eval computes when no `-m` is given. */
export const DEFAULT_NICKNAME = "official";

const BY_NAME = new Map(TREC_MEASURES.map((m) => [m.name, m]));

export function findMeasure(name: string): TrecMeasure | undefined {
  return BY_NAME.get(name);
}
