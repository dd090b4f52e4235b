import { describe, expect, it } from "vitest";
import * as pairlift from "../src/index.js";

describe("the public API", () => {
  it('indexes, searches and evaluates through `import ... from "pairlift"`', () => {
    const index = pairlift.LexicalIndex.create();
    index.add({ id: "d1", title: "KT-2040 drill", text: "" });
    index.add({ id: "d2", title: "garden hose", text: "" });
    const hits = index.search("kt2040");
    expect(hits.map((hit) => hit.id)).toEqual(["d1"]);
    const run: pairlift.Run = new Map([["q1", new Map(hits.map((hit) => [hit.id, hit.score]))]]);
    const qrels: pairlift.Qrels = new Map([["q1", new Map([["d1", 1]])]]);
    const result = pairlift.evaluate(qrels, run, pairlift.parseMetricNames("ndcg@10,mrr@10"));
    expect(result.aggregate).toEqual({ "ndcg@10": 1, "mrr@10": 1 });
  });
});
