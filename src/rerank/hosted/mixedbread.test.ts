import { afterEach, describe, expect, it } from "vitest";
import {
  envContext,
  instantSleep,
  startFakeApi,
} from "../../../test/support/fake-embedding-api.js";
import type { FakeApi } from "../../../test/support/fake-embedding-api.js";
import { candidatesOf, documentsOf, rankedAnswer } from "../../../test/support/fake-rerank-api.js";
import type { Reranker } from "../reranker.js";
import { createMixedbreadReranker, mixedbreadRerankerConfigSchema } from "./mixedbread.js";

const KEY = "mxb_test_key_abcdefgh";
let api: FakeApi | undefined;
let reranker: Reranker | undefined;
afterEach(async () => {
  await reranker?.close();
  await api?.close();
  api = reranker = undefined;
});

describe("mixedbread reranker", () => {
  it("POSTs {model, query, input, top_k} to /v1/reranking and reads data[].score back in order", async () => {
    api = await startFakeApi((request) => ({
      json: rankedAnswer("mixedbread", documentsOf("mixedbread", request.body)),
    }));
    reranker = await createMixedbreadReranker(
      mixedbreadRerankerConfigSchema.parse({
        provider: "mixedbread",
        model: "mixedbread-ai/mxbai-rerank-large-v2",
        baseUrl: api.url,
      }),
      envContext({ MXBAI_API_KEY: KEY }),
      { sleep: instantSleep().sleep },
    );
    const scores = await reranker.score("techno", candidatesOf(["ccc", "a", "bbbbbbb"]));
    expect(Array.from(scores)).toEqual([0.3, 0.1, 0.7]);
    const [request] = api.requests;
    expect(request!.path).toBe("/v1/reranking");
    expect(request!.headers["authorization"]).toBe(`Bearer ${KEY}`);
    expect(request!.body).toEqual({
      model: "mixedbread-ai/mxbai-rerank-large-v2",
      query: "techno",
      input: ["ccc", "a", "bbbbbbb"],
      top_k: 3,
    });
    expect(reranker.identity).toEqual({
      provider: "mixedbread",
      model: "mixedbread-ai/mxbai-rerank-large-v2",
      options: {},
    });
  });

  it("needs MXBAI_API_KEY, and caps maxDocuments at 1000", async () => {
    await expect(
      createMixedbreadReranker({ provider: "mixedbread", model: "m" }, envContext({})),
    ).rejects.toMatchObject({
      code: "E_CONFIG",
      message: expect.stringContaining("MXBAI_API_KEY"),
    });
    expect(
      mixedbreadRerankerConfigSchema.safeParse({
        provider: "mixedbread",
        model: "m",
        maxDocuments: 1001,
      }).success,
    ).toBe(false);
  });
});
