/** What `trec-eval` reads beyond plain TREC files: BEIR qrels, comments, extra run columns, -Z files. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caught } from "../../test/support/caught.js";
import { PairliftError } from "../errors.js";
import {
  parseTrecQrels,
  parseTrecRun,
  readTrecQrels,
  readTrecRunTagged,
  readZScores,
} from "./trec.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pairlift-trec-input-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("qrels", () => {
  it("reads a BEIR qrels TSV, detected by its header", async () => {
    const path = join(dir, "test.tsv");
    await writeFile(path, "query-id\tcorpus-id\tscore\nq1\td1\t2\nq1\td2\t0\nq2\td1\t1\n");
    const qrels = await readTrecQrels(path);
    expect([...qrels]).toEqual([
      [
        "q1",
        new Map([
          ["d1", 2],
          ["d2", 0],
        ]),
      ],
      ["q2", new Map([["d1", 1]])],
    ]);
  });

  it("names the file and line of a BEIR row with the wrong number of columns", () => {
    const error = caught(() =>
      parseTrecQrels("query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\t0\td2\t1\n", "test.tsv"),
    );
    expect(error.code).toBe("E_PARSE");
    expect(error.line).toBe(3);
    expect(error.message).toMatch(
      /^test\.tsv:3: malformed TREC BEIR qrels line: expected 3 .*found 4/,
    );
  });

  it("without the header, three columns are still a malformed TREC qrels line", () => {
    expect(caught(() => parseTrecQrels("q1\td1\t1\n")).message).toMatch(/expected 4 .*found 3/);
  });

  it("skips comment lines but keeps '#' inside a docid", () => {
    const qrels = parseTrecQrels("# judged in 2024\n1 0 doc#3 1\n  # indented comment\n1 0 d4 0\n");
    expect([...qrels.get("1")!.keys()]).toEqual(["doc#3", "d4"]);
  });
});

describe("runs", () => {
  it("ignores columns after the tag and reports the last line's tag", async () => {
    const path = join(dir, "extra.run");
    await writeFile(path, "1 Q0 a 1 2.5 first more junk\n# a comment\n1 Q0 b 2 1.5 second end\n");
    const { run, tag } = await readTrecRunTagged(path);
    expect([...run.get("1")!]).toEqual([
      ["a", 2.5],
      ["b", 1.5],
    ]);
    expect(tag).toBe("second");
  });

  it("still needs the six columns", () => {
    expect(caught(() => parseTrecRun("1 Q0 a 1 2.5\n")).message).toMatch(/expected 6 .*found 5/);
  });
});

describe("z-score files", () => {
  it("reads qid, measure, mean and stddev per line", async () => {
    const path = join(dir, "z.txt");
    await writeFile(path, "301 map 0.25 0.1\n301 P_10 0.5 0\n");
    const zscores = await readZScores(path);
    expect(zscores.get("301")!.get("map")).toEqual({ mean: 0.25, stddev: 0.1 });
    expect(zscores.get("301")!.get("P_10")).toEqual({ mean: 0.5, stddev: 0 });
  });

  it("names the line and field of a value that is not a number", async () => {
    const path = join(dir, "bad-z.txt");
    await writeFile(path, "301 map 0.25 0.1\n302 map high 0.1\n");
    const error = await readZScores(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PairliftError);
    expect((error as PairliftError).message).toBe(
      `${path}:2: field "mean": mean must be a number, got "high"`,
    );
  });
});
