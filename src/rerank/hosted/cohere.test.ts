import { afterEach, describe, expect, it } from "vitest";
import {
  envContext,
  instantSleep,
  startFakeApi,
} from "../../../test/support/fake-embedding-api.js";
import type { FakeApi } from "../../../test/support/fake-embedding-api.js";
import { candidatesOf, documentsOf, rankedAnswer } from "../../../test/support/fake-rerank-api.js";
import type { Reranker } from "../reranker.js";
import { cohereRerankerConfigSchema, createCohereReranker } from "./cohere.js";

const KEY = "co-test-key-abcdefgh";
let api: FakeApi | undefined;
let reranker: Reranker | undefined;
afterEach(async () => {
  await reranker?.close();
  await api?.close();
  api = reranker = undefined;
});

async function setup(config: Record<string, unknown> = {}): Promise<Reranker> {
  api = await startFakeApi((request) => ({
    json: rankedAnswer("cohere", documentsOf("cohere", request.body)),
  }));
  reranker = await createCohereReranker(
    cohereRerankerConfigSchema.parse({
      provider: "cohere",
      model: "rerank-v3.5",
      baseUrl: `${api.url}/`,
      ...config,
    }),
    envContext({ COHERE_API_KEY: KEY }),
    { sleep: instantSleep().sleep, random: () => 0 },
  );
  return reranker;
}

describe("cohere reranker", () => {
  it("POSTs the documented v2 request and reads sorted results back into candidate order", async () => {
    const r = await setup();
    const scores = await r.score("capital", candidatesOf(["aaa", "b", "cccccc", "dd"]));
    // Lengths / 10; the server answered in the order 2, 0, 3, 1.
    expect(Array.from(scores)).toEqual([0.3, 0.1, 0.6, 0.2]);
    const [request] = api!.requests;
    expect(request!.method).toBe("POST");
    expect(request!.path).toBe("/v2/rerank");
    expect(request!.headers["authorization"]).toBe(`Bearer ${KEY}`);
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.body).toEqual({
      model: "rerank-v3.5",
      query: "capital",
      documents: ["aaa", "b", "cccccc", "dd"],
      top_n: 4,
    });
  });

  it("sends max_tokens_per_doc when configured, and records it in the identity", async () => {
    const r = await setup({ maxTokensPerDoc: 512 });
    await r.score("q", candidatesOf(["a"]));
    expect(api!.requests[0]!.body).toEqual({
      model: "rerank-v3.5",
      query: "q",
      documents: ["a"],
      top_n: 1,
      max_tokens_per_doc: 512,
    });
    expect(r.identity).toEqual({
      provider: "cohere",
      model: "rerank-v3.5",
      options: { maxTokensPerDoc: 512 },
    });
  });

  it("has a baseUrl-independent identity", async () => {
    const r = await setup();
    expect(r.identity).toEqual({ provider: "cohere", model: "rerank-v3.5", options: {} });
  });

  it("needs COHERE_API_KEY, and caps maxDocuments at 1000", async () => {
    await expect(
      createCohereReranker({ provider: "cohere", model: "m" }, envContext({})),
    ).rejects.toMatchObject({
      code: "E_CONFIG",
      message: expect.stringContaining("COHERE_API_KEY"),
    });
    const parse = (maxDocuments: number): boolean =>
      cohereRerankerConfigSchema.safeParse({ provider: "cohere", model: "m", maxDocuments })
        .success;
    expect(parse(1000)).toBe(true);
    expect(parse(1001)).toBe(false);
  });
});
