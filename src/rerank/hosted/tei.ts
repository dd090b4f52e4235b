/**
 * `provider: tei` — Hugging Face text-embeddings-inference serving a cross-encoder.
 *
 * Wire format (TEI's OpenAPI, https://huggingface.github.io/text-embeddings-inference/ —
 * `RerankRequest` / `Rank`, router/src/http/types.rs):
 *   POST {baseUrl}/rerank  {query, texts: [string], raw_scores, truncate}
 *   →  [{index, score, text?}]   (a bare array, sorted by score)
 * TEI always returns every text's score (it has no top-n). `raw_scores: false` (TEI's default)
 * gives sigmoid probabilities, true the model's logits. TEI's own `truncate` default is false,
 * which fails a whole query on one over-long document, so pairlift sends true unless told
 * otherwise. The server refuses more than `--max-client-batch-size` texts (default 32) per
 * request, hence the default `maxDocuments`. No API key unless the server was started with
 * `--api-key`: then name the variable with `apiKeyEnv` (sent as a Bearer token).
 *
 * Identity: the endpoint (a TEI server serves whatever weights it was started with, under any
 * name), `rawScores` and `truncate`.
 */
import { z } from "zod";
import { bearer, endpointOf, resolveApiKey, trimBase } from "../../dense/embedders/hosted/base.js";
import type { HttpHooks } from "../../dense/embedders/hosted/http.js";
import type { ProviderContext, RerankerProvider } from "../provider.js";
import type { Reranker } from "../reranker.js";
import { HostedReranker, rerankShape } from "./base.js";

export const TEI_RERANK_DEFAULT_MAX_DOCUMENTS = 32;

const shape = rerankShape();

export const teiRerankerConfigSchema = z.strictObject({
  provider: z.literal("tei"),
  ...shape,
  /** Required: there is no default TEI server. */
  baseUrl: shape.baseUrl.unwrap(),
  /** Logits instead of sigmoid probabilities (default false). */
  rawScores: z.boolean().optional(),
  /** Truncate over-long inputs instead of failing (default true). */
  truncate: z.boolean().optional(),
});

export type TeiRerankerConfig = z.infer<typeof teiRerankerConfigSchema>;

export async function createTeiReranker(
  config: TeiRerankerConfig,
  context: ProviderContext,
  hooks?: HttpHooks,
): Promise<Reranker> {
  const { key, env } = resolveApiKey("tei", context, config.apiKeyEnv, undefined);
  const url = `${trimBase(config.baseUrl)}/rerank`;
  const rawScores = config.rawScores ?? false;
  const truncate = config.truncate ?? true;
  return new HostedReranker({
    provider: "tei",
    identity: {
      provider: "tei",
      model: config.model,
      options: { endpoint: endpointOf(config.baseUrl), rawScores, truncate },
    },
    config,
    defaultMaxDocuments: TEI_RERANK_DEFAULT_MAX_DOCUMENTS,
    headers: bearer(key),
    apiKey: key,
    apiKeyEnv: env,
    hooks,
    api: {
      request: (query, texts) => ({
        url,
        body: { query, texts, raw_scores: rawScores, truncate },
      }),
      list: null,
      scoreKey: "score",
    },
  });
}

export const teiRerankerProvider: RerankerProvider<TeiRerankerConfig> = {
  name: "tei",
  schema: teiRerankerConfigSchema,
  create: (config, context) => createTeiReranker(config, context),
};
