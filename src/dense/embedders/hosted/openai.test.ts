import { afterEach, describe, expect, it, vi } from "vitest";
import {
  envContext,
  fakeVector,
  instantSleep,
  normalizedFakeVector,
  startFakeApi,
} from "../../../../test/support/fake-embedding-api.js";
import type { FakeApi, Handler, Reply } from "../../../../test/support/fake-embedding-api.js";
import type { Embedder } from "../../embedder.js";
import { createOpenAIEmbedder, openaiConfigSchema, openaiProvider } from "./openai.js";
import type { OpenAIConfig } from "./openai.js";

const KEY = "sk-proj-test-key-123456";
let api: FakeApi | undefined;
let embedder: Embedder | undefined;
afterEach(async () => {
  await embedder?.close();
  await api?.close();
  api = embedder = undefined;
});

/** The documented answer: data[] with index, here in reverse order to prove sorting. */
function answer(input: string[], dimension = 3): Reply {
  const data = input.map((text, index) => ({
    object: "embedding",
    index,
    embedding: fakeVector(text, dimension),
  }));
  return {
    json: {
      object: "list",
      data: data.reverse(),
      model: "m",
      usage: { prompt_tokens: 1, total_tokens: 1 },
    },
  };
}

const echo: Handler = (request) => answer((request.body as { input: string[] }).input);

async function setup(
  handler: Handler,
  config: Partial<OpenAIConfig> = {},
  env: Record<string, string> = { OPENAI_API_KEY: KEY },
): Promise<Embedder> {
  api = await startFakeApi(handler);
  embedder = await createOpenAIEmbedder(
    openaiConfigSchema.parse({
      provider: "openai",
      model: "text-embedding-3-small",
      baseUrl: `${api.url}/v1`,
      ...config,
    }),
    envContext(env),
    { sleep: instantSleep().sleep, random: () => 0 },
  );
  return embedder;
}

