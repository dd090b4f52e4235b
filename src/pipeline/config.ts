/**
 * What a pipeline is made of, as configuration: retrievers (each with its own depth), a fusion
 * step when there are several, an optional rerank step. Named pipelines come from the config
 * file's `pipelines:` section; shorthands (`bm25`, `dense:use`, `hybrid:use`) expand to the same
 * shape, so one code path builds every pipeline.
 */
import { z } from "zod";
import { PairliftError } from "../errors.js";
import { DEFAULT_RRF_K } from "../fusion/fuse.js";
import { fusionSpecSchema, type FusionConfig } from "../fusion/schema.js";
import { DEFAULT_GUARD, type GuardDefinition } from "./identifier-guard.js";

/** Default candidates per retriever in a multi-retriever pipeline (and for rerank features). */
export const DEFAULT_RETRIEVER_DEPTH = 100;
/** Default number of fused candidates a reranker sees. */
export const DEFAULT_RERANK_DEPTH = 50;

const depth = z.number().int().positive().max(10_000);

const lexicalRetrieverSchema = z.strictObject({
  lexical: z
    .strictObject({
      depth: depth.optional(),
      k1: z.number().positive().optional(),
      b: z.number().min(0).max(1).optional(),
    })
    .nullish(),
});

const denseRetrieverSchema = z.strictObject({
  dense: z.strictObject({
    embedder: z.string().min(1),
    depth: depth.optional(),
  }),
});

const rerankSchema = z.strictObject({
  reranker: z.string().min(1),
  /** How many fused candidates are reranked; the rest keep the fused order below them. */
  depth: depth.optional(),
  /** Time the rerank stage may take; past it the fused order is returned, marked degraded. */
  budgetMs: z.number().positive().optional(),
});

/** The exact-match guard (pipeline/identifier-guard.ts): on unless `enabled: false`. */
const guardSchema = z.strictObject({
  enabled: z.boolean().optional(),
  /** Hits the lexical path leads with, or identifier owners sink below (default 10). */
  lead: z.number().int().positive().max(1000).optional(),
  /** Weight of the owner's title words in the lexical lead's order, 0..1 (default 0.2; 0: off). */
  ownerContext: z.number().min(0).max(1).optional(),
});

export const pipelineConfigSchema = z.strictObject({
  retrievers: z.array(z.union([lexicalRetrieverSchema, denseRetrieverSchema])).min(1),
  fusion: fusionSpecSchema.optional(),
  rerank: rerankSchema.optional(),
  guard: guardSchema.optional(),
});

export type PipelineConfig = z.infer<typeof pipelineConfigSchema>;

export type RetrieverDefinition =
  | { kind: "lexical"; name: "lexical"; depth: number | undefined; k1?: number; b?: number }
  | { kind: "dense"; name: string; embedder: string; depth: number | undefined };

export interface RerankDefinition {
  reranker: string;
  depth: number;
  budgetMs: number | undefined;
}

/** A pipeline ready to build: shorthand or config entry, resolved. */
export interface PipelineDefinition {
  name: string;
  retrievers: RetrieverDefinition[];
  fusion: FusionConfig;
  rerank: RerankDefinition | undefined;
  /** The exact-match guard; default on (DEFAULT_GUARD). */
  guard?: GuardDefinition;
}

const DEFAULT_FUSION: FusionConfig = { method: "rrf", k: DEFAULT_RRF_K };

const SHORTHAND = /^(dense|hybrid):([A-Za-z][\w.-]*(?:\+[A-Za-z][\w.-]*)*)$/;

/**
 * Resolves a pipeline name: a pipeline defined in the config file (it wins), or a shorthand:
 * `bm25`; `dense:<embedder>`; `hybrid:<embedder>[+<embedder>…]` = BM25 and each dense path at
 * depth 100, fused with RRF (k = 60).
 */
export function resolvePipeline(
  name: string,
  pipelines: Readonly<Record<string, PipelineConfig>>,
  file?: string,
): PipelineDefinition {
  if (Object.hasOwn(pipelines, name)) return fromConfig(name, pipelines[name]!, file);
  if (name === "bm25")
    return {
      name,
      retrievers: [{ kind: "lexical", name: "lexical", depth: undefined }],
      fusion: DEFAULT_FUSION,
      rerank: undefined,
    };
  const match = SHORTHAND.exec(name);
  if (match !== null) {
    const embedders = match[2]!.split("+");
    if (match[1] === "dense" && embedders.length === 1)
      return {
        name,
        retrievers: [dense(embedders[0]!, undefined)],
        fusion: DEFAULT_FUSION,
        rerank: undefined,
      };
    if (match[1] === "hybrid")
      return {
        name,
        retrievers: [
          { kind: "lexical", name: "lexical", depth: DEFAULT_RETRIEVER_DEPTH },
          ...embedders.map((embedder) => dense(embedder, DEFAULT_RETRIEVER_DEPTH)),
        ],
        fusion: DEFAULT_FUSION,
        rerank: undefined,
      };
  }
  const defined = Object.keys(pipelines);
  throw new PairliftError(
    "E_CONFIG",
    `unknown pipeline "${name}"; available: bm25, dense:<embedder>, hybrid:<embedder>[+<embedder>]` +
      (defined.length > 0 ? `, or one defined in the config: ${defined.join(", ")}` : ""),
    { field: "pipeline" },
  );
}

function dense(embedder: string, depth: number | undefined): RetrieverDefinition {
  return { kind: "dense", name: `dense:${embedder}`, embedder, depth };
}

function fromConfig(
  name: string,
  config: PipelineConfig,
  file: string | undefined,
): PipelineDefinition {
  const retrievers = config.retrievers.map((retriever): RetrieverDefinition => {
    if ("dense" in retriever) return dense(retriever.dense.embedder, retriever.dense.depth);
    const lexical = retriever.lexical ?? {};
    return {
      kind: "lexical",
      name: "lexical",
      depth: lexical.depth,
      ...(lexical.k1 === undefined ? {} : { k1: lexical.k1 }),
      ...(lexical.b === undefined ? {} : { b: lexical.b }),
    };
  });
  const names = new Set<string>();
  for (const retriever of retrievers) {
    if (names.has(retriever.name))
      throw new PairliftError(
        "E_CONFIG",
        `pipelines.${name}.retrievers: "${retriever.name}" appears twice`,
        file === undefined ? {} : { file },
      );
    names.add(retriever.name);
  }
  return {
    name,
    retrievers,
    ...(config.guard === undefined
      ? {}
      : {
          guard: {
            enabled: config.guard.enabled ?? DEFAULT_GUARD.enabled,
            lead: config.guard.lead ?? DEFAULT_GUARD.lead,
            ownerContext: config.guard.ownerContext ?? DEFAULT_GUARD.ownerContext,
          },
        }),
    fusion: config.fusion ?? DEFAULT_FUSION,
    rerank:
      config.rerank === undefined
        ? undefined
        : {
            reranker: config.rerank.reranker,
            depth: config.rerank.depth ?? DEFAULT_RERANK_DEPTH,
            budgetMs: config.rerank.budgetMs,
          },
  };
}

/** The embedders a pipeline needs (for opening the embedding cache only when needed). */
export function embeddersOf(definition: PipelineDefinition): string[] {
  return definition.retrievers.flatMap((r) => (r.kind === "dense" ? [r.embedder] : []));
}
