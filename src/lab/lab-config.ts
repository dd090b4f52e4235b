/**
 * The `lab:` section of the config file (a lab.yaml is an ordinary config file with one): what
 * `pairlift lab` sweeps and how it chooses. Every key is optional; with no config at all the lab
 * sweeps the bundled demo collection with every offline embedder (lexical-only, each embedder
 * fused with BM25, all of them fused together), RRF k=60 and a fusion tuned on the train split,
 * no reranker and a learned reranker trained on the train split.
 *
 * ```yaml
 * lab:
 *   dataset: ../shared/data/beir/scifact
 *   embedders: [use, glove]             # each fused with BM25; lexical-only is always swept
 *   fusion: [{ method: rrf, k: [20, 60] }, { method: weighted, normalization: [minmax, zscore] }, tuned]
 *   rerankers: [none, learned, minilm]  # learned = LambdaMART trained on trainSplit per first stage
 *   rerankDepths: [20, 50]
 *   guard: [on, off]                    # the exact-match guard (default: on only)
 *   depths: [100]                       # candidates per retriever
 *   baseline: "bm25@100"                # usually what is in production
 *   latencyBudgetMs: 50                 # p95 end to end
 *   costCeiling: 0.5                    # per 1,000 queries, in the prices' currency
 *   judgedThreshold: 0.1                # warn when judged@10 differs from the baseline's by more
 *   minEffect: 0.005                    # the smallest significant gain worth paying more for
 *   prices: { openai-small: 0.02, cohere-rerank: { perThousandQueries: 2 } }
 * ```
 */
import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { PairliftConfig } from "../config/config-file.js";
import { parseWith } from "../config/schema-errors.js";
import { HOSTED_PROVIDERS } from "../dense/embedders/hosted/index.js";
import { DEFAULT_JUDGED_THRESHOLD } from "../eval/compare/compare-reports.js";
import { gateConfigSchema, type GateConfig } from "../eval/compare/gate.js";
import { DEFAULT_EVAL_METRICS } from "../eval/evaluate-dataset.js";
import { parseMetricNames } from "../eval/measures.js";
import type { FusionSpec } from "../fusion/fuse.js";
import { fusionMethodSchema } from "../fusion/schema.js";
import { NORMALIZATIONS, type Normalization } from "../fusion/normalize.js";
import { PairliftError } from "../errors.js";
import { HOSTED_RERANKER_PROVIDERS } from "../rerank/hosted/index.js";
import { RECOMMEND_DEFAULTS } from "./recommend.js";

/** The bundled demo collection (data/demo beside src/ and dist/). */
export const DEMO_DATASET = fileURLToPath(new URL("../../data/demo", import.meta.url));

/** Reranker entries with a meaning of their own (unless the config defines a reranker so named). */
export const NO_RERANKER = "none";
export const LEARNED_RERANKER = "learned";
/** The fusion entry that tunes fusion on the train split for each first stage. */
export const TUNED_FUSION = "tuned";

/** Every default in one place. */
export type GuardSetting = "on" | "off";

export const LAB_DEFAULTS = Object.freeze({
  split: "test",
  trainSplit: "train",
  metric: "ndcg@10",
  metrics: DEFAULT_EVAL_METRICS,
  /** Documents a configuration returns per query (the TREC convention of eval). */
  k: 1000,
  /** Queries run through a configuration before timing starts (then every query is timed). */
  warmup: 10,
  seed: 1,
  depths: Object.freeze([100]),
  rerankDepths: Object.freeze([50]),
  /** The exact-match guard (pipeline/identifier-guard.ts): on only. */
  guard: Object.freeze(["on"]) as readonly GuardSetting[],
  fusion: Object.freeze([{ method: "rrf", k: 60 }, TUNED_FUSION]) as readonly FusionEntry[],
  out: "pairlift-report",
});

