import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caught } from "../../test/support/caught.js";
import { PairliftError } from "../errors.js";
import {
  formatTrecRun,
  parseTrecQrels,
  parseTrecRun,
  readTrecQrels,
  readTrecRun,
  writeTrecRun,
} from "./trec.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pairlift-trec-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function caughtAsync(promise: Promise<unknown>): Promise<PairliftError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PairliftError) return error;
    throw error;
  }
  throw new Error("expected a PairliftError");
}

describe("TREC qrels", () => {
  it("parses qid iter docid grade, skipping blank lines, any whitespace, CRLF", () => {
    const qrels = parseTrecQrels("1 0 d1 1\r\n\n1\t0  d2   0\n  2 Q0 d1 2 \n3 0 d9 -1\n");
    expect(qrels).toEqual(
      new Map([
        [
          "1",
          new Map([
            ["d1", 1],
            ["d2", 0],
          ]),
        ],
        ["2", new Map([["d1", 2]])],
        ["3", new Map([["d9", -1]])],
      ]),
    );
  });

  it("names the file, line and field of malformed lines", () => {
    const columns = caught(() => parseTrecQrels("1 0 d1 1\n\n1 0 d2\n", "q.txt"));
    expect(columns.code).toBe("E_PARSE");
    expect(columns.file).toBe("q.txt");
    expect(columns.line).toBe(3);
    expect(columns.message).toMatch(/^q\.txt:3: .*expected 4 .*found 3/);

    const grade = caught(() => parseTrecQrels("1 0 d1 1.5\n", "q.txt"));
    expect(grade.code).toBe("E_PARSE");
    expect(grade.line).toBe(1);
    expect(grade.field).toBe("grade");
    expect(grade.message).toContain('field "grade"');

    const duplicate = caught(() => parseTrecQrels("1 0 d1 1\n1 0 d2 0\n1 0 d1 0\n", "q.txt"));
    expect(duplicate.code).toBe("E_DUPLICATE_ID");
    expect(duplicate.line).toBe(3);
    expect(duplicate.field).toBe("docid");
  });

  it("reads a file, and reports a missing one as E_NOT_FOUND", async () => {
    const path = join(dir, "test.qrels");
    await writeFile(path, "\ufeffq1 0 a 1\nq1 0 b 2\n");
    expect(await readTrecQrels(path)).toEqual(
      new Map([
        [
          "q1",
          new Map([
            ["a", 1],
            ["b", 2],
          ]),
        ],
      ]),
    );
    const missing = await caughtAsync(readTrecQrels(join(dir, "nope.qrels")));
    expect(missing.code).toBe("E_NOT_FOUND");
    expect((await caughtAsync(readTrecQrels(dir))).code).toBe("E_NOT_FOUND");
  });

  it("reports malformed file lines with the path and line number", async () => {
    const path = join(dir, "bad.qrels");
    await writeFile(path, "q1 0 a 1\nq1 0 b high\n");
    const error = await caughtAsync(readTrecQrels(path));
    expect(error.message).toBe(`${path}:2: field "grade": grade must be an integer, got "high"`);
  });
});

describe("TREC runs", () => {
  it("parses qid Q0 docid rank score tag, ignoring rank", () => {
    const run = parseTrecRun("q1 Q0 a 2 1.5 t\nq1 Q0 b 1 -2e-3 t\nq2 Q0 a 1 7 t\n");
    expect(run).toEqual(
      new Map([
        [
          "q1",
          new Map([
            ["a", 1.5],
            ["b", -0.002],
          ]),
        ],
        ["q2", new Map([["a", 7]])],
      ]),
    );
  });

  it("rejects malformed lines with file, line and field", () => {
    const columns = caught(() => parseTrecRun("q1 Q0 a 1 1.0 t\nq1 Q0 b 2 0.5\n", "r.txt"));
    expect(columns.code).toBe("E_PARSE");
    expect(columns.line).toBe(2);
    expect(columns.message).toMatch(/expected 6 .*found 5/);

    const score = caught(() => parseTrecRun("q1 Q0 a 1 NaN t\n", "r.txt"));
    expect(score.field).toBe("score");
    expect(score.line).toBe(1);
    expect(caught(() => parseTrecRun("q1 Q0 a 1 1.5x t\n")).field).toBe("score");

    const duplicate = caught(() => parseTrecRun("q1 Q0 a 1 2 t\nq2 Q0 a 1 2 t\nq1 Q0 a 2 1 t\n"));
    expect(duplicate.code).toBe("E_DUPLICATE_ID");
    expect(duplicate.line).toBe(3);
  });

  it("reads a run file", async () => {
    const path = join(dir, "a.run");
    await writeFile(path, "q1 Q0 a 1 3 tag\r\nq1 Q0 b 2 2 tag\r\n");
    expect(await readTrecRun(path)).toEqual(
      new Map([
        [
          "q1",
          new Map([
            ["a", 3],
            ["b", 2],
          ]),
        ],
      ]),
    );
    const bad = join(dir, "bad.run");
    await writeFile(bad, "q1 Q0 a 1 3 tag\nq1 Q0 b 2 two tag\n");
    const error = await caughtAsync(readTrecRun(bad));
    expect(error.file).toBe(bad);
    expect(error.line).toBe(2);
    expect(error.field).toBe("score");
  });

  it("formats ranks by score descending, ties by docid descending, queries in strcmp order", () => {
    const run = new Map([
      ["q2", new Map([["x", 1]])],
      [
        "q10",
        new Map([
          ["a", 0.5],
          ["c", 2],
          ["b", 2],
        ]),
      ],
    ]);
    expect(formatTrecRun(run, "bm25")).toBe(
      "q10 Q0 c 1 2 bm25\nq10 Q0 b 2 2 bm25\nq10 Q0 a 3 0.5 bm25\nq2 Q0 x 1 1 bm25\n",
    );
    expect(formatTrecRun(run, "bm25", { depth: 1 })).toBe("q10 Q0 c 1 2 bm25\nq2 Q0 x 1 1 bm25\n");
    expect(caught(() => formatTrecRun(run, "two words")).code).toBe("E_FIELD");
    expect(caught(() => formatTrecRun(run, "t", { depth: 0 })).code).toBe("E_CONFIG");
  });

  it("writes atomically and round-trips scores exactly", async () => {
    const path = join(dir, "out.run");
    const run = new Map([
      [
        "q1",
        new Map([
          ["d1", 0.1 + 0.2],
          ["d2", 1e-7],
          ["d3", -12345.678],
        ]),
      ],
    ]);
    await writeTrecRun(path, run, "tag");
    expect(await readTrecRun(path)).toEqual(run);
    expect((await readFile(path, "utf8")).split("\n")[0]).toBe(
      "q1 Q0 d1 1 0.30000000000000004 tag",
    );
    expect((await readdir(dir)).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });

  it("leaves nothing behind when a write fails", async () => {
    const path = join(dir, "broken.run");
    const run = new Map([
      [
        "q1",
        new Map([
          ["good", 2],
          ["bad id", 1],
        ]),
      ],
    ]);
    const error = await caughtAsync(writeTrecRun(path, run, "tag"));
    expect(error.code).toBe("E_FIELD");
    expect((await readdir(dir)).filter((f) => f.startsWith("broken.run"))).toEqual([]);
    const missingDir = await caughtAsync(writeTrecRun(join(dir, "no", "such", "x.run"), run, "t"));
    expect(missingDir.code).toBe("E_NOT_FOUND");
  });
});
