/**
 * `provider: ollama` — Ollama's batch embedding route `/api/embed` (not the legacy, one-text
 * `/api/embeddings`).
 *
 * Wire format (https://docs.ollama.com/api/embed):
 *   POST {baseUrl}/api/embed  {model, input: [...], truncate: true, dimensions?}
 *   → {model, embeddings: [[...], ...], total_duration, load_duration, prompt_eval_count}
 * Errors come as `{error: "..."}`. Ollama needs no key; behind an authenticating proxy name the
 * variable with `apiKeyEnv` (sent as a Bearer token). Default batch 32: Ollama runs the inputs
 * of one request through the model in turn, so large requests only delay the timeout.
 *
 * Identity: the endpoint is part of `options` (a local tag such as `nomic-embed-text` names
 * whatever was pulled on that machine), with `truncate`, `dimensions`, normalisation and prefixes.
 */
import { z } from "zod";
import type { Embedder } from "../../embedder.js";
import type { EmbedderProvider, ProviderContext } from "../provider.js";
import {
  HostedEmbedder,
  asRecord,
  bearer,
  commonIdentityOptions,
  commonShape,
  dimensionsSchema,
  endpointOf,
  resolveApiKey,
  trimBase,
} from "./base.js";
import type { HttpHooks } from "./http.js";

export const OLLAMA_DEFAULT_BASE_URL = "http://localhost:11434";
export const OLLAMA_DEFAULT_BATCH = 32;

export const ollamaConfigSchema = z.strictObject({
  provider: z.literal("ollama"),
  ...commonShape(),
  /** Output dimensions, for models that support truncating them. */
  dimensions: dimensionsSchema,
});

export type OllamaConfig = z.infer<typeof ollamaConfigSchema>;

export async function createOllamaEmbedder(
  config: OllamaConfig,
  context: ProviderContext,
  hooks?: HttpHooks,
): Promise<Embedder> {
  const { key, env } = resolveApiKey("ollama", context, config.apiKeyEnv, undefined);
  const baseUrl = config.baseUrl ?? OLLAMA_DEFAULT_BASE_URL;
  const url = `${trimBase(baseUrl)}/api/embed`;
  const options: Record<string, unknown> = { endpoint: endpointOf(baseUrl), truncate: true };
  if (config.dimensions !== undefined) options["dimensions"] = config.dimensions;
  Object.assign(options, commonIdentityOptions(config));
  return new HostedEmbedder({
    provider: "ollama",
    identity: { provider: "ollama", model: config.model, revision: config.revision ?? "", options },
    config,
    defaultBatchSize: OLLAMA_DEFAULT_BATCH,
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
          truncate: true,
          ...(config.dimensions === undefined ? {} : { dimensions: config.dimensions }),
        },
      }),
      vectors: (answer, _count, malformed) => {
        const record = asRecord(answer, "an object with an embeddings array", malformed);
        const embeddings = record["embeddings"];
        if (!Array.isArray(embeddings)) throw malformed(`the "embeddings" array is missing`);
        return embeddings;
      },
    },
  });
}

export const ollamaProvider: EmbedderProvider<OllamaConfig> = {
  name: "ollama",
  schema: ollamaConfigSchema,
  create: (config, context) => createOllamaEmbedder(config, context),
};
