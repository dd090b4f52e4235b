/**
 * `provider: tei` — Hugging Face text-embeddings-inference's native route.
 *
 * Wire format (TEI's OpenAPI, https://huggingface.github.io/text-embeddings-inference/ —
 * `EmbedRequest` / `EmbedResponse`):
 *   POST {baseUrl}/embed  {inputs: [...], normalize, truncate: true}  →  [[...], [...]]
 * Errors come as `{error, error_type}` (413 batch too large, 422 tokenization, 424 inference,
 * 429 overloaded). The server's `--max-client-batch-size` defaults to 32, hence the default
 * batch. TEI (1.6) has no dimensions option; no API key is needed unless the server was started
 * with `--api-key`, in which case name the variable with `apiKeyEnv` (sent as a Bearer token).
 * For TEI's OpenAI-compatible `/v1/embeddings`, use `provider: openai` with `baseUrl`.
 *
 * Identity: the endpoint is part of `options` (a TEI server serves whatever weights it was
 * started with, under any name you give it), with `normalize`, `truncate` and the prefixes.
 */
import { z } from "zod";
import type { Embedder } from "../../embedder.js";
import type { EmbedderProvider, ProviderContext } from "../provider.js";
import {
  HostedEmbedder,
  bearer,
  commonIdentityOptions,
  commonShape,
  endpointOf,
  resolveApiKey,
  trimBase,
} from "./base.js";
import type { HttpHooks } from "./http.js";

export const TEI_DEFAULT_BASE_URL = "http://localhost:8080";
export const TEI_DEFAULT_BATCH = 32;

export const teiConfigSchema = z.strictObject({
  provider: z.literal("tei"),
  ...commonShape(),
});

export type TeiConfig = z.infer<typeof teiConfigSchema>;

export async function createTeiEmbedder(
  config: TeiConfig,
  context: ProviderContext,
  hooks?: HttpHooks,
): Promise<Embedder> {
  const { key, env } = resolveApiKey("tei", context, config.apiKeyEnv, undefined);
  const baseUrl = config.baseUrl ?? TEI_DEFAULT_BASE_URL;
  const url = `${trimBase(baseUrl)}/embed`;
  const normalize = config.normalize ?? true;
  const options: Record<string, unknown> = {
    endpoint: endpointOf(baseUrl),
    truncate: true,
    ...commonIdentityOptions(config),
  };
  return new HostedEmbedder({
    provider: "tei",
    identity: { provider: "tei", model: config.model, revision: config.revision ?? "", options },
    config,
    defaultBatchSize: TEI_DEFAULT_BATCH,
    headers: bearer(key),
    apiKey: key,
    apiKeyEnv: env,
    requestedDimensions: undefined,
    hooks,
    api: {
      request: (texts) => ({ url, body: { inputs: texts, normalize, truncate: true } }),
      vectors: (answer, _count, malformed) => {
        if (!Array.isArray(answer))
          throw malformed(
            `expected an array of vectors, got ${answer === null ? "null" : typeof answer}`,
          );
        return answer;
      },
    },
  });
}

export const teiProvider: EmbedderProvider<TeiConfig> = {
  name: "tei",
  schema: teiConfigSchema,
  create: (config, context) => createTeiEmbedder(config, context),
};
