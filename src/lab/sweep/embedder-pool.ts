/**
 * One instance of each embedding model for the whole sweep, and what one query costs it.
 *
 * Every configuration that uses an embedder would embed the same queries again; the pool embeds
 * each query once per model and hands the vector to every later pipeline (query embeddings are
 * the expensive part of a first stage: BM25 and vector search take milliseconds and are re-run
 * per configuration, so each configuration's own code path is what gets timed). The time a
 * query's embedding took is measured once, on the model itself (not the embedding cache: a
 * production query is rarely cached), one query at a time after warm-up, and the runner puts it
 * back into each configuration's per-query timings.
 */
import type { PairliftConfig } from "../../config/config-file.js";
import type { EmbedOptions, Embedder, EmbedderIdentity } from "../../dense/embedder.js";
import { createEmbedder } from "../../dense/embedders/registry.js";

export type EmbedderFactory = (name: string, config: PairliftConfig) => Promise<Embedder>;

export class EmbedderPool {
  private readonly models = new Map<string, Promise<Embedder>>();
  private readonly queryVectors = new Map<string, Map<string, Float32Array>>();
  private readonly queryMs = new Map<string, Map<string, number>>();

  constructor(
    private readonly config: PairliftConfig,
    private readonly create: EmbedderFactory = createEmbedder,
  ) {}

  /** For PipelineContext.createEmbedder: a view of the shared model whose close() keeps it open. */
  readonly factory: EmbedderFactory = (name) => SharedEmbedder.open(name, this);

  /** The shared model (created on first use). */
  model(name: string): Promise<Embedder> {
    let model = this.models.get(name);
    if (model === undefined) {
      model = this.create(name, this.config);
      this.models.set(name, model);
    }
    return model;
  }

  /**
   * Embeds each text alone with the model (after `warmup` untimed calls) and records how long
   * it took; the vectors are kept for the pipelines. Texts measured before are skipped.
   */
  async measureQueries(
    name: string,
    texts: readonly string[],
    warmup: number,
    onProgress?: (done: number, total: number) => void,
  ): Promise<void> {
    const model = await this.model(name);
    const vectors = this.vectorsOf(name);
    const times = this.queryMs.get(name) ?? new Map<string, number>();
    this.queryMs.set(name, times);
    const todo = [...new Set(texts)].filter((text) => !times.has(text));
    for (const text of todo.slice(0, times.size === 0 ? warmup : 0))
      await model.embed([text], { role: "query" });
    for (const [i, text] of todo.entries()) {
      const started = performance.now();
      const [vector] = await model.embed([text], { role: "query" });
      times.set(text, performance.now() - started);
      vectors.set(text, vector!);
      onProgress?.(i + 1, todo.length);
    }
  }

  /** Milliseconds the model took to embed this query, when measured. */
  queryLatency(name: string, text: string): number | undefined {
    return this.queryMs.get(name)?.get(text);
  }

  /** Query vectors already computed; others go to the model (and are kept). */
  async embedQueries(
    name: string,
    texts: readonly string[],
    options: EmbedOptions,
  ): Promise<Float32Array[]> {
    const vectors = this.vectorsOf(name);
    const misses = [...new Set(texts.filter((text) => !vectors.has(text)))];
    if (misses.length > 0) {
      const fresh = await (await this.model(name)).embed(misses, options);
      misses.forEach((text, i) => vectors.set(text, fresh[i]!));
    }
    return texts.map((text) => vectors.get(text)!);
  }

  async close(): Promise<void> {
    const models = [...this.models.values()];
    this.models.clear();
    await Promise.allSettled(models.map(async (model) => (await model).close()));
  }

  private vectorsOf(name: string): Map<string, Float32Array> {
    let vectors = this.queryVectors.get(name);
    if (vectors === undefined) this.queryVectors.set(name, (vectors = new Map()));
    return vectors;
  }
}

/** What a pipeline holds: the pool's model, query vectors shared, close() a no-op. */
class SharedEmbedder implements Embedder {
  private inner: Embedder | undefined;

  constructor(
    private readonly name: string,
    private readonly pool: EmbedderPool,
  ) {}

  static async open(name: string, pool: EmbedderPool): Promise<SharedEmbedder> {
    const shared = new SharedEmbedder(name, pool);
    shared.inner = await pool.model(name);
    return shared;
  }

  private get model(): Embedder {
    if (this.inner === undefined) throw new Error("SharedEmbedder used before open()");
    return this.inner;
  }

  get identity(): EmbedderIdentity {
    return this.model.identity;
  }

  get dimension(): number | undefined {
    return this.model.dimension;
  }

  get normalized(): boolean {
    return this.model.normalized;
  }

  embed(texts: readonly string[], options: EmbedOptions): Promise<Float32Array[]> {
    return options.role === "query"
      ? this.pool.embedQueries(this.name, texts, options)
      : this.model.embed(texts, options);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
