import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import type { PairliftConfig } from "../config/config-file.js";
import { parseWith } from "../config/schema-errors.js";
import type { EmbeddingStats } from "../dense/cached-embedder.js";
import type { Embedder } from "../dense/embedder.js";
import { openDefaultEmbeddingCache, type EmbeddingCache } from "../dense/embedding-cache.js";
import { PairliftError } from "../errors.js";
import { readJsonFile } from "../io/json-file.js";
import { fuse, type FusionSpec, type RankedList } from "../fusion/fuse.js";
import { fusionMethodSchema, type FusionConfig } from "../fusion/schema.js";
import { computeFeatures, type ScoredList } from "../rerank/features.js";
import { createReranker } from "../rerank/registry.js";
import type { Reranker } from "../rerank/reranker.js";
import { refuseUnusableQuery } from "../lexical/lexical-index.js";
import type { OpenIndex } from "../store/index-store.js";
import { documentText } from "../dense/dense-index.js";
import {
  embeddersOf,
  resolvePipeline,
  type PipelineDefinition,
  type RerankDefinition,
} from "./config.js";
import { DEFAULT_GUARD, guardIdentifiers, type GuardNote } from "./identifier-guard.js";
import { denseRetriever, lexicalRetriever, type Retriever } from "./retriever.js";

/** Where one retriever put a document: its 1-based rank and its own score. */
export interface RetrieverPosition {
  rank: number;
  score: number;
}

export interface PipelineHit {
  id: string;
  /** The final score: the rerank score when reranked, else the fused (or single-path) score. */
  score: number;
  /** Per retriever (by its name, e.g. `lexical`, `dense:use`): where it put this document. */
  retrievers?: Record<string, RetrieverPosition>;
  /** The fused score, when more than one retriever ran. */
  fused?: number;
  /** The reranker's score, when this document was reranked. */
  rerank?: number;
  /** Set when the exact-match guard moved this hit (see identifier-guard.ts). */
  guard?: GuardNote;
}

/** Why a response is not what the full pipeline would have returned. */
export interface Degradation {
  stage: string;
  /**
   * `timeout` (over budget), `error` (the stage failed), `overload` (concurrency limit) or
   * `abstained` (a path had nothing to say about this query: a dense path with no vector for it).
   */
  kind: "timeout" | "error" | "overload" | "abstained";
  message: string;
}

export interface PipelineResult {
  hits: PipelineHit[];
  /** Milliseconds spent in each stage, by stage name (`lexical`, `embed:use`, `dense:use`, `fusion`, `rerank`). */
  timingsMs: Record<string, number>;
  /** Each retriever's own top list (ids and scores, best first), for monitors and debugging. */
  retrieved?: Record<string, PipelineHitRef[]>;
  /** Set when an optional stage failed or ran over budget and the pipeline fell back. */
  degraded?: Degradation;
}

export interface PipelineHitRef {
  id: string;
  score: number;
}

/** A named way of answering a query: retrievers, fusion and reranking configured together. */
export interface Pipeline {
  readonly name: string;
  search(query: string, k: number): Promise<PipelineResult>;
  /** What embedding cost so far (zero for lexical pipelines). */
  stats(): EmbeddingStats;
  close(): Promise<void>;
}

export interface PipelineContext {
  index: OpenIndex;
  config: PairliftConfig;
  /** The embedding cache; dense retrievers need one. */
  cache?: EmbeddingCache;
  /** Build missing dense vectors (eval on a cached index) instead of failing (an explicit --index). */
  buildMissing?: boolean;
  onProgress?: (stage: string, done: number, total: number) => void;
  /** Substitute embedder factory, for tests. */
  createEmbedder?: (name: string, config: PairliftConfig) => Promise<Embedder>;
  /** Substitute reranker factory, for tests. */
  createReranker?: (name: string, config: PairliftConfig) => Promise<Reranker>;
}

/** How deep retrievers look when a learned reranker needs every retriever's opinion of a candidate. */
export const FEATURE_DEPTH = 1000;

/** Resolves a pipeline by name (config entry or shorthand) and opens its models and vectors. */
export async function createPipeline(name: string, context: PipelineContext): Promise<Pipeline> {
  return openPipeline(
    resolvePipeline(name, context.config.pipelines, context.config.file),
    context,
  );
}

