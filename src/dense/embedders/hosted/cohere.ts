/**
 * `provider: cohere` — Cohere's Embed API v2.
 *
 * Wire format (https://docs.cohere.com/reference/embed):
 *   POST {baseUrl}/v2/embed
 *     {model, texts: [...], input_type: "search_query" | "search_document",
 *      embedding_types: ["float"], truncate?: "NONE" | "START" | "END", output_dimension?}
 *   → {id, embeddings: {float: [[...], ...]}, texts, meta}
 * At most 96 texts per call. `input_type` is required by v3+ models and follows the role:
 * query → search_query, document → search_document. `truncate` defaults to END server-side.
 * `dimensions` maps to `output_dimension` (embed-v4 and later). Errors come as `{message}`.
 *
 * Identity: model + the input_type mapping, truncation, dimensions, normalisation, prefixes.
 * `baseUrl` is not part of it: Cohere's model names denote fixed weights, and a different URL
 * is a proxy for the same API.
 */
import { z } from "zod";
import type { Embedder, EmbedRole } from "../../embedder.js";
import type { EmbedderProvider, ProviderContext } from "../provider.js";
import {
  HostedEmbedder,
  asRecord,
  bearer,
  commonIdentityOptions,
  commonShape,
  dimensionsSchema,
  resolveApiKey,
  trimBase,
} from "./base.js";
import type { HttpHooks } from "./http.js";

export const COHERE_DEFAULT_BASE_URL = "https://api.cohere.com";
export const COHERE_MAX_BATCH = 96;

const INPUT_TYPES: Record<EmbedRole, string> = {
  query: "search_query",
  document: "search_document",
};

export const cohereConfigSchema = z.strictObject({
  provider: z.literal("cohere"),
  ...commonShape(COHERE_MAX_BATCH),
  /** Sent as `output_dimension` (embed-v4 and later). */
  dimensions: dimensionsSchema,
  /** How the API shortens over-long inputs; the API's default is END. */
  truncate: z.enum(["NONE", "START", "END"]).optional(),
});

export type CohereConfig = z.infer<typeof cohereConfigSchema>;

export async function createCohereEmbedder(
  config: CohereConfig,
  context: ProviderContext,
  hooks?: HttpHooks,
): Promise<Embedder> {
  const { key, env } = resolveApiKey("cohere", context, config.apiKeyEnv, "COHERE_API_KEY");
  const url = `${trimBase(config.baseUrl ?? COHERE_DEFAULT_BASE_URL)}/v2/embed`;
  const options: Record<string, unknown> = {
    inputType: INPUT_TYPES,
    truncate: config.truncate ?? "END",
  };
  if (config.dimensions !== undefined) options["dimensions"] = config.dimensions;
  Object.assign(options, commonIdentityOptions(config));
  return new HostedEmbedder({
    provider: "cohere",
    identity: { provider: "cohere", model: config.model, revision: config.revision ?? "", options },
    config,
    defaultBatchSize: COHERE_MAX_BATCH,
    headers: bearer(key),
    apiKey: key,
    apiKeyEnv: env,
    requestedDimensions: config.dimensions,
    hooks,
    api: {
      request: (texts, role) => ({
        url,
        body: {
          model: config.model,
          texts,
          input_type: INPUT_TYPES[role],
          embedding_types: ["float"],
          ...(config.truncate === undefined ? {} : { truncate: config.truncate }),
          ...(config.dimensions === undefined ? {} : { output_dimension: config.dimensions }),
        },
      }),
      vectors: (answer, _count, malformed) => {
        const record = asRecord(answer, "an object with embeddings.float", malformed);
        const embeddings = record["embeddings"];
        if (typeof embeddings !== "object" || embeddings === null || Array.isArray(embeddings))
          throw malformed(`the "embeddings" object is missing (expected embeddings.float)`);
        const floats = (embeddings as Record<string, unknown>)["float"];
        if (!Array.isArray(floats)) throw malformed(`the "embeddings.float" array is missing`);
        return floats;
      },
    },
  });
}

export const cohereProvider: EmbedderProvider<CohereConfig> = {
  name: "cohere",
  schema: cohereConfigSchema,
  create: (config, context) => createCohereEmbedder(config, context),
};