const positive = z.number().positive();
const depth = z.number().int().positive().max(10_000);
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item).min(1)], { error: "expected a value or a non-empty list" });
const weightsSchema = z.record(z.string(), z.number().min(0, "a weight is a number ≥ 0"));
const normalizationSchema = z.enum(NORMALIZATIONS as [Normalization, ...Normalization[]], {
  error: `expected one of ${NORMALIZATIONS.join(", ")}`,
});

const rrfGridSchema = z.strictObject({
  method: z.literal("rrf"),
  k: oneOrMany(positive).optional(),
  weights: weightsSchema.optional(),
});
const weightedGridSchema = z.strictObject({
  method: z.literal("weighted"),
  normalization: oneOrMany(normalizationSchema).optional(),
  weights: weightsSchema.optional(),
});
const tunedFileSchema = z.strictObject({ tuned: z.string().min(1) });

/** One entry of `lab.fusion`: `tuned`, `{ tuned: FILE }`, or a method whose parameters may be lists. */
export type FusionEntry =
  | typeof TUNED_FUSION
  | z.infer<typeof tunedFileSchema>
  | z.infer<typeof rrfGridSchema>
  | z.infer<typeof weightedGridSchema>;

/** Dispatched by hand so each error keeps its own path (`lab.fusion.1.k`), as fusion/schema.ts does. */
const fusionEntrySchema: z.ZodType<FusionEntry> = z.unknown().transform((value, ctx) => {
  if (value === TUNED_FUSION) return TUNED_FUSION;
  const isObject = typeof value === "object" && value !== null;
  const schema =
    isObject && Object.hasOwn(value, "tuned")
      ? tunedFileSchema
      : isObject && (value as { method?: unknown }).method === "weighted"
        ? weightedGridSchema
        : isObject && (value as { method?: unknown }).method === "rrf"
          ? rrfGridSchema
          : undefined;
  if (schema === undefined) {
    ctx.addIssue({
      code: "custom",
      message:
        "expected tuned, { tuned: FILE }, { method: rrf, k: … } or { method: weighted, normalization: … }",
    });
    return z.NEVER;
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues)
    ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
  return z.NEVER;
});

const priceSchema = z.union(
  [
    z.number().min(0),
    z.strictObject({
      perMillionTokens: z.number().min(0).optional(),
      perThousandQueries: z.number().min(0).optional(),
    }),
  ],
  {
    error:
      "a price is a number (per 1M tokens) or { perMillionTokens, perThousandQueries }, each ≥ 0",
  },
);

