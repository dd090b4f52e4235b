/**
 * One interface for every reranker, local or hosted or learned: a query and its candidates in,
 * one relevance score per candidate out (higher is better). Providers live in ./providers/ and
 * ./hosted/, one file each, and are created from configuration by the registry (./registry.ts).
 */

/** A first-stage candidate as the reranker sees it. */
export interface RerankCandidate {
  id: string;
  /** The document's text (title and body joined, as the dense index embeds it). */
  text: string;
  /**
   * Features the pipeline already computed for this candidate (BM25 per field, dense cosines,
   * fused rank, identifier matches, …). Text rerankers ignore them; the learned one reads them.
   */
  features: Readonly<Record<string, number>>;
}

export interface RerankOptions {
  /** Aborts in-flight work (HTTP requests, queued batches): the pipeline's budget ran out. */
  signal?: AbortSignal;
}

/** What identifies a reranker's scores (provider, model and output-affecting options). */
export interface RerankerIdentity {
  provider: string;
  model: string;
  options: Record<string, unknown>;
}

export interface Reranker {
  readonly identity: RerankerIdentity;
  /**
   * The candidate features this reranker reads (the learned reranker); undefined for rerankers
   * that read only text, so the pipeline skips computing them.
   */
  readonly features?: readonly string[];
  /**
   * Scores every candidate; the result has one finite number per candidate, in the
   * candidates' order. Batching, truncation and retries are the provider's business.
   */
  score(
    query: string,
    candidates: readonly RerankCandidate[],
    options?: RerankOptions,
  ): Promise<Float64Array>;
  /** Releases sessions, workers and sockets. */
  close(): Promise<void>;
}
