/**
 * What the six hosted providers share: the common configuration keys, API-key lookup, the
 * batching/concurrency loop, answer validation and the dimension bookkeeping. Each provider file
 * supplies only its wire format (a HostedApi).
 */
import { z } from "zod";
import { PairliftError } from "../../../errors.js";
import { applyPrefix, batches } from "../../embedder.js";
import type {
  EmbedOptions,
  EmbedRole,
  Embedder,
  EmbedderIdentity,
  RolePrefixes,
} from "../../embedder.js";
import { l2Normalize } from "../../vector-math.js";
import type { ProviderContext } from "../provider.js";
import { HttpClient } from "./http.js";
import type { HttpHooks } from "./http.js";

export const DEFAULT_MAX_CONCURRENCY = 2;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Zod shape of the keys every hosted provider accepts (besides `provider`); `maxBatchSize` is
 * the API's documented per-request input limit.
 */
export function commonShape(maxBatchSize?: number) {
  const batchSize = z.number().int().positive();
  return {
    model: z.string().min(1),
    /** A different server (proxy, self-hosted, OpenAI-compatible). */
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** NAME of the environment variable that holds the API key (never the key itself). */
    apiKeyEnv: z
      .string()
      .regex(ENV_NAME, {
        message:
          "must be the NAME of an environment variable (like OPENAI_API_KEY), not the key itself",
      })
      .optional(),
    batchSize: (maxBatchSize === undefined
      ? batchSize
      : batchSize.max(maxBatchSize, {
          message: `the API accepts at most ${maxBatchSize} inputs per request`,
        })
    ).optional(),
    timeoutMs: z.number().int().positive().optional(),
    maxRetries: z.number().int().min(0).max(20).optional(),
    maxConcurrency: z.number().int().min(1).max(64).optional(),
    /** L2-normalise client-side (default true). */
    normalize: z.boolean().optional(),
    queryPrefix: z.string().optional(),
    documentPrefix: z.string().optional(),
    /** Model revision recorded in the identity (hosted APIs rarely expose one). */
    revision: z.string().optional(),
  };
}

export const dimensionsSchema = z.number().int().positive().optional();

/** The configuration keys every hosted provider has, as the embedder core reads them. */
export interface CommonConfig {
  provider: string;
  model: string;
  baseUrl?: string | undefined;
  apiKeyEnv?: string | undefined;
  batchSize?: number | undefined;
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
  maxConcurrency?: number | undefined;
  normalize?: boolean | undefined;
  queryPrefix?: string | undefined;
  documentPrefix?: string | undefined;
  revision?: string | undefined;
}

/**
 * Reads the API key from the environment by name: `apiKeyEnv`, else the provider's default
 * variable. Fails with E_CONFIG, naming the variable, when it is unset or blank. Providers
 * without a default (TEI, Ollama) send no key unless `apiKeyEnv` is configured.
 */
export function resolveApiKey(
  provider: string,
  context: ProviderContext,
  apiKeyEnv: string | undefined,
  defaultEnv: string | undefined,
): { key: string | undefined; env: string | undefined } {
  const env = apiKeyEnv ?? defaultEnv;
  if (env === undefined) return { key: undefined, env: undefined };
  const key = context.env[env];
  if (key === undefined || key.trim() === "")
    throw new PairliftError(
      "E_CONFIG",
      `${provider} needs an API key: set the environment variable ${env}` +
        (apiKeyEnv === undefined ? ` (or name another one with apiKeyEnv)` : ""),
      { field: "apiKeyEnv" },
    );
  return { key: key.trim(), env };
}

/** `baseUrl` without a trailing slash. */
export function trimBase(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "");
}