export const labConfigSchema = z.strictObject({
  /** BEIR folder (default: the bundled demo collection). */
  dataset: z.string().min(1).optional(),
  /** Split every configuration is measured on. */
  split: z.string().min(1).optional(),
  /** Split that tuned fusion and the learned reranker learn from; null: learn nothing. */
  trainSplit: z.string().min(1).nullable().optional(),
  /** A probe directory (`pairlift probe`) run through every configuration. */
  probe: z.string().min(1).optional(),
  /** A slice file (YAML), added to the automatic and tag slices. */
  slices: z.string().min(1).optional(),
  minSliceQueries: z.number().int().min(1).optional(),
  /** The quality metric of the Pareto fronts and the recommendation. */
  metric: z.string().min(1).optional(),
  /** Metrics reported for every configuration (the quality metric is added when missing). */
  metrics: z.array(z.string().min(1)).min(1).optional(),
  k: z.number().int().positive().max(10_000).optional(),
  warmup: z.number().int().min(0).optional(),
  /** Measure only the first N queries of the split (quick looks; the report says so). */
  maxQueries: z.number().int().positive().optional(),
  seed: z.number().int().min(0).optional(),

  /** Dense paths: each is fused with BM25 (default: every offline embedder in the config). */
  embedders: z.array(z.string().min(1)).optional(),
  /** Sweep lexical-only (BM25) as a first stage (default true). */
  lexicalOnly: z.boolean().optional(),
  /** Also each embedder alone, without BM25 (default false). */
  denseOnly: z.boolean().optional(),
  /** Also one first stage fusing BM25 with every embedder (default true when there are two or more). */
  combineEmbedders: z.boolean().optional(),
  /** Explicit first stages (`bm25`, `dense:<e>`, `hybrid:<e>[+<e>]`), replacing the four keys above. */
  firstStages: z.array(z.string().min(1)).min(1).optional(),
  /** Candidates per retriever. */
  depths: z.array(depth).min(1).optional(),
  fusion: z.array(fusionEntrySchema).min(1).optional(),
  /** `none`, `learned`, or names under `rerankers:`. */
  rerankers: z.array(z.string().min(1)).min(1).optional(),
  rerankDepths: z.array(depth).min(1).optional(),
  /** The exact-match guard on, off, or both (`[on, off]` shows what it does per slice). */
  guard: z
    .array(z.enum(["on", "off"]))
    .min(1)
    .optional(),

  /** The configuration in production, by id (default: lexical-only at the first depth). */
  baseline: z.string().min(1).optional(),
  /** The recommendation's p95 end-to-end latency limit. */
  latencyBudgetMs: positive.optional(),
  /** The recommendation's cost limit per 1,000 queries, in the prices' currency. */
  costCeiling: z.number().min(0).optional(),
  /** Price per embedder or reranker name. */
  prices: z.record(z.string().min(1), priceSchema).optional(),
  currency: z.string().min(1).optional(),
  /** The regression gate against the baseline (default: the config's `gate:` section). */
  gate: z.unknown().optional(),
  /** Warn when a configuration's judged@10 differs from the baseline's by more (as compare's). */
  judgedThreshold: z.number().min(0).max(1).optional(),
  /** The smallest significant gain in the metric the recommendation pays more for (0.005). */
  minEffect: z.number().min(0).max(1).optional(),
  /** Where reports and resumable results go (default ./pairlift-report). */
  out: z.string().min(1).optional(),
});

export type LabConfigInput = z.infer<typeof labConfigSchema>;

export interface Price {
  perMillionTokens: number;
  perThousandQueries: number;
}

/** The lab's settings with every default filled in and every name checked against the config. */
export interface LabSettings {
  dataset: string;
  split: string;
  trainSplit: string | null;
  probe: string | undefined;
  slices: string | undefined;
  minSliceQueries: number | undefined;
  metric: string;
  metrics: string[];
  k: number;
  warmup: number;
  maxQueries: number | undefined;
  seed: number;
  firstStages: string[];
  depths: number[];
  fusion: FusionEntry[];
  rerankers: string[];
  rerankDepths: number[];
  /** Sweep the exact-match guard on (true) and/or off (false). */
  guards: boolean[];
  baseline: string | undefined;
  latencyBudgetMs: number | undefined;
  costCeiling: number | undefined;
  prices: Record<string, Price>;
  currency: string;
  gate: GateConfig;
  /** judged@10 differences from the baseline above this are warned about (compare's default). */
  judgedThreshold: number;
  /** The smallest significant gain the recommendation pays more for (see lab/recommend.ts). */
  minEffect: number;
  out: string;
}

/** Command-line flags that override the config. */
export interface LabOverrides {
  dataset?: string;
  split?: string;
  out?: string;
  maxQueries?: number;
}

const HOSTED_EMBEDDER_PROVIDERS: ReadonlySet<string> = new Set(HOSTED_PROVIDERS.map((p) => p.name));
const HOSTED_RERANKERS: ReadonlySet<string> = new Set(HOSTED_RERANKER_PROVIDERS.map((p) => p.name));

/** Whether an embedder block calls a remote service (or may download its model). */
export function isHostedEmbedder(block: Readonly<Record<string, unknown>>): boolean {
  return (
    HOSTED_EMBEDDER_PROVIDERS.has(String(block["provider"])) || block["allowRemoteModels"] === true
  );
}

export function isHostedReranker(block: Readonly<Record<string, unknown>>): boolean {
  return HOSTED_RERANKERS.has(String(block["provider"])) || block["allowRemoteModels"] === true;
}

