import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharedPath } from "../../../test/support/shared.js";
import { isPairliftError } from "../../errors.js";
import { dot } from "../vector-math.js";
import type { OnnxEmbedder } from "./onnx.js";
import { createOnnxEmbedder, cutAfterWords, onnxConfigSchema, onnxProvider } from "./onnx.js";
import type { ProviderContext } from "./provider.js";
import { AsciiWordPiece } from "./wordpiece.js";

/**
 * The MiniLM-L6 twin has RANDOM weights: these tests check the code path (shapes, pooling,
 * prefixes, truncation, batching, errors), never the quality of its vectors.
 */
const twin = sharedPath("models/twin-all-MiniLM-L6-v2");
const scifact = sharedPath("data/beir/scifact/corpus.jsonl");
const document = { role: "document" } as const;
const query = { role: "query" } as const;

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "pairlift-onnx-"));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

function context(): ProviderContext {
  return { baseDir: scratch, cacheDir: join(scratch, "cache"), env: {} };
}

async function expectError(promise: Promise<unknown>, code: string, text: RegExp) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isPairliftError(error), String(error)).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  expect((error as Error).message).toMatch(text);
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i += 1) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe("onnx provider: configuration and errors", () => {
  it("accepts the documented keys and rejects unknown ones", () => {
    const full = {
      provider: "onnx",
      model: "./models/e5",
      pooling: "cls",
      dtype: "q8",
      normalize: false,
      maxLength: 256,
      batchSize: 8,
      queryPrefix: "query: ",
      documentPrefix: "passage: ",
      allowRemoteModels: false,
      revision: "main",
      threads: 2,
    };
    expect(onnxConfigSchema.parse(full)).toEqual(full);
    expect(
      onnxConfigSchema.safeParse({ provider: "onnx", model: "x", poolling: "cls" }).success,
    ).toBe(false);
    expect(
      onnxConfigSchema.safeParse({ provider: "onnx", model: "x", pooling: "max" }).success,
    ).toBe(false);
    expect(onnxConfigSchema.safeParse({ provider: "onnx", model: "x", dtype: "q3" }).success).toBe(
      false,
    );
    expect(onnxConfigSchema.safeParse({ provider: "onnx" }).success).toBe(false);
    expect(onnxProvider.name).toBe("onnx");
  });

  it("names the folder when a local model folder does not exist", async () => {
    await expectError(
      createOnnxEmbedder({ provider: "onnx", model: "./models/nothing-here" }, context()),
      "E_NOT_FOUND",
      /model folder .*models\/nothing-here does not exist .*onnx\/model\.onnx/u,
    );
  });

  it("names the expected ONNX file when the folder lacks it", async () => {
    const dir = join(scratch, "no-onnx");
    await mkdir(join(dir, "onnx"), { recursive: true });
    await writeFile(join(dir, "config.json"), "{}");
    await writeFile(join(dir, "tokenizer.json"), "{}");
    await writeFile(join(dir, "onnx", "model_quantized.onnx"), "");
    await expectError(
      createOnnxEmbedder({ provider: "onnx", model: "no-onnx", dtype: "fp16" }, context()),
      "E_NOT_FOUND",
      /no-onnx has no onnx\/model_fp16\.onnx, the file for dtype fp16 \(found onnx\/model_quantized\.onnx \(dtype: q8\)\)/u,
    );
  });

  it("refuses a Hub id that is not cached while downloads are off", async () => {
    await expectError(
      createOnnxEmbedder({ provider: "onnx", model: "someone/not-cached-model" }, context()),
      "E_NOT_FOUND",
      /"someone\/not-cached-model" is not a local folder \(nothing at .*someone\/not-cached-model\) and is not in the cache .*allowRemoteModels: true/u,
    );
  });

  it("cuts texts after a number of words, keeping the original spacing", () => {
    expect(cutAfterWords("a  b\nc d", 3)).toBe("a  b\nc");
    expect(cutAfterWords("  a b ", 5)).toBe("  a b ");
    expect(cutAfterWords("", 2)).toBe("");
  });
});

