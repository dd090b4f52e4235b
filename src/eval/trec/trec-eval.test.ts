import { describe, expect, it } from "vitest";
import { PairliftError } from "../../errors.js";
import type { Qrels, Run } from "../../types.js";
import { formatTrecEvalResult } from "./format.js";
import { selectMeasures, trecEval, type TrecEvalResult } from "./trec-eval.js";

/**
 * One query worked by hand. Judgments: a=2, b=0, c=1, e=1 (not retrieved), d=-1 (pooled, not
 * judged). Ranking by score: x (not in the qrels), a, d, b, c, so the relevance values are
 * [-1, 2, -2, 0, 1]: R = 3, relevant retrieved = 2.
 */
const qrels: Qrels = new Map([
  [
    "q1",
    new Map([
      ["a", 2],
      ["b", 0],
      ["c", 1],
      ["d", -1],
      ["e", 1],
    ]),
  ],
]);
const run: Run = new Map([
  [
    "q1",
    new Map([
      ["x", 5],
      ["a", 4],
      ["d", 3],
      ["b", 2],
      ["c", 1],
    ]),
  ],
]);

function value(result: TrecEvalResult, name: string): number {
  for (const { names, offset } of result.measures) {
    const j = names.indexOf(name);
    if (j !== -1) return result.summary[offset + j]!;
  }
  throw new Error(`no measure ${name}`);
}

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof PairliftError && error.code === "E_USAGE") return error.message;
    throw error;
  }
  throw new Error("expected E_USAGE");
}

describe("trecEval on a query worked by hand", () => {
  const result = trecEval(qrels, run, { measures: ["all_trec"], runId: "hand" });

  it("counts", () => {
    expect(value(result, "num_ret")).toBe(5);
    expect(value(result, "num_rel")).toBe(3);
    expect(value(result, "num_rel_ret")).toBe(2);
    expect(value(result, "num_nonrel_judged_ret")).toBe(1);
  });

  it("ranked measures count unjudged documents as non-relevant", () => {
    expect(value(result, "P_5")).toBeCloseTo(2 / 5, 15);
    expect(value(result, "recall_5")).toBeCloseTo(2 / 3, 15);
    expect(value(result, "map")).toBeCloseTo((1 / 2 + 2 / 5) / 3, 15);
    expect(value(result, "gm_map")).toBeCloseTo((1 / 2 + 2 / 5) / 3, 12);
    expect(value(result, "Rprec")).toBeCloseTo(1 / 3, 15);
    expect(value(result, "recip_rank")).toBe(0.5);
    expect(value(result, "set_F")).toBeCloseTo((2 * 0.4 * (2 / 3)) / (0.4 + 2 / 3), 15);
    const dcg = 2 / Math.log2(3) + 1 / Math.log2(6);
    const ideal = 2 + 1 / Math.log2(3) + 1 / Math.log2(4);
    expect(value(result, "ndcg")).toBeCloseTo(dcg / ideal, 15);
  });

  it("bpref and infAP skip documents the qrels do not judge", () => {
    // a is above every judged non-relevant document (1); c is below the only one (0).
    expect(value(result, "bpref")).toBeCloseTo(1 / 3, 15);
    // a: 1/2 (x above it is not in the pool); c: 1/5 + 4/5 · 3/4 · (1+ε)/(2+2ε) = 1/2.
    expect(value(result, "infAP")).toBeCloseTo(1 / 3, 9);
    expect(value(result, "unj_5")).toBeCloseTo(2 / 5, 15);
  });

  it("prints relstring per query with '-' (not in the qrels) and '.' (pooled, unjudged)", () => {
    const text = formatTrecEvalResult(result, { perQuery: true });
    expect(text).toContain("relstring             \tq1\t'-2.01'\n");
    expect(text).toContain("runid                 \tall\thand\n");
    expect(text).toContain("num_ret               \tall\t5\n");
  });

  it("-J scores the condensed ranking a, b, c", () => {
    const judged = trecEval(qrels, run, {
      measures: ["map", "recip_rank", "P.3"],
      judgedOnly: true,
    });
    expect(value(judged, "recip_rank")).toBe(1);
    expect(value(judged, "map")).toBeCloseTo((1 + 2 / 3) / 3, 15);
    expect(value(judged, "P_3")).toBeCloseTo(2 / 3, 15);
  });

  it("-l 2 makes only grade 2 relevant; -M 2 keeps the top two documents", () => {
    const strict = trecEval(qrels, run, { measures: ["num_rel", "map"], relevanceLevel: 2 });
    expect(value(strict, "num_rel")).toBe(1);
    expect(value(strict, "map")).toBe(0.5);
    const top2 = trecEval(qrels, run, { measures: ["num_ret", "P.5"], maxDocsPerTopic: 2 });
    expect(value(top2, "num_ret")).toBe(2);
    expect(value(top2, "P_5")).toBeCloseTo(1 / 5, 15);
  });

  it("-c evaluates a qrels query the run lacks as an empty ranking", () => {
    const more: Qrels = new Map([...qrels, ["q2", new Map([["z", 1]])]]);
    const complete = trecEval(more, run, { measures: ["num_q", "num_rel", "P.5"], complete: true });
    expect(complete.queries.map((q) => q.qid)).toEqual(["q1", "q2"]);
    expect(value(complete, "num_q")).toBe(2);
    expect(value(complete, "num_rel")).toBe(4);
    expect(value(complete, "P_5")).toBeCloseTo(0.2, 15);
  });
});