/** Validates `config.sections.lab` (plus flags) and resolves every default. */
export function resolveLabSettings(
  config: PairliftConfig,
  overrides: LabOverrides = {},
): LabSettings {
  const raw = parseWith(labConfigSchema, config.sections.lab ?? {}, config.file, ["lab"]);
  const where = (field: string) =>
    config.file === undefined ? { field } : { file: config.file, field };
  const metric = raw.metric ?? LAB_DEFAULTS.metric;
  const metrics = [...(raw.metrics ?? LAB_DEFAULTS.metrics)];
  if (!metrics.includes(metric)) metrics.unshift(metric);
  try {
    parseMetricNames(metrics);
  } catch (error) {
    throw new PairliftError(
      "E_CONFIG",
      error instanceof Error ? error.message : String(error),
      where("lab.metrics"),
    );
  }

  const embedders =
    raw.embedders ??
    Object.entries(config.embedders)
      .filter(([, block]) => !isHostedEmbedder(block))
      .map(([name]) => name);
  raw.embedders?.forEach((name, i) => {
    if (!Object.hasOwn(config.embedders, name))
      throw new PairliftError(
        "E_CONFIG",
        `unknown embedder "${name}"; defined: ${Object.keys(config.embedders).join(", ")}`,
        where(`lab.embedders.${i}`),
      );
  });
  const firstStages = raw.firstStages ?? defaultFirstStages(embedders, raw);
  if (firstStages.length === 0)
    throw new PairliftError(
      "E_CONFIG",
      "nothing to sweep: lexicalOnly is false and no embedder is given",
      where("lab.embedders"),
    );

  const learnedIsBuiltIn = !Object.hasOwn(config.rerankers, LEARNED_RERANKER);
  const trainSplit = raw.trainSplit === undefined ? LAB_DEFAULTS.trainSplit : raw.trainSplit;
  const rerankers =
    raw.rerankers ??
    [
      NO_RERANKER,
      ...(trainSplit === null ? [] : [LEARNED_RERANKER]),
      ...Object.entries(config.rerankers)
        .filter(([name, block]) => name !== LEARNED_RERANKER && !isHostedReranker(block))
        .map(([name]) => name),
    ].filter((name, i, all) => all.indexOf(name) === i);
  rerankers.forEach((name, i) => {
    if (name === NO_RERANKER) return;
    if (name === LEARNED_RERANKER && learnedIsBuiltIn) {
      if (trainSplit === null)
        throw new PairliftError(
          "E_CONFIG",
          "the learned reranker is trained on trainSplit, which is null",
          where(`lab.rerankers.${i}`),
        );
      return;
    }
    if (!Object.hasOwn(config.rerankers, name))
      throw new PairliftError(
        "E_CONFIG",
        `unknown reranker "${name}"; use none, learned, or one defined under rerankers:${
          Object.keys(config.rerankers).length > 0
            ? ` (${Object.keys(config.rerankers).join(", ")})`
            : ""
        }`,
        where(`lab.rerankers.${i}`),
      );
  });
  // With nothing to learn from, the default grid has no tuned fusion (as it has no learned reranker).
  const fusion = [
    ...(raw.fusion ??
      LAB_DEFAULTS.fusion.filter((entry) => trainSplit !== null || entry !== TUNED_FUSION)),
  ];
  fusion.forEach((entry, i) => {
    if (entry === TUNED_FUSION && trainSplit === null)
      throw new PairliftError(
        "E_CONFIG",
        "tuned fusion learns on trainSplit, which is null",
        where(`lab.fusion.${i}`),
      );
  });

  const prices: Record<string, Price> = {};
  for (const [name, price] of Object.entries(raw.prices ?? {})) {
    if (!Object.hasOwn(config.embedders, name) && !Object.hasOwn(config.rerankers, name))
      throw new PairliftError(
        "E_CONFIG",
        `prices name "${name}", which is neither an embedder nor a reranker`,
        where(`lab.prices.${name}`),
      );
    prices[name] =
      typeof price === "number"
        ? { perMillionTokens: price, perThousandQueries: 0 }
        : {
            perMillionTokens: price.perMillionTokens ?? 0,
            perThousandQueries: price.perThousandQueries ?? 0,
          };
  }
  const gate =
    raw.gate !== undefined
      ? parseWith(gateConfigSchema, raw.gate, config.file, ["lab", "gate"])
      : parseWith(gateConfigSchema, config.sections.gate ?? {}, config.file, ["gate"]);

  // Paths in the config file are relative to it; flags, to the working directory.
  const fromConfig = (path: string | undefined): string | undefined =>
    path === undefined ? undefined : isAbsolute(path) ? path : resolve(config.baseDir, path);
  const dataset = overrides.dataset ?? fromConfig(raw.dataset) ?? DEMO_DATASET;
  if (!existsSync(dataset))
    throw new PairliftError(
      "E_NOT_FOUND",
      "dataset folder not found",
      overrides.dataset === undefined && raw.dataset !== undefined
        ? where("lab.dataset")
        : { file: dataset },
    );
  const maxQueries = overrides.maxQueries ?? raw.maxQueries;
  return {
    dataset,
    split: overrides.split ?? raw.split ?? LAB_DEFAULTS.split,
    trainSplit,
    probe: fromConfig(raw.probe),
    slices: fromConfig(raw.slices),
    minSliceQueries: raw.minSliceQueries,
    metric,
    metrics,
    k: raw.k ?? LAB_DEFAULTS.k,
    warmup: raw.warmup ?? LAB_DEFAULTS.warmup,
    maxQueries,
    seed: raw.seed ?? LAB_DEFAULTS.seed,
    firstStages,
    depths: [...new Set(raw.depths ?? LAB_DEFAULTS.depths)],
    fusion,
    rerankers,
    rerankDepths: [...new Set(raw.rerankDepths ?? LAB_DEFAULTS.rerankDepths)],
    guards: [...new Set(raw.guard ?? LAB_DEFAULTS.guard)].map((setting) => setting === "on"),
    baseline: raw.baseline,
    latencyBudgetMs: raw.latencyBudgetMs,
    costCeiling: raw.costCeiling,
    prices,
    currency: raw.currency ?? "USD",
    gate,
    judgedThreshold: raw.judgedThreshold ?? DEFAULT_JUDGED_THRESHOLD,
    minEffect: raw.minEffect ?? RECOMMEND_DEFAULTS.minEffect,
    out: overrides.out ?? fromConfig(raw.out) ?? LAB_DEFAULTS.out,
  };
}