/** Builds a pipeline from a resolved definition (training commands adjust one before opening it). */
export async function openPipeline(
  definition: PipelineDefinition,
  context: PipelineContext,
): Promise<Pipeline> {
  const opened: Retriever[] = [];
  let reranker: Reranker | undefined;
  try {
    for (const retriever of definition.retrievers) {
      opened.push(
        retriever.kind === "lexical"
          ? lexicalRetriever(context.index, retriever)
          : await denseRetriever(retriever.embedder, context),
      );
    }
    const fusion = await loadFusion(definition.fusion, context.config);
    if (definition.rerank !== undefined) {
      reranker = await (context.createReranker ?? createReranker)(
        definition.rerank.reranker,
        context.config,
      );
    }
    return new ComposedPipeline(definition, context.index, opened, fusion, reranker);
  } catch (error) {
    await Promise.allSettled([...opened.map((r) => r.close()), reranker?.close()]);
    throw error;
  }
}

/**
 * Runs `work` with a pipeline opened from `definition`, then closes it, and the embedding cache
 * when this opened it (the shared one, only when the pipeline has a dense path and the context
 * brings none). What the CLI, eval, tuning and training share.
 */
export async function withOpenPipeline<T>(
  definition: PipelineDefinition,
  context: PipelineContext,
  work: (pipeline: Pipeline) => Promise<T>,
): Promise<T> {
  const ownCache =
    context.cache === undefined && embeddersOf(definition).length > 0
      ? openDefaultEmbeddingCache()
      : undefined;
  try {
    const pipeline = await openPipeline(
      definition,
      ownCache === undefined ? context : { ...context, cache: ownCache },
    );
    try {
      return await work(pipeline);
    } finally {
      await pipeline.close();
    }
  } finally {
    ownCache?.close();
  }
}

/** The JSON `pairlift tune-fusion` writes; pipelines read `fusion` from it. */
export const tunedFusionFileSchema = z.looseObject({ fusion: fusionMethodSchema });

async function loadFusion(config: FusionConfig, pairlift: PairliftConfig): Promise<FusionSpec> {
  if (!("tuned" in config)) return config;
  return readTunedFusion(
    isAbsolute(config.tuned) ? config.tuned : resolve(pairlift.baseDir, config.tuned),
  );
}

/** The fusion setting a `pairlift tune-fusion` file holds. */
export async function readTunedFusion(path: string): Promise<FusionSpec> {
  const raw = await readJsonFile(
    path,
    "tuned fusion file",
    "write one with `pairlift tune-fusion --out FILE`",
  );
  return parseWith(tunedFusionFileSchema, raw, path, []).fusion;
}

/** Retrievers run concurrently → fusion → optional rerank within a budget. */
class ComposedPipeline implements Pipeline {
  readonly name: string;

  constructor(
    private readonly definition: PipelineDefinition,
    private readonly index: OpenIndex,
    private readonly retrievers: readonly Retriever[],
    private readonly fusion: FusionSpec,
    private readonly reranker: Reranker | undefined,
  ) {
    this.name = definition.name;
  }

