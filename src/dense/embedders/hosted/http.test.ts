import { afterEach, describe, expect, it } from "vitest";
import { closedPortUrl, startFakeApi } from "../../../../test/support/fake-embedding-api.js";
import type { FakeApi, Handler } from "../../../../test/support/fake-embedding-api.js";
import { isPairliftError } from "../../../errors.js";
import {
  HttpClient,
  extractErrorMessage,
  parseRetryAfter,
  realSleep,
  redact,
  truncateText,
} from "./http.js";
import type { HttpClientOptions, Sleep } from "./http.js";

const KEY = "sk-test-0123456789abcdef";

let api: FakeApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** A sleep that returns at once and records what it was asked for. */
function fakeSleep(): { sleep: Sleep; calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    sleep: async (ms, signal) => {
      calls.push(ms);
      signal?.throwIfAborted();
    },
  };
}

async function client(
  handler: Handler,
  options: Partial<HttpClientOptions> = {},
): Promise<{ http: HttpClient; sleeps: number[]; url: string }> {
  api = await startFakeApi(handler);
  const { sleep, calls } = fakeSleep();
  const http = new HttpClient({
    provider: "openai",
    apiKeyEnv: "OPENAI_API_KEY",
    headers: { authorization: `Bearer ${KEY}` },
    secrets: [KEY],
    sleep,
    random: () => 0.5,
    ...options,
  });
  return { http, sleeps: calls, url: `${api.url}/v1/embeddings` };
}

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error("expected a rejection");
}

