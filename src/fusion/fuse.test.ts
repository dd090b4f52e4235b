import { describe, expect, it } from "vitest";
import { parseWith } from "../config/schema-errors.js";
import { PairliftError } from "../errors.js";
import {
  DEFAULT_RRF_K,
  describeFusion,
  fuse,
  type FusedHit,
  type FusionSpec,
  type RankedList,
} from "./fuse.js";
import { fusionMethodSchema, fusionSpecSchema, type FusionConfig } from "./schema.js";

function list(retriever: string, entries: [string, number][]): RankedList {
  return { retriever, hits: entries.map(([id, score]) => ({ id, score })) };
}

/** A list where only the order matters (RRF): scores 1, 0.9, 0.8, … */
function ranked(retriever: string, ids: string[]): RankedList {
  return list(
    retriever,
    ids.map((id, i) => [id, 1 - i / 10]),
  );
}

const ids = (hits: FusedHit[]): string[] => hits.map((hit) => hit.id);

function thrown(call: () => unknown): PairliftError {
  try {
    call();
  } catch (error) {
    if (error instanceof PairliftError) return error;
    throw error;
  }
  throw new Error("expected a PairliftError");
}

describe("fuse: reciprocal rank fusion", () => {
  const lexical = ranked("lexical", ["a", "b", "c"]);
  const dense = ranked("dense:use", ["c", "a", "d"]);

  it("sums 1/(k + rank) with k = 60", () => {
    // a: 1/61 + 1/62 = 0.016393442623 + 0.016129032258 = 0.032522474881
    // c: 1/63 + 1/61 = 0.015873015873 + 0.016393442623 = 0.032266458496
    // b: 1/62 = 0.01612903225…           d: 1/63 = 0.01587301587…
    expect(DEFAULT_RRF_K).toBe(60);
    const fused = fuse([lexical, dense], { method: "rrf" });
    expect(ids(fused)).toEqual(["a", "c", "b", "d"]);
    expect(fused[0]!.score).toBeCloseTo(1 / 61 + 1 / 62, 15);
    expect(fused[0]!.score).toBeCloseTo(0.032522474881, 11);
    expect(fused[1]!.score).toBeCloseTo(0.032266458496, 11);
    expect(fused[2]!.score).toBeCloseTo(0.016129032258, 11);
    expect(fused[3]!.score).toBeCloseTo(0.015873015873, 11);
  });

  it("applies per-retriever weights by name, default 1", () => {
    // dense:use × 2:
    // c: 1/63 + 2/61 = 0.015873015873 + 0.032786885246 = 0.048659901119
    // a: 1/61 + 2/62 = 0.016393442623 + 0.032258064516 = 0.048651507139
    // d: 2/63 = 0.031746031746    b: 1/62 = 0.016129032258
    const fused = fuse([lexical, dense], { method: "rrf", weights: { "dense:use": 2 } });
    expect(ids(fused)).toEqual(["c", "a", "d", "b"]);
    expect(fused.map((hit) => hit.score)).toEqual([
      expect.closeTo(0.048659901119, 11),
      expect.closeTo(0.048651507139, 11),
      expect.closeTo(0.031746031746, 11),
      expect.closeTo(0.016129032258, 11),
    ]);
  });

  it("uses the configured k", () => {
    // k = 1: a: 1/2 + 1/3 = 0.8333…, c: 1/4 + 1/2 = 0.75, b: 1/3, d: 1/4
    const fused = fuse([lexical, dense], { method: "rrf", k: 1 });
    expect(fused.map((hit) => [hit.id, hit.score])).toEqual([
      ["a", expect.closeTo(5 / 6, 15)],
      ["c", expect.closeTo(0.75, 15)],
      ["b", expect.closeTo(1 / 3, 15)],
      ["d", expect.closeTo(0.25, 15)],
    ]);
  });

  it("drops a retriever weighted 0, ignores weights for absent retrievers", () => {
    // Only lexical counts: a 1/61, b 1/62, c 1/63; d (dense only) is gone.
    const fused = fuse([lexical, dense], {
      method: "rrf",
      weights: { "dense:use": 0, "dense:glove": 5 },
    });
    expect(ids(fused)).toEqual(["a", "b", "c"]);
    expect(fused[2]!.score).toBeCloseTo(1 / 63, 15);
  });

  it("counts an id repeated within one list once, at its first rank", () => {
    // a: 1/61 only (its second place at rank 3 adds nothing); b: 1/62
    const fused = fuse([ranked("lexical", ["a", "b", "a"])], { method: "rrf" });
    expect(fused.map((hit) => [hit.id, hit.score])).toEqual([
      ["a", 1 / 61],
      ["b", 1 / 62],
    ]);
  });

  it("returns at most limit hits", () => {
    expect(ids(fuse([lexical, dense], { method: "rrf" }, 2))).toEqual(["a", "c"]);
    expect(fuse([lexical, dense], { method: "rrf" }, 0)).toEqual([]);
    expect(ids(fuse([lexical, dense], { method: "rrf" }, 10))).toHaveLength(4);
    expect(thrown(() => fuse([lexical], { method: "rrf" }, -1)).field).toBe("limit");
    expect(thrown(() => fuse([lexical], { method: "rrf" }, 1.5)).field).toBe("limit");
  });
});

