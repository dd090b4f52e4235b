import { afterEach, describe, expect, it } from "vitest";
import {
  envContext,
  fakeVector,
  instantSleep,
  normalizedFakeVector,
  startFakeApi,
} from "../../../../test/support/fake-embedding-api.js";
import type { FakeApi, Handler } from "../../../../test/support/fake-embedding-api.js";
import type { Embedder } from "../../embedder.js";
import { OLLAMA_DEFAULT_BASE_URL, createOllamaEmbedder, ollamaConfigSchema } from "./ollama.js";
import type { OllamaConfig } from "./ollama.js";

let api: FakeApi | undefined;
let embedder: Embedder | undefined;
afterEach(async () => {
  await embedder?.close();
  await api?.close();
  api = embedder = undefined;
});

/** Ollama's documented /api/embed answer. */
const echo: Handler = (request) => {
  const body = request.body as { input: string[]; dimensions?: number };
  return {
    json: {
      model: "nomic-embed-text",
      embeddings: body.input.map((t) => fakeVector(t, body.dimensions ?? 3)),
      total_duration: 1,
      load_duration: 1,
      prompt_eval_count: 1,
    },
  };
};

async function setup(handler: Handler, config: Partial<OllamaConfig> = {}): Promise<Embedder> {
  api = await startFakeApi(handler);
  embedder = await createOllamaEmbedder(
    ollamaConfigSchema.parse({
      provider: "ollama",
      model: "nomic-embed-text",
      baseUrl: api.url,
      ...config,
    }),
    envContext({}),
    { sleep: instantSleep().sleep, random: () => 0 },
  );
  return embedder;
}

describe("ollama provider", () => {
  it("POSTs {model, input, truncate} to /api/embed with no key", async () => {
    const e = await setup(echo);
    const vectors = await e.embed(["a", "bb"], { role: "document" });
    const request = api!.requests[0]!;
    expect(request.path).toBe("/api/embed");
    expect(request.headers["authorization"]).toBeUndefined();
    expect(request.body).toEqual({ model: "nomic-embed-text", input: ["a", "bb"], truncate: true });
    expect(vectors.map((v) => Array.from(v))).toEqual([
      normalizedFakeVector("a"),
      normalizedFakeVector("bb"),
    ]);
  });

  it("applies nomic-style task prefixes by role", async () => {
    const e = await setup(echo, {
      queryPrefix: "search_query: ",
      documentPrefix: "search_document: ",
    });
    await e.embed(["q"], { role: "query" });
    await e.embed(["d"], { role: "document" });
    expect(api!.requests.map((r) => (r.body as { input: string[] }).input)).toEqual([
      ["search_query: q"],
      ["search_document: d"],
    ]);
  });

  it("sends dimensions when configured", async () => {
    const e = await setup(echo, { dimensions: 2 });
    const [v] = await e.embed(["abc"], { role: "query" });
    expect(api!.requests[0]!.body).toMatchObject({ dimensions: 2 });
    expect(v).toHaveLength(2);
  });

  it("batches 5 texts by 2 into 3 requests, in order", async () => {
    const e = await setup(echo, { batchSize: 2 });
    const texts = ["a", "bb", "ccc", "dddd", "eeeee"];
    const vectors = await e.embed(texts, { role: "document" });
    expect(api!.requests).toHaveLength(3);
    expect(vectors.map((v) => Array.from(v))).toEqual(texts.map((t) => normalizedFakeVector(t)));
  });

  it("has an identity with the endpoint; defaults to localhost:11434", async () => {
    const e = await setup(echo);
    expect(e.identity).toEqual({
      provider: "ollama",
      model: "nomic-embed-text",
      revision: "",
      options: { endpoint: api!.url, truncate: true, normalize: true },
    });
    const local = await createOllamaEmbedder({ provider: "ollama", model: "m" }, envContext());
    expect(local.identity.options["endpoint"]).toBe(OLLAMA_DEFAULT_BASE_URL);
    await local.close();
  });

  it("surfaces Ollama's {error} (model not pulled)", async () => {
    const e = await setup(() => ({
      status: 404,
      json: { error: 'model "nomic-embed-text" not found, try pulling it first' },
    }));
    await expect(e.embed(["a"], { role: "query" })).rejects.toThrow(
      'ollama rejected the request (HTTP 404 Not Found): model "nomic-embed-text" not found, try pulling it first',
    );
  });

  it("rejects an answer without embeddings (the legacy /api/embeddings shape)", async () => {
    const e = await setup(() => ({ json: { embedding: [1, 2, 3] } }));
    await expect(e.embed(["a"], { role: "query" })).rejects.toThrow(
      'malformed answer from ollama: the "embeddings" array is missing',
    );
  });
});