/** A server's identity for the embedder identity: origin + path, no credentials/query. */
export function endpointOf(baseUrl: string): string {
  const url = new URL(baseUrl);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

export function prefixesOf(config: CommonConfig): RolePrefixes | undefined {
  const prefixes: RolePrefixes = {};
  if (config.queryPrefix !== undefined && config.queryPrefix !== "")
    prefixes.query = config.queryPrefix;
  if (config.documentPrefix !== undefined && config.documentPrefix !== "")
    prefixes.document = config.documentPrefix;
  return Object.keys(prefixes).length === 0 ? undefined : prefixes;
}

/** Identity options shared by all providers: normalisation and prefixes (only when set). */
export function commonIdentityOptions(config: CommonConfig): Record<string, unknown> {
  const options: Record<string, unknown> = { normalize: config.normalize ?? true };
  const prefixes = prefixesOf(config);
  if (prefixes !== undefined) options["prefixes"] = prefixes;
  return options;
}

/** One provider's wire format. */
export interface HostedApi {
  /** URL and JSON body of one request for `texts` (prefixes already applied). */
  request(texts: string[], role: EmbedRole): { url: string; body: unknown };
  /**
   * The vectors in input order, as the API sent them (unvalidated numbers); throw a
   * PairliftError through `malformed` when the answer's shape is wrong.
   */
  vectors(answer: unknown, count: number, malformed: (what: string) => PairliftError): unknown[];
  /** Splits a request's texts into batches; default: chunks of `batchSize`. */
  split?(texts: string[], batchSize: number): string[][];
}

export interface HostedSettings {
  provider: string;
  identity: EmbedderIdentity;
  config: CommonConfig;
  api: HostedApi;
  defaultBatchSize: number;
  headers: Record<string, string>;
  apiKey: string | undefined;
  apiKeyEnv: string | undefined;
  /** Dimension the server was asked for; an answer of another size is an error. */
  requestedDimensions: number | undefined;
  hooks: HttpHooks | undefined;
}

/**
 * The HTTP client of a hosted provider (embedder or reranker): its headers, the key as a secret
 * to redact, and the configured timeout and retries.
 */
export function hostedHttpClient(settings: {
  provider: string;
  headers: Record<string, string>;
  apiKey: string | undefined;
  apiKeyEnv: string | undefined;
  hooks: HttpHooks | undefined;
  config: Pick<CommonConfig, "timeoutMs" | "maxRetries">;
}): HttpClient {
  const { config } = settings;
  return new HttpClient({
    ...settings.hooks,
    provider: settings.provider,
    headers: settings.headers,
    ...(settings.apiKeyEnv === undefined ? {} : { apiKeyEnv: settings.apiKeyEnv }),
    secrets: settings.apiKey === undefined ? [] : [settings.apiKey],
    ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
    ...(config.maxRetries === undefined ? {} : { maxRetries: config.maxRetries }),
  });
}

/** Bearer authorization header, when there is a key. */
export function bearer(key: string | undefined): Record<string, string> {
  return key === undefined ? {} : { authorization: `Bearer ${key}` };
}

export class HostedEmbedder implements Embedder {
  readonly identity: EmbedderIdentity;
  readonly normalized: boolean;
  private knownDimension: number | undefined;
  private readonly provider: string;
  private readonly api: HostedApi;
  private readonly http: HttpClient;
  private readonly prefixes: RolePrefixes | undefined;
  private readonly batchSize: number;
  private readonly maxConcurrency: number;
  private readonly requestedDimensions: number | undefined;
  /** Controllers of the calls in progress, aborted by close(). */
  private readonly active = new Set<AbortController>();
  private closed = false;

  constructor(settings: HostedSettings) {
    const { config } = settings;
    this.provider = settings.provider;
    this.identity = settings.identity;
    this.normalized = config.normalize ?? true;
    this.api = settings.api;
    this.prefixes = prefixesOf(config);
    this.batchSize = config.batchSize ?? settings.defaultBatchSize;
    this.maxConcurrency = config.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
    this.requestedDimensions = settings.requestedDimensions;
    this.http = hostedHttpClient(settings);
  }

  get dimension(): number | undefined {
    return this.knownDimension;
  }

  async embed(texts: readonly string[], options: EmbedOptions): Promise<Float32Array[]> {
    if (this.closed)
      throw new PairliftError("E_USAGE", `the ${this.provider} embedder has been closed`);
    if (texts.length === 0) return [];
    options.signal?.throwIfAborted();
    const prefixed = applyPrefix(texts, options.role, this.prefixes);
    const groups = this.api.split?.(prefixed, this.batchSize) ?? batches(prefixed, this.batchSize);

    // One controller per call: aborted by the caller, by close(), or by a failing sibling batch.
    const call = new AbortController();
    const stop = (reason: unknown): void => {
      if (!call.signal.aborted) call.abort(reason);
    };
    const onCallerAbort = (): void => stop(options.signal?.reason);
    options.signal?.addEventListener("abort", onCallerAbort, { once: true });
    this.active.add(call);

    const results: Float32Array[][] = new Array<Float32Array[]>(groups.length);
    let next = 0;
    let firstError: { error: unknown } | undefined;
    const worker = async (): Promise<void> => {
      while (firstError === undefined && !call.signal.aborted) {
        const index = next;
        next += 1;
        if (index >= groups.length) return;
        const group = groups[index]!;
        try {
          results[index] = await this.embedBatch(group, options.role, call.signal);
        } catch (error) {
          if (firstError === undefined) {
            firstError = { error: call.signal.aborted ? call.signal.reason : error };
            stop(error);
          }
          return;
        }
      }
    };
    try {
      const workers = Math.min(this.maxConcurrency, groups.length);
      await Promise.all(Array.from({ length: workers }, () => worker()));
    } finally {
      options.signal?.removeEventListener("abort", onCallerAbort);
      this.active.delete(call);
    }
    if (firstError !== undefined) throw firstError.error;
    if (call.signal.aborted) throw call.signal.reason;
    return results.flat();
  }

  private async embedBatch(
    texts: string[],
    role: EmbedRole,
    signal: AbortSignal,
  ): Promise<Float32Array[]> {
    const { url, body } = this.api.request(texts, role);
    const answer = await this.http.postJson(url, body, signal);
    const raw = this.api.vectors(answer, texts.length, (what) => this.malformed(what));
    const vectors = toVectors(raw, texts.length, (what) => this.malformed(what));
    const dimension = vectors[0]!.length;
    if (this.requestedDimensions !== undefined && dimension !== this.requestedDimensions)
      throw this.malformed(
        `asked for ${this.requestedDimensions}-dimensional vectors, got ${dimension} (does the model support the dimensions option?)`,
      );
    if (this.knownDimension === undefined) this.knownDimension = dimension;
    else if (dimension !== this.knownDimension)
      throw this.malformed(
        `answered ${dimension}-dimensional vectors after earlier answers of ${this.knownDimension} dimensions`,
      );
    if (this.normalized) for (const vector of vectors) l2Normalize(vector);
    return vectors;
  }

  private malformed(what: string): PairliftError {
    return new PairliftError("E_REMOTE", `malformed answer from ${this.provider}: ${what}`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const reason = new PairliftError("E_USAGE", `the ${this.provider} embedder was closed`);
    for (const call of this.active) call.abort(reason);
    this.active.clear();
  }
}

/**
 * Checks and converts an answer's vectors: the right count, arrays of finite numbers (also
 * after rounding to float32), not all zero, all of one non-zero dimension.
 */
export function toVectors(
  raw: unknown[],
  count: number,
  malformed: (what: string) => PairliftError,
): Float32Array[] {
  if (raw.length !== count)
    throw malformed(`expected ${count} vector${count === 1 ? "" : "s"}, got ${raw.length}`);
  let dimension: number | undefined;
  return raw.map((item, i) => {
    if (!Array.isArray(item)) throw malformed(`vector ${i} is not an array of numbers`);
    if (item.length === 0) throw malformed(`vector ${i} is empty`);
    if (dimension === undefined) dimension = item.length;
    else if (item.length !== dimension)
      throw malformed(
        `vectors of inconsistent dimension in one answer (vector 0 has ${dimension}, vector ${i} has ${item.length})`,
      );
    const vector = new Float32Array(item.length);
    for (let j = 0; j < item.length; j += 1) {
      const value: unknown = item[j];
      if (typeof value !== "number")
        throw malformed(`vector ${i} holds a non-number at position ${j} (${typeName(value)})`);
      const single = Math.fround(value);
      if (!Number.isFinite(single))
        throw malformed(`vector ${i} holds a non-finite number at position ${j} (${value})`);
      vector[j] = single;
    }
    // A hosted model has a vector for every text: all zeros is a broken answer, and cached it
    // would make every later search with that text abstain.
    if (vector.every((value) => value === 0)) throw malformed(`vector ${i} is all zeros`);
    return vector;
  });
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "string" ? `string ${JSON.stringify(value.slice(0, 20))}` : typeof value;
}

/** `answer` as a record, or a malformed-answer error naming what was expected. */
export function asRecord(
  answer: unknown,
  expected: string,
  malformed: (what: string) => PairliftError,
): Record<string, unknown> {
  if (typeof answer !== "object" || answer === null || Array.isArray(answer))
    throw malformed(
      `expected ${expected}, got ${Array.isArray(answer) ? "an array" : typeof answer}`,
    );
  return answer as Record<string, unknown>;
}

/**
 * OpenAI-style `data: [{embedding, index}]` (OpenAI, Voyage, Jina, TEI's and vLLM's
 * /v1/embeddings): vectors put in input order by `index`; if no item has an index, in array order.
 */
export function vectorsFromData(
  answer: unknown,
  count: number,
  malformed: (what: string) => PairliftError,
): unknown[] {
  const record = asRecord(answer, "an object with a data array", malformed);
  const data = record["data"];
  if (!Array.isArray(data)) throw malformed(`the "data" array is missing`);
  if (data.length !== count)
    throw malformed(`expected ${count} vector${count === 1 ? "" : "s"}, got ${data.length}`);
  const items = data.map((item, i) => {
    if (typeof item !== "object" || item === null) throw malformed(`data[${i}] is not an object`);
    const entry = item as Record<string, unknown>;
    if (!("embedding" in entry)) throw malformed(`data[${i}] has no "embedding"`);
    return entry;
  });
  const indexed = items.filter((item) => item["index"] !== undefined).length;
  if (indexed === 0) return items.map((item) => item["embedding"]);
  if (indexed !== items.length) throw malformed(`some data items have an "index" and some do not`);
  const ordered: unknown[] = new Array<unknown>(count);
  const seen = new Set<number>();
  items.forEach((item, i) => {
    const index = item["index"];
    if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= count)
      throw malformed(
        `data[${i}].index is ${JSON.stringify(index)}, not an integer in 0..${count - 1}`,
      );
    if (seen.has(index)) throw malformed(`index ${index} appears twice in "data"`);
    seen.add(index);
    ordered[index] = item["embedding"];
  });
  return ordered;
}

/**
 * Groups texts into batches of at most `batchSize` texts and (estimated) `maxTokens` tokens;
 * a single text over the budget goes alone (the API truncates it). The estimate is deliberately
 * pessimistic — UTF-8 bytes / 2 — since the real tokenizer is remote.
 */
export function tokenBudgetBatches(
  texts: string[],
  batchSize: number,
  maxTokens: number,
): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let tokens = 0;
  for (const text of texts) {
    const estimate = estimateTokens(text);
    if (current.length > 0 && (current.length >= batchSize || tokens + estimate > maxTokens)) {
      out.push(current);
      current = [];
      tokens = 0;
    }
    current.push(text);
    tokens += estimate;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export function estimateTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, "utf8") / 2) + 1;
}
