/**
 * A small JSON-over-HTTP client for hosted embedding APIs, on Node's global fetch.
 *
 * - Each attempt has its own timeout (an AbortController); the caller's AbortSignal aborts the
 *   whole call, sleeps between attempts included, and is never retried.
 * - 429, 408, 5xx, network errors and timeouts are retried with exponential backoff and full
 *   jitter (delay = random() × min(cap, base × 2^attempt)); a `Retry-After` (seconds or HTTP
 *   date) or `retry-after-ms` header replaces the computed delay, capped at the same cap.
 * - 401/403 fail at once with an authentication error that names the environment variable the
 *   key came from; other 4xx fail at once with the status and the API's own error message.
 * - Secrets (API keys) are redacted from every message this module builds, including text that
 *   a server echoes back.
 */
import { PairliftError } from "../../../errors.js";

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryInfo {
  /** 1-based number of the attempt that failed. */
  attempt: number;
  /** Milliseconds slept before the next attempt. */
  delayMs: number;
  /** Why the attempt failed, already redacted. */
  reason: string;
}

/** The parts tests (and embedders) may substitute. */
export interface HttpHooks {
  sleep?: Sleep;
  /** Uniform in [0, 1); drives the jitter. */
  random?: () => number;
  fetch?: typeof globalThis.fetch;
  /** Called before each retry's sleep (for progress logs and tests). */
  onRetry?: (info: RetryInfo) => void;
}

export interface HttpClientOptions extends HttpHooks {
  /** Provider name used in messages: `openai`, `cohere`, … */
  provider: string;
  /** Extra request headers (Authorization, …). Never logged. */
  headers?: Readonly<Record<string, string>>;
  /** NAME of the environment variable holding the API key, for authentication messages. */
  apiKeyEnv?: string;
  /** Strings that must never appear in a message (the API key). */
  secrets?: readonly string[];
  /** Per-attempt timeout; default 30 000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt; default 4. */
  maxRetries?: number;
  /** Backoff base; default 500 ms. */
  baseDelayMs?: number;
  /** Backoff and Retry-After cap; default 20 000 ms. */
  maxDelayMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 4;
export const DEFAULT_BASE_DELAY_MS = 500;
export const DEFAULT_MAX_DELAY_MS = 20_000;
/** How much of a server's error text is quoted in a message. */
const MAX_QUOTED_CHARS = 300;

/** Sleeps `ms`, rejecting with the signal's reason if it aborts first. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The operation was aborted", "AbortError");
}

/** Parses `Retry-After` (delta seconds or HTTP date) or `retry-after-ms`; undefined if absent or invalid. */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.max(0, Number(ms));
  const value = headers.get("retry-after");
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Replaces secrets (and tokens that start like one, as servers echo masked keys) with "[redacted]". */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === "") continue;
    out = out.split(secret).join("[redacted]");
    if (secret.length >= 8) {
      const head = secret.slice(0, 5);
      out = out.replace(/[^\s"'`,;()[\]{}<>]+/g, (token) =>
        token.startsWith(head) ? "[redacted]" : token,
      );
    }
  }
  return out;
}

