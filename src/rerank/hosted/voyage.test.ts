import { afterEach, describe, expect, it } from "vitest";
import {
  envContext,
  instantSleep,
  startFakeApi,
} from "../../../test/support/fake-embedding-api.js";
import type { FakeApi } from "../../../test/support/fake-embedding-api.js";
import { candidatesOf, documentsOf, rankedAnswer } from "../../../test/support/fake-rerank-api.js";
import type { Reranker } from "../reranker.js";
import { createVoyageReranker, voyageRerankerConfigSchema } from "./voyage.js";

const KEY = "pa-test-key-abcdefgh";
let api: FakeApi | undefined;
let reranker: Reranker | undefined;
afterEach(async () => {
  await reranker?.close();
  await api?.close();
  api = reranker = undefined;
});

async function setup(config: Record<string, unknown> = {}): Promise<Reranker> {
  api = await startFakeApi((request) => ({
    json: rankedAnswer("voyage", documentsOf("voyage", request.body)),
  }));
  reranker = await createVoyageReranker(
    voyageRerankerConfigSchema.parse({
      provider: "voyage",
      model: "rerank-2.5",
      baseUrl: api.url,
      ...config,
    }),
    envContext({ VOYAGE_API_KEY: KEY }),
    { sleep: instantSleep().sleep },
  );
  return reranker;
}

describe("voyage reranker", () => {
  it("POSTs the documented request (top_k) and reads data back into candidate order", async () => {
    const r = await setup();
    const scores = await r.score("q", candidatesOf(["b", "cccc", "aa"]));
    expect(Array.from(scores)).toEqual([0.1, 0.4, 0.2]);
    const [request] = api!.requests;
    expect(request!.path).toBe("/v1/rerank");
    expect(request!.headers["authorization"]).toBe(`Bearer ${KEY}`);
    expect(request!.body).toEqual({
      model: "rerank-2.5",
      query: "q",
      documents: ["b", "cccc", "aa"],
      top_k: 3,
    });
    expect(r.identity).toEqual({ provider: "voyage", model: "rerank-2.5", options: {} });
  });

  it("sends truncation when configured, and records it in the identity", async () => {
    const r = await setup({ truncation: false });
    await r.score("q", candidatesOf(["a"]));
    expect(api!.requests[0]!.body).toEqual({
      model: "rerank-2.5",
      query: "q",
      documents: ["a"],
      top_k: 1,
      truncation: false,
    });
    expect(r.identity.options).toEqual({ truncation: false });
  });

  it("caps maxDocuments at 1000", () => {
    const parse = (maxDocuments: number): boolean =>
      voyageRerankerConfigSchema.safeParse({ provider: "voyage", model: "m", maxDocuments })
        .success;
    expect(parse(1000)).toBe(true);
    expect(parse(1001)).toBe(false);
  });
});
