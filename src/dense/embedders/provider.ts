import type { z } from "zod";
import type { Embedder } from "../embedder.js";

/** What a provider may need from its surroundings; tests substitute each part. */
export interface ProviderContext {
  /** Directory that relative paths in the configuration are resolved against. */
  baseDir: string;
  /** Where derived artifacts (converted vectors, downloaded weights) may be cached. */
  cacheDir: string;
  /** Environment variables (API keys are read from here, by name, never from config). */
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * A kind of embedder: its configuration schema (the object under `embedders.<name>` in the
 * config file, `provider` key included) and how to create one. One provider per file.
 */
export interface EmbedderProvider<Config extends { provider: string }> {
  readonly name: Config["provider"];
  readonly schema: z.ZodType<Config>;
  create(config: Config, context: ProviderContext): Promise<Embedder>;
}
