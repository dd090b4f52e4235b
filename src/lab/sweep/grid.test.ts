import { describe, expect, it } from "vitest";
import { configurationId, expandGrid, fusionVariants } from "./grid.js";

const embedders = { use: {}, glove: {} };

describe("the sweep grid", () => {
  it("crosses first stages, depths, fusion (multi-path only), rerankers and rerank depths", () => {
    const grid = expandGrid(
      {
        firstStages: ["bm25", "hybrid:use"],
        depths: [100],
        fusion: [{ method: "rrf", k: [20, 60] }, "tuned"],
        rerankers: ["none", "learned"],
        rerankDepths: [20, 50],
      },
      embedders,
    );
    // bm25: 1 fusion × (none + 2 depths) = 3; hybrid: 3 fusions × 3 = 9.
    expect(grid.map((c) => c.id)).toEqual([
      "bm25@100",
      "bm25@100 / learned@20",
      "bm25@100 / learned@50",
      "hybrid:use@100 / rrf k=20",
      "hybrid:use@100 / rrf k=20 / learned@20",
      "hybrid:use@100 / rrf k=20 / learned@50",
      "hybrid:use@100 / rrf k=60",
      "hybrid:use@100 / rrf k=60 / learned@20",
      "hybrid:use@100 / rrf k=60 / learned@50",
      "hybrid:use@100 / tuned",
      "hybrid:use@100 / tuned / learned@20",
      "hybrid:use@100 / tuned / learned@50",
    ]);
    const hybrid = grid[4]!;
    expect(hybrid.firstStage).toEqual({ name: "hybrid:use", lexical: true, embedders: ["use"] });
    expect(hybrid.fusion).toEqual({
      kind: "spec",
      spec: { method: "rrf", k: 20 },
      label: "rrf k=20",
    });
    expect([hybrid.reranker, hybrid.rerankDepth, hybrid.depth]).toEqual(["learned", 20, 100]);
    expect(grid[0]!.fusion).toBeUndefined();
    expect(grid[0]!.reranker).toBeUndefined();
  });

  it("skips rerank depths beyond a single path's depth, which would duplicate a deeper first stage", () => {
    const grid = expandGrid(
      {
        firstStages: ["dense:glove", "hybrid:use+glove"],
        depths: [10],
        fusion: [{ method: "rrf" }],
        rerankers: ["learned"],
        rerankDepths: [5, 20],
      },
      embedders,
    );
    expect(grid.map((c) => c.id)).toEqual([
      "dense:glove@10 / learned@5",
      "hybrid:use+glove@10 / rrf k=60 / learned@5",
      "hybrid:use+glove@10 / rrf k=60 / learned@20",
    ]);
  });

  it("drops duplicate fusion variants and refuses unknown first stages and embedders", () => {
    expect(
      fusionVariants({
        fusion: [{ method: "rrf", k: 60 }, { method: "rrf", k: [60, 10] }, "tuned", "tuned"],
      }).map((v) => v.label),
    ).toEqual(["rrf k=60", "rrf k=10", "tuned"]);
    const settings = {
      depths: [10],
      fusion: ["tuned" as const],
      rerankers: ["none"],
      rerankDepths: [5],
    };
    expect(() => expandGrid({ ...settings, firstStages: ["bm25", "sparse:x"] }, embedders)).toThrow(
      /field "lab\.firstStages\.1": unknown first stage "sparse:x"/,
    );
    expect(() => expandGrid({ ...settings, firstStages: ["hybrid:minilm"] }, embedders)).toThrow(
      /unknown embedder "minilm"/,
    );
  });

  it("names a configuration by its parts", () => {
    expect(
      configurationId({
        firstStage: { name: "hybrid:use", lexical: true, embedders: ["use"] },
        depth: 100,
        fusion: { kind: "tune", label: "tuned" },
        reranker: "minilm",
        rerankDepth: 20,
        guard: true,
      }),
    ).toBe("hybrid:use@100 / tuned / minilm@20");
  });

  it("sweeps the exact-match guard on and off when asked, naming the off ones", () => {
    const grid = expandGrid(
      {
        firstStages: ["bm25", "hybrid:use"],
        depths: [100],
        fusion: [{ method: "rrf" }],
        rerankers: ["none"],
        rerankDepths: [50],
        guards: [true, false],
      },
      embedders,
    );
    expect(grid.map((c) => [c.id, c.guard])).toEqual([
      ["bm25@100", true],
      ["bm25@100 / guard off", false],
      ["hybrid:use@100 / rrf k=60", true],
      ["hybrid:use@100 / rrf k=60 / guard off", false],
    ]);
  });
});
