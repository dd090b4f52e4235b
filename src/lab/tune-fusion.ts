/**
 * Learns how to fuse a pipeline's retrievers from data: runs every retriever once per query of
 * the train split, then searches fusion settings (method, normalisation, RRF k, per-retriever
 * weights) on the train judgments only, and reports the chosen setting's metric on train and on
 * test next to each single path and the untuned default. Weight 0 for every dense path (plain
 * BM25) is among the candidates, so a weak embedder can be tuned away instead of dragging the
 * fused list down.
 *
 * Search: the full grid when it has at most GRID_LIMIT settings; otherwise coordinate ascent
 * (each method/normalisation, then one weight at a time over the weight grid, in a seeded
 * order, until a round changes nothing). Ties keep the earlier setting, and the grid starts with
 * the default (RRF k=60, equal weights), so the default wins unless something beats it.
 */
import { PairliftError } from "../errors.js";
import { evaluate } from "../eval/evaluate.js";
import { parseMetricNames } from "../eval/measures.js";
import {
  DEFAULT_RRF_K,
  describeFusion,
  fuse,
  type FusionSpec,
  type RankedList,
} from "../fusion/fuse.js";
import type { Qrels, Run } from "../types.js";
import { VERSION } from "../version.js";
import { seededRandom, shuffle } from "../eval/compare/random.js";
import { withDatasetPipeline, type DatasetSessionOptions } from "./dataset-session.js";
import { queryError, searchQuery } from "../eval/query-search.js";

export const RRF_KS: readonly number[] = [5, 10, 20, 40, 60, 100];
export const NORMALIZATIONS_TRIED = ["minmax", "zscore", "dbsf"] as const;
export const WEIGHTS: readonly number[] = [0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2];
const GRID_LIMIT = 400;

export interface TuneFusionOptions extends Omit<
  DatasetSessionOptions,
  "adjust" | "createReranker" | "split"
> {
  trainSplit?: string;
  /** Split to report the chosen setting on (never used for choosing); undefined skips it. */
  testSplit?: string | undefined;
  /** The metric to maximise (default ndcg@10). */
  metric?: string;
  seed?: number;
}

export interface SettingScore {
  fusion: FusionSpec;
  description: string;
  value: number;
}

export interface TunedFusion {
  format: "pairlift-tuned-fusion";
  fusion: FusionSpec;
  description: string;
  metric: string;
  pipeline: string;
  dataset: string;
  retrievers: string[];
  train: {
    split: string;
    queries: number;
    tuned: number;
    default: number;
    single: Record<string, number>;
  };
  test?: {
    split: string;
    queries: number;
    tuned: number;
    default: number;
    single: Record<string, number>;
  };
  /** The best settings found on train, best first. */
  leaderboard: SettingScore[];
  searched: number;
  search: "grid" | "coordinate-ascent";
  seed: number;
  pairlift: string;
  createdAt: string;
}

/** Each retriever's list per query, as the pipeline's first stage returns them. */
type RetrievedLists = Map<string, RankedList[]>;

