import { PairliftError } from "../errors.js";
import { batches, type EmbedOptions, type Embedder, type EmbedderIdentity } from "./embedder.js";
import type { EmbeddingCache } from "./embedding-cache.js";

export interface EmbeddingStats {
  /** Texts the model actually embedded. */
  embeddedTexts: number;
  /** Texts answered from the cache. */
  cacheHits: number;
}

/** Texts per cache round trip: work is saved as it goes, so an interruption loses little. */
const CHUNK = 512;

/**
 * Wraps an embedder with the persistent cache: each text is looked up first, only misses reach
 * the model, and their vectors are stored before the next chunk starts.
 */
export class CachedEmbedder implements Embedder {
  readonly stats: EmbeddingStats = { embeddedTexts: 0, cacheHits: 0 };

  constructor(
    private readonly inner: Embedder,
    private readonly cache: EmbeddingCache,
  ) {}

  get identity(): EmbedderIdentity {
    return this.inner.identity;
  }

  get dimension(): number | undefined {
    return this.inner.dimension ?? this.cache.dimensionOf(this.inner.identity);
  }

  get normalized(): boolean {
    return this.inner.normalized;
  }

  async embed(texts: readonly string[], options: EmbedOptions): Promise<Float32Array[]> {
    const vectors = new Map<string, Float32Array>();
    for (const chunk of batches([...new Set(texts)], CHUNK)) {
      const cached = this.cache.getMany(this.identity, options.role, chunk);
      const misses = chunk.filter((_, i) => cached[i] === undefined);
      chunk.forEach((text, i) => {
        const vector = cached[i];
        if (vector !== undefined) vectors.set(text, vector);
      });
      this.stats.cacheHits += chunk.length - misses.length;
      if (misses.length === 0) continue;
      const fresh = await this.inner.embed(misses, options);
      if (fresh.length !== misses.length) {
        throw new PairliftError(
          "E_FIELD",
          `${this.identity.provider}/${this.identity.model} returned ${fresh.length} vectors for ${misses.length} texts`,
        );
      }
      this.cache.putMany(this.identity, options.role, misses, fresh);
      misses.forEach((text, i) => vectors.set(text, fresh[i]!));
      this.stats.embeddedTexts += misses.length;
    }
    return texts.map((text) => vectors.get(text)!);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
