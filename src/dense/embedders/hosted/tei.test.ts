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
import { TEI_DEFAULT_BATCH, createTeiEmbedder, teiConfigSchema } from "./tei.js";
import type { TeiConfig } from "./tei.js";

let api: FakeApi | undefined;
let embedder: Embedder | undefined;
afterEach(async () => {
  await embedder?.close();
  await api?.close();
  api = embedder = undefined;
});

/** TEI's documented answer: a bare array of vectors, in input order. */
const echo: Handler = (request) => ({
  json: (request.body as { inputs: string[] }).inputs.map((t) => fakeVector(t)),
});

async function setup(
  handler: Handler,
  config: Partial<TeiConfig> = {},
  env: Record<string, string> = {},
): Promise<Embedder> {
  api = await startFakeApi(handler);
  embedder = await createTeiEmbedder(
    teiConfigSchema.parse({
      provider: "tei",
      model: "BAAI/bge-small-en-v1.5",
      baseUrl: api.url,
      ...config,
    }),
    envContext(env),
    { sleep: instantSleep().sleep, random: () => 0 },
  );
  return embedder;
}

describe("tei provider", () => {
  it("POSTs {inputs, normalize, truncate} to /embed without Authorization when keyless", async () => {
    const e = await setup(echo);
    const vectors = await e.embed(["a", "bb"], { role: "document" });
    const request = api!.requests[0]!;
    expect(request.path).toBe("/embed");
    expect(request.headers["authorization"]).toBeUndefined();
    expect(request.body).toEqual({ inputs: ["a", "bb"], normalize: true, truncate: true });
    expect(vectors.map((v) => Array.from(v))).toEqual([
      normalizedFakeVector("a"),
      normalizedFakeVector("bb"),
    ]);
  });

  it("asks the server not to normalise when normalize is false", async () => {
    const e = await setup(echo, { normalize: false });
    const [v] = await e.embed(["abc"], { role: "document" });
    expect(api!.requests[0]!.body).toMatchObject({ normalize: false });
    expect(Array.from(v!)).toEqual(fakeVector("abc"));
  });

  it("sends a Bearer key when apiKeyEnv is configured, and requires it to be set", async () => {
    await expect(
      createTeiEmbedder({ provider: "tei", model: "m", apiKeyEnv: "TEI_KEY" }, envContext({})),
    ).rejects.toMatchObject({ code: "E_CONFIG", message: expect.stringContaining("TEI_KEY") });
    const e = await setup(echo, { apiKeyEnv: "TEI_KEY" }, { TEI_KEY: "hf_secret_value" });
    await e.embed(["a"], { role: "query" });
    expect(api!.requests[0]!.headers["authorization"]).toBe("Bearer hf_secret_value");
  });

  it("batches by 32 by default, 2 when asked, in order", async () => {
    const e = await setup(echo);
    const many = Array.from({ length: TEI_DEFAULT_BATCH + 1 }, (_, i) => `t${i}`);
    const vectors = await e.embed(many, { role: "document" });
    expect(api!.requests.map((r) => (r.body as { inputs: string[] }).inputs.length).sort()).toEqual(
      [1, 32],
    );
    expect(vectors.map((v) => Array.from(v))).toEqual(many.map((t) => normalizedFakeVector(t)));
    await e.close();
    const small = await setup(echo, { batchSize: 2 });
    const texts = ["a", "bb", "ccc", "dddd", "eeeee"];
    const out = await small.embed(texts, { role: "document" });
    expect(api!.requests).toHaveLength(3);
    expect(out.map((v) => Array.from(v))).toEqual(texts.map((t) => normalizedFakeVector(t)));
  });

  it("applies e5-style prefixes by role", async () => {
    const e = await setup(echo, { queryPrefix: "query: ", documentPrefix: "passage: " });
    await e.embed(["x"], { role: "query" });
    await e.embed(["y"], { role: "document" });
    expect(api!.requests.map((r) => (r.body as { inputs: string[] }).inputs)).toEqual([
      ["query: x"],
      ["passage: y"],
    ]);
  });

  it("has an identity with the endpoint, truncation and normalisation", async () => {
    const e = await setup(echo);
    expect(e.identity).toEqual({
      provider: "tei",
      model: "BAAI/bge-small-en-v1.5",
      revision: "",
      options: { endpoint: api!.url, truncate: true, normalize: true },
    });
  });

  it("surfaces TEI's error JSON (413 batch too large)", async () => {
    const e = await setup(() => ({
      status: 413,
      json: { error: "batch size 64 > maximum allowed batch size 32", error_type: "validation" },
    }));
    await expect(e.embed(["a"], { role: "query" })).rejects.toThrow(
      "tei rejected the request (HTTP 413 Payload Too Large): batch size 64 > maximum allowed batch size 32",
    );
  });

  it("rejects an answer that is not an array", async () => {
    const e = await setup(() => ({ json: { embeddings: [[1, 2]] } }));
    await expect(e.embed(["a"], { role: "query" })).rejects.toThrow(
      "malformed answer from tei: expected an array of vectors, got object",
    );
  });

  it("refuses unknown keys, and dimensions (TEI has none)", () => {
    expect(teiConfigSchema.safeParse({ provider: "tei", model: "m", dimensions: 3 }).success).toBe(
      false,
    );
  });
});
