import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { evaluateDataset } from "../src/eval/evaluate-dataset.js";
import { readBeirQueries } from "../src/io/beir.js";

/** The bundled demo catalogue: identifier handling must find SKUs that plain word matching loses. */
const demo = fileURLToPath(new URL("../data/demo", import.meta.url));
const cacheRoot = await mkdtemp(join(tmpdir(), "pairlift-demo-"));
afterAll(() => rm(cacheRoot, { recursive: true, force: true }));

async function meanByTag(identifiers: boolean): Promise<Record<string, number>> {
  const { report } = await evaluateDataset({
    dataset: demo,
    cacheRoot,
    lexical: { analyzer: { identifiers } },
  });
  const queries = await readBeirQueries(join(demo, "queries.jsonl"));
  const sums: Record<string, { total: number; n: number }> = {};
  for (const [qid, metrics] of Object.entries(report.perQuery)) {
    const tags = (queries.get(qid)?.metadata?.["tags"] as string[] | undefined) ?? [];
    for (const tag of tags) {
      const entry = (sums[tag] ??= { total: 0, n: 0 });
      entry.total += metrics["ndcg@10"]!;
      entry.n += 1;
    }
  }
  return Object.fromEntries(Object.entries(sums).map(([tag, { total, n }]) => [tag, total / n]));
}

describe("identifier-aware BM25 on the demo catalogue", () => {
  it("beats plain word matching on identifier queries without losing natural-language ones", async () => {
    const aware = await meanByTag(true);
    const plain = await meanByTag(false);
    expect(aware["identifier"]).toBeGreaterThan(plain["identifier"]! + 0.1);
    expect(aware["normalized"]).toBeGreaterThan(plain["normalized"]! + 0.3); // `kt2040` for `KT-2040`
    expect(aware["natural-language"]).toBeGreaterThanOrEqual(plain["natural-language"]! - 0.01);
  });
});
