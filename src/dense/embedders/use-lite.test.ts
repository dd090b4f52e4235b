import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPairliftError } from "../../errors.js";
import { dot } from "../vector-math.js";
import {
  UseLiteEmbedder,
  truncateWords,
  useLiteConfigSchema,
  useLiteProvider,
} from "./use-lite.js";

const document = { role: "document" } as const;

function cosine(a: Float32Array, b: Float32Array): number {
  return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
}

function maxDifference(a: Float32Array, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i += 1) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe("use-lite provider: configuration and text handling", () => {
  it("accepts the documented keys and rejects others", () => {
    const full = {
      provider: "use-lite",
      threads: 2,
      batchSize: 8,
      maxWords: 128,
      normalize: false,
    };
    expect(useLiteConfigSchema.parse(full)).toEqual(full);
    expect(useLiteConfigSchema.safeParse({ provider: "use-lite", threads: 0 }).success).toBe(false);
    expect(useLiteConfigSchema.safeParse({ provider: "use-lite", queryPrefix: "q" }).success).toBe(
      false,
    );
    expect(useLiteConfigSchema.safeParse({ provider: "use-lite", model: "x" }).success).toBe(false);
    expect(useLiteProvider.name).toBe("use-lite");
  });

  it("collapses whitespace and keeps the first maxWords words", () => {
    expect(truncateWords("  a\tb\n\nc d  ", 3)).toBe("a b c");
    expect(truncateWords("a b", 5)).toBe("a b");
    expect(truncateWords(" \n ", 5)).toBe("");
  });
});

describe("use-lite provider: the model", () => {
  let embedder: UseLiteEmbedder;

  beforeAll(async () => {
    embedder = await UseLiteEmbedder.create({ provider: "use-lite", threads: 2, batchSize: 2 });
  });
  afterAll(() => embedder.close());

  it("gives 512-d unit vectors in input order, deterministically", async () => {
    const texts = [
      "garden hose",
      "battery powered drill driver with two batteries and a charger",
      "cordless drill",
      "a",
      "replacement chuck key",
    ];
    const vectors = await embedder.embed(texts, document);
    expect(vectors).toHaveLength(texts.length);
    for (const vector of vectors) {
      expect(vector).toHaveLength(512);
      expect(dot(vector, vector)).toBeCloseTo(1, 5);
    }
    const [alone] = await embedder.embed([texts[2]!], document);
    expect(maxDifference(vectors[2]!, alone!)).toBeLessThan(1e-5);
    const again = await embedder.embed(texts, document);
    again.forEach((vector, i) => expect(maxDifference(vector, vectors[i]!)).toBeLessThan(1e-5));
    expect(embedder.identity).toEqual({
      provider: "use-lite",
      model: "universal-sentence-encoder-lite",
      revision: "0.2.0",
      options: { maxWords: 256, normalize: true },
    });
  });

  it("places a cordless drill nearer a battery powered drill driver than a garden hose", async () => {
    const [drill, driver, hose] = await embedder.embed(
      ["cordless drill", "battery powered drill driver", "garden hose"],
      document,
    );
    expect(cosine(drill!, driver!)).toBeGreaterThan(cosine(drill!, hose!) + 0.1);
  });

  it("truncates to maxWords and gives empty texts the zero vector", async () => {
    const words = Array.from({ length: 300 }, (_, i) => `w${i % 17}`);
    const [long, first, empty] = await embedder.embed(
      [words.join(" "), words.slice(0, 256).join("\n"), " \n\t "],
      document,
    );
    expect(maxDifference(long!, first!)).toBeLessThan(1e-5);
    expect(empty!.every((value) => value === 0)).toBe(true);
    expect(await embedder.embed([], document)).toEqual([]);
  });

  it("rejects an aborted call", async () => {
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await expect(
      embedder.embed(["x"], { role: "document", signal: controller.signal }),
    ).rejects.toThrow(/stop/u);
  });
});

describe("use-lite provider: workers", () => {
  it("turns a worker crash into an error, for the call in flight and every later one", async () => {
    const embedder = await UseLiteEmbedder.create({ provider: "use-lite", threads: 1 });
    const texts = Array.from({ length: 8 }, (_, i) => `sentence number ${i} about drills`);
    // The crash request reaches the worker before the batch this call sends it.
    embedder.crashWorkerForTesting(0);
    const pending = embedder.embed(texts, document).catch((error: unknown) => error);
    const failure = await pending;
    expect(String(failure)).toMatch(/use-lite worker 0 crashed/u);
    expect(isPairliftError(failure) && failure.code).toBe("E_UNAVAILABLE");
    await expect(embedder.embed(["x"], document)).rejects.toThrow(/unusable/u);
    await embedder.close();
  });

  it("fails the calls in flight when closed", async () => {
    const embedder = await UseLiteEmbedder.create({
      provider: "use-lite",
      threads: 1,
      batchSize: 1,
    });
    const pending = embedder
      .embed(["one", "two", "three"], document)
      .catch((error: unknown) => error);
    await embedder.close();
    const failure = await pending;
    expect(String(failure)).toMatch(/closed/u);
    expect(isPairliftError(failure) && failure.code).toBe("E_UNAVAILABLE");
    await expect(embedder.embed(["x"], document)).rejects.toThrow(/closed/u);
  });

  it("does not keep the process alive when not closed", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pairlift-use-lite-"));
    try {
      const script = join(dir, "open-embedder.mts");
      const source = new URL("./use-lite.ts", import.meta.url).href;
      await writeFile(
        script,
        `import { UseLiteEmbedder } from ${JSON.stringify(source)};\n` +
          `const embedder = await UseLiteEmbedder.create({ provider: "use-lite", threads: 2 });\n` +
          `const [vector] = await embedder.embed(["cordless drill"], { role: "document" });\n` +
          `console.log("dimension", vector.length);\n`,
      );
      const tsx = join(
        fileURLToPath(new URL("../../../", import.meta.url)),
        "node_modules/.bin/tsx",
      );
      const { code, output } = await new Promise<{ code: number | null; output: string }>(
        (resolve) => {
          const child = spawn(tsx, [script], { stdio: ["ignore", "pipe", "pipe"] });
          let output = "";
          child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
          child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
          const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
          child.on("exit", (exitCode) => {
            clearTimeout(timer);
            resolve({ code: exitCode, output });
          });
        },
      );
      expect(output).toContain("dimension 512");
      // A child that hung would have been killed at 60 s (no exit code).
      expect(code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
