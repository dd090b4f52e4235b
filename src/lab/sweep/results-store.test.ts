import { appendFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RESULT_FORMAT, summarizeLatency, type ConfigurationResult } from "./result.js";
import { RESULTS_FILE, ResultsStore } from "./results-store.js";

const tmp = await mkdtemp(join(tmpdir(), "pairlift-results-"));
afterAll(() => rm(tmp, { recursive: true, force: true }));

function result(key: string, id: string): ConfigurationResult {
  return {
    format: RESULT_FORMAT,
    key,
    id,
    perQuery: { q1: { "ndcg@10": 1 } },
    aggregate: { "ndcg@10": 1 },
    queries: 1,
    slices: {},
  } as unknown as ConfigurationResult;
}

describe("the results file", () => {
  it("appends results, reads them back, ignores a line cut short, and forgets them when fresh", async () => {
    const dir = join(tmp, "a");
    const store = await ResultsStore.open(dir);
    expect(store.size).toBe(0);
    await store.append(result("k1", "bm25@100"));
    await store.append(result("k2", "hybrid:use@100 / rrf k=60"));
    await appendFile(
      join(dir, RESULTS_FILE),
      '{"format":"pairlift-lab-result-1","key":"k3","id":"x","perQ',
    );
    const reopened = await ResultsStore.open(dir);
    expect(reopened.size).toBe(2);
    expect(reopened.unreadable).toBe(1);
    expect(reopened.get("k2")?.id).toBe("hybrid:use@100 / rrf k=60");
    expect(reopened.get("k3")).toBeUndefined();
    // A later append starts on a line of its own: the cut line stays unreadable, the new one reads.
    await reopened.append(result("k4", "later"));
    const lines = (await readFile(join(dir, RESULTS_FILE), "utf8")).split("\n");
    expect(
      lines.filter((line) => line.startsWith('{"format":"pairlift-lab-result-1","key":"k4"')),
    ).toHaveLength(1);
    const again = await ResultsStore.open(dir);
    expect([again.size, again.unreadable, again.get("k4")?.id]).toEqual([3, 1, "later"]);
    const fresh = await ResultsStore.open(dir, { fresh: true });
    expect(fresh.size).toBe(0);
  });

  it("summarises latency: percentiles by linear interpolation, means, per stage", () => {
    const timings = [1, 2, 3, 4, 10].map((total) => ({ total, retrieve: total / 2 }));
    const summary = summarizeLatency(timings, 3);
    // sorted 1,2,3,4,10: p50 = 3; p95 at position 3.8 = 4 + 0.8·6 = 8.8; p99 at 3.96 = 9.76
    expect(summary).toMatchObject({
      p50Ms: 3,
      p95Ms: 8.8,
      p99Ms: 9.76,
      meanMs: 4,
      warmupQueries: 3,
      queries: 5,
    });
    expect(summary.stages["retrieve"]).toEqual({ p50Ms: 1.5, p95Ms: 4.4, p99Ms: 4.88, meanMs: 2 });
  });
});