function defaultFirstStages(embedders: readonly string[], raw: LabConfigInput): string[] {
  const stages: string[] = [];
  if (raw.lexicalOnly ?? true) stages.push("bm25");
  for (const embedder of embedders) {
    stages.push(`hybrid:${embedder}`);
    if (raw.denseOnly === true) stages.push(`dense:${embedder}`);
  }
  if ((raw.combineEmbedders ?? true) && embedders.length >= 2)
    stages.push(`hybrid:${embedders.join("+")}`);
  return stages;
}

/** Expands one fusion entry's parameter lists into specs (a tuned entry is returned as is). */
export function expandFusionEntry(
  entry: FusionEntry,
): Array<FusionSpec | typeof TUNED_FUSION | { tuned: string }> {
  if (entry === TUNED_FUSION || "tuned" in entry) return [entry];
  const weights = entry.weights === undefined ? {} : { weights: entry.weights };
  if (entry.method === "rrf") {
    const ks = entry.k === undefined ? [undefined] : Array.isArray(entry.k) ? entry.k : [entry.k];
    return ks.map((k) =>
      fusionMethodSchema.parse({ method: "rrf", ...(k === undefined ? {} : { k }), ...weights }),
    );
  }
  const normalizations =
    entry.normalization === undefined
      ? [undefined]
      : Array.isArray(entry.normalization)
        ? entry.normalization
        : [entry.normalization];
  return normalizations.map((normalization) =>
    fusionMethodSchema.parse({
      method: "weighted",
      ...(normalization === undefined ? {} : { normalization }),
      ...weights,
    }),
  );
}
