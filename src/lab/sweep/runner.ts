/**
 * Runs the sweep: every configuration of the grid that `--out` has no result for, one after
 * another, each through the same pipeline code `eval` and `serve` use (openPipeline), so what is
 * measured is what would be deployed.
 *
 * What is shared, so a sweep costs little more than its distinct stages:
 * - the index (built once per corpus, cached) and each embedder's document vectors (built once,
 *   stored beside the index; document embeddings also sit in the embedding cache);
 * - one instance of each model, and each query's embedding, computed once per model
 *   (embedder-pool.ts), with its real per-query time put back into every configuration's timings;
 * - tuned fusion per first stage and learned rerankers per first stage, fusion and rerank depth,
 *   trained once and kept in `--out/artifacts/` (a resumed sweep reuses them).
 *
 * Per configuration: `warmup` queries untimed, then every query of the split timed (per-stage
 * and end-to-end), then the probe set (untimed); metrics overall, per slice and on the probe set;
 * index bytes, process memory, tokens sent per query. The result is appended to results.jsonl
 * before the next configuration starts; an AbortSignal stops between queries (LabInterrupted).
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { loadConfig, type PairliftConfig } from "../../config/config-file.js";
import { documentText } from "../../dense/dense-index.js";
import { openDefaultEmbeddingCache, type EmbeddingCache } from "../../dense/embedding-cache.js";
import { PairliftError } from "../../errors.js";
import { scoreWithJudged } from "../../eval/judged-report.js";
import { parseMetricNames, type MetricSpec } from "../../eval/measures.js";
import { loadSliceFile } from "../../eval/slices/slice-file.js";
import {
  assignSlices,
  indexTermStatistics,
  DEFAULT_MIN_SLICE_QUERIES,
} from "../../eval/slices/slices.js";
import type { FusionSpec } from "../../fusion/fuse.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { beirCorpusPath, loadBeirSplit } from "../../io/beir.js";
import { resolvePipeline, type PipelineConfig } from "../../pipeline/config.js";
import {
  openPipeline,
  readTunedFusion,
  type PipelineContext,
  type PipelineResult,
} from "../../pipeline/pipeline.js";
import { writeLearnedModel } from "../../rerank/learned/model-file.js";
import { createReranker } from "../../rerank/registry.js";
import type { Reranker } from "../../rerank/reranker.js";
import { sha256File, sha256Text } from "../../store/hash.js";
import { cachedIndex } from "../../store/index-cache.js";
import type { OpenIndex } from "../../store/index-store.js";
import type { Qrels, Query, Run } from "../../types.js";
import {
  isHostedEmbedder,
  isHostedReranker,
  LEARNED_RERANKER,
  resolveLabSettings,
  type LabOverrides,
  type LabSettings,
} from "../lab-config.js";
import { verifyProbeDataset } from "../probe.js";
import { trainReranker } from "../train-reranker.js";
import { tuneFusion } from "../tune-fusion.js";
import { EmbedderPool, type EmbedderFactory } from "./embedder-pool.js";
import { expandGrid, type LabConfiguration } from "./grid.js";
import { buildRecord, resolveAgainst, resultKey, type ReproducibilityRecord } from "./record.js";
import {
  estimateTokens,
  RESULT_FORMAT,
  summarizeLatency,
  type ConfigurationResult,
  type SetResult,
} from "./result.js";
import { ResultsStore } from "./results-store.js";
import { searchQuery } from "../../eval/query-search.js";

export interface RunLabOptions {
  /** Embedders, rerankers and the `lab:` section (default: pairlift.config.yaml if present). */
  config?: PairliftConfig;
  overrides?: LabOverrides;
  /** Forget the results in `--out` and measure everything again. */
  fresh?: boolean;
  /** Where built indexes are cached (default: the cache directory). */
  cacheRoot?: string;
  /** The embedding cache (default: embeddings.sqlite in the cache directory). */
  embeddingCache?: EmbeddingCache;
  /** Substitute embedder factory, for tests. */
  createEmbedder?: EmbedderFactory;
  /** Substitute factory for configured rerankers (not the ones the lab trains), for tests. */
  createReranker?: (name: string, config: PairliftConfig) => Promise<Reranker>;
  /** Stops the sweep between queries; finished configurations stay in results.jsonl. */
  signal?: AbortSignal;
  onEvent?: (event: LabEvent) => void;
  /** The command line, for the reproducibility record. */
  command?: string;
}

