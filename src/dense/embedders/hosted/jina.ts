/**
 * `provider: jina` — Jina AI's embeddings endpoint.
 *
 * Wire format (https://jina.ai/embeddings/ API reference; https://api.jina.ai/openapi.json):
 *   POST {baseUrl}/embeddings
 *     {model, input: [...], task?: "retrieval.query" | "retrieval.passage", dimensions?,
 *      normalized, truncate: true}
 *   → {model, object: "list", usage, data: [{object: "embedding", index, embedding: [...]}]}
 * With `task` (default true) the role picks the task adapter (jina-embeddings-v3/v4): query →
 * retrieval.query, document → retrieval.passage; set `task: false` for models without adapters
 * (jina-embeddings-v2-*). `normalized` follows `normalize`. `truncate: true` drops the tail
 * beyond the model's context instead of failing, as the other providers do. The API documents
 * no fixed input count per request, only rate limits in tokens per minute, so the default batch
 * is a conservative 128. Errors come as `{detail}`.
 *
 * Identity: model + task mapping, truncation, dimensions, normalisation, prefixes; not the
 * baseUrl (Jina model names denote fixed weights; another URL is a proxy for the same API).
 */
import { z } from "zod";
import type { Embedder, EmbedRole } from "../../embedder.js";
import type { EmbedderProvider, ProviderContext } from "../provider.js";
import {
  HostedEmbedder,
  bearer,
  commonIdentityOptions,
  commonShape,
  dimensionsSchema,
  resolveApiKey,
  trimBase,
  vectorsFromData,
} from "./base.js";
import type { HttpHooks } from "./http.js";

export const JINA_DEFAULT_BASE_URL = "https://api.jina.ai/v1";
export const JINA_DEFAULT_BATCH = 128;

const TASKS: Record<EmbedRole, string> = {
  query: "retrieval.query",
  document: "retrieval.passage",
};

export const jinaConfigSchema = z.strictObject({
  provider: z.literal("jina"),
  ...commonShape(),
  /** Matryoshka output dimensions (jina-embeddings-v3/v4). */
  dimensions: dimensionsSchema,
  /** Send task retrieval.query/retrieval.passage by role (default true). */
  task: z.boolean().optional(),
});

export type JinaConfig = z.infer<typeof jinaConfigSchema>;

export async function createJinaEmbedder(
  config: JinaConfig,
  context: ProviderContext,
  hooks?: HttpHooks,
): Promise<Embedder> {
  const { key, env } = resolveApiKey("jina", context, config.apiKeyEnv, "JINA_API_KEY");
  const url = `${trimBase(config.baseUrl ?? JINA_DEFAULT_BASE_URL)}/embeddings`;
  const useTask = config.task ?? true;
  const normalize = config.normalize ?? true;
  const options: Record<string, unknown> = { task: useTask ? TASKS : null, truncate: true };
  if (config.dimensions !== undefined) options["dimensions"] = config.dimensions;
  Object.assign(options, commonIdentityOptions(config));
  return new HostedEmbedder({
    provider: "jina",
    identity: { provider: "jina", model: config.model, revision: config.revision ?? "", options },
    config,
    defaultBatchSize: JINA_DEFAULT_BATCH,
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
          input: texts,
          ...(useTask ? { task: TASKS[role] } : {}),
          ...(config.dimensions === undefined ? {} : { dimensions: config.dimensions }),
          normalized: normalize,
          truncate: true,
        },
      }),
      vectors: vectorsFromData,
    },
  });
}

export const jinaProvider: EmbedderProvider<JinaConfig> = {
  name: "jina",
  schema: jinaConfigSchema,
  create: (config, context) => createJinaEmbedder(config, context),
};
