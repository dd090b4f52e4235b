import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InferenceSession, Tensor as OrtTensor } from "onnxruntime-node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { sharedPath } from "../../../test/support/shared.js";
import { parseWith } from "../../config/schema-errors.js";
import { isPairliftError } from "../../errors.js";
import type { ProviderContext } from "../provider.js";
import type { RerankCandidate } from "../reranker.js";
import {
  createCrossEncoder,
  crossEncoderConfigSchema,
  crossEncoderProvider,
  sigmoid,
  type CrossEncoderConfig,
  type CrossEncoderReranker,
} from "./cross-encoder.js";

/** onnxruntime's session class, whose run() the abort test counts (transformers.js uses it too). */
const sessionPrototype = (
  InferenceSession as unknown as { prototype: { run(...args: unknown[]): Promise<unknown> } }
).prototype;
const realRun = sessionPrototype.run;

/**
 * tiny-cross-encoder (fp32, 2 layers) checks exactness; the ms-marco MiniLM twin (q8) checks the
 * code path at full size. Both have RANDOM weights: no test asserts anything about relevance.
 */
const tiny = sharedPath("models/tiny-cross-encoder");
const twin = sharedPath("models/twin-ms-marco-MiniLM-L-6-v2");

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "pairlift-cross-encoder-"));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
});

function context(): ProviderContext {
  return { baseDir: scratch, cacheDir: join(scratch, "cache"), env: {} };
}

function candidates(...texts: string[]): RerankCandidate[] {
  return texts.map((text, i) => ({ id: `d${i}`, text, features: {} }));
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

async function expectError(promise: Promise<unknown>, code: string, field: string, text: RegExp) {
  const error = await caught(promise);
  expect(isPairliftError(error), String(error)).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  expect((error as { field: string }).field).toBe(field);
  expect((error as Error).message).toMatch(text);
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i += 1) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** Word → id from the folder's tokenizer.json, to tokenize by hand (whole words only). */
function vocabulary(folder: string): (words: string) => number[] {
  const json = JSON.parse(readFileSync(join(folder, "tokenizer.json"), "utf8")) as {
    model: { vocab: Record<string, number> };
  };
  return (words) =>
    words.split(" ").map((word) => {
      const id = json.model.vocab[word];
      if (id === undefined) throw new Error(`"${word}" is not a whole word of the vocabulary`);
      return id;
    });
}

const CLS = 101;
const SEP = 102;

/** The reference: one pair, tokenized by hand, through a bare onnxruntime session. */
async function referenceLogit(
  session: InferenceSession,
  query: number[],
  document: number[],
): Promise<number> {
  const ids = [CLS, ...query, SEP, ...document, SEP];
  const types = ids.map((_, i) => (i < query.length + 2 ? 0 : 1));
  const dims = [1, ids.length];
  const tensor = (values: number[]) =>
    new OrtTensor("int64", BigInt64Array.from(values, BigInt), dims);
  const out = await session.run({
    input_ids: tensor(ids),
    attention_mask: tensor(ids.map(() => 1)),
    token_type_ids: tensor(types),
  });
  return (out["logits"]!.data as Float32Array)[0]!;
}

describe("onnx-cross-encoder: configuration and errors", () => {
  it("accepts the documented keys and names the config path of a bad one", () => {
    const full: CrossEncoderConfig = {
      provider: "onnx-cross-encoder",
      model: "./models/ms-marco",
      revision: "main",
      dtype: "q8",
      maxLength: 256,
      batchSize: 16,
      activation: "sigmoid",
      threads: 2,
      maxConcurrency: 2,
      allowRemoteModels: false,
    };
    expect(crossEncoderConfigSchema.parse(full)).toEqual(full);
    expect(crossEncoderProvider.name).toBe("onnx-cross-encoder");
    const parse = (block: object) =>
      parseWith(crossEncoderProvider.schema, block, "pairlift.yaml", ["rerankers", "ce"]);
    const bad: Array<[object, RegExp]> = [
      [{ provider: "onnx-cross-encoder", model: "m", dtype: "q3" }, /rerankers\.ce\.dtype:/u],
      [{ provider: "onnx-cross-encoder", model: "m", activation: "softmax" }, /ce\.activation:/u],
      [{ provider: "onnx-cross-encoder", model: "m", batchSize: 0 }, /ce\.batchSize:/u],
      [{ provider: "onnx-cross-encoder", model: "m", maxConcurrency: 1.5 }, /maxConcurrency:/u],
      [{ provider: "onnx-cross-encoder", model: "m", batch_size: 8 }, /batch_size/u],
      [{ provider: "onnx-cross-encoder" }, /rerankers\.ce\.model:/u],
    ];
    for (const [block, message] of bad) {
      const error = caughtSync(() => parse(block));
      expect(isPairliftError(error) && error.code, JSON.stringify(block)).toBe("E_CONFIG");
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toMatch(/^pairlift\.yaml: /u);
    }
  });

  it("names the folder when a local model folder does not exist", async () => {
    await expectError(
      createCrossEncoder({ provider: "onnx-cross-encoder", model: "./models/absent" }, context()),
      "E_NOT_FOUND",
      "model",
      /models\/absent does not exist/u,
    );
  });

  it("refuses a Hub id that is not cached while downloads are off", async () => {
    await expectError(
      createCrossEncoder(
        { provider: "onnx-cross-encoder", model: "cross-encoder/not-in-the-cache" },
        context(),
      ),
      "E_NOT_FOUND",
      "model",
      /allowRemoteModels: true/u,
    );
  });

  it.skipIf(!tiny.present)("names the file a dtype needs when the folder lacks it", async () => {
    await expectError(
      createCrossEncoder(
        { provider: "onnx-cross-encoder", model: tiny.path, dtype: "q8" },
        context(),
      ),
      "E_NOT_FOUND",
      "model",
      /no onnx\/model_quantized\.onnx, the file for dtype q8 \(found onnx\/model\.onnx \(dtype: fp32\)\)/u,
    );
  });

  it.skipIf(!tiny.present)("refuses a maxLength beyond the model's positions", async () => {
    await expectError(
      createCrossEncoder(
        { provider: "onnx-cross-encoder", model: tiny.path, maxLength: 513 },
        context(),
      ),
      "E_CONFIG",
      "maxLength",
      /maxLength 513 .* at most the model's 512 positions/u,
    );
  });

  it("maps logits with a sigmoid that neither overflows nor loses the middle", () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(Math.log(3))).toBeCloseTo(0.75, 15); // 3 / (1 + 3)
    expect(sigmoid(-Math.log(3))).toBeCloseTo(0.25, 15);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(1000)).toBe(1);
  });
});