/** Collapses whitespace and truncates to `max` characters. */
export function truncateText(text: string, max: number = MAX_QUOTED_CHARS): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max)}…`;
}

/** The error message an API put in its body: OpenAI, Cohere, Voyage, Jina, TEI and Ollama shapes. */
export function extractErrorMessage(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    if (/^\s*</.test(text)) {
      const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
      return title === undefined ? "(an HTML page)" : `(an HTML page: ${title.trim()})`;
    }
    return text;
  }
  const found = messageIn(parsed, 0);
  return found ?? text;
}

function messageIn(value: unknown, depth: number): string | undefined {
  if (depth > 3) return undefined;
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    const parts = value
      .map((item) => messageIn(item, depth + 1))
      .filter((m): m is string => m !== undefined);
    return parts.length === 0 ? undefined : parts.join("; ");
  }
  if (typeof value !== "object" || value === null) return undefined;
  const record = value as Record<string, unknown>;
  // OpenAI: {error: {message}}; TEI/Ollama: {error: "..."}; Cohere: {message}; Voyage/Jina
  // (FastAPI): {detail: "..."} or {detail: [{msg}]}.
  for (const key of ["error", "message", "detail", "msg", "errors"]) {
    if (key in record) {
      const found = messageIn(record[key], depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

type Attempt =
  | { kind: "ok"; json: unknown }
  | { kind: "retry"; reason: string; final: string; retryAfterMs: number | undefined };

export class HttpClient {
  private readonly provider: string;
  private readonly headers: Record<string, string>;
  private readonly apiKeyEnv: string | undefined;
  private readonly secrets: readonly string[];
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly onRetry: ((info: RetryInfo) => void) | undefined;

  constructor(options: HttpClientOptions) {
    this.provider = options.provider;
    this.headers = {
      "content-type": "application/json",
      accept: "application/json",
      ...options.headers,
    };
    this.apiKeyEnv = options.apiKeyEnv;
    this.secrets = options.secrets ?? [];
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.onRetry = options.onRetry;
  }

  /** Full-jitter backoff before retry number `retry` (0-based). */
  backoffMs(retry: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** retry);
    return Math.floor(this.random() * ceiling);
  }

  /**
   * POSTs `body` as JSON and returns the parsed JSON answer. Rejects with a PairliftError
   * (E_REMOTE) on failure, or with the signal's reason when the caller aborts.
   */
  async postJson(url: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    const payload = JSON.stringify(body);
    const attempts = this.maxRetries + 1;
    for (let attempt = 1; ; attempt += 1) {
      if (signal?.aborted === true) throw abortReason(signal);
      const outcome = await this.attempt(url, payload, signal);
      if (outcome.kind === "ok") return outcome.json;
      if (attempt >= attempts) {
        const tries = attempts === 1 ? "1 attempt" : `${attempts} attempts`;
        throw this.error(`${outcome.final} (gave up after ${tries})`);
      }
      const delayMs =
        outcome.retryAfterMs === undefined
          ? this.backoffMs(attempt - 1)
          : Math.min(this.maxDelayMs, outcome.retryAfterMs);
      this.onRetry?.({ attempt, delayMs, reason: outcome.reason });
      await this.sleep(delayMs, signal);
    }
  }

  private async attempt(url: string, payload: string, signal?: AbortSignal): Promise<Attempt> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException("request timed out", "TimeoutError"));
    }, this.timeoutMs);
    const onAbort = (): void => controller.abort(abortReason(signal!));
    signal?.addEventListener("abort", onAbort, { once: true });
    const where = describeUrl(url);
    const failed = (error: unknown): Attempt => {
      if (signal?.aborted === true) throw abortReason(signal);
      if (timedOut) {
        const reason = `${this.provider} did not answer within ${this.timeoutMs} ms (${where})`;
        return { kind: "retry", reason, final: reason, retryAfterMs: undefined };
      }
      const reason = `could not reach ${this.provider} at ${where}: ${this.clean(networkCause(error))}`;
      return { kind: "retry", reason, final: reason, retryAfterMs: undefined };
    };
    try {
      let response: Response;
      try {
        response = await this.fetchImpl(url, {
          method: "POST",
          headers: this.headers,
          body: payload,
          signal: controller.signal,
        });
      } catch (error) {
        return failed(error);
      }
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        return failed(error);
      }
      if (response.ok) return { kind: "ok", json: this.parseJson(text, response) };
      return this.failure(response, text);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  private failure(response: Response, text: string): Attempt {
    const status = response.status;
    const message = this.clean(extractErrorMessage(text));
    const statusText = `HTTP ${status}${response.statusText === "" ? "" : ` ${response.statusText}`}`;
    if (status === 401 || status === 403) {
      const hint =
        this.apiKeyEnv === undefined
          ? "the server wants an API key: set apiKeyEnv to the name of an environment variable that holds it"
          : `check the API key in $${this.apiKeyEnv}`;
      const detail = message === "" ? "" : `; the server said: ${message}`;
      throw this.error(
        `authentication failed for ${this.provider} (${hint}) [${statusText}${detail}]`,
      );
    }
    const retryable = status === 429 || status === 408 || status >= 500;
    const said = message === "" ? "" : `: ${message}`;
    if (!retryable)
      throw this.error(`${this.provider} rejected the request (${statusText})${said}`);
    const what = status === 429 ? "rate limited by" : "server error from";
    const reason = `${what} ${this.provider} (${statusText})${said}`;
    return {
      kind: "retry",
      reason,
      final: reason,
      retryAfterMs: parseRetryAfter(response.headers),
    };
  }

  private parseJson(text: string, response: Response): unknown {
    try {
      return JSON.parse(text);
    } catch {
      const type = response.headers.get("content-type") ?? "no content type";
      const start = text.trim() === "" ? "an empty body" : `"${this.clean(text, 80)}"`;
      throw this.error(`malformed answer from ${this.provider}: not JSON (${type}; ${start})`);
    }
  }

  private clean(text: string, max?: number): string {
    return truncateText(redact(text, this.secrets), max);
  }

  private error(message: string): PairliftError {
    return new PairliftError("E_REMOTE", redact(message, this.secrets));
  }
}

/** Origin and path, without credentials or query (which may carry secrets). */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}

function networkCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === "string" ? `${code} (${cause.message})` : cause.message;
  }
  return error.message;
}
