import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Document } from "../types.js";
import { bm25Idf } from "./bm25.js";
import { loadLexicalIndex, saveLexicalIndex } from "./format.js";
import { LexicalIndex } from "./lexical-index.js";

const catalogue: Document[] = [
  {
    id: "p1",
    title: "Kestrel KT-2040 18V Brushless Drill Driver",
    text: "Compact cordless drill driver with two batteries.",
  },
  {
    id: "p2",
    title: "Kestrel KT-2040X Hammer Drill",
    text: "Hammer drill version of the KT 2040 family.",
  },
  {
    id: "p3",
    title: "Battery pack for KT drills",
    text: "Fits models 2040 and 3040. 18V 4Ah lithium battery.",
  },
  {
    id: "p4",
    title: "Wet/dry vacuum filter",
    text: "Replacement cartridge filter for WD1680 and WD1690 vacuums.",
  },
  { id: "p5", title: "Garden hose 50 ft", text: "Kink resistant hose for the garden." },
];

function build(documents: Document[] = catalogue): LexicalIndex {
  const index = LexicalIndex.create();
  for (const document of documents) index.add(document);
  return index;
}

const tmp = await mkdtemp(join(tmpdir(), "pairlift-lexical-"));
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe("LexicalIndex", () => {
  it("finds the same document first for KT-2040, kt2040 and kt 2040, above documents sharing only its parts", () => {
    const index = build();
    for (const query of ["KT-2040", "kt2040", "kt 2040", "ＫＴ－２０４０"]) {
      const hits = index.search(query, { k: 5 });
      expect(hits[0]?.id, query).toBe("p1");
      expect(hits.map((hit) => hit.id)).toContain("p3"); // shares the parts kt + 2040
      expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    }
  });

  it("finds a part number written without its letters' case or with a space", () => {
    const index = build();
    expect(index.search("wd 1680 filter")[0]?.id).toBe("p4");
    expect(index.search("Wd1680")[0]?.id).toBe("p4");
  });

  it("scores with Lucene's BM25 formula", () => {
    // One field, one term: score = idf · tf / (tf + k1 · (1 − b + b · dl / avgdl)).
    const index = LexicalIndex.create({
      fields: [{ name: "text", weight: 1 }],
      bm25: { k1: 1.2, b: 0.75 },
    });
    index.add({ id: "a", title: "", text: "apple apple banana" });
    index.add({ id: "b", title: "", text: "banana cherry" });
    index.add({ id: "c", title: "", text: "cherry" });
    const [hit] = index.search("apple");
    const averageLength = (3 + 2 + 1) / 3;
    const expected = (bm25Idf(3, 1) * 2) / (2 + 1.2 * (1 - 0.75 + (0.75 * 3) / averageLength));
    expect(hit?.id).toBe("a");
    expect(hit?.score).toBeCloseTo(expected, 12);
    expect(bm25Idf(3, 1)).toBeCloseTo(Math.log(1 + 2.5 / 1.5), 12);
  });

  it("weights fields: a title match outranks a text match when the title weighs more", () => {
    const documents: Document[] = [
      { id: "in-text", title: "Hose", text: "a sprinkler for lawns" },
      { id: "in-title", title: "Sprinkler", text: "a hose for lawns" },
    ];
    const flat = LexicalIndex.create();
    const titled = LexicalIndex.create({
      fields: [
        { name: "title", weight: 3 },
        { name: "text", weight: 1 },
      ],
    });
    for (const document of documents) {
      flat.add(document);
      titled.add(document);
    }
    const flatHits = flat.search("sprinkler");
    expect(flatHits[0]!.score).toBeCloseTo(flatHits[1]!.score, 12);
    expect(titled.search("sprinkler")[0]?.id).toBe("in-title");
  });

  it("breaks score ties by index order and honours k", () => {
    const index = build([
      { id: "x", title: "", text: "drill" },
      { id: "y", title: "", text: "drill" },
      { id: "z", title: "", text: "drill" },
    ]);
    expect(index.search("drill", { k: 2 }).map((hit) => hit.id)).toEqual(["x", "y"]);
  });

  it("adds and removes documents after the first build, keeping statistics exact", () => {
    const index = build();
    expect(index.remove("p1")).toBe(true);
    expect(index.remove("p1")).toBe(false);
    expect(index.search("KT-2040")[0]?.id).toBe("p2");
    const rebuilt = build(catalogue.filter((document) => document.id !== "p1"));
    expect(index.search("drill battery")).toEqual(rebuilt.search("drill battery"));
    index.add(catalogue[0]!);
    expect(index.search("KT-2040")[0]?.id).toBe("p1");
    expect(index.size).toBe(5);
  });

  it("rejects duplicate ids, empty and huge queries, and a bad k", () => {
    const index = build();
    expect(() => index.add(catalogue[0]!)).toThrow(/already indexed/);
    expect(() => index.search("   ")).toThrow(/query is empty/);
    expect(() => index.search("x".repeat(10_000))).toThrow(/the limit is/);
    expect(() => index.search("drill", { k: 0 })).toThrow(/k must be a positive integer/);
    expect(index.search("the of and")).toEqual([]);
  });

  it("explains a score term by term", () => {
    const index = build();
    const explanation = index.explain("KT-2040 battery", "p3");
    expect(explanation.terms.map((term) => term.term).sort()).toEqual(["2040", "batteri", "kt"]);
    const [hit] = index.search("KT-2040 battery").filter((candidate) => candidate.id === "p3");
    expect(explanation.score).toBeCloseTo(hit!.score, 10);
  });

  it("round-trips through the binary format, and refuses corrupt or unknown-version files", async () => {
    const index = build();
    index.remove("p5");
    const path = join(tmp, "lexical.bin");
    await saveLexicalIndex(index, path);
    const loaded = await loadLexicalIndex(path);
    for (const query of ["KT-2040", "vacuum filter", "hose", "18v battery"]) {
      expect(loaded.search(query, { k: 5 })).toEqual(index.search(query, { k: 5 }));
    }
    loaded.add({ id: "p6", title: "KT-2040 charger", text: "" });
    expect(loaded.search("charger")[0]?.id).toBe("p6");

    const bytes = await readFile(path);
    const wrongVersion = Buffer.from(bytes);
    wrongVersion.writeUInt32LE(99, 8);
    await writeFile(join(tmp, "v99.bin"), wrongVersion);
    await expect(loadLexicalIndex(join(tmp, "v99.bin"))).rejects.toThrow(
      /version 99 is not supported/,
    );
    await writeFile(join(tmp, "truncated.bin"), bytes.subarray(0, bytes.length - 64));
    await expect(loadLexicalIndex(join(tmp, "truncated.bin"))).rejects.toThrow(/truncated/);
    await writeFile(join(tmp, "garbage.bin"), "hello");
    await expect(loadLexicalIndex(join(tmp, "garbage.bin"))).rejects.toThrow(/bad magic/);
  });

  it("lets a query override k1 and b", () => {
    const index = build();
    const base = index.search("drill", { k: 5 });
    const flat = index.search("drill", { k: 5, bm25: { b: 0 } });
    expect(flat.map((hit) => hit.score)).not.toEqual(base.map((hit) => hit.score));
    expect(() => index.search("drill", { bm25: { b: 2 } })).toThrow(/b must be between 0 and 1/);
  });
});
