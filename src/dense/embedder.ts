/**
 * One interface for every embedding model, local or hosted: texts in, Float32Array vectors out.
 * Providers live in ./embedders/, one file each, and are created from configuration by the
 * registry (./embedders/registry.ts).
 */

/** Queries and documents may be embedded differently (e5's `query: ` / `passage: `, bge's instruction). */
export type EmbedRole = "query" | "document";

export interface EmbedOptions {
  role: EmbedRole;
  /** Aborts in-flight work (HTTP requests, queued batches). */
  signal?: AbortSignal;
}

/**
 * What identifies the vectors a model produces. Two embedders with equal identities must
 * produce the same vector for the same input text: the embedding cache and vector indexes key
 * on it, so anything that changes outputs (model revision, pooling, dtype, prefixes,
 * truncation, normalisation, requested dimensions) belongs in `options`.
 */
export interface EmbedderIdentity {
  /** Provider name as in configuration: `onnx`, `use-lite`, `static`, `openai`, `tei`, … */
  provider: string;
  /** Model name or path as the provider understands it. */
  model: string;
  /** Model revision or weights hash, when known ("" otherwise). */
  revision: string;
  /** Output-affecting options, JSON-serialisable. */
  options: Record<string, unknown>;
}

export interface Embedder {
  readonly identity: EmbedderIdentity;
  /** Vector dimension; undefined until known (hosted models learn it from the first answer). */
  readonly dimension: number | undefined;
  /** Whether vectors are L2-normalised (cosine = dot product). */
  readonly normalized: boolean;
  /**
   * Embeds texts in order; the result has one vector per text. Batching, prefixes, truncation
   * and normalisation are the provider's business.
   */
  embed(texts: readonly string[], options: EmbedOptions): Promise<Float32Array[]>;
  /** Releases workers, sessions and sockets. */
  close(): Promise<void>;
}

/** Per-role text prefixes (instructions) prepended before embedding. */
export interface RolePrefixes {
  query?: string;
  document?: string;
}

export function applyPrefix(
  texts: readonly string[],
  role: EmbedRole,
  prefixes: RolePrefixes | undefined,
): string[] {
  const prefix = prefixes?.[role] ?? "";
  return prefix === "" ? [...texts] : texts.map((text) => prefix + text);
}

/** Splits work into batches of at most `size`. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    out.push(items.slice(start, start + size));
  return out;
}