describe("fuse: weighted (normalised score) fusion", () => {
  // bm25 [a 10, b 6, c 2] and dense [c 0.9, d 0.8, a 0.5]
  const bm25 = list("bm25", [
    ["a", 10],
    ["b", 6],
    ["c", 2],
  ]);
  const dense = list("dense", [
    ["c", 0.9],
    ["d", 0.8],
    ["a", 0.5],
  ]);

  it("adds min-max normalised scores by default, absent lists contributing 0", () => {
    // bm25 minmax (÷ 8): a 1, b 0.5, c 0    dense minmax (÷ 0.4): c 1, d 0.75, a 0
    // weights 0.7 / 0.3: a 0.7·1 + 0.3·0 = 0.7, b 0.7·0.5 = 0.35, c 0 + 0.3·1 = 0.3, d 0.3·0.75 = 0.225
    const fused = fuse([bm25, dense], { method: "weighted", weights: { bm25: 0.7, dense: 0.3 } });
    expect(fused.map((hit) => [hit.id, hit.score])).toEqual([
      ["a", expect.closeTo(0.7, 12)],
      ["b", expect.closeTo(0.35, 12)],
      ["c", expect.closeTo(0.3, 12)],
      ["d", expect.closeTo(0.225, 12)],
    ]);
  });

  it("uses z-scores when asked", () => {
    // bm25: μ 6, σ = √(32/3) = 3.26599: a +4/σ = 1.224744871391589, b 0, c −1.224744871391589
    // dense: μ 11/15, σ = √(13/450) = 0.16996731711975951:
    //   c (1/6)/σ = 0.9805806756909198, d (1/15)/σ = 0.3922322702763679, a (−7/30)/σ = −1.3728129459672884
    // d 0.39223, b 0, a 1.22474 − 1.37281 = −0.14807, c −1.22474 + 0.98058 = −0.24416
    const fused = fuse([bm25, dense], { method: "weighted", normalization: "zscore" });
    expect(fused.map((hit) => [hit.id, hit.score])).toEqual([
      ["d", expect.closeTo(0.3922322702763679, 12)],
      ["b", 0],
      ["a", expect.closeTo(-0.14806807457569948, 12)],
      ["c", expect.closeTo(-0.24416419570066916, 12)],
    ]);
  });

  it("adds raw scores with normalization none", () => {
    // a 10 + 0.5, b 6, c 2 + 0.9, d 0.8
    const fused = fuse([bm25, dense], { method: "weighted", normalization: "none" });
    expect(fused.map((hit) => [hit.id, hit.score])).toEqual([
      ["a", 10.5],
      ["b", 6],
      ["c", expect.closeTo(2.9, 12)],
      ["d", 0.8],
    ]);
  });

  it("refuses non-finite scores", () => {
    const bad = list("dense", [["x", Number.NaN]]);
    const error = thrown(() => fuse([bad], { method: "weighted" }));
    expect(error.code).toBe("E_QUERY");
    expect(error.message).toMatch(/retriever "dense" gave document "x" the non-finite score NaN/);
  });
});