describe("HttpClient", () => {
  it("POSTs JSON with the given headers and returns the parsed answer", async () => {
    const { http, url } = await client(() => ({ json: { ok: true } }));
    await expect(http.postJson(url, { a: [1, 2] })).resolves.toEqual({ ok: true });
    const request = api!.requests[0]!;
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/v1/embeddings");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers["authorization"]).toBe(`Bearer ${KEY}`);
    expect(request.body).toEqual({ a: [1, 2] });
  });

  it("honours Retry-After seconds on 429, then succeeds", async () => {
    const { http, sleeps, url } = await client((_req, i) =>
      i === 0
        ? {
            status: 429,
            headers: { "retry-after": "3" },
            json: { error: { message: "slow down" } },
          }
        : { json: { ok: 1 } },
    );
    await expect(http.postJson(url, {})).resolves.toEqual({ ok: 1 });
    expect(api!.requests).toHaveLength(2);
    expect(sleeps).toEqual([3000]);
  });

  it("honours Retry-After as an HTTP date and caps it", async () => {
    const soon = new Date(Date.now() + 5_000).toUTCString();
    const late = new Date(Date.now() + 3_600_000).toUTCString();
    const { http, sleeps, url } = await client((_req, i) =>
      i === 0
        ? { status: 429, headers: { "retry-after": soon } }
        : i === 1
          ? { status: 503, headers: { "retry-after": late } }
          : { json: [] },
    );
    await http.postJson(url, {});
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThan(2_000);
    expect(sleeps[0]).toBeLessThanOrEqual(5_000);
    expect(sleeps[1]).toBe(20_000);
  });

  it("honours retry-after-ms", async () => {
    const { http, sleeps, url } = await client((_req, i) =>
      i === 0 ? { status: 429, headers: { "retry-after-ms": "250" } } : { json: {} },
    );
    await http.postJson(url, {});
    expect(sleeps).toEqual([250]);
  });

  it("retries 503 twice with full-jitter exponential backoff, then succeeds", async () => {
    const { http, sleeps, url } = await client((_req, i) =>
      i < 2 ? { status: 503, raw: "upstream unavailable" } : { json: { done: true } },
    );
    await expect(http.postJson(url, {})).resolves.toEqual({ done: true });
    expect(api!.requests).toHaveLength(3);
    // random() = 0.5: 0.5 × 500, 0.5 × 1000
    expect(sleeps).toEqual([250, 500]);
  });

  it("caps the backoff at 20 s", () => {
    const http = new HttpClient({ provider: "x", random: () => 0.999999 });
    expect(http.backoffMs(0)).toBeLessThan(500);
    expect(http.backoffMs(10)).toBeLessThanOrEqual(20_000);
    expect(http.backoffMs(10)).toBeGreaterThan(19_000);
  });

  it("gives up after maxRetries with the last failure", async () => {
    const { http, sleeps, url } = await client(
      () => ({ status: 500, json: { error: "CUDA out of memory" } }),
      { maxRetries: 2 },
    );
    const error = await failure(http.postJson(url, {}));
    expect(error.code).toBe("E_REMOTE");
    expect(error.message).toContain("HTTP 500");
    expect(error.message).toContain("CUDA out of memory");
    expect(error.message).toContain("gave up after 3 attempts");
    expect(api!.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it("times out a hanging server, retries, and finally reports the timeout", async () => {
    const { http, sleeps, url } = await client(() => "hang", { timeoutMs: 60, maxRetries: 2 });
    const error = await failure(http.postJson(url, {}));
    expect(error.code).toBe("E_REMOTE");
    expect(error.message).toMatch(/openai did not answer within 60 ms/);
    expect(error.message).toContain("gave up after 3 attempts");
    expect(api!.requests).toHaveLength(3);
    // Two backoffs between the three attempts, nothing else waited for.
    expect(sleeps).toHaveLength(2);
  });

  it("times out a server that sends headers and then stalls the body", async () => {
    // A hand-made fetch: headers arrive, the body never ends.
    const fetchStub: typeof fetch = async (_url, init) =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode("[1,"));
            init?.signal?.addEventListener("abort", () =>
              controller.error(init.signal?.reason ?? new Error("aborted")),
            );
          },
        }),
        { status: 200 },
      );
    const http = new HttpClient({
      provider: "tei",
      fetch: fetchStub,
      timeoutMs: 40,
      maxRetries: 1,
      sleep: fakeSleep().sleep,
    });
    const error = await failure(http.postJson("http://127.0.0.1:1/embed", {}));
    expect(error.message).toContain("tei did not answer within 40 ms");
    expect(error.message).toContain("gave up after 2 attempts");
  });

  it("retries network errors and reports where it could not connect", async () => {
    const url = `${await closedPortUrl()}/embed`;
    const { sleep, calls } = fakeSleep();
    const http = new HttpClient({ provider: "tei", sleep, random: () => 0, maxRetries: 1 });
    const error = await failure(http.postJson(url, {}));
    expect(error.code).toBe("E_REMOTE");
    expect(error.message).toMatch(/could not reach tei at http:\/\/127\.0\.0\.1:\d+\/embed/);
    expect(error.message).toContain("ECONNREFUSED");
    expect(calls).toEqual([0]);
  });

  it("retries a dropped connection", async () => {
    const { http, url } = await client((_req, i) => (i === 0 ? "destroy" : { json: [1] }));
    await expect(http.postJson(url, {})).resolves.toEqual([1]);
  });

  it("fails 401 at once with an auth error naming the env var, without the key", async () => {
    const { http, url } = await client(() => ({
      status: 401,
      json: { error: { message: `Incorrect API key provided: ${KEY}. Also sk-te****cdef.` } },
    }));
    const error = await failure(http.postJson(url, {}));
    expect(isPairliftError(error)).toBe(true);
    expect(error.code).toBe("E_REMOTE");
    expect(error.message).toContain(
      "authentication failed for openai (check the API key in $OPENAI_API_KEY)",
    );
    expect(error.message).not.toContain(KEY);
    expect(error.message).not.toContain("sk-te");
    expect(error.message).toContain("Incorrect API key provided");
    expect(api!.requests).toHaveLength(1);
  });

  it("fails 403 at once as an authentication failure", async () => {
    const { http, url } = await client(() => ({
      status: 403,
      json: { detail: "Insufficient balance" },
    }));
    const error = await failure(http.postJson(url, {}));
    expect(error.message).toContain("authentication failed for openai");
    expect(error.message).toContain("Insufficient balance");
    expect(api!.requests).toHaveLength(1);
  });

  it("explains a 401 from a keyless server", async () => {
    api = await startFakeApi(() => ({ status: 401, raw: "" }));
    const keyless = new HttpClient({ provider: "tei", sleep: fakeSleep().sleep });
    const error = await failure(keyless.postJson(`${api.url}/embed`, {}));
    expect(error.message).toContain("authentication failed for tei");
    expect(error.message).toContain("set apiKeyEnv");
    expect(api.requests).toHaveLength(1);
  });

  it("surfaces a 400's error message and does not retry", async () => {
    const { http, url } = await client(() => ({
      status: 400,
      json: { error: { message: "'input' must not be empty", type: "invalid_request_error" } },
    }));
    const error = await failure(http.postJson(url, {}));
    expect(error.code).toBe("E_REMOTE");
    expect(error.message).toBe(
      "openai rejected the request (HTTP 400 Bad Request): 'input' must not be empty",
    );
    expect(api!.requests).toHaveLength(1);
  });

  it("truncates long error bodies and names HTML pages", async () => {
    const { http, url } = await client((_req, i) =>
      i === 0
        ? { status: 422, raw: "x".repeat(5000) }
        : {
            status: 404,
            raw: "<html><head><title>404 Not Found</title></head><body>nginx</body></html>",
          },
    );
    const long = await failure(http.postJson(url, {}));
    expect(long.message.length).toBeLessThan(400);
    expect(long.message).toContain("…");
    const html = await failure(http.postJson(url, {}));
    expect(html.message).toContain("HTTP 404");
    expect(html.message).toContain("(an HTML page: 404 Not Found)");
  });

  it("reports a 200 answer that is not JSON", async () => {
    const { http, url } = await client((_req, i) =>
      i === 0
        ? { raw: "<!DOCTYPE html><html>login</html>", headers: { "content-type": "text/html" } }
        : i === 1
          ? {
              raw: '{"data": [{"embedding": [0.1, 0.',
              headers: { "content-type": "application/json" },
            }
          : { raw: "" },
    );
    const html = await failure(http.postJson(url, {}));
    expect(html.code).toBe("E_REMOTE");
    expect(html.message).toContain("malformed answer from openai: not JSON (text/html");
    const truncated = await failure(http.postJson(url, {}));
    expect(truncated.message).toContain("not JSON (application/json");
    const empty = await failure(http.postJson(url, {}));
    expect(empty.message).toContain("an empty body");
    expect(api!.requests).toHaveLength(3);
  });

  it("rejects with the caller's abort reason and does not retry", async () => {
    const { http, url } = await client(() => "hang", { timeoutMs: 10_000 });
    const controller = new AbortController();
    const pending = http.postJson(url, {}, controller.signal);
    setTimeout(() => controller.abort(), 30);
    const error = await failure(pending);
    expect(error.name).toBe("AbortError");
    expect(api!.requests).toHaveLength(1);
  });

  it("stops during the backoff sleep when the caller aborts", async () => {
    const controller = new AbortController();
    api = await startFakeApi(() => ({ status: 503 }));
    const http = new HttpClient({
      provider: "openai",
      sleep: (ms, signal) => {
        controller.abort(new Error("user cancelled"));
        return realSleep(ms, signal);
      },
    });
    const error = await failure(http.postJson(`${api.url}/x`, {}, controller.signal));
    expect(error.message).toBe("user cancelled");
    expect(api.requests).toHaveLength(1);
  });

  it("makes one attempt when maxRetries is 0", async () => {
    const { http, url } = await client(() => ({ status: 429 }), { maxRetries: 0 });
    const error = await failure(http.postJson(url, {}));
    expect(error.message).toContain("rate limited by openai (HTTP 429");
    expect(error.message).toContain("gave up after 1 attempt)");
    expect(api!.requests).toHaveLength(1);
  });

  it("reports each retry through onRetry", async () => {
    const seen: string[] = [];
    const { http, url } = await client((_req, i) => (i < 1 ? { status: 502 } : { json: {} }), {
      onRetry: (info) => seen.push(`${info.attempt}:${info.delayMs}:${info.reason}`),
    });
    await http.postJson(url, {});
    expect(seen).toEqual(["1:250:server error from openai (HTTP 502 Bad Gateway)"]);
  });
});

