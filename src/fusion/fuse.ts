/**
 * Fusion: merging the ranked lists of several retrievers (BM25, dense paths) for one query into
 * one list.
 *
 * - **rrf** — reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009):
 *   score(d) = Σ_r w_r / (k + rank_r(d)), rank 1-based within list r. A list that lacks d adds
 *   nothing. k defaults to 60 (the paper's value); the scores themselves are not read.
 * - **weighted** — a convex (when the weights sum to 1) combination of normalised scores:
 *   score(d) = Σ_r w_r · norm_r(score_r(d)) over the lists that hold d; a list that lacks d adds
 *   0. Each list is normalised on its own (normalize.ts), `minmax` by default.
 *
 * Weights are looked up by retriever name; a retriever without one weighs 1. Weight 0 drops
 * the retriever entirely: its documents are not fused and its ranks do not break ties. A weight
 * for a name that is not among the lists is ignored (one spec serves several pipelines); a
 * negative or non-finite weight is an E_CONFIG error naming `fusion.weights.<name>`.
 *
 * Ties are broken deterministically: equal fused scores (exactly equal doubles) put first the
 * document with the better (smaller) best rank across the lists that count, then the smaller id
 * in UTF-16 code-unit order. So fusing one list alone returns it in its own order.
 *
 * Ranks are positions in the list as given (lists arrive best first). An id repeated within one
 * list counts once, at its first position. Empty lists are fine and add nothing.
 *
 * Cost: one Map from id to a slot in typed arrays (score, best rank, last list seen), one sort
 * of slot numbers; no object per hit until the output is built.
 */
import { PairliftError } from "../errors.js";
import { NORMALIZATIONS, normalizeScores, type Normalization } from "./normalize.js";

export type { Normalization } from "./normalize.js";

export interface RankedHit {
  id: string;
  score: number;
}

/** One retriever's result list, best first. */
export interface RankedList {
  retriever: string;
  hits: readonly RankedHit[];
}

/** `| undefined` on the optional fields so zod's parsed output is a FusionSpec as it stands. */
export type FusionSpec =
  | {
      method: "rrf";
      k?: number | undefined;
      weights?: Readonly<Record<string, number>> | undefined;
    }
  | {
      method: "weighted";
      normalization?: Normalization | undefined;
      weights?: Readonly<Record<string, number>> | undefined;
    };

export interface FusedHit {
  id: string;
  score: number;
}

export const DEFAULT_RRF_K = 60;
export const DEFAULT_NORMALIZATION: Normalization = "minmax";

/** Fuses the lists; returns at most `limit` hits (default: all), best first. */
export function fuse(
  lists: readonly RankedList[],
  spec: FusionSpec,
  limit: number = Infinity,
): FusedHit[] {
  const plan = resolveSpec(spec);
  if (!(limit >= 0) || (limit !== Infinity && !Number.isInteger(limit))) {
    throw new PairliftError("E_CONFIG", `limit must be a whole number ≥ 0, got ${limit}`, {
      field: "limit",
    });
  }

  const listWeights = lists.map((list) => plan.weightOf(list.retriever));
  let capacity = 0;
  for (let l = 0; l < lists.length; l++) {
    if (listWeights[l]! > 0) capacity += lists[l]!.hits.length;
  }
  const slotOf = new Map<string, number>();
  const ids: string[] = [];
  const scores = new Float64Array(capacity);
  const bestRank = new Uint32Array(capacity);
  const lastList = new Int32Array(capacity);

  for (let l = 0; l < lists.length; l++) {
    const weight = listWeights[l]!;
    if (weight === 0) continue;
    const { retriever, hits } = lists[l]!;
    const normalized =
      plan.method === "weighted"
        ? normalizeScores(scoresOf(retriever, hits), plan.normalization)
        : undefined;
    for (let i = 0; i < hits.length; i++) {
      const id = hits[i]!.id;
      const rank = i + 1;
      let slot = slotOf.get(id);
      if (slot === undefined) {
        slot = ids.length;
        slotOf.set(id, slot);
        ids.push(id);
        bestRank[slot] = rank;
      } else {
        if (lastList[slot] === l) continue; // repeated within this list: first position only
        if (rank < bestRank[slot]!) bestRank[slot] = rank;
      }
      lastList[slot] = l;
      scores[slot]! +=
        normalized === undefined ? weight / (plan.k + rank) : weight * normalized[i]!;
    }
  }

  const order = new Uint32Array(ids.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => {
    const byScore = scores[b]! - scores[a]!;
    if (byScore !== 0) return byScore;
    const byRank = bestRank[a]! - bestRank[b]!;
    if (byRank !== 0) return byRank;
    const idA = ids[a]!;
    const idB = ids[b]!;
    return idA < idB ? -1 : idA > idB ? 1 : 0;
  });

  const count = Math.min(order.length, limit);
  const fused = new Array<FusedHit>(count);
  for (let i = 0; i < count; i++) {
    const slot = order[i]!;
    fused[i] = { id: ids[slot]!, score: scores[slot]! };
  }
  return fused;
}