describe("fuse: deterministic ties", () => {
  it("breaks equal scores by the better best rank, then by id", () => {
    // Weights 1 with minmax: a 1 + 0 = 1, c 0 + 1 = 1 (both best rank 1 → id: a before c),
    // d 0.75, b 0.5.
    const fused = fuse(
      [
        list("bm25", [
          ["a", 10],
          ["b", 6],
          ["c", 2],
        ]),
        list("dense", [
          ["c", 0.9],
          ["d", 0.8],
          ["a", 0.5],
        ]),
      ],
      { method: "weighted" },
    );
    expect(ids(fused)).toEqual(["a", "c", "d", "b"]);
    expect(fused[0]!.score).toBe(fused[1]!.score);

    // none: q 2 (best rank 2) and r 2 (best rank 1) tie; r's better rank wins over q's smaller id.
    const byRank = fuse(
      [
        list("one", [
          ["p", 5],
          ["q", 2],
        ]),
        list("two", [["r", 2]]),
      ],
      { method: "weighted", normalization: "none" },
    );
    expect(ids(byRank)).toEqual(["p", "r", "q"]);
  });

  it("breaks RRF ties between mirrored ranks by id, in code-unit order", () => {
    // y: 1/61 + 1/62, x: 1/62 + 1/61 — equal; both best rank 1 → "x" before "y".
    // "Z" (U+005A) sorts before "a" (U+0061) in code-unit order: Z 1/63 = a 1/63.
    const fused = fuse([ranked("one", ["y", "x", "Z"]), ranked("two", ["x", "y", "a"])], {
      method: "rrf",
    });
    expect(ids(fused)).toEqual(["x", "y", "Z", "a"]);
  });

  it("keeps a single list's order even when its scores tie", () => {
    const tied = list("bm25", [
      ["m", 1],
      ["c", 1],
      ["a", 1],
    ]);
    for (const normalization of ["minmax", "zscore", "dbsf", "none"] as const) {
      expect(ids(fuse([tied], { method: "weighted", normalization }))).toEqual(["m", "c", "a"]);
    }
    expect(ids(fuse([tied], { method: "rrf" }))).toEqual(["m", "c", "a"]);
  });
});

describe("fuse: empty lists", () => {
  const full = list("bm25", [
    ["d3", 9],
    ["d1", 4],
    ["d2", 1],
  ]);
  const empty: RankedList = { retriever: "dense:use", hits: [] };

  it("fuses one empty and one non-empty list into the non-empty list's order", () => {
    for (const spec of [
      { method: "rrf" },
      { method: "weighted" },
      { method: "weighted", normalization: "dbsf" },
    ] satisfies FusionSpec[]) {
      expect(ids(fuse([empty, full], spec))).toEqual(["d3", "d1", "d2"]);
      expect(ids(fuse([full, empty], spec))).toEqual(["d3", "d1", "d2"]);
    }
  });

  it("returns [] when every list is empty or there are none", () => {
    expect(fuse([empty, { retriever: "bm25", hits: [] }], { method: "rrf" })).toEqual([]);
    expect(fuse([empty], { method: "weighted" })).toEqual([]);
    expect(fuse([], { method: "rrf" })).toEqual([]);
  });
});

describe("fuse: configuration errors", () => {
  const lists = [ranked("bm25", ["a"])];

  it("refuses negative and non-finite weights, naming the field", () => {
    for (const weight of [-1, Number.NaN, Infinity]) {
      const error = thrown(() => fuse(lists, { method: "rrf", weights: { "dense:use": weight } }));
      expect(error.code).toBe("E_CONFIG");
      expect(error.field).toBe("fusion.weights.dense:use");
      expect(error.message).toContain('field "fusion.weights.dense:use"');
      expect(error.message).toContain(`got ${weight}`);
    }
    const weighted = thrown(() => fuse(lists, { method: "weighted", weights: { bm25: -0.5 } }));
    expect(weighted.field).toBe("fusion.weights.bm25");
  });

  it("refuses a k that is not positive and unknown methods or normalizations", () => {
    expect(thrown(() => fuse(lists, { method: "rrf", k: 0 })).field).toBe("fusion.k");
    expect(thrown(() => fuse(lists, { method: "rrf", k: -60 })).field).toBe("fusion.k");
    const method = thrown(() => fuse(lists, { method: "borda" } as unknown as FusionSpec));
    expect(method.field).toBe("fusion.method");
    const normalization = thrown(() =>
      fuse(lists, { method: "weighted", normalization: "l2" } as unknown as FusionSpec),
    );
    expect(normalization.field).toBe("fusion.normalization");
  });
});

