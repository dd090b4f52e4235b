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
import { createJinaEmbedder, jinaConfigSchema } from "./jina.js";
import type { JinaConfig } from "./jina.js";

const KEY = "jina_test_key_0123456789";
let api: FakeApi | undefined;
let embedder: Embedder | undefined;
afterEach(async () => {
  await embedder?.close();
  await api?.close();
  api = embedder = undefined;
});

/** Jina's documented answer; data reversed to prove sorting by index. */
const echo: Handler = (request) => {
  const body = request.body as { input: string[]; dimensions?: number };
  const data = body.input.map((t, index) => ({
    object: "embedding",
    index,
    embedding: fakeVector(t, body.dimensions ?? 3),
  }));
  return {
    json: {
      model: "jina-embeddings-v3",
      object: "list",
      usage: { total_tokens: 1, prompt_tokens: 1 },
      data: data.reverse(),
    },
  };
};

async function setup(handler: Handler, config: Partial<JinaConfig> = {}): Promise<Embedder> {
  api = await startFakeApi(handler);
  embedder = await createJinaEmbedder(
    jinaConfigSchema.parse({
      provider: "jina",
      model: "jina-embeddings-v3",
      baseUrl: `${api.url}/v1`,
      ...config,
    }),
    envContext({ JINA_API_KEY: KEY }),
    { sleep: instantSleep().sleep, random: () => 0 },
  );
  return embedder;
}

describe("jina provider", () => {
  it("POSTs the documented request; the role picks the task", async () => {
    const e = await setup(echo);
    await e.embed(["q"], { role: "query" });
    await e.embed(["d"], { role: "document" });
    const [first, second] = api!.requests;
    expect(first!.path).toBe("/v1/embeddings");
    expect(first!.headers["authorization"]).toBe(`Bearer ${KEY}`);
    expect(first!.body).toEqual({
      model: "jina-embeddings-v3",
      input: ["q"],
      task: "retrieval.query",
      normalized: true,
      truncate: true,
    });
    expect(second!.body).toMatchObject({ task: "retrieval.passage" });
  });

  it("omits task when task is false; sends dimensions and normalized: false", async () => {
    const e = await setup(echo, {
      model: "jina-embeddings-v2-base-en",
      task: false,
      dimensions: 2,
      normalize: false,
    });
    const [v] = await e.embed(["abc"], { role: "query" });
    expect(api!.requests[0]!.body).toEqual({
      model: "jina-embeddings-v2-base-en",
      input: ["abc"],
      dimensions: 2,
      normalized: false,
      truncate: true,
    });
    expect(Array.from(v!)).toEqual(fakeVector("abc", 2));
    expect(e.identity.options).toEqual({
      task: null,
      truncate: true,
      dimensions: 2,
      normalize: false,
    });
  });

  it("batches 5 texts by 2 into 3 requests and sorts data by index", async () => {
    const e = await setup(echo, { batchSize: 2 });
    const texts = ["a", "bb", "ccc", "dddd", "eeeee"];
    const vectors = await e.embed(texts, { role: "document" });
    expect(api!.requests).toHaveLength(3);
    expect(vectors.map((v) => Array.from(v))).toEqual(texts.map((t) => normalizedFakeVector(t)));
  });

  it("has a baseUrl-independent identity", async () => {
    const e = await setup(echo);
    expect(e.identity).toEqual({
      provider: "jina",
      model: "jina-embeddings-v3",
      revision: "",
      options: {
        task: { query: "retrieval.query", document: "retrieval.passage" },
        truncate: true,
        normalize: true,
      },
    });
  });

  it("needs JINA_API_KEY", async () => {
    await expect(
      createJinaEmbedder({ provider: "jina", model: "m" }, envContext({ JINA_API_KEY: "  " })),
    ).rejects.toMatchObject({ code: "E_CONFIG", message: expect.stringContaining("JINA_API_KEY") });
  });

  it("surfaces Jina's {detail} on 422", async () => {
    const e = await setup(() => ({
      status: 422,
      json: { detail: [{ loc: ["body", "task"], msg: "Input should be 'retrieval.query'" }] },
    }));
    await expect(e.embed(["a"], { role: "query" })).rejects.toThrow(
      "jina rejected the request (HTTP 422 Unprocessable Entity): Input should be 'retrieval.query'",
    );
  });
});