describe.skipIf(!tiny.present)("onnx-cross-encoder on tiny-cross-encoder (fp32)", () => {
  const word = tiny.present ? vocabulary(tiny.path) : () => [];
  let session: InferenceSession;
  let reranker: CrossEncoderReranker;
  let single: CrossEncoderReranker;
  const query = "what is a cat";
  const texts = [
    "a cat is an animal",
    "the dog sat on the mat",
    "cat",
    "the cat sat on the mat and the dog sat on the cat",
    "an animal",
  ];

  beforeAll(async () => {
    session = await InferenceSession.create(join(tiny.path, "onnx", "model.onnx"));
    reranker = await createCrossEncoder(
      { provider: "onnx-cross-encoder", model: tiny.path, batchSize: 2 },
      context(),
    );
    single = await createCrossEncoder(
      { provider: "onnx-cross-encoder", model: tiny.path, batchSize: 1 },
      context(),
    );
  });
  afterAll(async () => {
    await reranker.close();
    await single.close();
    await session.release();
  });

  it("has an identity with the content revision and the output-affecting options", () => {
    expect(reranker.identity.provider).toBe("onnx-cross-encoder");
    expect(reranker.identity.model).toBe(tiny.path);
    expect(reranker.identity.options).toEqual({
      revision: expect.stringMatching(/^[0-9a-f]{16}$/u) as unknown,
      dtype: "fp32",
      maxLength: 512, // min(tokenizer 512, positions 512, 512)
      activation: "raw",
    });
    expect(reranker.inputNames).toEqual(["input_ids", "attention_mask", "token_type_ids"]);
  });

  it("builds [CLS] query [SEP] document [SEP] with token types 0 then 1", () => {
    const [batch] = reranker.tokenize(query, candidates("a cat is an animal"));
    const ids = [CLS, ...word("what is a cat"), SEP, ...word("a cat is an animal"), SEP];
    expect(Array.from(batch!.inputIds, Number)).toEqual(ids);
    expect(Array.from(batch!.tokenTypeIds!, Number)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    expect(Array.from(batch!.attentionMask, Number)).toEqual(ids.map(() => 1));
  });

  it("scores a pair as a bare onnxruntime session does on the hand-tokenized pair", async () => {
    const scores = await single.score(query, candidates(...texts));
    const expected: number[] = [];
    for (const text of texts) {
      expected.push(await referenceLogit(session, word(query), word(text)));
    }
    expect(maxDifference(scores, expected)).toBeLessThan(1e-5);
    // Distinct inputs give distinct logits, so the comparison above does say something.
    expect(new Set(expected).size).toBe(texts.length);
  });

  it("gives the same scores in length-sorted batches as one pair at a time, in input order", async () => {
    const batched = await reranker.score(query, candidates(...texts));
    const oneByOne = await single.score(query, candidates(...texts));
    expect(maxDifference(batched, oneByOne)).toBeLessThan(1e-5);
    // Longest first, each batch padded to its own longest pair: lengths 3 + query 4 + words.
    const batches = reranker.tokenize(query, candidates(...texts));
    // Pair lengths 12, 13, 8, 20, 9 → batches [3, 1], [0, 4], [2].
    expect(batches.map((batch) => batch.slots)).toEqual([[3, 1], [0, 4], [2]]);
    expect(batches.map((batch) => batch.width)).toEqual([20, 12, 8]);
    // Padding: the second row of the first batch is 13 tokens, then [PAD] with mask 0.
    const first = batches[0]!;
    expect(Array.from(first.attentionMask.subarray(20, 40), Number)).toEqual([
      ...Array<number>(13).fill(1),
      ...Array<number>(7).fill(0),
    ]);
    expect(Array.from(first.inputIds.subarray(20, 40), Number)).toEqual([
      CLS,
      ...word("what is a cat"),
      SEP,
      ...word("the dog sat on the mat"),
      SEP,
      ...Array<number>(7).fill(0),
    ]);
    // Reversed candidates give reversed scores.
    const reversed = await reranker.score(query, candidates(...[...texts].reverse()));
    expect(maxDifference(reversed, [...batched].reverse())).toBeLessThan(1e-5);
  });

  it("answers an empty candidate list with an empty result", async () => {
    const scores = await reranker.score(query, []);
    expect(scores).toBeInstanceOf(Float64Array);
    expect(scores.length).toBe(0);
  });

  it("truncates a 20,000-word document to maxLength, the document cut first", async () => {
    const long = Array<string>(20_000).fill("cat").join(" ");
    const [batch] = reranker.tokenize(query, candidates(long));
    expect(batch!.width).toBe(512);
    expect(Number(batch!.inputIds[511])).toBe(SEP);
    const [score] = await reranker.score(query, candidates(long));
    // 512 = [CLS] + 4 query tokens + [SEP] + 505 × "cat" + [SEP].
    const expected = await referenceLogit(
      session,
      word(query),
      Array<number>(505).fill(word("cat")[0]!),
    );
    expect(Math.abs(score! - expected)).toBeLessThan(1e-5);
  });

  it("cuts an over-long query to half of the room when the pair does not fit", async () => {
    const small = await createCrossEncoder(
      { provider: "onnx-cross-encoder", model: tiny.path, maxLength: 13 },
      context(),
    );
    try {
      const longQuery = Array<string>(30).fill("dog").join(" ");
      // Room for 10 content tokens: the query keeps 5, the document the other 5.
      const [batch] = small.tokenize(longQuery, candidates("a cat is an animal cat cat"));
      const ids = [CLS, ...word("dog dog dog dog dog"), SEP, ...word("a cat is an animal"), SEP];
      expect(Array.from(batch!.inputIds, Number)).toEqual(ids);
      // A short document leaves the long query the rest of the room.
      const [short] = small.tokenize(longQuery, candidates("cat"));
      expect(Array.from(short!.inputIds, Number)).toEqual([
        CLS,
        ...Array<number>(9).fill(word("dog")[0]!),
        SEP,
        word("cat")[0]!,
        SEP,
      ]);
      // A short query is never cut.
      const [whole] = small.tokenize("what is a cat", candidates(longQuery));
      expect(Array.from(whole!.inputIds.subarray(0, 6), Number)).toEqual([
        CLS,
        ...word("what is a cat"),
        SEP,
      ]);
      expect(whole!.width).toBe(13);
    } finally {
      await small.close();
    }
  });

  it("maps logits through a sigmoid on request", async () => {
    const probabilities = await createCrossEncoder(
      { provider: "onnx-cross-encoder", model: tiny.path, batchSize: 2, activation: "sigmoid" },
      context(),
    );
    try {
      expect(probabilities.identity.options["activation"]).toBe("sigmoid");
      const raw = await reranker.score(query, candidates(...texts));
      const mapped = await probabilities.score(query, candidates(...texts));
      expect(
        maxDifference(
          mapped,
          Array.from(raw, (x) => 1 / (1 + Math.exp(-x))),
        ),
      ).toBeLessThan(1e-7);
    } finally {
      await probabilities.close();
    }
  });

  it("stops between batches when the signal fires, and never starts on an aborted one", async () => {
    const controller = new AbortController();
    let passes = 0;
    vi.spyOn(sessionPrototype, "run").mockImplementation(async function (
      this: InferenceSession,
      ...args: unknown[]
    ) {
      const out = await Reflect.apply(realRun, this, args);
      passes += 1;
      controller.abort(new Error("budget spent"));
      return out;
    });
    // batchSize 2 over 5 candidates: 3 batches; the signal fires during the first.
    const error = await caught(
      reranker.score(query, candidates(...texts), { signal: controller.signal }),
    );
    expect((error as Error).message).toBe("budget spent");
    expect(passes).toBe(1);
    // Already aborted: rejected before any batch.
    const again = await caught(
      reranker.score(query, candidates(...texts), { signal: controller.signal }),
    );
    expect((again as Error).message).toBe("budget spent");
    expect(passes).toBe(1);
  });

  it("runs one call at a time and lets a queued call leave when its signal fires", async () => {
    let running = 0;
    let most = 0;
    let passes = 0;
    vi.spyOn(sessionPrototype, "run").mockImplementation(async function (
      this: InferenceSession,
      ...args: unknown[]
    ) {
      running += 1;
      most = Math.max(most, running);
      try {
        return await Reflect.apply(realRun, this, args);
      } finally {
        running -= 1;
        passes += 1;
      }
    });
    const order: string[] = [];
    const first = reranker.score(query, candidates(...texts)).then(() => order.push("first"));
    const controller = new AbortController();
    const second = caught(
      reranker.score(query, candidates(...texts), { signal: controller.signal }),
    ).then((error) => {
      order.push("second");
      return error;
    });
    const third = reranker.score(query, candidates(...texts)).then(() => order.push("third"));
    controller.abort(new Error("gone"));
    expect(((await second) as Error).message).toBe("gone");
    await Promise.all([first, third]);
    // The queued call left at once, before the running one finished, and ran no batch: the
    // first and third calls ran their 3 batches each, never two forward passes at once.
    expect(order).toEqual(["second", "first", "third"]);
    expect(passes).toBe(6);
    expect(most).toBe(1);
  });

  it("runs up to maxConcurrency calls at once", async () => {
    const wide = await createCrossEncoder(
      { provider: "onnx-cross-encoder", model: tiny.path, batchSize: 1, maxConcurrency: 2 },
      context(),
    );
    let running = 0;
    let most = 0;
    vi.spyOn(sessionPrototype, "run").mockImplementation(async function (
      this: InferenceSession,
      ...args: unknown[]
    ) {
      running += 1;
      most = Math.max(most, running);
      try {
        return await Reflect.apply(realRun, this, args);
      } finally {
        running -= 1;
      }
    });
    try {
      const calls = [0, 1, 2].map(() => wide.score(query, candidates(...texts)));
      const results = await Promise.all(calls);
      expect(most).toBe(2);
      expect(maxDifference(results[2]!, results[0]!)).toBe(0);
    } finally {
      await wide.close();
    }
  });
});

describe.skipIf(!twin.present)(
  "onnx-cross-encoder on the ms-marco MiniLM twin (q8, random weights)",
  () => {
    const word = twin.present ? vocabulary(twin.path) : () => [];
    const query = "what is a cat";
    const texts = [
      "a cat is an animal",
      "the dog sat on the mat and the cat sat on the dog",
      "cat",
      "an animal sat on the mat",
    ];

    it("scores as a bare onnxruntime session does, and batched as one by one within q8's noise", async () => {
      const session = await InferenceSession.create(
        join(twin.path, "onnx", "model_quantized.onnx"),
      );
      const single = await createCrossEncoder(
        { provider: "onnx-cross-encoder", model: twin.path, dtype: "q8", batchSize: 1 },
        context(),
      );
      const batched = await createCrossEncoder(
        { provider: "onnx-cross-encoder", model: twin.path, dtype: "q8" },
        context(),
      );
      try {
        expect(single.identity.options).toMatchObject({ dtype: "q8", maxLength: 512 });
        const oneByOne = await single.score(query, candidates(...texts));
        const expected: number[] = [];
        for (const text of texts) {
          expected.push(await referenceLogit(session, word(query), word(text)));
        }
        expect(maxDifference(oneByOne, expected)).toBeLessThan(1e-5);
        // One batch of four, padded to the longest: dynamic quantization computes each
        // activation's scale over the whole batch, padding included, so scores move a little.
        const together = await batched.score(query, candidates(...texts));
        expect(maxDifference(together, oneByOne)).toBeLessThan(0.02);
      } finally {
        await single.close();
        await batched.close();
        await session.release();
      }
    });
  },
);

function caughtSync(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
