import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Document } from "../types.js";
import { loadBeirSplit, readBeirCorpus, readBeirQrels, writeBeirDataset } from "./beir.js";
import { readCorpus } from "./corpus.js";

const tmp = await mkdtemp(join(tmpdir(), "pairlift-io-"));
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function file(name: string, content: string): Promise<string> {
  const path = join(tmp, name);
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, content);
  return path;
}

async function collect(source: AsyncIterable<Document>): Promise<Document[]> {
  const out: Document[] = [];
  for await (const document of source) out.push(document);
  return out;
}

describe("BEIR corpus", () => {
  it("reads documents with metadata, numeric ids and a BOM", async () => {
    const path = await file(
      "ok.jsonl",
      '\ufeff{"_id":"d1","title":"T","text":"x","metadata":{"sku":"KT-2040"}}\n\n{"_id":7,"text":"y"}\n',
    );
    expect(await collect(readBeirCorpus(path))).toEqual([
      { id: "d1", title: "T", text: "x", metadata: { sku: "KT-2040" } },
      { id: "7", title: "", text: "y" },
    ]);
  });

  it.each([
    ['{"_id":"a","text":"x"}\n{"_id":"b",\n', /bad\.jsonl:2: malformed JSON/],
    ['{"title":"no id","text":"x"}\n', /bad\.jsonl:1: field "_id": missing id/],
    [
      '{"_id":"a","text":"x"}\n{"_id":"a","text":"y"}\n',
      /bad\.jsonl:2: field "_id": duplicate document id "a" \(first seen on line 1\)/,
    ],
    ['{"_id":"a","text":["x"]}\n', /bad\.jsonl:1: field "text": must be a string, got array/],
    ['["a"]\n', /bad\.jsonl:1: each line must be a JSON object/],
  ])("names file, line and field for %j", async (content, message) => {
    const path = await file("bad.jsonl", content);
    await expect(collect(readBeirCorpus(path))).rejects.toThrow(message);
  });

  it("says which file is missing", async () => {
    await expect(collect(readBeirCorpus(join(tmp, "nope.jsonl")))).rejects.toThrow(
      /nope\.jsonl: corpus not found/,
    );
  });
});

describe("BEIR qrels and splits", () => {
  it("keeps only the split's judged queries, in queries.jsonl order", async () => {
    const dir = join(tmp, "split");
    await file("split/corpus.jsonl", '{"_id":"d1","text":"x"}\n');
    await file(
      "split/queries.jsonl",
      '{"_id":"q2","text":"b"}\n{"_id":"q1","text":"a"}\n{"_id":"q3","text":"c"}\n',
    );
    await file("split/qrels/test.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td1\t2\n");
    const split = await loadBeirSplit(dir, "test");
    expect(split.queries.map((query) => query.id)).toEqual(["q2", "q1"]);
    expect(split.qrels.get("q2")?.get("d1")).toBe(2);
  });

  it.each([
    [
      "query-id\tcorpus-id\tscore\nq1\td1\thigh\n",
      /qrels\.tsv:2: field "score": relevance grade must be an integer, got "high"/,
    ],
    ["q1\td1\t1.5\n", /qrels\.tsv:1: field "score": relevance grade must be an integer/],
    ["q1\td1\n", /qrels\.tsv:1: expected 3 tab-separated columns/],
    [
      "qX\td1\t1\n",
      /qrels\.tsv:1: field "query-id": qrels refer to query "qX", which is not in queries\.jsonl/,
    ],
    [
      "q1\td1\t1\nq1\td1\t0\n",
      /qrels\.tsv:2: field "corpus-id": query "q1" judges document "d1" twice/,
    ],
  ])("rejects %j clearly", async (content, message) => {
    const path = await file("qrels.tsv", content);
    await expect(readBeirQrels(path, new Set(["q1"]))).rejects.toThrow(message);
  });

  it("writes a BEIR folder that reads back the same", async () => {
    const dir = join(tmp, "written");
    const corpus: Document[] = [{ id: "d1", title: "T", text: "x", metadata: { tags: ["a"] } }];
    const qrels = new Map([["q1", new Map([["d1", 2]])]]);
    await writeBeirDataset(dir, {
      corpus,
      queries: [{ id: "q1", text: "find x" }],
      qrels: { test: qrels },
    });
    expect(await collect(readBeirCorpus(join(dir, "corpus.jsonl")))).toEqual(corpus);
    const split = await loadBeirSplit(dir, "test");
    expect(split.queries).toEqual([{ id: "q1", text: "find x" }]);
    expect(split.qrels).toEqual(qrels);
  });
});

describe("plain corpora with a field mapping", () => {
  it("reads CSV with quoted fields and a column mapping, keeping extra columns as metadata", async () => {
    const path = await file(
      "products.csv",
      'sku,name,description,brand\nKT-2040,"Drill, 18V","Says ""hi""",Kestrel\n',
    );
    const documents = await collect(
      readCorpus({
        path,
        fields: { id: "sku", title: "name", text: "description", metadata: ["brand"] },
      }),
    );
    expect(documents).toEqual([
      { id: "KT-2040", title: "Drill, 18V", text: 'Says "hi"', metadata: { brand: "Kestrel" } },
    ]);
  });

  it("reads JSONL with a mapping and names a record lacking the text field", async () => {
    const path = await file("items.jsonl", '{"id":"a","body":"x"}\n{"id":"b"}\n');
    await expect(collect(readCorpus({ path, fields: { id: "id", text: "body" } }))).rejects.toThrow(
      /items\.jsonl:2: field "body": missing text field/,
    );
  });

  it("reports the line of a ragged CSV row", async () => {
    const path = await file("ragged.csv", "id,text\na,x\nb,y,z\n");
    await expect(collect(readCorpus({ path, fields: { id: "id", text: "text" } }))).rejects.toThrow(
      /ragged\.csv:3: malformed CSV/,
    );
  });

  it("refuses an unknown extension", async () => {
    const path = await file("corpus.xml", "<x/>");
    await expect(collect(readCorpus({ path }))).rejects.toThrow(/cannot tell the corpus format/);
  });
});
