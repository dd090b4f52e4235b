import { describe, expect, it } from "vitest";
import { PairliftError } from "../errors.js";
import {
  DEFAULT_TREC_MEASURES,
  parseMetricName,
  parseMetricNames,
  parseTrecMeasures,
  trecEvalName,
} from "./measures.js";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof PairliftError) return error.code;
    throw error;
  }
  return undefined;
}

describe("parseTrecMeasures", () => {
  it("orders measures as trec_eval prints them, not as requested, cutoffs ascending", () => {
    const names = parseTrecMeasures(DEFAULT_TREC_MEASURES).map((m) => m.name);
    expect(names).toEqual([
      "map",
      "recip_rank",
      "P_10",
      "recall_10",
      "recall_100",
      "ndcg_cut_10",
      "ndcg_cut_100",
      "map_cut_10",
      "success_1",
      "success_10",
    ]);
    expect(parseTrecMeasures(["ndcg_cut.100,10"]).map((m) => m.cutoff)).toEqual([10, 100]);
  });

  it("uses trec_eval's default cutoffs when none are given, and merges repeated specs", () => {
    expect(parseTrecMeasures(["success"]).map((m) => m.name)).toEqual([
      "success_1",
      "success_5",
      "success_10",
    ]);
    expect(parseTrecMeasures(["P"]).length).toBe(9);
    expect(parseTrecMeasures(["P.5", "P.10,5", "map", "map"]).map((m) => m.name)).toEqual([
      "map",
      "P_5",
      "P_10",
    ]);
  });

  it("rejects unknown measures and malformed cutoffs with E_USAGE", () => {
    expect(codeOf(() => parseTrecMeasures(["ndcg@10"]))).toBe("E_USAGE");
    expect(codeOf(() => parseTrecMeasures(["bpref"]))).toBe("E_USAGE");
    expect(codeOf(() => parseTrecMeasures(["P."]))).toBe("E_USAGE");
    expect(codeOf(() => parseTrecMeasures(["P.0"]))).toBe("E_USAGE");
    expect(codeOf(() => parseTrecMeasures(["P.5,5"]))).toBe("E_USAGE");
    expect(codeOf(() => parseTrecMeasures(["P.ten"]))).toBe("E_USAGE");
    expect(codeOf(() => parseTrecMeasures(["map.10"]))).toBe("E_USAGE");
    expect(() => parseTrecMeasures(["bpref"])).toThrow(/unknown trec_eval measure "bpref"/);
  });
});

describe("parseMetricName", () => {
  it("parses friendly names", () => {
    expect(parseMetricName("ndcg@10")).toEqual({ family: "ndcg_cut", cutoff: 10, name: "ndcg@10" });
    expect(parseMetricName("mrr@10")).toEqual({ family: "recip_rank", cutoff: 10, name: "mrr@10" });
    expect(parseMetricName("recall@100")).toEqual({
      family: "recall",
      cutoff: 100,
      name: "recall@100",
    });
    expect(parseMetricName("map@100")).toEqual({ family: "map_cut", cutoff: 100, name: "map@100" });
    expect(parseMetricName("P@10")).toEqual({ family: "P", cutoff: 10, name: "p@10" });
    expect(parseMetricName("success@1")).toEqual({
      family: "success",
      cutoff: 1,
      name: "success@1",
    });
    expect(parseMetricName("mrr")).toEqual({ family: "recip_rank", name: "mrr" });
    expect(parseMetricName("recip_rank")).toEqual({ family: "recip_rank", name: "recip_rank" });
    expect(parseMetricName(" map ")).toEqual({ family: "map", name: "map" });
  });

  it("parses trec_eval output names", () => {
    expect(parseMetricName("ndcg_cut_10")).toEqual({
      family: "ndcg_cut",
      cutoff: 10,
      name: "ndcg_cut_10",
    });
    expect(parseMetricName("P_5")).toEqual({ family: "P", cutoff: 5, name: "P_5" });
  });

  it("rejects unknown names with E_CONFIG and a hint", () => {
    for (const bad of ["ndcg", "ndcg@0", "bleu@4", "ndcg@x", "", "constructor@1", "toString"]) {
      expect(
        codeOf(() => parseMetricName(bad)),
        bad,
      ).toBe("E_CONFIG");
    }
    expect(() => parseMetricName("ndcg")).toThrow(/needs a cutoff, e.g. "ndcg@10"/);
    expect(() => parseMetricName("bleu@4")).toThrow(/unknown metric "bleu@4"/);
  });

  it("parses lists, dropping repeats", () => {
    expect(parseMetricNames("ndcg@10, mrr@10,ndcg@10").map((m) => m.name)).toEqual([
      "ndcg@10",
      "mrr@10",
    ]);
  });

  it("knows which specs trec_eval can print", () => {
    expect(trecEvalName(parseMetricName("ndcg@10"))).toBe("ndcg_cut_10");
    expect(trecEvalName(parseMetricName("map@100"))).toBe("map_cut_100");
    expect(trecEvalName(parseMetricName("mrr"))).toBe("recip_rank");
    expect(trecEvalName(parseMetricName("mrr@10"))).toBeUndefined();
  });
});
