import { resolve } from "node:path";

/** Where derived artifacts (indexes, converted models, embeddings) are cached, keyed by content. */
export function cacheDir(...parts: string[]): string {
  return resolve(process.env["PAIRLIFT_CACHE_DIR"] ?? ".cache/pairlift", ...parts);
}
