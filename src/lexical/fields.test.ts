import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Document } from "../types.js";
import { bm25Idf } from "./bm25.js";
import { loadLexicalIndex, saveLexicalIndex } from "./format.js";
import { detectIdentifierFields } from "./identifier-fields.js";
import { LexicalIndex } from "./lexical-index.js";
import { parseFieldSpec, withFieldSpecs, type FieldSpec } from "./options.js";

/** Catalogue fields with roles: BM25F over title, text, an identifier field and a keyword field. */
const products: Document[] = [
  {
    id: "drill",
    title: "Kestrel KT-2040 18V Brushless Drill Driver",
    text: "Compact drill driver.",
    metadata: { sku: "KT-2040", brand: "Kestrel" },
  },
  {
    id: "hook",
    title: "Kestrel KT-BH20 Steel Belt Hook",
    text: "Fits the KT-2040, KT-2060 and KT-3010. Also fits KT-2040 kits.",
    metadata: { sku: "KT-BH20", brand: "Kestrel" },
  },
  {
    id: "handle",
    title: "Kestrel KT-2040-SH Side Handle for KT-2040",
    text: "Side handle.",
    metadata: { sku: "KT-2040-SH", brand: "Kestrel" },
  },
  {
    id: "vacuum",
    title: "Wendell X100 Stick Vacuum",
    text: "Cordless vacuum.",
    metadata: { sku: "X100", brand: ["Wendell", "Black & Decker"] },
  },
  {
    id: "filter",
    title: "Wendell X100-F Filter for X100",
    text: "HEPA filter for the X100.",
    metadata: { sku: "X100-F", brand: "Wendell" },
  },
];

const CATALOGUE_FIELDS: FieldSpec[] = [
  { name: "title", weight: 1 },
  { name: "text", weight: 1 },
  { name: "sku", weight: 5, role: "identifier" },
  { name: "brand", weight: 1, role: "keyword" },
];

function build(fields: FieldSpec[] = CATALOGUE_FIELDS, documents = products): LexicalIndex {
  const index = LexicalIndex.create({ fields });
  for (const document of documents) index.add(document);
  return index;
}

