/**
 * `provider: voyage` — Voyage AI's reranker endpoint.
 *
 * Wire format (https://docs.voyageai.com/reference/reranker-api):
 *   POST {baseUrl}/v1/rerank
 *     {model, query, documents: [string], top_k, truncation?}
 *   → {object: "list", data: [{index, relevance_score}], model, usage: {total_tokens}}
 * Results come sorted by relevance. At most 1,000 documents per request (and a total-token
 * budget per request, which the server enforces). `truncation` (server default true) is sent
 * only when configured. Errors come as `{detail}`.
 *
 * Identity: model + `truncation` when set. `baseUrl` is not part of it.
 */
import { z } from "zod";
import { bearer, resolveApiKey, trimBase } from "../../dense/embedders/hosted/base.js";
import type { HttpHooks } from "../../dense/embedders/hosted/http.js";
import type { ProviderContext, RerankerProvider } from "../provider.js";
import type { Reranker } from "../reranker.js";
import { HostedReranker, rerankShape } from "./base.js";

export const VOYAGE_RERANK_DEFAULT_BASE_URL = "https://api.voyageai.com";
export const VOYAGE_RERANK_MAX_DOCUMENTS = 1000;

export const voyageRerankerConfigSchema = z.strictObject({
  provider: z.literal("voyage"),
  ...rerankShape(VOYAGE_RERANK_MAX_DOCUMENTS),
  /** false: the server refuses over-long inputs instead of truncating them. */
  truncation: z.boolean().optional(),
});

export type VoyageRerankerConfig = z.infer<typeof voyageRerankerConfigSchema>;

export async function createVoyageReranker(
  config: VoyageRerankerConfig,
  context: ProviderContext,
  hooks?: HttpHooks,
): Promise<Reranker> {
  const { key, env } = resolveApiKey("voyage", context, config.apiKeyEnv, "VOYAGE_API_KEY");
  const url = `${trimBase(config.baseUrl ?? VOYAGE_RERANK_DEFAULT_BASE_URL)}/v1/rerank`;
  const options: Record<string, unknown> = {};
  if (config.truncation !== undefined) options["truncation"] = config.truncation;
  return new HostedReranker({
    provider: "voyage",
    identity: { provider: "voyage", model: config.model, options },
    config,
    defaultMaxDocuments: VOYAGE_RERANK_MAX_DOCUMENTS,
    headers: bearer(key),
    apiKey: key,
    apiKeyEnv: env,
    hooks,
    api: {
      request: (query, documents) => ({
        url,
        body: {
          model: config.model,
          query,
          documents,
          top_k: documents.length,
          ...(config.truncation === undefined ? {} : { truncation: config.truncation }),
        },
      }),
      list: "data",
      scoreKey: "relevance_score",
    },
  });
}

export const voyageRerankerProvider: RerankerProvider<VoyageRerankerConfig> = {
  name: "voyage",
  schema: voyageRerankerConfigSchema,
  create: (config, context) => createVoyageReranker(config, context),
};
