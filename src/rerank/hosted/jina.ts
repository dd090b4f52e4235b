/**
 * `provider: jina` — Jina AI's Reranker API.
 *
 * Wire format (https://jina.ai/reranker, "Reranker API"):
 *   POST {baseUrl}/v1/rerank
 *     {model, query, documents: [string], top_n, return_documents: false}
 *   → {model, usage: {total_tokens}, results: [{index, relevance_score, document?}]}
 * Results come sorted by relevance. Jina echoes every document's text back unless
 * `return_documents` is false, which would double the bytes of each answer, so it is sent as
 * false. Jina documents no per-request document count; `maxDocuments` is capped at 1,000 like
 * the other hosted APIs. Errors come as `{detail}` (FastAPI).
 *
 * Identity: model only. Note that jina-reranker-v3 is listwise (a document's score depends on
 * the others in its request), so scores of lists split by `maxDocuments` can differ slightly.
 */
import { z } from "zod";
import { bearer, resolveApiKey, trimBase } from "../../dense/embedders/hosted/base.js";
import type { HttpHooks } from "../../dense/embedders/hosted/http.js";
import type { ProviderContext, RerankerProvider } from "../provider.js";
import type { Reranker } from "../reranker.js";
import { HostedReranker, rerankShape } from "./base.js";

export const JINA_RERANK_DEFAULT_BASE_URL = "https://api.jina.ai";
export const JINA_RERANK_MAX_DOCUMENTS = 1000;

export const jinaRerankerConfigSchema = z.strictObject({
  provider: z.literal("jina"),
  ...rerankShape(JINA_RERANK_MAX_DOCUMENTS),
});

export type JinaRerankerConfig = z.infer<typeof jinaRerankerConfigSchema>;

export async function createJinaReranker(
  config: JinaRerankerConfig,
  context: ProviderContext,
  hooks?: HttpHooks,
): Promise<Reranker> {
  const { key, env } = resolveApiKey("jina", context, config.apiKeyEnv, "JINA_API_KEY");
  const url = `${trimBase(config.baseUrl ?? JINA_RERANK_DEFAULT_BASE_URL)}/v1/rerank`;
  return new HostedReranker({
    provider: "jina",
    identity: { provider: "jina", model: config.model, options: {} },
    config,
    defaultMaxDocuments: JINA_RERANK_MAX_DOCUMENTS,
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
          return_documents: false,
        },
      }),
      list: "results",
      scoreKey: "relevance_score",
    },
  });
}

export const jinaRerankerProvider: RerankerProvider<JinaRerankerConfig> = {
  name: "jina",
  schema: jinaRerankerConfigSchema,
  create: (config, context) => createJinaReranker(config, context),
};
