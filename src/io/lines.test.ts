import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readBeirQrels } from "./beir.js";
import { readCorpus } from "./corpus.js";
import { readLines } from "./lines.js";
import { readTrecQrels, readTrecRun } from "./trec.js";

const tmp = await mkdtemp(join(tmpdir(), "pairlift-lines-"));
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function file(name: string, ...parts: Array<string | Buffer>): Promise<string> {
  const path = join(tmp, name);
  await writeFile(path, Buffer.concat(parts.map((part) => Buffer.from(part))));
  return path;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** Latin-1 "é": one byte that is not UTF-8. */
const LATIN1 = Buffer.from([0xe9]);

describe("readLines", () => {
  it("numbers lines across \\n, \\r\\n, a BOM, and multi-byte characters split between reads", async () => {
    // 70,000 "é" (2 bytes each) run past the 64 KiB read size, so one splits across two reads.
    const long = "é".repeat(70_000);
    const path = await file("mixed.txt", "\ufeffone\r\n", `${long}\n`, "three\n\nfive");
    const lines = await collect(readLines(path));
    expect(lines.map((line) => line.line)).toEqual([1, 2, 3, 4, 5]);
    expect(lines.map((line) => line.text)).toEqual(["one", long, "three", "", "five"]);
  });

  it("refuses bytes that are not UTF-8, naming the file and line, wherever they fall", async () => {
    const long = "a".repeat(100_000);
    const path = await file("latin1.txt", "ok\n", `${long}\n`, "caf", LATIN1, "\nlast\n");
    await expect(collect(readLines(path))).rejects.toThrow(
      /latin1\.txt:3: invalid UTF-8: this line holds bytes that are not UTF-8 text/,
    );
    const unterminated = await file("tail.txt", "ok\n", "caf", LATIN1);
    await expect(collect(readLines(unterminated))).rejects.toThrow(/tail\.txt:2: invalid UTF-8/);
  });
});

describe("invalid UTF-8 in every text input is an error naming file and line", () => {
  it.each([
    ["corpus.jsonl", '{"_id":"d1","text":"fine"}\n{"_id":"d2","text":"caf'],
    ["corpus.csv", "_id,text\nd1,fine\nd2,caf"],
    ["corpus.tsv", "_id\ttext\nd1\tfine\nd2\tcaf"],
  ])("a %s corpus", async (name, head) => {
    const path = await file(name, head, LATIN1, name.endsWith("jsonl") ? '"}\n' : "\n");
    const line = name.endsWith("jsonl") ? 2 : 3;
    await expect(collect(readCorpus({ path }))).rejects.toMatchObject({
      code: "E_PARSE",
      file: path,
      line,
    });
  });

  it("qrels and runs", async () => {
    const qrels = await file("qrels.txt", "q1 0 d1 1\nq1 0 d", LATIN1, " 1\n");
    await expect(readTrecQrels(qrels)).rejects.toMatchObject({ file: qrels, line: 2 });
    const run = await file("run.txt", "q1 Q0 d", LATIN1, " 1 2.5 tag\n");
    await expect(readTrecRun(run)).rejects.toMatchObject({ file: run, line: 1 });
    const beir = await file("qrels.tsv", "query-id\tcorpus-id\tscore\nq1\td", LATIN1, "\t1\n");
    await expect(readBeirQrels(beir)).rejects.toMatchObject({ file: beir, line: 2 });
  });
});

describe("qrels grades", () => {
  it("beyond a safe integer are refused in BEIR qrels, as in TREC qrels", async () => {
    const beir = await file("big.tsv", "q1\td1\t1\nq1\td2\t9007199254740993\n");
    await expect(readBeirQrels(beir)).rejects.toThrow(
      /big\.tsv:2: field "score": relevance grade 9007199254740993 is out of range/,
    );
    const trec = await file("big.txt", "q1 0 d1 9007199254740993\n");
    await expect(readTrecQrels(trec)).rejects.toMatchObject({ file: trec, line: 1 });
    const fine = await file("fine.tsv", "q1\td1\t9007199254740991\n");
    expect((await readBeirQrels(fine)).get("q1")?.get("d1")).toBe(9007199254740991);
  });
});
