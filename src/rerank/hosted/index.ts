/** Hosted reranking providers: HTTP rerank APIs and self-hosted TEI servers. */
import type { RerankerProvider } from "../provider.js";
import type { CohereRerankerConfig } from "./cohere.js";
import type { JinaRerankerConfig } from "./jina.js";
import type { MixedbreadRerankerConfig } from "./mixedbread.js";
import type { TeiRerankerConfig } from "./tei.js";
import type { VoyageRerankerConfig } from "./voyage.js";
import { cohereRerankerProvider } from "./cohere.js";
import { jinaRerankerProvider } from "./jina.js";
import { mixedbreadRerankerProvider } from "./mixedbread.js";
import { teiRerankerProvider } from "./tei.js";
import { voyageRerankerProvider } from "./voyage.js";

export {
  cohereRerankerProvider,
  createCohereReranker,
  cohereRerankerConfigSchema,
} from "./cohere.js";
export type { CohereRerankerConfig } from "./cohere.js";
export { jinaRerankerProvider, createJinaReranker, jinaRerankerConfigSchema } from "./jina.js";
export type { JinaRerankerConfig } from "./jina.js";
export {
  mixedbreadRerankerProvider,
  createMixedbreadReranker,
  mixedbreadRerankerConfigSchema,
} from "./mixedbread.js";
export type { MixedbreadRerankerConfig } from "./mixedbread.js";
export { teiRerankerProvider, createTeiReranker, teiRerankerConfigSchema } from "./tei.js";
export type { TeiRerankerConfig } from "./tei.js";
export {
  voyageRerankerProvider,
  createVoyageReranker,
  voyageRerankerConfigSchema,
} from "./voyage.js";
export type { VoyageRerankerConfig } from "./voyage.js";
export { HostedReranker } from "./base.js";

export type HostedRerankerConfig =
  | CohereRerankerConfig
  | JinaRerankerConfig
  | MixedbreadRerankerConfig
  | TeiRerankerConfig
  | VoyageRerankerConfig;

/** All five hosted reranker providers, for the registry. */
export const HOSTED_RERANKER_PROVIDERS = [
  cohereRerankerProvider,
  jinaRerankerProvider,
  voyageRerankerProvider,
  mixedbreadRerankerProvider,
  teiRerankerProvider,
] as const satisfies readonly RerankerProvider<{ provider: string }>[];