describe("describeFusion", () => {
  it("names the method, its parameter and the weights in order", () => {
    expect(describeFusion({ method: "rrf", weights: { lexical: 1, "dense:use": 0.3 } })).toBe(
      "rrf k=60 lexical×1 dense:use×0.3",
    );
    expect(describeFusion({ method: "rrf", k: 10 })).toBe("rrf k=10");
    expect(describeFusion({ method: "weighted" })).toBe("weighted minmax");
    expect(
      describeFusion({ method: "weighted", normalization: "dbsf", weights: { bm25: 0.7 } }),
    ).toBe("weighted dbsf bm25×0.7");
  });
});

describe("fusionSpecSchema", () => {
  const PATH = ["pipelines", "x", "fusion"];
  const parse = (value: unknown): FusionConfig =>
    parseWith(fusionSpecSchema, value, "pairlift.config.yaml", PATH);

  it("accepts each variant", () => {
    expect(parse({ method: "rrf" })).toEqual({ method: "rrf" });
    expect(parse({ method: "rrf", k: 20, weights: { bm25: 1, "dense:use": 0 } })).toEqual({
      method: "rrf",
      k: 20,
      weights: { bm25: 1, "dense:use": 0 },
    });
    expect(parse({ method: "weighted", normalization: "dbsf", weights: { bm25: 0.5 } })).toEqual({
      method: "weighted",
      normalization: "dbsf",
      weights: { bm25: 0.5 },
    });
    expect(parse({ tuned: "tuned/fusion.json" })).toEqual({ tuned: "tuned/fusion.json" });
  });

  it("names the path of each problem", () => {
    const cases: [unknown, RegExp][] = [
      [{ method: "rrf", k: 0 }, /pipelines\.x\.fusion\.k: k is a number > 0/],
      [{ method: "rrf", k: "60" }, /pipelines\.x\.fusion\.k: k is a number > 0/],
      [
        { method: "rrf", weights: { bm25: 1, "dense:use": -1 } },
        /pipelines\.x\.fusion\.weights\.dense:use: a weight is a number ≥ 0/,
      ],
      [
        { method: "weighted", normalization: "l2" },
        /pipelines\.x\.fusion\.normalization: expected one of minmax, zscore, dbsf, none/,
      ],
      [{ method: "rrf", kk: 60 }, /pipelines\.x\.fusion: Unrecognized key: "kk"/],
      [{ method: "weighted", k: 60 }, /pipelines\.x\.fusion: Unrecognized key: "k"/],
      [
        { method: "borda" },
        /pipelines\.x\.fusion\.method: expected method: rrf or method: weighted \(or tuned: <file>/,
      ],
      [{}, /pipelines\.x\.fusion\.method: expected method: rrf or method: weighted/],
      [{ tuned: 3 }, /pipelines\.x\.fusion\.tuned: tuned is the path of a tuned-fusion JSON file/],
      [
        { tuned: "t.json", method: "rrf" },
        /pipelines\.x\.fusion: a tuned fusion takes only "tuned" \(the file holds method and weights\); remove method/,
      ],
    ];
    for (const [value, message] of cases) {
      const error = thrown(() => parse(value));
      expect(error.code).toBe("E_CONFIG");
      expect(error.file).toBe("pairlift.config.yaml");
      expect(error.message).toMatch(message);
    }
  });

  it("reports every problem at once", () => {
    const error = thrown(() => parse({ method: "rrf", k: -1, weights: { a: -1 } }));
    expect(error.message).toMatch(/pipelines\.x\.fusion\.k: /);
    expect(error.message).toMatch(/pipelines\.x\.fusion\.weights\.a: /);
  });

  it("fusionMethodSchema takes a spec but not a tuned reference", () => {
    expect(parseWith(fusionMethodSchema, { method: "rrf", k: 5 }, undefined, [])).toEqual({
      method: "rrf",
      k: 5,
    });
    expect(() => parseWith(fusionMethodSchema, { tuned: "x.json" }, "t.json", [])).toThrow(
      /method: expected method: rrf/,
    );
  });
});
