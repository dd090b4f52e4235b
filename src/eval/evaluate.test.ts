import { describe, expect, it } from "vitest";
import type { Qrels, Run } from "../types.js";
import { evaluate } from "./evaluate.js";
import { parseMetricNames, parseTrecMeasures } from "./measures.js";
import { averagePrecision } from "./metrics/map.js";
import { ndcgAt } from "./metrics/ndcg.js";
import { precisionAt } from "./metrics/precision.js";
import { recallAt } from "./metrics/recall.js";
import { reciprocalRank } from "./metrics/recip-rank.js";
import { successAt } from "./metrics/success.js";
import { compareStrcmp, judgeRun, rankDocuments } from "./ranking.js";

const qrels = (entries: Record<string, Record<string, number>>): Qrels =>
  new Map(Object.entries(entries).map(([q, docs]) => [q, new Map(Object.entries(docs))]));
const run = (entries: Record<string, Record<string, number>>): Run =>
  new Map(Object.entries(entries).map(([q, docs]) => [q, new Map(Object.entries(docs))]));

describe("ranking", () => {
  it("orders by score descending, ties by docid descending (strcmp), ignoring insertion order", () => {
    const scores = new Map([
      ["a", 1],
      ["c", 2],
      ["b", 2],
      ["B", 2],
      ["d", 0.5],
    ]);
    expect(rankDocuments(scores)).toEqual(["c", "b", "B", "a", "d"]);
  });

  it("compares like strcmp on UTF-8 bytes, also for astral characters", () => {
    expect(compareStrcmp("10", "9")).toBeLessThan(0);
    expect(compareStrcmp("a", "ab")).toBeLessThan(0);
    expect(compareStrcmp("Z", "a")).toBeLessThan(0);
    // U+FF5E (EF BD 9E) sorts before U+1F600 (F0 9F 98 80) in UTF-8, unlike in UTF-16.
    expect(compareStrcmp("\uff5e", "\u{1f600}")).toBeLessThan(0);
    expect(compareStrcmp("\u{1f600}", "\uff5e")).toBeGreaterThan(0);
    expect(compareStrcmp("x", "x")).toBe(0);
  });
});

describe("metrics on a hand-computed ranking: grades 2, 0, 1", () => {
  // Ranked a (grade 2), b (grade 0), c (grade 1); d (grade 1) is relevant but not retrieved.
  const judged = judgeRun(
    new Map([
      ["a", 3],
      ["b", 2],
      ["c", 1],
    ]),
    new Map([
      ["a", 2],
      ["b", 0],
      ["c", 1],
      ["d", 1],
    ]),
  );

  it("nDCG: linear gain, log2(rank + 1) discount, ideal from all judged grades", () => {
    const dcg3 = 2 / Math.log2(2) + 1 / Math.log2(4);
    const idcg3 = 2 / Math.log2(2) + 1 / Math.log2(3) + 1 / Math.log2(4);
    expect(ndcgAt(judged, 10)).toBeCloseTo(dcg3 / idcg3, 15);
    expect(ndcgAt(judged, 3)).toBeCloseTo(dcg3 / idcg3, 15);
    expect(ndcgAt(judged, 2)).toBeCloseTo(2 / (2 + 1 / Math.log2(3)), 15);
    expect(ndcgAt(judged, 1)).toBe(1);
  });

  it("precision divides by the cutoff even when fewer documents are retrieved", () => {
    expect(precisionAt(judged, 1)).toBe(1);
    expect(precisionAt(judged, 2)).toBe(0.5);
    expect(precisionAt(judged, 10)).toBe(2 / 10);
  });

  it("recall divides by every relevant judged document, retrieved or not", () => {
    expect(recallAt(judged, 1)).toBe(1 / 3);
    expect(recallAt(judged, 10)).toBe(2 / 3);
  });

  it("average precision sums precision at relevant ranks over all relevant documents", () => {
    expect(averagePrecision(judged)).toBeCloseTo((1 / 1 + 2 / 3) / 3, 15);
    expect(averagePrecision(judged, 2)).toBeCloseTo(1 / 3, 15);
  });

  it("reciprocal rank and success", () => {
    expect(reciprocalRank(judged)).toBe(1);
    expect(successAt(judged, 1)).toBe(1);
  });
});