describe("helpers", () => {
  it("parses Retry-After forms", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    const headers = (init: Record<string, string>) => new Headers(init);
    expect(parseRetryAfter(headers({}), now)).toBeUndefined();
    expect(parseRetryAfter(headers({ "retry-after": "7" }), now)).toBe(7000);
    expect(parseRetryAfter(headers({ "retry-after": "1.5" }), now)).toBe(1500);
    expect(parseRetryAfter(headers({ "retry-after": "Wed, 01 Jan 2025 00:00:09 GMT" }), now)).toBe(
      9000,
    );
    expect(parseRetryAfter(headers({ "retry-after": "Tue, 31 Dec 2024 00:00:00 GMT" }), now)).toBe(
      0,
    );
    expect(parseRetryAfter(headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(parseRetryAfter(headers({ "retry-after-ms": "120", "retry-after": "9" }), now)).toBe(
      120,
    );
  });

  it("extracts error messages from each API's shape", () => {
    expect(extractErrorMessage('{"error":{"message":"bad model"}}')).toBe("bad model");
    expect(extractErrorMessage('{"error":"Batch size error","error_type":"validation"}')).toBe(
      "Batch size error",
    );
    expect(extractErrorMessage('{"message":"invalid input_type"}')).toBe("invalid input_type");
    expect(extractErrorMessage('{"detail":"Model not found"}')).toBe("Model not found");
    expect(
      extractErrorMessage('{"detail":[{"loc":["body","input"],"msg":"field required"}]}'),
    ).toBe("field required");
    expect(extractErrorMessage("plain text")).toBe("plain text");
  });

  it("redacts secrets and masked echoes of them", () => {
    expect(redact(`key ${KEY} and "sk-te***def"`, [KEY])).toBe('key [redacted] and "[redacted]"');
    expect(redact("nothing here", [KEY])).toBe("nothing here");
    expect(redact("abc", [""])).toBe("abc");
  });

  it("truncates and flattens text", () => {
    expect(truncateText("a\n\n b", 10)).toBe("a b");
    expect(truncateText("abcdef", 3)).toBe("abc…");
  });
});