describe.skipIf(!twin.present)("onnx provider on the MiniLM-L6 twin (random weights)", () => {
  let embedder: OnnxEmbedder;
  const texts = [
    "cordless drill",
    "A considerably longer sentence about battery powered drill drivers and their chucks.",
    "garden hose",
    "x",
  ];

  beforeAll(async () => {
    embedder = await createOnnxEmbedder(
      {
        provider: "onnx",
        model: twin.path,
        dtype: "q8",
        queryPrefix: "query: ",
        documentPrefix: "passage: ",
      },
      context(),
    );
  });
  afterAll(() => embedder.close());

  it("gives 384-d unit vectors and an identity with a content revision", async () => {
    const vectors = await embedder.embed(texts, document);
    expect(vectors).toHaveLength(texts.length);
    for (const vector of vectors) {
      expect(vector).toHaveLength(384);
      expect(dot(vector, vector)).toBeCloseTo(1, 5);
    }
    expect(embedder.dimension).toBe(384);
    expect(embedder.identity).toEqual({
      provider: "onnx",
      model: twin.path,
      revision: expect.stringMatching(/^[0-9a-f]{16}$/u) as unknown as string,
      options: {
        pooling: "mean",
        dtype: "q8",
        normalize: true,
        maxLength: 512,
        queryPrefix: "query: ",
        documentPrefix: "passage: ",
      },
    });
  });

  it("answers an empty call with no vectors, and an empty text with a vector", async () => {
    expect(await embedder.embed([], document)).toEqual([]);
    const [empty] = await embedder.embed([""], document);
    expect(empty).toHaveLength(384);
  });

  it("is deterministic, and one call equals one call per text", async () => {
    const together = await embedder.embed(texts, document);
    const again = await embedder.embed(texts, document);
    for (let i = 0; i < texts.length; i += 1) {
      expect(maxDifference(together[i]!, again[i]!)).toBe(0);
      const [alone] = await embedder.embed([texts[i]!], document);
      expect(maxDifference(together[i]!, alone!)).toBeLessThanOrEqual(1e-5);
    }
  });

  it("tokenizes untruncated texts as transformers.js does", async () => {
    const { AutoTokenizer } = await import("@huggingface/transformers");
    const reference = (await AutoTokenizer.from_pretrained(twin.path, {
      local_files_only: true,
    })) as unknown as (
      texts: string[],
      options: object,
    ) => Record<string, { data: ArrayLike<bigint>; dims: number[] }>;
    for (const text of ["cordless drill", "Ünïcödé, punctuation… and numbers 12,345!"]) {
      const expected = reference([`passage: ${text}`], { padding: true, truncation: true });
      const [mine] = embedder.tokenize([text], document);
      for (const name of ["input_ids", "attention_mask", "token_type_ids"]) {
        expect(mine!.encoding[name]!.dims).toEqual(expected[name]!.dims);
        expect(Array.from(mine!.encoding[name]!.data)).toEqual(Array.from(expected[name]!.data));
      }
    }
  });

  it.skipIf(!scifact.present)(
    "takes the ASCII WordPiece path with the library's ids on every SciFact document",
    async () => {
      const { AutoTokenizer } = await import("@huggingface/transformers");
      const library = (await AutoTokenizer.from_pretrained(twin.path, {
        local_files_only: true,
      })) as unknown as {
        encode(text: string, options: { add_special_tokens: boolean }): number[];
        _tokenizerJSON: unknown;
      };
      const fast = AsciiWordPiece.fromTokenizerJson(library._tokenizerJSON);
      expect(fast).toBeDefined();
      const slow = (text: string) => library.encode(text, { add_special_tokens: false });
      const texts = [
        ...(await readFile(scifact.path, "utf8"))
          .split("\n")
          .filter((line) => line !== "")
          .map((line) => JSON.parse(line) as { title: string; text: string })
          .map((document) => `${document.title} ${document.text}`),
        "[MASK] tokens, [CLS] and [SEP] inside text",
        "control\u0001chars\u007f and \u000bvertical\u000ctabs",
        "\u00a0no-break\u2003em-space\u3000ideographic",
      ];
      let differing = 0;
      for (const text of texts) {
        const expected = slow(text);
        const actual = fast!.encode(text, Number.MAX_SAFE_INTEGER, slow) ?? expected;
        if (actual.length !== expected.length || actual.some((id, i) => id !== expected[i]))
          differing += 1;
        const head = fast!.encode(text, 40, slow);
        if (head !== undefined) expect(head).toEqual(expected.slice(0, 40));
      }
      expect(differing).toBe(0);
    },
  );

  it("changes the vector with the role's prefix", async () => {
    const [asDocument] = await embedder.embed(["cordless drill"], document);
    const [asQuery] = await embedder.embed(["cordless drill"], query);
    expect(maxDifference(asDocument!, asQuery!)).toBeGreaterThan(1e-3);
  });

  it("truncates a 5,000-word text to maxLength tokens", async () => {
    const words = Array.from({ length: 5000 }, (_, i) => `word${i % 50}`);
    const [long] = await embedder.embed([words.join(" ")], document);
    expect(long).toHaveLength(384);
    expect(dot(long!, long!)).toBeCloseTo(1, 5);
    // "wordN" is several tokens, so 1,000 words already overflow 512 tokens: same vector.
    const [shorter] = await embedder.embed([words.slice(0, 1000).join(" ")], document);
    expect(maxDifference(long!, shorter!)).toBe(0);
  });

  it("keeps tokens that a word cut would lose", async () => {
    // U+200B (zero-width space) is not whitespace to JavaScript's \s but tokenizes to nothing.
    const text = `${"\u200b ".repeat(600)}cordless drill`;
    const [vector] = await embedder.embed([text], document);
    const [plain] = await embedder.embed(["cordless drill"], document);
    expect(maxDifference(vector!, plain!)).toBeLessThan(1e-5);
  });

  it("honours maxLength, pooling and batching settings", async () => {
    const small = await createOnnxEmbedder(
      { provider: "onnx", model: twin.path, dtype: "q8", maxLength: 8, pooling: "cls" },
      context(),
    );
    const batched = await createOnnxEmbedder(
      { provider: "onnx", model: twin.path, dtype: "q8", batchSize: 8, normalize: false },
      context(),
    );
    try {
      const [a, b] = await small.embed(
        ["one two three four five six", "one two three four five six seven eight nine"],
        document,
      );
      expect(maxDifference(a!, b!)).toBe(0);
      expect(small.identity.options).toMatchObject({ pooling: "cls", maxLength: 8 });
      // Truncation keeps the closing [SEP] (id 102), as Hugging Face tokenizers do.
      const [batch] = small.tokenize(["one two three four five six seven eight nine"], document);
      expect(Array.from(batch!.encoding["input_ids"]!.data, Number)).toEqual([
        101, 2028, 2048, 2093, 2176, 2274, 2416, 102,
      ]);

      // Dynamic int8 quantization scales each activation tensor over the whole batch, so with
      // batchSize > 1 a text's vector moves a little with its batch-mates: close, not equal.
      const together = await batched.embed(texts, document);
      for (let i = 0; i < texts.length; i += 1) {
        const [alone] = await batched.embed([texts[i]!], document);
        const cosine =
          dot(together[i]!, alone!) /
          Math.sqrt(dot(alone!, alone!) * dot(together[i]!, together[i]!));
        expect(cosine).toBeGreaterThan(0.999);
      }
      expect(Math.sqrt(dot(together[0]!, together[0]!))).toBeGreaterThan(1.5);
    } finally {
      await small.close();
      await batched.close();
    }
    await expect(small.embed(["x"], document)).rejects.toThrow(/closed/u);
  });

  it("loads a Hub id from the cache without downloading", async () => {
    const cache = join(scratch, "hub-cache");
    await cp(twin.path, join(cache, "transformers", "test-owner", "twin-minilm"), {
      recursive: true,
    });
    const cached = await createOnnxEmbedder(
      { provider: "onnx", model: "test-owner/twin-minilm", dtype: "q8" },
      { baseDir: scratch, cacheDir: cache, env: {} },
    );
    try {
      expect(cached.identity.revision).toBe("main");
      const [fromCache] = await cached.embed(["passage: cordless drill"], document);
      const [plain] = await embedder.embed(["cordless drill"], document);
      expect(maxDifference(fromCache!, plain!)).toBeLessThan(1e-5);
    } finally {
      await cached.close();
    }
  });
});
