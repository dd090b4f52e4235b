/**
 * `provider: openai` — OpenAI's embeddings endpoint, and any OpenAI-compatible server through
 * `baseUrl` (text-embeddings-inference's and vLLM's `/v1/embeddings`, LiteLLM, …).
 *
 * Wire format (https://platform.openai.com/docs/api-reference/embeddings/create):
 *   POST {baseUrl}/embeddings  {model, input: [...], encoding_format: "float", dimensions?}
 *   → {data: [{embedding: [...], index}], model, usage}
 * `data` is put back in input order by `index`. Inputs per request: at most 2048; the API also
 * caps the tokens summed over one request (300 000), so batches are additionally cut by an
 * estimated token budget (`maxTokensPerRequest`).
 *
 * Identity: the endpoint (origin + path of `baseUrl`) is part of `options`, because different
 * OpenAI-compatible servers serve different weights under one model name (a vLLM `bge-m3` is
 * not OpenAI's, and two local servers may load different revisions); moving between two URLs
 * of the same server therefore re-embeds — the safe direction for a cache.
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
  endpointOf,
  resolveApiKey,
  tokenBudgetBatches,
  trimBase,
  vectorsFromData,
} from "./base.js";
import type { HttpHooks } from "./http.js";

export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";
export const OPENAI_MAX_BATCH = 2048;
/** Estimated tokens per request (the API's hard cap is 300 000 real tokens). */
export const OPENAI_DEFAULT_MAX_TOKENS_PER_REQUEST = 250_000;

export const openaiConfigSchema = z.strictObject({
  provider: z.literal("openai"),
  ...commonShape(OPENAI_MAX_BATCH),
  /** Output dimensions (text-embedding-3 and later; ignored by many compatible servers). */
  dimensions: dimensionsSchema,
  maxTokensPerRequest: z.number().int().positive().optional(),
});

export type OpenAIConfig = z.infer<typeof openaiConfigSchema>;

export async function createOpenAIEmbedder(
  config: OpenAIConfig,
  context: ProviderContext,
  hooks?: HttpHooks,
): Promise<Embedder> {
  const { key, env } = resolveApiKey("openai", context, config.apiKeyEnv, "OPENAI_API_KEY");
  const baseUrl = config.baseUrl ?? OPENAI_DEFAULT_BASE_URL;
  const url = `${trimBase(baseUrl)}/embeddings`;
  const maxTokens = config.maxTokensPerRequest ?? OPENAI_DEFAULT_MAX_TOKENS_PER_REQUEST;
  const options: Record<string, unknown> = { endpoint: endpointOf(baseUrl) };
  if (config.dimensions !== undefined) options["dimensions"] = config.dimensions;
  Object.assign(options, commonIdentityOptions(config));
  return new HostedEmbedder({
    provider: "openai",
    identity: { provider: "openai", model: config.model, revision: config.revision ?? "", options },
    config,
    defaultBatchSize: OPENAI_MAX_BATCH,
    headers: bearer(key),
    apiKey: key,
    apiKeyEnv: env,
    requestedDimensions: config.dimensions,
    hooks,
    api: {
      request: (texts) => ({
        url,
        body: {
          model: config.model,
          input: texts,
          encoding_format: "float",
          ...(config.dimensions === undefined ? {} : { dimensions: config.dimensions }),
        },
      }),
      vectors: vectorsFromData,
      split: (texts, batchSize) => tokenBudgetBatches(texts, batchSize, maxTokens),
    },
  });
}

export const openaiProvider: EmbedderProvider<OpenAIConfig> = {
  name: "openai",
  schema: openaiConfigSchema,
  create: (config, context) => createOpenAIEmbedder(config, context),
};
