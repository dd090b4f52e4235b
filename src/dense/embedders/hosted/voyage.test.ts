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
import { createVoyageEmbedder, voyageConfigSchema } from "./voyage.js";
import type { VoyageConfig } from "./voyage.js";

const KEY = "pa-voyage-test-key-xyz";
let api: FakeApi | undefined;
let embedder: Embedder | undefined;
afterEach(async () => {
  await embedder?.close();
  await api?.close();
  api = embedder = undefined;
});

/** Voyage's documented answer; data shuffled (odd indexes first) to prove sorting. */
const echo: Handler = (request) => {
  const body = request.body as { input: string[]; output_dimension?: number };
  const data = body.input.map((t, index) => ({
    object: "embedding",
    embedding: fakeVector(t, body.output_dimension ?? 3),
    index,
  }));
  const shuffled = [
    ...data.filter((d) => d.index % 2 === 1),
    ...data.filter((d) => d.index % 2 === 0),
  ];
  return {
    json: { object: "list", data: shuffled, model: "voyage-3.5", usage: { total_tokens: 1 } },
  };
};

async function setup(handler: Handler, config: Partial<VoyageConfig> = {}): Promise<Embedder> {
  api = await startFakeApi(handler);
  embedder = await createVoyageEmbedder(
    voyageConfigSchema.parse({
      provider: "voyage",
      model: "voyage-3.5",
      baseUrl: `${api.url}/v1`,
      ...config,
    }),
    envContext({ VOYAGE_API_KEY: KEY }),
    { sleep: instantSleep().sleep, random: () => 0 },
  );
  return embedder;
}

describe("voyage provider", () => {
  it("POSTs the documented request; the role picks input_type", async () => {
    const e = await setup(echo);
    await e.embed(["q"], { role: "query" });
    await e.embed(["d"], { role: "document" });
    const [first, second] = api!.requests;
    expect(first!.path).toBe("/v1/embeddings");
    expect(first!.headers["authorization"]).toBe(`Bearer ${KEY}`);
    expect(first!.body).toEqual({
      input: ["q"],
      model: "voyage-3.5",
      input_type: "query",
      truncation: true,
    });
    expect(second!.body).toMatchObject({ input_type: "document" });
  });

  it("sends input_type null when inputType is false, and output_dimension", async () => {
    const e = await setup(echo, { inputType: false, dimensions: 2 });
    const [v] = await e.embed(["abc"], { role: "query" });
    expect(api!.requests[0]!.body).toEqual({
      input: ["abc"],
      model: "voyage-3.5",
      input_type: null,
      truncation: true,
      output_dimension: 2,
    });
    expect(v).toHaveLength(2);
    expect(e.identity.options).toMatchObject({ inputType: null, dimensions: 2 });
  });

  it("batches 5 texts by 2 into 3 requests and sorts data by index", async () => {
    const e = await setup(echo, { batchSize: 2 });
    const texts = ["a", "bb", "ccc", "dddd", "eeeee"];
    const vectors = await e.embed(texts, { role: "document" });
    expect(api!.requests).toHaveLength(3);
    expect(vectors.map((v) => Array.from(v))).toEqual(texts.map((t) => normalizedFakeVector(t)));
  });

  it("cuts requests by the estimated token budget", async () => {
    const e = await setup(echo, { maxTokensPerRequest: 1000 });
    const chunk = "y".repeat(1200); // ≈ 601 estimated tokens
    await e.embed([chunk, chunk, chunk, "z"], { role: "document" });
    expect(api!.requests.map((r) => (r.body as { input: string[] }).input.length)).toEqual([
      1, 1, 2,
    ]);
  });

  it("caps batchSize at 1000 and has a baseUrl-independent identity", async () => {
    expect(
      voyageConfigSchema.safeParse({ provider: "voyage", model: "m", batchSize: 1001 }).success,
    ).toBe(false);
    const e = await setup(echo);
    expect(e.identity).toEqual({
      provider: "voyage",
      model: "voyage-3.5",
      revision: "",
      options: {
        inputType: { query: "query", document: "document" },
        truncation: true,
        normalize: true,
      },
    });
  });

  it("surfaces Voyage's {detail}", async () => {
    const e = await setup(() => ({
      status: 400,
      json: {
        detail:
          "Request to model 'voyage-3.5' failed. The max allowed tokens per submitted batch is 320000.",
      },
    }));
    await expect(e.embed(["a"], { role: "query" })).rejects.toThrow(
      "voyage rejected the request (HTTP 400 Bad Request): Request to model 'voyage-3.5' failed.",
    );
  });

  it("needs VOYAGE_API_KEY", async () => {
    await expect(
      createVoyageEmbedder({ provider: "voyage", model: "m" }, envContext({})),
    ).rejects.toMatchObject({
      code: "E_CONFIG",
      message: expect.stringContaining("VOYAGE_API_KEY"),
    });
  });
});