  async search(query: string, k: number): Promise<PipelineResult> {
    if (!Number.isInteger(k) || k < 1)
      throw new PairliftError("E_QUERY", `k must be a positive integer, got ${k}`, { field: "k" });
    refuseUnusableQuery(query); // up front, without analysing it (the lexical path does, once)
    const started = performance.now();
    const timingsMs: Record<string, number> = {};
    const rerank = this.definition.rerank;
    const single = this.retrievers.length === 1;
    const wantsFeatures = this.reranker?.features !== undefined;

    // 1. Retrieve, concurrently. In a multi-path pipeline a failing path degrades the answer.
    // The guard may sink identifier owners below `lead` other hits: look that much deeper.
    const guard = this.definition.guard ?? DEFAULT_GUARD;
    const want = k + (guard.enabled ? guard.lead : 0);
    const depths = this.definition.retrievers.map((definition) =>
      Math.max(definition.depth ?? (single ? want : 100), rerank?.depth ?? 0),
    );
    const settled = await Promise.allSettled(
      this.retrievers.map((retriever, i) =>
        retriever.search(query, wantsFeatures ? Math.max(depths[i]!, FEATURE_DEPTH) : depths[i]!),
      ),
    );
    timingsMs["retrieve"] = performance.now() - started;
    let degraded: Degradation | undefined;
    const lists: { retriever: string; hits: PipelineHitRef[]; deep: PipelineHitRef[] }[] = [];
    for (const [i, outcome] of settled.entries()) {
      const retriever = this.retrievers[i]!;
      if (outcome.status === "rejected") {
        if (single || isUserError(outcome.reason)) throw outcome.reason;
        degraded ??= {
          stage: retriever.name,
          kind: "error",
          message: `${retriever.name} failed: ${messageOf(outcome.reason)}`,
        };
        continue;
      }
      Object.assign(timingsMs, outcome.value.timingsMs);
      if (outcome.value.abstained !== undefined) {
        degraded ??= {
          stage: retriever.name,
          kind: "abstained",
          message: outcome.value.abstained,
        };
        if (!single) continue;
      }
      lists.push({
        retriever: retriever.name,
        hits: outcome.value.hits.slice(0, depths[i]),
        deep: outcome.value.hits,
      });
    }
    if (lists.length === 0)
      throw new PairliftError("E_REMOTE", degraded?.message ?? "no retriever answered");

    // 2. Fuse (a single path is its own ranking).
    const fusionStarted = performance.now();
    const positions = new Map<string, Record<string, RetrieverPosition>>();
    for (const list of lists) {
      list.hits.forEach((hit, rank) => {
        let entry = positions.get(hit.id);
        if (entry === undefined) positions.set(hit.id, (entry = {}));
        entry[list.retriever] = { rank: rank + 1, score: hit.score };
      });
    }
    const fusedLimit = Math.max(want, rerank?.depth ?? 0);
    const fused: PipelineHitRef[] =
      single && lists.length === 1
        ? lists[0]!.hits.slice(0, fusedLimit)
        : fuse(
            lists.map((list): RankedList => ({ retriever: list.retriever, hits: list.hits })),
            this.fusion,
            fusedLimit,
          );
    timingsMs["fusion"] = performance.now() - fusionStarted;
    let hits: PipelineHit[] = fused.map((hit) => ({
      id: hit.id,
      score: hit.score,
      ...(this.retrievers.length > 1 ? { fused: hit.score } : {}),
      retrievers: positions.get(hit.id) ?? {},
    }));

    // 3. Rerank the head within the budget; on failure keep the fused order.
    if (this.reranker !== undefined && rerank !== undefined && hits.length > 0) {
      const outcome = await this.rerankHead(query, hits, lists, rerank, timingsMs);
      if ("degraded" in outcome) degraded ??= outcome.degraded;
      else hits = outcome.hits;
    }
    // 4. The exact-match guard: the product that is the identifier comes first.
    const lexicalList = lists.find((list) => list.retriever === "lexical");
    hits = guardIdentifiers({
      query,
      hits,
      lexical: this.index.lexical,
      lexicalHits: lexicalList?.deep,
      guard,
      missing: (id) => ({ id, score: -Infinity, retrievers: positions.get(id) ?? {} }),
      title: (id) => this.index.documents.get(id)?.title,
    });
    timingsMs["total"] = performance.now() - started;
    return {
      hits: hits.slice(0, k),
      timingsMs,
      retrieved: Object.fromEntries(lists.map((list) => [list.retriever, list.hits])),
      ...(degraded === undefined ? {} : { degraded }),
    };
  }