export type LabEvent =
  | {
      type: "start";
      total: number;
      pending: number;
      reused: number;
      unreadable: number;
      out: string;
    }
  | {
      type: "configuration";
      position: number;
      pending: number;
      id: string;
      etaSeconds: number | undefined;
    }
  | { type: "stage"; id: string; stage: string; done: number; total: number }
  | {
      type: "queries";
      id: string;
      done: number;
      total: number;
      etaSeconds: number | undefined;
    }
  | { type: "done"; id: string; seconds: number; quality: number; p95Ms: number };

export interface LabRun {
  settings: LabSettings;
  /** The baseline's id (the configured one, or lexical-only at the first depth). */
  baseline: string;
  out: string;
  record: ReproducibilityRecord;
  configurations: LabConfiguration[];
  /** One per configuration, in grid order. */
  results: ConfigurationResult[];
  /** Ids measured by this run, and ids whose results an earlier run left in `--out`. */
  ran: string[];
  reused: string[];
  seconds: number;
}

/** Thrown when the signal stops a sweep; what finished is kept for the rerun. */
export class LabInterrupted extends Error {
  constructor(
    readonly finished: number,
    readonly total: number,
    readonly out: string,
  ) {
    super(
      `interrupted after ${finished} of ${total} configurations; rerun the same command to resume (results in ${out})`,
    );
    this.name = "LabInterrupted";
  }
}

export async function runLab(options: RunLabOptions = {}): Promise<LabRun> {
  const started = performance.now();
  const config = options.config ?? (await loadConfig());
  const settings = resolveLabSettings(config, options.overrides);
  const configurations = expandGrid(settings, config.embedders, config.file);
  const baseline = settings.baseline ?? defaultBaseline(configurations);
  if (!configurations.some((c) => c.id === baseline))
    throw new PairliftError(
      "E_CONFIG",
      `baseline "${baseline}" is not a configuration of the grid; configurations: ${configurations.map((c) => c.id).join(", ")}`,
      config.file === undefined
        ? { field: "lab.baseline" }
        : { file: config.file, field: "lab.baseline" },
    );
  const record = await buildRecord({
    settings: { ...settings, baseline },
    config,
    configurations,
    ...(options.command === undefined ? {} : { command: options.command }),
  });
  const out = resolve(settings.out);
  const store = await ResultsStore.open(out, { fresh: options.fresh === true });
  await writeFileAtomic(join(out, "record.json"), `${JSON.stringify(record, null, 2)}\n`);
  const keyOf = (configuration: LabConfiguration): string =>
    resultKey(record.fingerprint, configuration.id);
  const pending = configurations.filter((c) => store.get(keyOf(c)) === undefined);
  options.onEvent?.({
    type: "start",
    total: configurations.length,
    pending: pending.length,
    reused: configurations.length - pending.length,
    unreadable: store.unreadable,
    out,
  });
  if (pending.length > 0) {
    const session = await SweepSession.open({ options, config, settings, record, out });
    try {
      const finishedSeconds: number[] = [];
      for (const [i, configuration] of pending.entries()) {
        if (options.signal?.aborted === true)
          throw new LabInterrupted(store.size, configurations.length, out);
        const mean =
          finishedSeconds.length === 0
            ? undefined
            : finishedSeconds.reduce((a, b) => a + b, 0) / finishedSeconds.length;
        const remainingAfter = pending.length - i - 1;
        options.onEvent?.({
          type: "configuration",
          position: i + 1,
          pending: pending.length,
          id: configuration.id,
          etaSeconds: mean === undefined ? undefined : mean * (remainingAfter + 1),
        });
        const result = await session.run(configuration, keyOf(configuration), (perQuery) =>
          mean === undefined ? undefined : perQuery + mean * remainingAfter,
        );
        await store.append(result);
        finishedSeconds.push(result.seconds);
        options.onEvent?.({
          type: "done",
          id: configuration.id,
          seconds: result.seconds,
          quality: result.aggregate[settings.metric] ?? 0,
          p95Ms: result.latency.p95Ms,
        });
      }
    } catch (error) {
      if (error instanceof LabInterrupted)
        throw new LabInterrupted(store.size, configurations.length, out);
      throw error;
    } finally {
      await session.close();
    }
  }
  const pendingIds = new Set(pending.map((c) => c.id));
  const results = configurations.map((c) => store.get(keyOf(c))!);
  // Identities are known once a model has run; each configuration recorded its own.
  // Trained rerankers (one per first stage, fusion and depth) are files: their hashes go with the data.
  for (const result of results) {
    for (const [name, identity] of Object.entries(result.models ?? {})) {
      const trained = identity as { provider?: unknown; model?: unknown; sha256?: unknown };
      if (trained.provider === "learned" && typeof trained.model === "string") {
        record.files[trained.model] = String(trained.sha256);
        continue;
      }
      const model = record.models.embedders[name] ?? record.models.rerankers[name];
      if (model !== undefined && model.identity === undefined) model.identity = identity;
    }
  }
  await writeFileAtomic(join(out, "record.json"), `${JSON.stringify(record, null, 2)}\n`);
  return {
    settings,
    baseline,
    out,
    record,
    configurations,
    results,
    ran: configurations.filter((c) => pendingIds.has(c.id)).map((c) => c.id),
    reused: configurations.filter((c) => !pendingIds.has(c.id)).map((c) => c.id),
    seconds: (performance.now() - started) / 1000,
  };
}