describe("openai provider", () => {
  it("sends the documented request with a Bearer key", async () => {
    const e = await setup(echo);
    await e.embed(["hello", "world"], { role: "document" });
    expect(api!.requests).toHaveLength(1);
    const request = api!.requests[0]!;
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/v1/embeddings");
    expect(request.headers["authorization"]).toBe(`Bearer ${KEY}`);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.body).toEqual({
      model: "text-embedding-3-small",
      input: ["hello", "world"],
      encoding_format: "float",
    });
  });

  it("sends dimensions when configured and checks the answer has them", async () => {
    const e = await setup((r) => answer((r.body as { input: string[] }).input, 2), {
      dimensions: 2,
    });
    const [v] = await e.embed(["abc"], { role: "query" });
    expect(api!.requests[0]!.body).toMatchObject({ dimensions: 2 });
    expect(v).toHaveLength(2);
    expect(e.identity.options).toMatchObject({ dimensions: 2 });
  });

  it("rejects an answer that ignored the requested dimensions", async () => {
    const e = await setup(echo, { dimensions: 2 });
    await expect(e.embed(["abc"], { role: "query" })).rejects.toThrow(
      "asked for 2-dimensional vectors, got 3",
    );
  });

  it("batches 5 texts by 2 into 3 requests and keeps input order despite shuffled data", async () => {
    const e = await setup(echo, { batchSize: 2 });
    const texts = ["a", "bb", "ccc", "dddd", "eeeee"];
    const vectors = await e.embed(texts, { role: "document" });
    expect(api!.requests).toHaveLength(3);
    expect(api!.requests.map((r) => (r.body as { input: string[] }).input).sort()).toEqual([
      ["a", "bb"],
      ["ccc", "dddd"],
      ["eeeee"],
    ]);
    expect(vectors.map((v) => Array.from(v))).toEqual(texts.map((t) => normalizedFakeVector(t)));
  });

  it("L2-normalises by default and leaves vectors alone with normalize: false", async () => {
    const e = await setup(echo);
    const [v] = await e.embed(["xyz"], { role: "query" });
    expect(e.normalized).toBe(true);
    expect(Array.from(v!)).toEqual(normalizedFakeVector("xyz"));
    await e.close();
    const raw = await setup(echo, { normalize: false });
    const [w] = await raw.embed(["xyz"], { role: "query" });
    expect(raw.normalized).toBe(false);
    expect(Array.from(w!)).toEqual(fakeVector("xyz"));
  });

  it("applies query and document prefixes by role", async () => {
    const e = await setup(echo, { queryPrefix: "query: ", documentPrefix: "passage: " });
    await e.embed(["q"], { role: "query" });
    await e.embed(["d"], { role: "document" });
    expect(api!.requests.map((r) => (r.body as { input: string[] }).input)).toEqual([
      ["query: q"],
      ["passage: d"],
    ]);
    expect(e.identity.options).toMatchObject({
      prefixes: { query: "query: ", document: "passage: " },
    });
  });

  it("learns the dimension from the first answer and rejects a later change", async () => {
    const e = await setup((r, i) => answer((r.body as { input: string[] }).input, i === 0 ? 3 : 4));
    expect(e.dimension).toBeUndefined();
    await e.embed(["a"], { role: "query" });
    expect(e.dimension).toBe(3);
    await expect(e.embed(["b"], { role: "query" })).rejects.toThrow(
      "malformed answer from openai: answered 4-dimensional vectors after earlier answers of 3 dimensions",
    );
    expect(e.dimension).toBe(3);
  });

  it("describes itself: endpoint, options, revision", async () => {
    const e = await setup(echo, { revision: "2024-01" });
    expect(e.identity).toEqual({
      provider: "openai",
      model: "text-embedding-3-small",
      revision: "2024-01",
      options: { endpoint: `${api!.url}/v1`, normalize: true },
    });
  });

  it("defaults to api.openai.com, which is part of the identity", async () => {
    const e = await createOpenAIEmbedder(
      { provider: "openai", model: "text-embedding-3-large" },
      envContext({ OPENAI_API_KEY: KEY }),
    );
    expect(e.identity.options["endpoint"]).toBe("https://api.openai.com/v1");
    expect(e.identity.revision).toBe("");
    await e.close();
  });

  it("reads the key from a configured variable and fails clearly when it is unset", async () => {
    await expect(
      createOpenAIEmbedder({ provider: "openai", model: "m" }, envContext({})),
    ).rejects.toMatchObject({
      code: "E_CONFIG",
      message: expect.stringContaining("OPENAI_API_KEY"),
    });
    await expect(
      createOpenAIEmbedder({ provider: "openai", model: "m", apiKeyEnv: "MY_KEY" }, envContext({})),
    ).rejects.toMatchObject({ code: "E_CONFIG", message: expect.stringContaining("MY_KEY") });
    const e = await setup(echo, { apiKeyEnv: "MY_KEY" }, { MY_KEY: "other-key-value" });
    await e.embed(["a"], { role: "query" });
    expect(api!.requests[0]!.headers["authorization"]).toBe("Bearer other-key-value");
  });

  it("cuts batches by the estimated token budget", async () => {
    const e = await setup(echo, { maxTokensPerRequest: 100 });
    const long = "x".repeat(150); // ≈ 76 estimated tokens each
    await e.embed([long, long, "y"], { role: "document" });
    expect(api!.requests.map((r) => (r.body as { input: string[] }).input.length)).toEqual([1, 2]);
  });

  it("keeps at most maxConcurrency requests in flight", async () => {
    const e = await setup(
      (r) => ({ ...(answer((r.body as { input: string[] }).input) as object), delayMs: 30 }),
      { batchSize: 1, maxConcurrency: 2 },
    );
    const texts = ["a", "b", "c", "d", "e", "f"];
    const vectors = await e.embed(texts, { role: "document" });
    expect(api!.requests).toHaveLength(6);
    expect(api!.inFlight.max).toBe(2);
    expect(vectors.map((v) => Array.from(v))).toEqual(texts.map((t) => normalizedFakeVector(t)));
  });

  it("fails fast when one batch fails, cancelling its hanging sibling", async () => {
    const e = await setup(
      (r) =>
        (r.body as { input: string[] }).input[0] === "bad"
          ? { status: 400, json: { error: { message: "bad input" } }, delayMs: 20 }
          : "hang",
      { batchSize: 1, maxConcurrency: 2 },
    );
    await expect(e.embed(["ok", "bad", "never"], { role: "document" })).rejects.toThrow(
      "openai rejected the request (HTTP 400 Bad Request): bad input",
    );
    expect(api!.requests).toHaveLength(2);
    // The hanging sibling's connection is closed by the client (cancelled), long before the
    // 30 s request timeout would close it: the server sees nothing in flight.
    await vi.waitFor(() => expect(api!.inFlight.now).toBe(0), { timeout: 10_000 });
  });

  it("returns [] for no texts without calling the server", async () => {
    const e = await setup(echo);
    await expect(e.embed([], { role: "query" })).resolves.toEqual([]);
    expect(api!.requests).toHaveLength(0);
  });

  it("aborts in-flight requests when the caller's signal fires", async () => {
    const e = await setup(() => "hang");
    const controller = new AbortController();
    const pending = e.embed(["a"], { role: "query", signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });

  it("close() aborts in-flight work and refuses later calls", async () => {
    const e = await setup(() => "hang");
    const pending = e.embed(["a"], { role: "query" });
    setTimeout(() => void e.close(), 20);
    await expect(pending).rejects.toThrow("closed");
    await expect(e.embed(["a"], { role: "query" })).rejects.toMatchObject({ code: "E_USAGE" });
  });

  it("rejects items with missing or bad indexes", async () => {
    const e = await setup((_r, i) =>
      i === 0
        ? {
            json: {
              data: [
                { embedding: [1, 2], index: 0 },
                { embedding: [1, 2], index: 0 },
              ],
            },
          }
        : i === 1
          ? { json: { data: [{ embedding: [1, 2], index: 0 }, { embedding: [1, 2] }] } }
          : { json: { data: [{ embedding: [1, 2] }, { embedding: [3, 4] }] } },
    );
    await expect(e.embed(["a", "b"], { role: "query" })).rejects.toThrow("index 0 appears twice");
    await expect(e.embed(["a", "b"], { role: "query" })).rejects.toThrow(
      'some data items have an "index"',
    );
    // no index at all: array order
    const vectors = await e.embed(["a", "b"], { role: "query" });
    expect(vectors).toHaveLength(2);
  });
});

describe("openai config", () => {
  it("is strict and checks limits", () => {
    const base = { provider: "openai", model: "m" };
    expect(openaiConfigSchema.safeParse(base).success).toBe(true);
    expect(openaiConfigSchema.safeParse({ ...base, apiKey: "sk-x" }).success).toBe(false);
    expect(openaiConfigSchema.safeParse({ ...base, batchSize: 2049 }).success).toBe(false);
    expect(openaiConfigSchema.safeParse({ ...base, batchSize: 0 }).success).toBe(false);
    expect(openaiConfigSchema.safeParse({ ...base, baseUrl: "ftp://x" }).success).toBe(false);
    expect(openaiConfigSchema.safeParse({ ...base, provider: "cohere" }).success).toBe(false);
  });

  it("refuses an API key pasted where the variable name belongs, without echoing it", () => {
    const result = openaiConfigSchema.safeParse({
      provider: "openai",
      model: "m",
      apiKeyEnv: "sk-proj-abcdef123456",
    });
    expect(result.success).toBe(false);
    const text = JSON.stringify(result.error?.issues);
    expect(text).toContain("NAME of an environment variable");
    expect(text).not.toContain("sk-proj-abcdef123456");
  });

  it("is the registered provider", () => {
    expect(openaiProvider.name).toBe("openai");
    expect(openaiProvider.schema).toBe(openaiConfigSchema);
  });
});
