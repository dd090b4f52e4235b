import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cachedIndex } from "./index-cache.js";

const tmp = await mkdtemp(join(tmpdir(), "pairlift-index-cache-"));
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe("cachedIndex", () => {
  it("keys an index whose identifier fields were found in the corpus apart from one given title and text", async () => {
    const corpus = join(tmp, "catalogue");
    await mkdir(corpus, { recursive: true });
    await writeFile(
      join(corpus, "corpus.jsonl"),
      '{"_id":"p1","title":"Kestrel drill","text":"18V.","metadata":{"sku":"KT-2040"}}\n',
    );
    const root = join(tmp, "indexes");
    const explicit = await cachedIndex({
      source: { path: corpus },
      root,
      lexical: {
        fields: [
          { name: "title", weight: 1 },
          { name: "text", weight: 1 },
        ],
      },
    });
    const found = await cachedIndex({ source: { path: corpus }, root });
    expect(found.reused).toBe(false);
    expect(found.index.dir).not.toBe(explicit.index.dir);
    expect(explicit.index.lexical.options.fields.map((field) => field.name)).toEqual([
      "title",
      "text",
    ]);
    expect(found.index.lexical.options.fields.map((field) => field.name)).toEqual([
      "title",
      "text",
      "sku",
    ]);
    expect((await cachedIndex({ source: { path: corpus }, root })).reused).toBe(true);
  });
});
