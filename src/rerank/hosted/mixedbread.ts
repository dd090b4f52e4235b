/**
 * `provider: mixedbread` — Mixedbread's Reranking API.
 *
 * Wire format (https://www.mixedbread.com/api-reference/endpoints/reranking/rerank-documents):
 *   POST {baseUrl}/v1/reranking
 *     {model, query, input: [string], top_k}
 *   → {object: "list", model, top_k, return_input, data: [{index, score, input?}], usage}
 * Results come sorted by relevance. `input` holds 1 to 1,000 items, hence the cap on
 * `maxDocuments`; `return_input` defaults to false, so the texts are not echoed back.
 * Authorization is a Bearer token.
 *
 * Identity: model only. `baseUrl` is not part of it.
 */
import { z } from "zod";
import { bearer, resolveApiKey, trimBase } from "../../dense/embedders/hosted/base.js";
import type { HttpHooks } from "../../dense/embedders/hosted/http.js";
import type { ProviderContext, RerankerProvider } from "../provider.js";
import type { Reranker } from "../reranker.js";
import { HostedReranker, rerankShape } from "./base.js";

export const MIXEDBREAD_RERANK_DEFAULT_BASE_URL = "https://api.mixedbread.com";
export const MIXEDBREAD_RERANK_MAX_DOCUMENTS = 1000;

export const mixedbreadRerankerConfigSchema = z.strictObject({
  provider: z.literal("mixedbread"),
  ...rerankShape(MIXEDBREAD_RERANK_MAX_DOCUMENTS),
});

export type MixedbreadRerankerConfig = z.infer<typeof mixedbreadRerankerConfigSchema>;

export async function createMixedbreadReranker(
  config: MixedbreadRerankerConfig,
  context: ProviderContext,
  hooks?: HttpHooks,
): Promise<Reranker> {
  const { key, env } = resolveApiKey("mixedbread", context, config.apiKeyEnv, "MXBAI_API_KEY");
  const url = `${trimBase(config.baseUrl ?? MIXEDBREAD_RERANK_DEFAULT_BASE_URL)}/v1/reranking`;
  return new HostedReranker({
    provider: "mixedbread",
    identity: { provider: "mixedbread", model: config.model, options: {} },
    config,
    defaultMaxDocuments: MIXEDBREAD_RERANK_MAX_DOCUMENTS,
    headers: bearer(key),
    apiKey: key,
    apiKeyEnv: env,
    hooks,
    api: {
      request: (query, documents) => ({
        url,
        body: { model: config.model, query, input: documents, top_k: documents.length },
      }),
      list: "data",
      scoreKey: "score",
    },
  });
}

export const mixedbreadRerankerProvider: RerankerProvider<MixedbreadRerankerConfig> = {
  name: "mixedbread",
  schema: mixedbreadRerankerConfigSchema,
  create: (config, context) => createMixedbreadReranker(config, context),
};