/** Lexical-only without a reranker at the first depth, else the first configuration. */
function defaultBaseline(configurations: readonly LabConfiguration[]): string {
  const lexical = configurations.find(
    (c) => c.firstStage.embedders.length === 0 && c.firstStage.lexical && c.reranker === undefined,
  );
  return (lexical ?? configurations[0]!).id;
}

/** The session's warm-up: at least this many BM25 searches and this long, at most WARM_MAX_MS. */
const WARM_SEARCHES = 300;
const WARM_MS = 500;
const WARM_MAX_MS = 3000;

interface QuerySet {
  queries: Query[];
  qrels: Qrels;
  membership: Map<string, string[]>;
}

/** Everything the configurations of one sweep share, open for its duration. */
class SweepSession {
  private readonly tuned = new Map<string, Promise<FusionSpec>>();
  private readonly learned = new Map<string, Promise<string>>();
  private readonly metricSpecs: MetricSpec[];

  private constructor(
    private readonly options: RunLabOptions,
    private readonly config: PairliftConfig,
    private readonly settings: LabSettings,
    private readonly record: ReproducibilityRecord,
    private readonly artifacts: string,
    private readonly index: OpenIndex,
    private readonly test: QuerySet,
    private readonly probe: QuerySet | undefined,
    private readonly cache: EmbeddingCache,
    private readonly ownCache: boolean,
    private readonly pool: EmbedderPool,
  ) {
    this.metricSpecs = parseMetricNames(settings.metrics);
  }

