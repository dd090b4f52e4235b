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
import { createCohereEmbedder, cohereConfigSchema } from "./cohere.js";
import type { CohereConfig } from "./cohere.js";

const KEY = "co-test-key-abcdefgh";
let api: FakeApi | undefined;
let embedder: Embedder | undefined;
afterEach(async () => {
  await embedder?.close();
  await api?.close();
  api = embedder = undefined;
});

/** Cohere v2's documented answer with embedding_types ["float"]. */
const echo: Handler = (request) => {
  const body = request.body as { texts: string[]; output_dimension?: number };
  return {
    json: {
      id: "x",
      embeddings: { float: body.texts.map((t) => fakeVector(t, body.output_dimension ?? 3)) },
      texts: body.texts,
      meta: { api_version: { version: "2" } },
      response_type: "embeddings_by_type",
    },
  };
};

async function setup(handler: Handler, config: Partial<CohereConfig> = {}): Promise<Embedder> {
  api = await startFakeApi(handler);
  embedder = await createCohereEmbedder(
    cohereConfigSchema.parse({
      provider: "cohere",
      model: "embed-english-v3.0",
      baseUrl: api.url,
      ...config,
    }),
    envContext({ COHERE_API_KEY: KEY }),
    { sleep: instantSleep().sleep, random: () => 0 },
  );
  return embedder;
}

describe("cohere provider", () => {
  it("POSTs the documented v2 request; the role picks input_type", async () => {
    const e = await setup(echo);
    const [q] = await e.embed(["what"], { role: "query" });
    await e.embed(["doc one", "doc two"], { role: "document" });
    const [first, second] = api!.requests;
    expect(first!.path).toBe("/v2/embed");
    expect(first!.headers["authorization"]).toBe(`Bearer ${KEY}`);
    expect(first!.body).toEqual({
      model: "embed-english-v3.0",
      texts: ["what"],
      input_type: "search_query",
      embedding_types: ["float"],
    });
    expect(second!.body).toEqual({
      model: "embed-english-v3.0",
      texts: ["doc one", "doc two"],
      input_type: "search_document",
      embedding_types: ["float"],
    });
    expect(Array.from(q!)).toEqual(normalizedFakeVector("what"));
  });

  it("sends truncate and output_dimension when configured", async () => {
    const e = await setup(echo, { truncate: "START", dimensions: 2, model: "embed-v4.0" });
    await e.embed(["a"], { role: "document" });
    expect(api!.requests[0]!.body).toMatchObject({ truncate: "START", output_dimension: 2 });
    expect(e.identity.options).toEqual({
      inputType: { query: "search_query", document: "search_document" },
      truncate: "START",
      dimensions: 2,
      normalize: true,
    });
  });

  it("batches 5 texts by 2 into 3 requests, in order; at most 96 per call", async () => {
    const e = await setup(echo, { batchSize: 2 });
    const texts = ["a", "bb", "ccc", "dddd", "eeeee"];
    const vectors = await e.embed(texts, { role: "document" });
    expect(api!.requests).toHaveLength(3);
    expect(vectors.map((v) => Array.from(v))).toEqual(texts.map((t) => normalizedFakeVector(t)));
    expect(
      cohereConfigSchema.safeParse({ provider: "cohere", model: "m", batchSize: 97 }).success,
    ).toBe(false);
  });

  it("has a baseUrl-independent identity", async () => {
    const e = await setup(echo);
    expect(e.identity).toEqual({
      provider: "cohere",
      model: "embed-english-v3.0",
      revision: "",
      options: {
        inputType: { query: "search_query", document: "search_document" },
        truncate: "END",
        normalize: true,
      },
    });
  });

  it("needs COHERE_API_KEY", async () => {
    await expect(
      createCohereEmbedder({ provider: "cohere", model: "m" }, envContext({})),
    ).rejects.toMatchObject({
      code: "E_CONFIG",
      message: expect.stringContaining("COHERE_API_KEY"),
    });
  });

  it("surfaces Cohere's {message}", async () => {
    const e = await setup(() => ({
      status: 400,
      json: { message: "invalid request: texts must not be empty" },
    }));
    await expect(e.embed(["a"], { role: "query" })).rejects.toThrow(
      "cohere rejected the request (HTTP 400 Bad Request): invalid request: texts must not be empty",
    );
  });

  it("rejects an answer without embeddings.float", async () => {
    const e = await setup((_r, i) =>
      i === 0 ? { json: { embeddings: [[1, 2]] } } : { json: { embeddings: { int8: [[1, 2]] } } },
    );
    await expect(e.embed(["a"], { role: "query" })).rejects.toThrow(
      '"embeddings" object is missing',
    );
    await expect(e.embed(["a"], { role: "query" })).rejects.toThrow(
      '"embeddings.float" array is missing',
    );
  });
});