const tmp = await mkdtemp(join(tmpdir(), "pairlift-fields-"));
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe("fields with roles", () => {
  it("an identifier field indexes codes whole, joined and in parts, unstemmed", () => {
    const index = build();
    const sku = index.explain("kt2040", "drill").terms.find((term) => term.term === "kt2040");
    expect(sku?.fieldTf).toEqual({ title: 1, text: 0, sku: 1, brand: 0 });
    // The identifier field's score is what puts the product above the hook that names it twice.
    expect(index.search("kt2040", { k: 1 })[0]?.id).toBe("drill");
    expect(index.search("KT-2040", { k: 1 })[0]?.id).toBe("drill");
  });

  it("a keyword field matches its whole value only", () => {
    const index = build();
    expect(index.queryTerms("black decker vacuum").has("=black decker")).toBe(true);
    expect(index.search("black decker", { k: 1 })[0]?.id).toBe("vacuum");
    // `black` alone is not the value; the keyword term is not asked for.
    expect(index.queryTerms("black").has("=black decker")).toBe(false);
    expect([...index.queryTerms("kestrel drill").keys()]).toContain("=kestrel");
  });

  it("scores BM25F: text fields share one length norm, each other field has its own", () => {
    const index = build();
    const { k1, b } = index.options.bm25;
    // One document by hand: the `drill` product for the query `driver`, a text-only term.
    const lengths = products.map((document) => ({
      text:
        index.analyzer.analyze(document.title, () => {}) +
        index.analyzer.analyze(document.text, () => {}),
      sku: index.analyzer.analyzeCodes(String(document.metadata!["sku"]), () => {}),
    }));
    const averageText = lengths.reduce((sum, l) => sum + l.text, 0) / lengths.length;
    const tf = 2 / (1 - b + (b * lengths[0]!.text) / averageText); // title + text
    const idf = bm25Idf(products.length, 1);
    const expected = (idf * tf) / (k1 + tf);
    const [hit] = index.search("driver", { k: 1 });
    expect(hit?.id).toBe("drill");
    expect(hit?.score).toBeCloseTo(expected, 12);
    expect(index.explain("driver", "drill").formula).toMatch(/^BM25F/);
  });

  it("title and text alone score as one flat field, as before fields had roles", () => {
    const plain = products.map(({ metadata: _metadata, ...rest }) => rest);
    const index = build(withFieldSpecs([]), plain);
    const { k1, b } = index.options.bm25;
    const lengths = plain.map(
      (d) => index.analyzer.analyze(d.title, () => {}) + index.analyzer.analyze(d.text, () => {}),
    );
    const average = lengths.reduce((sum, l) => sum + l, 0) / lengths.length;
    const [hit] = index.search("driver", { k: 1 });
    const idf = bm25Idf(plain.length, 1);
    expect(hit?.score).toBe((idf * 2) / (2 + k1 * (1 - b + (b * lengths[0]!) / average)));
    expect(index.explain("driver", "drill").formula).not.toMatch(/BM25F/);
  });

  it("knows which document is the identifier, and which words name it", () => {
    const index = build();
    const query = index.identifierQuery("X100 stick vacuum");
    expect(query.forms).toEqual(["x100"]);
    expect(query.words).toEqual(["stick", "vacuum"]);
    // The filter's code `X100-F` holds `x100` only as a part: it is not the X100.
    expect(index.identifierOwners(query.forms)).toEqual(["vacuum"]);
    expect(index.namedShare("vacuum", query.words)).toBe(1);
    expect(index.namedShare("vacuum", index.identifierQuery("x100 filter").words)).toBe(0);
    expect(index.identifierQuery("kt 2040").forms).toEqual(["kt2040"]);
    expect(index.identifierQuery("kt2040drill")).toMatchObject({
      forms: ["kt2040"],
      words: ["drill"],
    });
    expect(index.identifierQuery("18v drill")).toMatchObject({ identifiers: 0, forms: [] });
  });

  it("without identifier handling, an identifier field is plain text", () => {
    const index = LexicalIndex.create({
      fields: CATALOGUE_FIELDS,
      analyzer: { identifiers: false },
    });
    for (const document of products) index.add(document);
    expect(index.identifierOwners(["kt2040"])).toEqual([]);
  });

  it("saves roles and b in format version 2, and still opens version 1 files", async () => {
    const fields: FieldSpec[] = [...CATALOGUE_FIELDS, { name: "title2", weight: 2, b: 0.2 }];
    const index = build(fields);
    await saveLexicalIndex(index, join(tmp, "v2.bin"));
    const loaded = await loadLexicalIndex(join(tmp, "v2.bin"));
    expect(loaded.options.fields).toEqual(fields);
    expect(loaded.search("kt2040", { k: 3 })).toEqual(index.search("kt2040", { k: 3 }));

    // A version 1 file is the same layout with title/text fields and no roles.
    const plain = build(withFieldSpecs([]));
    await saveLexicalIndex(plain, join(tmp, "plain.bin"));
    const bytes = await readFile(join(tmp, "plain.bin"));
    bytes.writeUInt32LE(1, 8);
    await writeFile(join(tmp, "v1.bin"), bytes);
    const old = await loadLexicalIndex(join(tmp, "v1.bin"));
    expect(old.search("kt2040 drill", { k: 3 })).toEqual(plain.search("kt2040 drill", { k: 3 }));

    const badRole = Buffer.from(
      (await readFile(join(tmp, "v2.bin")))
        .toString("latin1")
        .replace('"identifier"', '"identifixr"'),
      "latin1",
    );
    await writeFile(join(tmp, "bad-role.bin"), badRole);
    await expect(loadLexicalIndex(join(tmp, "bad-role.bin"))).rejects.toThrow(
      /header options are invalid .*role must be one of text, identifier, keyword, got "identifixr"/,
    );
  });

  it("reads --field specs and finds identifier fields by name", () => {
    expect(parseFieldSpec("sku:identifier:5")).toEqual({
      name: "sku",
      role: "identifier",
      weight: 5,
    });
    expect(parseFieldSpec("brand:keyword")).toEqual({ name: "brand", role: "keyword", weight: 1 });
    expect(parseFieldSpec("title::3:0.2")).toEqual({ name: "title", weight: 3, b: 0.2 });
    expect(() => parseFieldSpec("sku:code:5")).toThrow(/bad role "code" in field "sku:code:5"/);
    expect(() => parseFieldSpec("sku:identifier:five")).toThrow(/bad weight "five"/);
    expect(() => parseFieldSpec("")).toThrow(/expected name\[:role\]\[:weight\]\[:b\]/);
    expect(() => LexicalIndex.create({ fields: [{ name: "x", weight: 1, b: 2 }] })).toThrow(
      /fields\[0\]\.b|b must be between 0 and 1/,
    );
    expect(
      withFieldSpecs([
        { name: "title", weight: 3 },
        { name: "sku", weight: 5, role: "identifier" },
      ]),
    ).toEqual([
      { name: "title", weight: 3 },
      { name: "text", weight: 1 },
      { name: "sku", weight: 5, role: "identifier" },
    ]);
    expect(detectIdentifierFields(["sku", "Model_Number", "brand", "part-no", "title"])).toEqual([
      { name: "sku", weight: 5, role: "identifier" },
      { name: "Model_Number", weight: 5, role: "identifier" },
      { name: "part-no", weight: 5, role: "identifier" },
    ]);
  });
});