  static async open(args: {
    options: RunLabOptions;
    config: PairliftConfig;
    settings: LabSettings;
    record: ReproducibilityRecord;
    out: string;
  }): Promise<SweepSession> {
    const { options, config, settings } = args;
    await verifyProbeDataset(settings.dataset);
    const data = await loadBeirSplit(settings.dataset, settings.split);
    const queries =
      settings.maxQueries === undefined ? data.queries : data.queries.slice(0, settings.maxQueries);
    const sliceFile =
      settings.slices === undefined ? undefined : await loadSliceFile(settings.slices);
    const { index } = await cachedIndex({
      source: { path: settings.dataset },
      ...(options.cacheRoot === undefined ? {} : { root: options.cacheRoot }),
    });
    // Queries through a BM25 pipeline, untimed, until the code every configuration shares is
    // compiled (at least WARM_SEARCHES searches and WARM_MS): otherwise the first configuration
    // measured shares the cores with V8's optimizing compiler. Each configuration then has its
    // own warm-up.
    const warm = await openPipeline(resolvePipeline("bm25", {}), { index, config });
    try {
      const began = performance.now();
      for (let done = 0; queries.length > 0;) {
        for (const query of queries)
          await warm.search(query.text, settings.k).catch(() => undefined);
        done += queries.length;
        const elapsed = performance.now() - began;
        if ((done >= WARM_SEARCHES && elapsed >= WARM_MS) || elapsed >= WARM_MAX_MS) break;
      }
    } finally {
      await warm.close();
    }
    const terms = indexTermStatistics(index.lexical);
    const test: QuerySet = {
      queries,
      qrels: restrictQrels(data.qrels, queries),
      membership: assignSlices(queries, {
        terms,
        ...(sliceFile === undefined ? {} : { sliceFile }),
      }),
    };
    let probe: QuerySet | undefined;
    if (settings.probe !== undefined) {
      await verifyProbeDataset(settings.probe);
      const [own, theirs] = await Promise.all([
        sha256File(beirCorpusPath(settings.dataset)),
        sha256File(beirCorpusPath(settings.probe)),
      ]);
      if (own !== theirs)
        throw new PairliftError(
          "E_CONFIG",
          `the probe set ${settings.probe} was generated from another corpus than ${settings.dataset}; generate it from this dataset with pairlift probe`,
          { field: "lab.probe" },
        );
      const probeData = await loadBeirSplit(settings.probe, "test");
      probe = {
        queries: probeData.queries,
        qrels: probeData.qrels,
        membership: assignSlices(probeData.queries, { terms }),
      };
    }
    const artifacts = join(args.out, "artifacts");
    await mkdir(artifacts, { recursive: true });
    const cache = options.embeddingCache ?? openDefaultEmbeddingCache();
    return new SweepSession(
      options,
      config,
      settings,
      args.record,
      artifacts,
      index,
      test,
      probe,
      cache,
      options.embeddingCache === undefined,
      new EmbedderPool(config, options.createEmbedder),
    );
  }

  async close(): Promise<void> {
    await this.pool.close();
    if (this.ownCache) this.cache.close();
  }

