import type { z } from "zod";
import type { ProviderContext } from "../dense/embedders/provider.js";
import type { Reranker } from "./reranker.js";

export type { ProviderContext };

/**
 * A kind of reranker: its configuration schema (the object under `rerankers.<name>` in the
 * config file, `provider` key included) and how to create one. One provider per file.
 */
export interface RerankerProvider<Config extends { provider: string }> {
  readonly name: Config["provider"];
  readonly schema: z.ZodType<Config>;
  create(config: Config, context: ProviderContext): Promise<Reranker>;
}
