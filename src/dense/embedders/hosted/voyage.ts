/**
 * `provider: voyage` — Voyage AI's text embedding endpoint.
 *
 * Wire format (https://docs.voyageai.com/reference/embeddings-api):
 *   POST {baseUrl}/embeddings
 *     {input: [...], model, input_type: "query" | "document" | null, truncation: true,
 *      output_dimension?}
 *   → {object: "list", data: [{object: "embedding", embedding: [...], index}], model, usage}
 * Limits per request: at most 1000 texts, and at most 120K tokens summed (voyage-3-large,
 * voyage-code-3, voyage-4-large, …; 320K for voyage-3.5/voyage-4, 1M for the lite models).
 * The tokenizer is remote, so batches are cut by a pessimistic estimate (UTF-8 bytes / 2)
 * against `maxTokensPerRequest`, default 100 000 — under the smallest limit whatever the model.
 * With `inputType` (default true) the role maps to input_type query/document, for which Voyage
 * prepends its own retrieval prompt; `inputType: false` sends null. Errors come as `{detail}`.
 *
 * Identity: model + input_type mapping, truncation, dimensions, normalisation, prefixes; not the
 * baseUrl (Voyage model names denote fixed weights; another URL is a proxy for the same API).
 */
import { z } from "zod";
import type { Embedder } from "../../embedder.js";
import type { EmbedderProvider, ProviderContext } from "../provider.js";
import {
  HostedEmbedder,
  bearer,
  commonIdentityOptions,
  commonShape,
  dimensionsSchema,
  resolveApiKey,
  tokenBudgetBatches,
  trimBase,
  vectorsFromData,
} from "./base.js";
import type { HttpHooks } from "./http.js";

export const VOYAGE_DEFAULT_BASE_URL = "https://api.voyageai.com/v1";
export const VOYAGE_MAX_BATCH = 1000;
export const VOYAGE_DEFAULT_MAX_TOKENS_PER_REQUEST = 100_000;

export const voyageConfigSchema = z.strictObject({
  provider: z.literal("voyage"),
  ...commonShape(VOYAGE_MAX_BATCH),
  /** Sent as `output_dimension` (voyage-3-large, voyage-3.5, voyage-code-3, …). */
  dimensions: dimensionsSchema,
  /** Send input_type query/document by role (default true); false sends null. */
  inputType: z.boolean().optional(),
  /** Estimated tokens per request (see above). */
  maxTokensPerRequest: z.number().int().positive().optional(),
});

export type VoyageConfig = z.infer<typeof voyageConfigSchema>;

export async function createVoyageEmbedder(
  config: VoyageConfig,
  context: ProviderContext,
  hooks?: HttpHooks,
): Promise<Embedder> {
  const { key, env } = resolveApiKey("voyage", context, config.apiKeyEnv, "VOYAGE_API_KEY");
  const url = `${trimBase(config.baseUrl ?? VOYAGE_DEFAULT_BASE_URL)}/embeddings`;
  const useInputType = config.inputType ?? true;
  const maxTokens = config.maxTokensPerRequest ?? VOYAGE_DEFAULT_MAX_TOKENS_PER_REQUEST;
  const options: Record<string, unknown> = {
    inputType: useInputType ? { query: "query", document: "document" } : null,
    truncation: true,
  };
  if (config.dimensions !== undefined) options["dimensions"] = config.dimensions;
  Object.assign(options, commonIdentityOptions(config));
  return new HostedEmbedder({
    provider: "voyage",
    identity: { provider: "voyage", model: config.model, revision: config.revision ?? "", options },
    config,
    defaultBatchSize: VOYAGE_MAX_BATCH,
    headers: bearer(key),
    apiKey: key,
    apiKeyEnv: env,
    requestedDimensions: config.dimensions,
    hooks,
    api: {
      request: (texts, role) => ({
        url,
        body: {
          input: texts,
          model: config.model,
          input_type: useInputType ? role : null,
          truncation: true,
          ...(config.dimensions === undefined ? {} : { output_dimension: config.dimensions }),
        },
      }),
      vectors: vectorsFromData,
      split: (texts, batchSize) => tokenBudgetBatches(texts, batchSize, maxTokens),
    },
  });
}

export const voyageProvider: EmbedderProvider<VoyageConfig> = {
  name: "voyage",
  schema: voyageConfigSchema,
  create: (config, context) => createVoyageEmbedder(config, context),
};
