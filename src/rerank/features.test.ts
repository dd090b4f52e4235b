import { describe, expect, it } from "vitest";
import { LexicalIndex } from "../lexical/lexical-index.js";
import { computeFeatures, featureNames, identifiersOf } from "./features.js";

const documents = [
  { id: "d1", title: "KT-2040 cordless drill", text: "A cordless drill with two batteries." },
  { id: "d2", title: "Drill bits", text: "Bits for any drill; not the kt 2040 itself." },
  { id: "d3", title: "Garden hose", text: "Fifty feet of hose." },
];

function index(): LexicalIndex {
  const lexical = LexicalIndex.create();
  for (const document of documents) lexical.add(document);
  return lexical;
}

describe("rerank features", () => {
  it("finds identifiers in compact form", () => {
    expect(identifiersOf("filter for KT-2040 and wd1680, 18 volts")).toEqual(["kt2040", "wd1680"]);
  });

  it("computes hand-checkable evidence for each candidate", () => {
    const lexical = index();
    const lists = [
      {
        retriever: "lexical",
        scores: new Map([
          ["d1", 3],
          ["d2", 1.5],
        ]),
        ranks: new Map([
          ["d1", 1],
          ["d2", 2],
        ]),
        best: 3,
        lowest: 1.5,
      },
    ];
    const [d1, d2, d3] = computeFeatures({
      query: "KT-2040 cordless drill",
      lexical,
      lists,
      candidates: documents.map((d, i) => ({ ...d, fused: 1 / (i + 1) })),
    });
    expect(Object.keys(d1!)).toEqual(expect.arrayContaining(featureNames(["lexical"])));
    // d1 holds the identifier (compact match), d2 holds it spaced out ("kt 2040" → "kt2040").
    expect(d1!["identifier.matches"]).toBe(1);
    expect(d1!["identifier.all"]).toBe(1);
    expect(d2!["identifier.all"]).toBe(1);
    expect(d3!["identifier.matches"]).toBe(0);
    expect(d1!["query.identifiers"]).toBe(1);
    // Retriever features: the hose was not retrieved, so it gets the list's lowest score.
    expect(d1!["lexical.norm"]).toBe(1);
    expect(d2!["lexical.rr"]).toBe(0.5);
    expect(d3!["lexical.score"]).toBe(1.5);
    expect(d3!["lexical.found"]).toBe(0);
    expect(d2!["fused.rr"]).toBe(0.5);
    // Coverage: d1 matches every query term; the hose matches none.
    expect(d1!["coverage"]).toBe(1);
    expect(d3!["coverage"]).toBe(0);
    expect(d1!["idf.coverage"]).toBe(1);
    expect(d1!["proximity"]).toBe(1); // the matched terms sit side by side
    expect(d3!["proximity"]).toBe(0);
    expect(d1!["bm25.title"]).toBeGreaterThan(0);
    // Query likelihood: the best candidate's gap is 0, the others' negative.
    expect(Math.max(d1!["lm.gap"]!, d2!["lm.gap"]!, d3!["lm.gap"]!)).toBe(0);
    expect(d3!["lm.gap"]).toBeLessThan(0);
    expect(d1!["bigrams"]).toBeGreaterThan(0);
  });
});