export async function tuneFusion(options: TuneFusionOptions): Promise<TunedFusion> {
  const trainSplit = options.trainSplit ?? "train";
  const metricName = options.metric ?? "ndcg@10";
  const metric = parseMetricNames([metricName]);
  const seed = options.seed ?? 1;
  const train = await collectLists(options, trainSplit);
  if (train.retrievers.length < 2)
    throw new PairliftError(
      "E_CONFIG",
      `pipeline "${options.pipeline}" has one retriever; fusion needs at least two (e.g. hybrid:use)`,
      { field: "pipeline" },
    );
  const score = (lists: RetrievedLists, qrels: Qrels, spec: FusionSpec): number => {
    const run: Run = new Map();
    for (const [queryId, ranked] of lists)
      run.set(queryId, new Map(fuse(ranked, spec).map((hit) => [hit.id, hit.score])));
    return evaluate(qrels, run, metric, { complete: true }).aggregate[metric[0]!.name] ?? 0;
  };
  const dense = train.retrievers.filter((name) => name !== "lexical");
  const bases: FusionSpec[] = [
    ...RRF_KS.map((k): FusionSpec => ({ method: "rrf", k })),
    ...NORMALIZATIONS_TRIED.map((normalization): FusionSpec => ({
      method: "weighted",
      normalization,
    })),
  ];
  const withWeights = (base: FusionSpec, weights: readonly number[]): FusionSpec => ({
    ...base,
    weights: Object.fromEntries(
      train.retrievers.map((name) => [
        name,
        name === "lexical" ? 1 : weights[dense.indexOf(name)]!,
      ]),
    ),
  });
  const tried = new Map<string, SettingScore>();
  const tryOne = (spec: FusionSpec): number => {
    const key = JSON.stringify(spec);
    const known = tried.get(key);
    if (known !== undefined) return known.value;
    const value = score(train.lists, train.qrels, spec);
    tried.set(key, { fusion: spec, description: describeFusion(spec), value });
    // A count, not a fraction: coordinate ascent does not know how many settings it will try.
    options.onProgress?.("fusion settings", tried.size, 0);
    return value;
  };
  const defaultSpec = withWeights(
    { method: "rrf", k: DEFAULT_RRF_K },
    dense.map(() => 1),
  );
  tryOne(defaultSpec);
  const gridSize = bases.length * WEIGHTS.length ** dense.length;
  const search: TunedFusion["search"] = gridSize <= GRID_LIMIT ? "grid" : "coordinate-ascent";
  if (search === "grid") {
    for (const base of bases)
      for (const weights of cartesian(WEIGHTS, dense.length)) tryOne(withWeights(base, weights));
  } else {
    const random = seededRandom(seed);
    for (const base of bases) {
      const weights = dense.map(() => 1);
      let best = tryOne(withWeights(base, weights));
      for (let changed = true, round = 0; changed && round < 5; round += 1) {
        changed = false;
        for (const d of shuffle(
          dense.map((_, i) => i),
          random,
        )) {
          for (const w of WEIGHTS) {
            const candidate = weights.map((old, i) => (i === d ? w : old));
            const value = tryOne(withWeights(base, candidate));
            if (value > best + 1e-12) {
              best = value;
              weights[d] = w;
              changed = true;
            }
          }
        }
      }
    }
  }
  // Insertion order breaks ties: the default first, then the grid's order.
  const leaderboard = [...tried.values()].sort((a, b) => b.value - a.value);
  const chosen = leaderboard[0]!;
  const singles = (lists: RetrievedLists, qrels: Qrels): Record<string, number> =>
    Object.fromEntries(
      [...train.retrievers].map((name) => [
        name,
        score(lists, qrels, {
          method: "rrf",
          weights: Object.fromEntries(train.retrievers.map((r) => [r, r === name ? 1 : 0])),
        }),
      ]),
    );
  const result: TunedFusion = {
    format: "pairlift-tuned-fusion",
    fusion: chosen.fusion,
    description: chosen.description,
    metric: metricName,
    pipeline: options.pipeline,
    dataset: options.dataset,
    retrievers: train.retrievers,
    train: {
      split: trainSplit,
      queries: train.lists.size,
      tuned: chosen.value,
      default: tried.get(JSON.stringify(defaultSpec))!.value,
      single: singles(train.lists, train.qrels),
    },
    leaderboard: leaderboard.slice(0, 10),
    searched: tried.size,
    search,
    seed,
    pairlift: VERSION,
    createdAt: new Date().toISOString(),
  };
  if (options.testSplit !== undefined) {
    const test = await collectLists(options, options.testSplit);
    result.test = {
      split: options.testSplit,
      queries: test.lists.size,
      tuned: score(test.lists, test.qrels, chosen.fusion),
      default: score(test.lists, test.qrels, defaultSpec),
      single: singles(test.lists, test.qrels),
    };
  }
  return result;
}

async function collectLists(
  options: TuneFusionOptions,
  split: string,
): Promise<{ lists: RetrievedLists; qrels: Qrels; retrievers: string[] }> {
  return withDatasetPipeline(
    { ...options, split, adjust: (definition) => ({ ...definition, rerank: undefined }) },
    async ({ data, pipeline, definition }) => {
      const lists: RetrievedLists = new Map();
      const retrievers = definition.retrievers.map((r) => r.name);
      for (const [i, query] of data.queries.entries()) {
        const result = await searchQuery(pipeline, query, 1);
        // A path that abstained (no vector for the query) answered: with nothing.
        if (result.degraded !== undefined && result.degraded.kind !== "abstained")
          throw queryError(
            query,
            new PairliftError(
              "E_REMOTE",
              `${result.degraded.message}; tuning needs every retriever's answer`,
            ),
          );
        lists.set(
          query.id,
          retrievers.map((name) => ({ retriever: name, hits: result.retrieved?.[name] ?? [] })),
        );
        options.onProgress?.(`queries:${split}`, i + 1, data.queries.length);
      }
      return { lists, qrels: data.qrels, retrievers };
    },
  );
}

function* cartesian(values: readonly number[], length: number): Generator<number[]> {
  if (length === 0) {
    yield [];
    return;
  }
  for (const head of values)
    for (const rest of cartesian(values, length - 1)) yield [head, ...rest];
}
