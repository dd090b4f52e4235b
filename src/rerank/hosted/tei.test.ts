import { afterEach, describe, expect, it } from "vitest";
import {
  envContext,
  instantSleep,
  startFakeApi,
} from "../../../test/support/fake-embedding-api.js";
import type { FakeApi } from "../../../test/support/fake-embedding-api.js";
import { candidatesOf, documentsOf, rankedAnswer } from "../../../test/support/fake-rerank-api.js";
import type { Reranker } from "../reranker.js";
import {
  TEI_RERANK_DEFAULT_MAX_DOCUMENTS,
  createTeiReranker,
  teiRerankerConfigSchema,
} from "./tei.js";

let api: FakeApi | undefined;
let reranker: Reranker | undefined;
afterEach(async () => {
  await reranker?.close();
  await api?.close();
  api = reranker = undefined;
});

async function setup(
  config: Record<string, unknown> = {},
  env: Record<string, string> = {},
): Promise<Reranker> {
  api = await startFakeApi((request) => ({
    json: rankedAnswer("tei", documentsOf("tei", request.body)),
  }));
  reranker = await createTeiReranker(
    teiRerankerConfigSchema.parse({
      provider: "tei",
      model: "BAAI/bge-reranker-base",
      baseUrl: `${api.url}/`,
      ...config,
    }),
    envContext(env),
    { sleep: instantSleep().sleep },
  );
  return reranker;
}

describe("tei reranker", () => {
  it("POSTs {query, texts, raw_scores, truncate} to /rerank, keyless, and reads the bare array", async () => {
    const r = await setup();
    const scores = await r.score("deep learning", candidatesOf(["bb", "a", "dddd", "ccc"]));
    expect(Array.from(scores)).toEqual([0.2, 0.1, 0.4, 0.3]);
    const [request] = api!.requests;
    expect(request!.path).toBe("/rerank");
    expect(request!.headers["authorization"]).toBeUndefined();
    expect(request!.body).toEqual({
      query: "deep learning",
      texts: ["bb", "a", "dddd", "ccc"],
      raw_scores: false,
      truncate: true,
    });
    expect(r.identity).toEqual({
      provider: "tei",
      model: "BAAI/bge-reranker-base",
      options: { endpoint: api!.url, rawScores: false, truncate: true },
    });
  });

  it("sends raw_scores and truncate as configured, and a Bearer key when apiKeyEnv is set", async () => {
    const r = await setup(
      { rawScores: true, truncate: false, apiKeyEnv: "TEI_KEY" },
      { TEI_KEY: "tei-secret-abcdefgh" },
    );
    await r.score("q", candidatesOf(["a"]));
    const [request] = api!.requests;
    expect(request!.headers["authorization"]).toBe("Bearer tei-secret-abcdefgh");
    expect(request!.body).toEqual({ query: "q", texts: ["a"], raw_scores: true, truncate: false });
    expect(r.identity.options).toMatchObject({ rawScores: true, truncate: false });
  });

  it("splits by TEI's default client batch size (32) unless told otherwise", async () => {
    const r = await setup();
    const texts = Array.from({ length: 70 }, (_, i) => "x".repeat((i % 9) + 1));
    const scores = await r.score("q", candidatesOf(texts));
    expect(TEI_RERANK_DEFAULT_MAX_DOCUMENTS).toBe(32);
    const sizes = api!.requests.map((q) => documentsOf("tei", q.body).length);
    expect(sizes.sort((a, b) => a - b)).toEqual([6, 32, 32]);
    expect(Array.from(scores)).toEqual(texts.map((t) => t.length / 10));
  });

  it("requires baseUrl", () => {
    expect(teiRerankerConfigSchema.safeParse({ provider: "tei", model: "m" }).success).toBe(false);
  });
});
