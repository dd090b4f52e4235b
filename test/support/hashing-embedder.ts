import { createHash } from "node:crypto";
import type { EmbedOptions, Embedder, EmbedderIdentity } from "../../src/dense/embedder.js";
import { l2Normalize } from "../../src/dense/vector-math.js";

/**
 * A deterministic stand-in model for tests: character trigrams hashed into `dimension` buckets,
 * L2-normalised. Texts sharing trigrams get similar vectors, so retrieval works a little.
 */
export class HashingEmbedder implements Embedder {
  readonly normalized = true;
  readonly identity: EmbedderIdentity;
  calls = 0;
  embedded = 0;

  constructor(
    readonly dimension = 64,
    options: Record<string, unknown> = {},
  ) {
    this.identity = {
      provider: "test-hashing",
      model: "trigrams",
      revision: "1",
      options: { dimension, ...options },
    };
  }

  embed(texts: readonly string[], _options: EmbedOptions): Promise<Float32Array[]> {
    this.calls += 1;
    this.embedded += texts.length;
    return Promise.resolve(texts.map((text) => this.vector(text)));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private vector(text: string): Float32Array {
    const vector = new Float32Array(this.dimension);
    const padded = ` ${text.toLowerCase()} `;
    for (let i = 0; i + 3 <= padded.length; i += 1) {
      const bucket =
        createHash("md5")
          .update(padded.slice(i, i + 3))
          .digest()
          .readUInt32LE(0) % this.dimension;
      vector[bucket]! += 1;
    }
    return l2Normalize(vector);
  }
}