/** A one-line human description, e.g. "rrf k=60 lexical×1 dense:use×0.3", for reports. */
export function describeFusion(spec: FusionSpec): string {
  const head =
    spec.method === "rrf"
      ? `rrf k=${spec.k ?? DEFAULT_RRF_K}`
      : `weighted ${spec.normalization ?? DEFAULT_NORMALIZATION}`;
  const weights = Object.entries(spec.weights ?? {}).map(([name, w]) => ` ${name}×${w}`);
  return head + weights.join("");
}

interface Plan {
  method: "rrf" | "weighted";
  k: number;
  normalization: Normalization;
  weightOf(retriever: string): number;
}

/**
 * Checks a spec at run time as well as in the config schema: specs also come from code and
 * from tuned-fusion files, and a NaN weight would otherwise poison every score silently.
 */
function resolveSpec(spec: FusionSpec): Plan {
  const method: unknown = spec.method;
  if (method !== "rrf" && method !== "weighted") {
    throw new PairliftError(
      "E_CONFIG",
      `unknown fusion method ${JSON.stringify(method)}; expected rrf or weighted`,
      { field: "fusion.method" },
    );
  }
  const weights = spec.weights ?? {};
  for (const [name, weight] of Object.entries(weights)) {
    if (typeof weight !== "number" || !Number.isFinite(weight) || weight < 0) {
      throw new PairliftError(
        "E_CONFIG",
        `weight must be a finite number ≥ 0 (0 ignores the retriever), got ${String(weight)}`,
        { field: `fusion.weights.${name}` },
      );
    }
  }
  const weightOf = (retriever: string): number =>
    Object.hasOwn(weights, retriever) ? weights[retriever]! : 1;

  if (spec.method === "rrf") {
    const k = spec.k ?? DEFAULT_RRF_K;
    if (typeof k !== "number" || !Number.isFinite(k) || k <= 0) {
      throw new PairliftError("E_CONFIG", `k must be a finite number > 0, got ${String(k)}`, {
        field: "fusion.k",
      });
    }
    return { method: "rrf", k, normalization: DEFAULT_NORMALIZATION, weightOf };
  }
  const normalization = spec.normalization ?? DEFAULT_NORMALIZATION;
  if (!NORMALIZATIONS.includes(normalization)) {
    throw new PairliftError(
      "E_CONFIG",
      `unknown normalization ${JSON.stringify(normalization)}; expected one of ${NORMALIZATIONS.join(", ")}`,
      { field: "fusion.normalization" },
    );
  }
  return { method: "weighted", k: DEFAULT_RRF_K, normalization, weightOf };
}

/** One list's scores, refusing non-finite ones: they would make the fused order undefined. */
function scoresOf(retriever: string, hits: readonly RankedHit[]): Float64Array {
  const scores = new Float64Array(hits.length);
  for (let i = 0; i < hits.length; i++) {
    const score = hits[i]!.score;
    if (!Number.isFinite(score)) {
      throw new PairliftError(
        "E_QUERY",
        `retriever "${retriever}" gave document "${hits[i]!.id}" the non-finite score ${score}; weighted fusion needs finite scores`,
      );
    }
    scores[i] = score;
  }
  return scores;
}
