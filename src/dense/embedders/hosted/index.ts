/** Hosted embedding providers: HTTP APIs and self-hosted inference servers. */
import type { EmbedderProvider } from "../provider.js";
import type { CohereConfig } from "./cohere.js";
import type { JinaConfig } from "./jina.js";
import type { OllamaConfig } from "./ollama.js";
import type { OpenAIConfig } from "./openai.js";
import type { TeiConfig } from "./tei.js";
import type { VoyageConfig } from "./voyage.js";
import { cohereProvider } from "./cohere.js";
import { jinaProvider } from "./jina.js";
import { ollamaProvider } from "./ollama.js";
import { openaiProvider } from "./openai.js";
import { teiProvider } from "./tei.js";
import { voyageProvider } from "./voyage.js";

export { cohereProvider, createCohereEmbedder, cohereConfigSchema } from "./cohere.js";
export type { CohereConfig } from "./cohere.js";
export { jinaProvider, createJinaEmbedder, jinaConfigSchema } from "./jina.js";
export type { JinaConfig } from "./jina.js";
export { ollamaProvider, createOllamaEmbedder, ollamaConfigSchema } from "./ollama.js";
export type { OllamaConfig } from "./ollama.js";
export { openaiProvider, createOpenAIEmbedder, openaiConfigSchema } from "./openai.js";
export type { OpenAIConfig } from "./openai.js";
export { teiProvider, createTeiEmbedder, teiConfigSchema } from "./tei.js";
export type { TeiConfig } from "./tei.js";
export { voyageProvider, createVoyageEmbedder, voyageConfigSchema } from "./voyage.js";
export type { VoyageConfig } from "./voyage.js";
export { HttpClient } from "./http.js";
export type { HttpClientOptions, HttpHooks, RetryInfo, Sleep } from "./http.js";

export type HostedConfig =
  CohereConfig | JinaConfig | OllamaConfig | OpenAIConfig | TeiConfig | VoyageConfig;

/** All six hosted providers, for the registry. */
export const HOSTED_PROVIDERS = [
  openaiProvider,
  teiProvider,
  ollamaProvider,
  cohereProvider,
  voyageProvider,
  jinaProvider,
] as const satisfies readonly EmbedderProvider<{ provider: string }>[];
