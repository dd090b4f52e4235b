/**
 * What the hosted rerankers share: the common configuration keys, batching over `maxDocuments`,
 * a per-reranker concurrency limit, answer validation and cancellation. Each provider file
 * supplies only its wire format (a RerankApi). HTTP (timeouts, retries, Retry-After, auth
 * errors, secret redaction) and API-key lookup are the hosted embedders' own, reused as is.
 */
import { z } from "zod";
import { PairliftError } from "../../errors.js";
import {
  DEFAULT_MAX_CONCURRENCY,
  commonShape,
  hostedHttpClient,
} from "../../dense/embedders/hosted/base.js";
import type { HttpClient, HttpHooks } from "../../dense/embedders/hosted/http.js";
import { CallQueue } from "../call-queue.js";
import type { RerankCandidate, RerankOptions, Reranker, RerankerIdentity } from "../reranker.js";

export { DEFAULT_MAX_CONCURRENCY };

const shared = commonShape();

/**
 * Zod shape of the keys every hosted reranker accepts (besides `provider`); `maxDocuments` is
 * the API's documented per-request document limit, when it has one.
 */
export function rerankShape(maxDocuments?: number) {
  const documents = z.number().int().positive();
  return {
    model: shared.model,
    /** A different server (proxy, self-hosted, compatible API). */
    baseUrl: shared.baseUrl,
    /** NAME of the environment variable that holds the API key (never the key itself). */
    apiKeyEnv: shared.apiKeyEnv,
    timeoutMs: shared.timeoutMs,
    maxRetries: shared.maxRetries,
    /** Requests in flight at once per reranker, across all calls (default 2). */
    maxConcurrency: shared.maxConcurrency,
    /** Documents per request; more candidates are split over several requests. */
    maxDocuments: (maxDocuments === undefined
      ? documents
      : documents.max(maxDocuments, {
          message: `the API accepts at most ${maxDocuments} documents per request`,
        })
    ).optional(),
  };
}

/** The configuration keys every hosted reranker has, as HostedReranker reads them. */
export interface RerankCommonConfig {
  provider: string;
  model: string;
  baseUrl?: string | undefined;
  apiKeyEnv?: string | undefined;
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
  maxConcurrency?: number | undefined;
  maxDocuments?: number | undefined;
}

/** One provider's wire format. */
export interface RerankApi {
  /** URL and JSON body of one request scoring `documents`, asking for every result. */
  request(query: string, documents: string[]): { url: string; body: unknown };
  /** The key of the answer's result array, or null when the answer is the array (TEI). */
  list: string | null;
  /** The key of each result's score. */
  scoreKey: string;
}

export interface HostedRerankerSettings {
  provider: string;
  identity: RerankerIdentity;
  config: RerankCommonConfig;
  api: RerankApi;
  /** Documents per request when `maxDocuments` is not configured. */
  defaultMaxDocuments: number;
  headers: Record<string, string>;
  apiKey: string | undefined;
  apiKeyEnv: string | undefined;
  hooks: HttpHooks | undefined;
}

/**
 * Reads one answer's scores into input order: every index an integer in range and present
 * exactly once, every score a finite number. Throws through `malformed` otherwise.
 */
