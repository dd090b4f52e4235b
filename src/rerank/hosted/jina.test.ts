import { afterEach, describe, expect, it } from "vitest";
import {
  envContext,
  instantSleep,
  startFakeApi,
} from "../../../test/support/fake-embedding-api.js";
import type { FakeApi } from "../../../test/support/fake-embedding-api.js";
import { candidatesOf, documentsOf, rankedAnswer } from "../../../test/support/fake-rerank-api.js";
import type { Reranker } from "../reranker.js";
import { createJinaReranker, jinaRerankerConfigSchema } from "./jina.js";

const KEY = "jina_test_key_abcdefgh";
let api: FakeApi | undefined;
let reranker: Reranker | undefined;
afterEach(async () => {
  await reranker?.close();
  await api?.close();
  api = reranker = undefined;
});

describe("jina reranker", () => {
  it("POSTs the documented request and reads sorted results back into candidate order", async () => {
    api = await startFakeApi((request) => ({
      json: rankedAnswer("jina", documentsOf("jina", request.body)),
    }));
    reranker = await createJinaReranker(
      jinaRerankerConfigSchema.parse({
        provider: "jina",
        model: "jina-reranker-v2-base-multilingual",
        baseUrl: api.url,
      }),
      envContext({ JINA_API_KEY: KEY }),
      { sleep: instantSleep().sleep },
    );
    const scores = await reranker.score("organic", candidatesOf(["dd", "aaaaa", "b"]));
    expect(Array.from(scores)).toEqual([0.2, 0.5, 0.1]);
    const [request] = api.requests;
    expect(request!.path).toBe("/v1/rerank");
    expect(request!.headers["authorization"]).toBe(`Bearer ${KEY}`);
    expect(request!.body).toEqual({
      model: "jina-reranker-v2-base-multilingual",
      query: "organic",
      documents: ["dd", "aaaaa", "b"],
      top_n: 3,
      return_documents: false,
    });
    expect(reranker.identity).toEqual({
      provider: "jina",
      model: "jina-reranker-v2-base-multilingual",
      options: {},
    });
  });

  it("reads the key from the variable apiKeyEnv names", async () => {
    await expect(
      createJinaReranker(
        { provider: "jina", model: "m", apiKeyEnv: "MY_JINA" },
        envContext({ JINA_API_KEY: KEY }),
      ),
    ).rejects.toThrow("set the environment variable MY_JINA");
    expect(
      jinaRerankerConfigSchema.safeParse({ provider: "jina", model: "m", apiKeyEnv: "jina_x y" })
        .success,
    ).toBe(false);
  });
});
