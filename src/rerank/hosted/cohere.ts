/**
 * `provider: cohere` — Cohere's Rerank API v2.
 *
 * Wire format (https://docs.cohere.com/reference/rerank, "Rerank API (v2)"):
 *   POST {baseUrl}/v2/rerank
 *     {model, query, documents: [string], top_n, max_tokens_per_doc?}
 *   → {id, results: [{index, relevance_score}], meta}
 * Results come sorted by relevance, `index` pointing into `documents`. Cohere recommends at most
 * 1,000 documents per request, hence the cap on `maxDocuments`. `max_tokens_per_doc` (server
 * default 4096) is sent only when configured. Errors come as `{message}`.
 *
 * Identity: model + `maxTokensPerDoc` when set. `baseUrl` is not part of it: Cohere's model
 * names denote fixed weights, and a different URL is a proxy for the same API.
 */
import { z } from "zod";
import { bearer, resolveApiKey, trimBase } from "../../dense/embedders/hosted/base.js";
import type { HttpHooks } from "../../dense/embedders/hosted/http.js";
import type { ProviderContext, RerankerProvider } from "../provider.js";
import type { Reranker } from "../reranker.js";
import { HostedReranker, rerankShape } from "./base.js";

export const COHERE_RERANK_DEFAULT_BASE_URL = "https://api.cohere.com";
export const COHERE_RERANK_MAX_DOCUMENTS = 1000;

export const cohereRerankerConfigSchema = z.strictObject({
  provider: z.literal("cohere"),
  ...rerankShape(COHERE_RERANK_MAX_DOCUMENTS),
  /** Sent as `max_tokens_per_doc`: longer documents are truncated server-side. */
  maxTokensPerDoc: z.number().int().positive().optional(),
});

export type CohereRerankerConfig = z.infer<typeof cohereRerankerConfigSchema>;

export async function createCohereReranker(
  config: CohereRerankerConfig,
  context: ProviderContext,
  hooks?: HttpHooks,
): Promise<Reranker> {
  const { key, env } = resolveApiKey("cohere", context, config.apiKeyEnv, "COHERE_API_KEY");
  const url = `${trimBase(config.baseUrl ?? COHERE_RERANK_DEFAULT_BASE_URL)}/v2/rerank`;
  const options: Record<string, unknown> = {};
  if (config.maxTokensPerDoc !== undefined) options["maxTokensPerDoc"] = config.maxTokensPerDoc;
  return new HostedReranker({
    provider: "cohere",
    identity: { provider: "cohere", model: config.model, options },
    config,
    defaultMaxDocuments: COHERE_RERANK_MAX_DOCUMENTS,
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
          top_n: documents.length,
          ...(config.maxTokensPerDoc === undefined
            ? {}
            : { max_tokens_per_doc: config.maxTokensPerDoc }),
        },
      }),
      list: "results",
      scoreKey: "relevance_score",
    },
  });
}

export const cohereRerankerProvider: RerankerProvider<CohereRerankerConfig> = {
  name: "cohere",
  schema: cohereRerankerConfigSchema,
  create: (config, context) => createCohereReranker(config, context),
};