export function scoresFromAnswer(
  answer: unknown,
  count: number,
  api: Pick<RerankApi, "list" | "scoreKey">,
  malformed: (what: string) => PairliftError,
): Float64Array {
  const { list, scoreKey } = api;
  let items: unknown;
  if (list === null) {
    if (!Array.isArray(answer))
      throw malformed(`expected an array of {index, ${scoreKey}}, got ${kindOf(answer)}`);
    items = answer;
  } else {
    if (typeof answer !== "object" || answer === null || Array.isArray(answer))
      throw malformed(`expected an object with a "${list}" array, got ${kindOf(answer)}`);
    items = (answer as Record<string, unknown>)[list];
    if (!Array.isArray(items)) throw malformed(`the "${list}" array is missing`);
  }
  const scores = new Float64Array(count);
  const seen = new Uint8Array(count);
  (items as unknown[]).forEach((item, i) => {
    const label = `${list ?? ""}[${i}]`;
    if (typeof item !== "object" || item === null || Array.isArray(item))
      throw malformed(`${label} is ${kindOf(item)}, not an object`);
    const entry = item as Record<string, unknown>;
    const index = entry["index"];
    if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= count)
      throw malformed(`${label}.index is ${show(index)}, not an integer in 0..${count - 1}`);
    if (seen[index] === 1) throw malformed(`index ${index} appears twice`);
    const score = entry[scoreKey];
    if (typeof score !== "number" || !Number.isFinite(score))
      throw malformed(`${label}.${scoreKey} is ${show(score)}, not a finite number`);
    seen[index] = 1;
    scores[index] = score;
  });
  const missing: number[] = [];
  for (let i = 0; i < count; i += 1) if (seen[i] === 0) missing.push(i);
  if (missing.length === 1) throw malformed(`index ${missing[0]} is missing`);
  if (missing.length > 1) {
    const listed = missing.slice(0, 5).join(", ");
    const more = missing.length > 5 ? `, … (${missing.length} in all)` : "";
    throw malformed(`indices ${listed}${more} are missing`);
  }
  return scores;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function show(value: unknown): string {
  if (value === undefined) return "absent";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") {
    const text = value.length > 20 ? `${value.slice(0, 20)}…` : value;
    return `${JSON.stringify(text)} (a string)`;
  }
  return kindOf(value);
}

export class HostedReranker implements Reranker {
  readonly identity: RerankerIdentity;
  private readonly provider: string;
  private readonly api: RerankApi;
  private readonly http: HttpClient;
  private readonly maxDocuments: number;
  /** Shared by every call, so a burst of queries cannot flood the API. */
  private readonly slots: CallQueue;
  /** Controllers of the calls in progress, aborted by close(). */
  private readonly active = new Set<AbortController>();
  private closed = false;

  constructor(settings: HostedRerankerSettings) {
    const { config } = settings;
    this.provider = settings.provider;
    this.identity = settings.identity;
    this.api = settings.api;
    this.maxDocuments = config.maxDocuments ?? settings.defaultMaxDocuments;
    this.slots = new CallQueue(config.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY);
    this.http = hostedHttpClient(settings);
  }

  async score(
    query: string,
    candidates: readonly RerankCandidate[],
    options: RerankOptions = {},
  ): Promise<Float64Array> {
    if (this.closed)
      throw new PairliftError("E_USAGE", `the ${this.provider} reranker has been closed`);
    const { signal } = options;
    signal?.throwIfAborted();
    const count = candidates.length;
    const scores = new Float64Array(count);
    if (count === 0) return scores;

    // One controller per call: aborted by the caller, by close(), or by a failing sibling batch.
    const call = new AbortController();
    const onCallerAbort = (): void => {
      if (!call.signal.aborted) call.abort(signal!.reason);
    };
    signal?.addEventListener("abort", onCallerAbort, { once: true });
    this.active.add(call);

    let failure: { error: unknown } | undefined;
    const batch = async (start: number): Promise<void> => {
      const texts = candidates.slice(start, start + this.maxDocuments).map((c) => c.text);
      try {
        await this.slots.run(async () => {
          const { url, body } = this.api.request(query, texts);
          const answer = await this.http.postJson(url, body, call.signal);
          scores.set(scoresFromAnswer(answer, texts.length, this.api, this.malformed), start);
        }, call.signal);
      } catch (error) {
        if (failure !== undefined) return;
        failure = { error: call.signal.aborted ? call.signal.reason : error };
        call.abort(error);
      }
    };
    try {
      const starts: number[] = [];
      for (let start = 0; start < count; start += this.maxDocuments) starts.push(start);
      await Promise.all(starts.map(batch));
    } finally {
      signal?.removeEventListener("abort", onCallerAbort);
      this.active.delete(call);
    }
    if (failure !== undefined) throw failure.error;
    return scores;
  }

  private readonly malformed = (what: string): PairliftError =>
    new PairliftError("E_REMOTE", `${this.provider} rerank answer malformed: ${what}`);

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const reason = new PairliftError("E_USAGE", `the ${this.provider} reranker was closed`);
    for (const call of this.active) call.abort(reason);
    this.active.clear();
  }
}