  /** Measures one configuration. `eta` turns this configuration's remaining seconds into the sweep's. */
  async run(
    configuration: LabConfiguration,
    key: string,
    eta: (remainingHere: number) => number | undefined,
  ): Promise<ConfigurationResult> {
    const began = performance.now();
    const { settings } = this;
    const id = configuration.id;
    const stage = (name: string) => (done: number, total: number) =>
      this.options.onEvent?.({ type: "stage", id, stage: name, done, total });
    const texts = this.test.queries.map((query) => query.text);
    for (const embedder of configuration.firstStage.embedders)
      await this.pool.measureQueries(
        embedder,
        texts,
        settings.warmup,
        stage(`embed queries (${embedder})`),
      );

    const fusion = await this.fusionOf(configuration);
    const rerankers: PairliftConfig["rerankers"] = {};
    let rerankerName: string | undefined;
    let rerankerSource: string | undefined;
    if (configuration.reranker !== undefined) {
      if (this.isTrained(configuration.reranker)) {
        const path = await this.learnedModel(configuration, fusion);
        rerankerName = `lab-learned-${sha256Text(path).slice(0, 12)}`;
        rerankers[rerankerName] = { provider: "learned", model: path };
        rerankerSource = path;
      } else {
        rerankerName = configuration.reranker;
        rerankerSource = `rerankers.${configuration.reranker}`;
      }
    }
    const pipelineConfig = pipelineConfigOf(
      configuration,
      fusion,
      rerankerName === undefined
        ? undefined
        : { reranker: rerankerName, depth: configuration.rerankDepth! },
    );
    const runConfig = withPipeline(this.config, id, pipelineConfig, rerankers);
    const definition = resolvePipeline(id, runConfig.pipelines, runConfig.file);
    const substitute = this.options.createReranker;
    const context: PipelineContext = {
      index: this.index,
      config: runConfig,
      cache: this.cache,
      buildMissing: true,
      createEmbedder: this.pool.factory,
      // The only stage a pipeline reports while opening: embedding the documents it lacks.
      onProgress: (name, done, total) =>
        stage(name.startsWith("embed:") ? `embed documents (${name.slice(6)})` : name)(done, total),
      ...(substitute === undefined
        ? {}
        : {
            createReranker: (name: string, cfg: PairliftConfig) =>
              Object.hasOwn(rerankers, name) ? createReranker(name, cfg) : substitute(name, cfg),
          }),
    };
    const pipeline = await openPipeline(definition, context);
    const timings: Record<string, number>[] = [];
    const run: Run = new Map();
    const probeRun: Run = new Map();
    const tokens: Record<string, number> = {};
    let degradedQueries = 0;
    const queries = this.test.queries;
    try {
      const warmup = queries.slice(0, settings.warmup);
      const search = (query: Query): Promise<PipelineResult> =>
        searchQuery(
          pipeline,
          query,
          settings.k,
          `configuration "${id}" (finished configurations are kept; rerun to resume)`,
        );
      for (const query of warmup) await search(query);
      const timedStarted = performance.now();
      for (const [i, query] of queries.entries()) {
        if (this.options.signal?.aborted === true) throw new LabInterrupted(0, 0, "");
        const result = await search(query);
        run.set(query.id, new Map(result.hits.map((hit) => [hit.id, hit.score])));
        timings.push(this.withMeasuredEmbedding(result.timingsMs, configuration, query.text));
        if (result.degraded !== undefined) degradedQueries += 1;
        for (const embedder of configuration.firstStage.embedders)
          tokens[embedder] = (tokens[embedder] ?? 0) + estimateTokens(query.text);
        if (configuration.reranker !== undefined) {
          const reranked = result.hits.filter((hit) => hit.rerank !== undefined);
          const sent =
            result.degraded === undefined
              ? reranked
              : result.hits.slice(0, configuration.rerankDepth);
          tokens[configuration.reranker] =
            (tokens[configuration.reranker] ?? 0) +
            sent.reduce((sum, hit) => sum + estimateTokens(query.text) + this.docTokens(hit.id), 0);
        }
        const perQuery = (performance.now() - timedStarted) / (i + 1);
        this.options.onEvent?.({
          type: "queries",
          id,
          done: i + 1,
          total: queries.length,
          etaSeconds: eta(((queries.length - i - 1) * perQuery) / 1000),
        });
      }
      for (const query of this.probe?.queries ?? []) {
        if (this.options.signal?.aborted === true) throw new LabInterrupted(0, 0, "");
        const result = await search(query);
        probeRun.set(query.id, new Map(result.hits.map((hit) => [hit.id, hit.score])));
      }
    } finally {
      await pipeline.close();
    }

    const latency = summarizeLatency(timings, Math.min(settings.warmup, queries.length));
    const scored = this.score(this.test, run);
    const hostedComponents = [
      ...configuration.firstStage.embedders.filter((name) =>
        isHostedEmbedder(this.config.embedders[name]!),
      ),
      ...(configuration.reranker !== undefined &&
      Object.hasOwn(this.config.rerankers, configuration.reranker) &&
      isHostedReranker(this.config.rerankers[configuration.reranker]!)
        ? [configuration.reranker]
        : []),
    ];
    const models: Record<string, unknown> = {};
    for (const embedder of configuration.firstStage.embedders)
      models[embedder] = (await this.pool.model(embedder)).identity;
    if (
      rerankerName !== undefined &&
      rerankerSource !== undefined &&
      this.isTrained(configuration.reranker!)
    )
      models[configuration.reranker!] = {
        provider: "learned",
        model: rerankerSource,
        sha256: await sha256File(rerankerSource),
      };
    const memory = process.memoryUsage();
    return {
      format: RESULT_FORMAT,
      key,
      id,
      configuration,
      fusion: configuration.fusion === undefined ? undefined : fusion,
      rerankerSource,
      ...scored,
      probe: this.probe === undefined ? undefined : this.score(this.probe, probeRun),
      latency,
      throughputQps: latency.meanMs > 0 ? Math.round((1000 / latency.meanMs) * 10) / 10 : 0,
      index: await this.indexBytes(configuration),
      memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed },
      tokensPerQuery: Object.fromEntries(
        Object.entries(tokens).map(([name, total]) => [
          name,
          Math.round((total / Math.max(1, queries.length)) * 10) / 10,
        ]),
      ),
      models,
      hosted: hostedComponents,
      degradedQueries,
      seconds: Math.round((performance.now() - began) / 10) / 100,
      finishedAt: new Date().toISOString(),
    };
  }

  private isTrained(reranker: string): boolean {
    return reranker === LEARNED_RERANKER && !Object.hasOwn(this.config.rerankers, reranker);
  }

  private docTokens(id: string): number {
    const document = this.index.documents.get(id);
    return document === undefined ? 0 : estimateTokens(documentText(document));
  }

  /** The pipeline's timings with each embedding replaced by the model's measured time for this query. */
  private withMeasuredEmbedding(
    timingsMs: Readonly<Record<string, number>>,
    configuration: LabConfiguration,
    text: string,
  ): Record<string, number> {
    const patched = { ...timingsMs };
    let delta = 0;
    for (const embedder of configuration.firstStage.embedders) {
      const stage = `embed:${embedder}`;
      const measured = this.pool.queryLatency(embedder, text);
      if (measured === undefined || patched[stage] === undefined) continue;
      delta += measured - patched[stage];
      patched[stage] = measured;
    }
    if (patched["retrieve"] !== undefined) patched["retrieve"] += delta;
    if (patched["total"] !== undefined) patched["total"] += delta;
    return patched;
  }

  private score(set: QuerySet, run: Run): SetResult {
    // As eval scores it: a query found nothing for counts as 0; judged@10 in its own section.
    return scoreWithJudged(
      set.qrels,
      run,
      this.metricSpecs,
      set.membership,
      this.settings.minSliceQueries ?? DEFAULT_MIN_SLICE_QUERIES,
    );
  }

  private async indexBytes(configuration: LabConfiguration): Promise<ConfigurationResult["index"]> {
    const parts: Record<string, number> = {
      lexical: await fileBytes(join(this.index.dataDir, "lexical.bin")),
      documents: await fileBytes(join(this.index.dataDir, "documents.jsonl")),
    };
    for (const embedder of configuration.firstStage.embedders)
      parts[`vectors:${embedder}`] = await dirBytes(join(this.index.dataDir, "dense", embedder));
    return { bytes: Object.values(parts).reduce((a, b) => a + b, 0), parts };
  }

  /** The fusion spec of a configuration: as configured, from a tuned file, or tuned now. */
  private async fusionOf(configuration: LabConfiguration): Promise<FusionSpec | undefined> {
    const variant = configuration.fusion;
    if (variant === undefined) return undefined;
    if (variant.kind === "spec") return variant.spec;
    if (variant.kind === "file") {
      const path = resolveAgainst(this.config.baseDir, variant.file);
      return readTunedFusion(path);
    }
    const stageKey = `${configuration.firstStage.name}@${configuration.depth}`;
    let tuned = this.tuned.get(stageKey);
    if (tuned === undefined) {
      tuned = this.tuneFusion(configuration, stageKey);
      this.tuned.set(stageKey, tuned);
    }
    return tuned;
  }

  private async tuneFusion(configuration: LabConfiguration, stageKey: string): Promise<FusionSpec> {
    const file = join(
      this.artifacts,
      `fusion-${slug(stageKey)}-${this.artifactKey([stageKey, this.settings.metric])}.json`,
    );
    if (existsSync(file)) return readTunedFusion(file);
    const name = `${stageKey} (tuning)`;
    const tuned = await tuneFusion({
      dataset: this.settings.dataset,
      pipeline: name,
      config: withPipeline(this.config, name, pipelineConfigOf(configuration, undefined)),
      trainSplit: this.settings.trainSplit!,
      testSplit: undefined,
      metric: this.settings.metric,
      ...this.sessionOptions(configuration, "tune fusion"),
    });
    await writeFileAtomic(file, `${JSON.stringify(tuned, null, 2)}\n`);
    return tuned.fusion;
  }

  /** The learned reranker for a first stage, fusion and rerank depth: trained once, kept as a file. */
  private learnedModel(
    configuration: LabConfiguration,
    fusion: FusionSpec | undefined,
  ): Promise<string> {
    const parts = [
      configuration.firstStage.name,
      configuration.depth,
      fusion ?? null,
      configuration.rerankDepth,
    ];
    const key = this.artifactKey(parts);
    let model = this.learned.get(key);
    if (model === undefined) {
      model = this.trainLearned(configuration, fusion, key);
      this.learned.set(key, model);
    }
    return model;
  }

  private async trainLearned(
    configuration: LabConfiguration,
    fusion: FusionSpec | undefined,
    key: string,
  ): Promise<string> {
    const file = join(
      this.artifacts,
      `learned-${slug(`${configuration.firstStage.name}@${configuration.depth}`)}-${key}.json`,
    );
    if (existsSync(file)) return file;
    const name = `${configuration.id} (training)`;
    const { model } = await trainReranker({
      dataset: this.settings.dataset,
      split: this.settings.trainSplit!,
      pipeline: name,
      config: withPipeline(this.config, name, pipelineConfigOf(configuration, fusion)),
      depth: configuration.rerankDepth!,
      ...this.sessionOptions(configuration, "train reranker"),
    });
    await writeLearnedModel(file, model);
    return file;
  }

  /** What tuning and training share: seed, caches, embedders, and progress as stage events. */
  private sessionOptions(configuration: LabConfiguration, label: string) {
    return {
      seed: this.settings.seed,
      embeddingCache: this.cache,
      createEmbedder: this.pool.factory,
      ...(this.options.cacheRoot === undefined ? {} : { cacheRoot: this.options.cacheRoot }),
      onProgress: (stage: string, done: number, total: number) =>
        this.options.onEvent?.({
          type: "stage",
          id: configuration.id,
          stage: `${label}: ${stage}`,
          done,
          total,
        }),
    };
  }

  private artifactKey(parts: unknown): string {
    return sha256Text(JSON.stringify([this.record.fingerprint, parts])).slice(0, 16);
  }
}