describe("evaluate", () => {
  const measures = parseTrecMeasures(["map", "recip_rank", "P.2", "ndcg_cut.2"]);

  it("breaks score ties by docid descending, whatever the rank column or file order said", () => {
    const q = qrels({ q: { a: 1 } });
    const result = evaluate(q, run({ q: { a: 5, b: 5 } }), measures);
    // b ranks first (docid descending), so the relevant a is at rank 2.
    expect(result.perQuery.get("q")!.recip_rank).toBe(0.5);
    const swapped = evaluate(qrels({ q: { b: 1 } }), run({ q: { a: 5, b: 5 } }), measures);
    expect(swapped.perQuery.get("q")!.recip_rank).toBe(1);
  });

  it("ignores run queries without judgments; skips qrels queries the run lacks unless complete", () => {
    const q = qrels({ q1: { a: 1 }, q2: { b: 1 } });
    const r = run({ q1: { a: 1 }, q9: { a: 1 } });
    const partial = evaluate(q, r, measures);
    expect([...partial.perQuery.keys()]).toEqual(["q1"]);
    expect(partial.numQueries).toBe(1);
    expect(partial.aggregate.map).toBe(1);

    const complete = evaluate(q, r, measures, { complete: true });
    expect([...complete.perQuery.keys()]).toEqual(["q1", "q2"]);
    expect(complete.perQuery.get("q2")).toEqual({ map: 0, recip_rank: 0, P_2: 0, ndcg_cut_2: 0 });
    expect(complete.numQueries).toBe(2);
    expect(complete.aggregate.map).toBe(0.5);
    expect(complete.aggregate.P_2).toBe(0.25);
  });

  it("evaluates qrels queries whose judgments are all non-relevant, scoring 0", () => {
    const q = qrels({ q1: { a: 1 }, q2: { b: 0 } });
    const result = evaluate(q, run({ q1: { a: 1 }, q2: { b: 1 } }), measures);
    expect(result.numQueries).toBe(2);
    expect(result.perQuery.get("q2")).toEqual({ map: 0, recip_rank: 0, P_2: 0, ndcg_cut_2: 0 });
    expect(result.aggregate.map).toBe(0.5);
  });

  it("treats negative grades as non-relevant with no gain", () => {
    const q = qrels({ q: { a: -1, b: 1 } });
    const result = evaluate(q, run({ q: { a: 2, b: 1 } }), measures);
    expect(result.perQuery.get("q")!.recip_rank).toBe(0.5);
    expect(result.perQuery.get("q")!.ndcg_cut_2).toBeCloseTo(1 / Math.log2(3), 15);
  });

  it("lists queries in strcmp order of qid", () => {
    const q = qrels({ "2": { a: 1 }, "10": { a: 1 }, "1": { a: 1 } });
    const result = evaluate(q, run({ "1": { a: 1 }, "2": { a: 1 }, "10": { a: 1 } }), measures);
    expect([...result.perQuery.keys()]).toEqual(["1", "10", "2"]);
  });

  it("computes friendly metrics: mrr@k cuts the reciprocal rank, map@k is map_cut", () => {
    const specs = parseMetricNames("mrr@2,mrr,map@2,map,ndcg@10,recall@1,p@1,success@2");
    const q = qrels({ q: { c: 1, z: 1 } });
    const result = evaluate(q, run({ q: { a: 3, b: 2, c: 1 } }), specs);
    expect(result.aggregate).toEqual({
      "mrr@2": 0,
      mrr: 1 / 3,
      "map@2": 0,
      map: 1 / 3 / 2,
      "ndcg@10": expect.closeTo(1 / 2 / (1 + 1 / Math.log2(3)), 15) as number,
      "recall@1": 0,
      "p@1": 0,
      "success@2": 0,
    });
  });

  it("returns zeros when no query can be evaluated", () => {
    const result = evaluate(qrels({ q: { a: 1 } }), run({ x: { a: 1 } }), measures);
    expect(result.numQueries).toBe(0);
    expect(result.aggregate).toEqual({ map: 0, recip_rank: 0, P_2: 0, ndcg_cut_2: 0 });
  });
});