  private async rerankHead(
    query: string,
    hits: PipelineHit[],
    lists: readonly { retriever: string; deep: PipelineHitRef[] }[],
    rerank: RerankDefinition,
    timingsMs: Record<string, number>,
  ): Promise<{ hits: PipelineHit[] } | { degraded: Degradation }> {
    const reranker = this.reranker!;
    const head = hits.slice(0, rerank.depth);
    const documents = head.map((hit) => {
      const document = this.index.documents.get(hit.id);
      return { id: hit.id, title: document?.title ?? "", text: document?.text ?? "" };
    });
    let features: Record<string, number>[] | undefined;
    if (reranker.features !== undefined) {
      const featuresStarted = performance.now();
      features = computeFeatures({
        query,
        lexical: this.index.lexical,
        lists: lists.map(scoredList),
        candidates: documents.map((document, i) => ({ ...document, fused: head[i]!.score })),
      });
      timingsMs["features"] = performance.now() - featuresStarted;
    }
    const candidates = documents.map((document, i) => ({
      id: document.id,
      text: documentText({ id: document.id, title: document.title, text: document.text }),
      features: features?.[i] ?? {},
    }));
    const started = performance.now();
    const scored = await withBudget(
      (signal) => reranker.score(query, candidates, { signal }),
      rerank.budgetMs,
    );
    timingsMs["rerank"] = performance.now() - started;
    if ("failure" in scored) {
      return {
        degraded: {
          stage: "rerank",
          kind: scored.failure,
          message:
            scored.failure === "timeout"
              ? `reranker "${rerank.reranker}" took longer than its ${rerank.budgetMs} ms budget; returned the fused order`
              : `reranker "${rerank.reranker}" failed (${scored.message}); returned the fused order`,
        },
      };
    }
    const scores = scored.value;
    if (scores.length !== head.length || scores.some((score) => !Number.isFinite(score))) {
      return {
        degraded: {
          stage: "rerank",
          kind: "error",
          message: `reranker "${rerank.reranker}" returned ${scores.length} scores for ${head.length} candidates or a non-finite score; returned the fused order`,
        },
      };
    }
    // Reranked head by rerank score (ties keep the fused order), then the fused tail below it.
    const order = head.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
    const reranked = order.map((i) => ({ ...head[i]!, score: scores[i]!, rerank: scores[i]! }));
    const floor = reranked.length === 0 ? 0 : reranked[reranked.length - 1]!.score;
    const tail = hits.slice(rerank.depth).map((hit, i) => ({ ...hit, score: floor - 1 - i }));
    return { hits: [...reranked, ...tail] };
  }

  stats(): EmbeddingStats {
    const total = { embeddedTexts: 0, cacheHits: 0 };
    for (const retriever of this.retrievers) {
      const stats = retriever.stats();
      total.embeddedTexts += stats.embeddedTexts;
      total.cacheHits += stats.cacheHits;
    }
    return total;
  }

  async close(): Promise<void> {
    await Promise.all([...this.retrievers.map((r) => r.close()), this.reranker?.close()]);
  }
}

function scoredList(list: { retriever: string; deep: readonly PipelineHitRef[] }): ScoredList {
  const scores = new Map<string, number>();
  const ranks = new Map<string, number>();
  list.deep.forEach((hit, i) => {
    scores.set(hit.id, hit.score);
    ranks.set(hit.id, i + 1);
  });
  return {
    retriever: list.retriever,
    scores,
    ranks,
    best: list.deep[0]?.score ?? 0,
    lowest: list.deep[list.deep.length - 1]?.score ?? 0,
  };
}

type BudgetOutcome<T> =
  { value: T } | { failure: "timeout" } | { failure: "error"; message: string };

/**
 * Runs `work` with an AbortSignal that fires when `budgetMs` runs out; never rejects. Work that
 * ignores the signal is left to finish in the background, its result dropped.
 */
export async function withBudget<T>(
  work: (signal: AbortSignal) => Promise<T>,
  budgetMs: number | undefined,
): Promise<BudgetOutcome<T>> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<{ failure: "timeout" }>((settle) => {
    if (budgetMs === undefined) return;
    timer = setTimeout(() => {
      controller.abort(new PairliftError("E_REMOTE", `over the ${budgetMs} ms budget`));
      settle({ failure: "timeout" });
    }, budgetMs);
  });
  // Through a promise, so that a reranker throwing synchronously degrades like one rejecting.
  const running = Promise.resolve()
    .then(() => work(controller.signal))
    .then(
      (value): BudgetOutcome<T> => ({ value }),
      (error: unknown): BudgetOutcome<T> =>
        controller.signal.aborted
          ? { failure: "timeout" }
          : { failure: "error", message: messageOf(error) },
    );
  try {
    return await Promise.race([running, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Errors caused by the query itself (empty, too long) fail the query instead of degrading it. */
function isUserError(error: unknown): boolean {
  return error instanceof PairliftError && error.code === "E_QUERY";
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