/** The pipeline block of a configuration: its retrievers at its depth, fusion and rerank stage. */
export function pipelineConfigOf(
  configuration: LabConfiguration,
  fusion: FusionSpec | undefined,
  rerank?: { reranker: string; depth: number },
): PipelineConfig {
  const { firstStage, depth } = configuration;
  return {
    retrievers: [
      ...(firstStage.lexical ? [{ lexical: { depth } }] : []),
      ...firstStage.embedders.map((embedder) => ({ dense: { embedder, depth } })),
    ],
    ...(fusion === undefined ? {} : { fusion }),
    ...(rerank === undefined ? {} : { rerank }),
    ...(configuration.guard ? {} : { guard: { enabled: false } }),
  };
}

function withPipeline(
  config: PairliftConfig,
  name: string,
  pipeline: PipelineConfig,
  rerankers: PairliftConfig["rerankers"] = {},
): PairliftConfig {
  return {
    ...config,
    pipelines: { ...config.pipelines, [name]: pipeline },
    rerankers: { ...config.rerankers, ...rerankers },
  };
}

function restrictQrels(qrels: Qrels, queries: readonly Query[]): Qrels {
  const ids = new Set(queries.map((query) => query.id));
  return new Map([...qrels].filter(([id]) => ids.has(id)));
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9.@+-]+/g, "_");
}

async function fileBytes(path: string): Promise<number> {
  return (await stat(path).catch(() => undefined))?.size ?? 0;
}

async function dirBytes(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  let total = 0;
  for (const entry of entries) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? await dirBytes(path) : await fileBytes(path);
  }
  return total;
}
