import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config-file.js";
import { MAX_QUERY_CHARS } from "../lexical/lexical-index.js";
import { evaluateDataset } from "./evaluate-dataset.js";

const tmp = await mkdtemp(join(tmpdir(), "pairlift-query-search-"));
afterAll(() => rm(tmp, { recursive: true, force: true }));

/** A BEIR folder whose queries.jsonl holds `bad` on line 3 (query q3). */
async function dataset(name: string, bad: string): Promise<string> {
  const dir = join(tmp, name);
  await mkdir(join(dir, "qrels"), { recursive: true });
  await writeFile(
    join(dir, "corpus.jsonl"),
    '{"_id":"d1","title":"drill","text":"cordless drill"}\n{"_id":"d2","text":"circular saw"}\n',
  );
  const queries = [
    { _id: "q1", text: "drill" },
    { _id: "q2", text: "saw" },
    { _id: "q3", text: bad },
  ];
  await writeFile(join(dir, "queries.jsonl"), queries.map((q) => JSON.stringify(q)).join("\n"));
  await writeFile(
    join(dir, "qrels", "test.tsv"),
    "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\nq3\td2\t1\n",
  );
  return dir;
}

describe("a query eval cannot run", () => {
  it.each([
    ["empty", "   ", /query "q3": query is empty/],
    ["9,000 characters", "saw ".repeat(2_250), /query "q3": query is 9000 characters long/],
  ])(
    "(%s) is an error naming queries.jsonl, its line and the query id",
    async (name, text, reason) => {
      expect(text.length > MAX_QUERY_CHARS || text.trim() === "").toBe(true);
      const dir = await dataset(name.replace(/\W/g, ""), text);
      const config = await loadConfig();
      const failed = evaluateDataset({ dataset: dir, cacheRoot: join(tmp, "cache"), config });
      await expect(failed).rejects.toMatchObject({
        code: "E_QUERY",
        file: join(dir, "queries.jsonl"),
        line: 3,
        field: "text",
      });
      await expect(failed).rejects.toThrow(reason);
    },
  );
});