describe("selectMeasures", () => {
  const names = (specs: string[]): string[] => selectMeasures(specs).flatMap((m) => m.names);

  it("defaults to trec_eval's official measures, in trec_eval's order", () => {
    expect(names([]).slice(0, 11)).toEqual([
      "runid",
      "num_q",
      "num_ret",
      "num_rel",
      "num_rel_ret",
      "map",
      "gm_map",
      "Rprec",
      "bpref",
      "recip_rank",
      "iprec_at_recall_0.00",
    ]);
    expect(names([]).at(-1)).toBe("P_1000");
  });

  it("names values by their parameters, as trec_eval does", () => {
    expect(names(["ndcg_cut.10,20,23.4"])).toEqual(["ndcg_cut_10", "ndcg_cut_20", "ndcg_cut_23"]);
    expect(names(["iprec_at_recall..5,.25"])).toEqual([
      "iprec_at_recall_0.25",
      "iprec_at_recall_0.50",
    ]);
    expect(names(["ndcg.1=3,2=9", "utility.2,-1,0,0", "success", "map"])).toEqual([
      "map",
      "utility_2,-1,0,0",
      "ndcg_1=3,2=9",
      "success_1",
      "success_5",
      "success_10",
    ]);
    expect(names(["P.5", "P.10,5"])).toEqual(["P_5", "P_10"]);
  });

  it("refuses unknown measures and malformed parameters", () => {
    expect(usageError(() => selectMeasures(["ndcg@10"]))).toMatch(
      /unknown trec_eval measure "ndcg@10"/,
    );
    expect(usageError(() => selectMeasures(["P.0"]))).toMatch(/positive/);
    expect(usageError(() => selectMeasures(["P.5,5"]))).toMatch(/duplicate cutoff 5/);
    expect(usageError(() => selectMeasures(["P.ten"]))).toMatch(/bad cutoff "ten"/);
    expect(usageError(() => selectMeasures(["utility.1,2"]))).toMatch(/takes 4 parameters/);
    expect(usageError(() => selectMeasures(["ndcg.1"]))).toMatch(/expected name=number/);
    expect(usageError(() => selectMeasures(["map.10"]))).toMatch(/takes no parameters/);
    expect(usageError(() => selectMeasures(["ndcg.1=2", "ndcg.1=3"]))).toMatch(/given twice/);
  });
});
