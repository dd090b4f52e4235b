import { describe, expect, it } from "vitest";
import { LexicalIndex } from "../../lexical/lexical-index.js";
import type { Query } from "../../types.js";
import {
  isIdentifierLike,
  isNumericToken,
  isQuestion,
  isSize,
} from "../../analysis/query-shape.js";
import { parseSliceFile } from "./slice-file.js";
import {
  assignSlices,
  automaticSlicesOf,
  indexTermStatistics,
  summarizeSlices,
  type TermStatistics,
} from "./slices.js";

describe("query shapes", () => {
  it("tells identifiers from sizes and numbers", () => {
    for (const token of [
      "KT-2040",
      "wd1680",
      "A7-B/12",
      "1000-045-993",
      "RT.4410.03",
      "p53",
      "IL-6",
      "COVID-19",
      "BRCA1",
      "H3K27me3",
      "12345678",
      "BSR18V-55",
    ])
      expect([token, isIdentifierLike(token)]).toEqual([token, true]);
    for (const token of [
      "18v",
      "2x4",
      "10ft",
      "3mm",
      "100ml",
      "10-ft",
      "2.5mm",
      "3-pack",
      "1st",
      "4k",
      "3.5",
      "1/4",
      "1990-2000",
      "2019",
      "12345",
      "drill",
    ])
      expect([token, isIdentifierLike(token)]).toEqual([token, false]);
    expect(isSize("4x8ft")).toBe(true);
    expect(isSize("18q")).toBe(false);
    expect(isNumericToken("50")).toBe(true);
    expect(isNumericToken("18v")).toBe(true);
    expect(isNumericToken("kt2040")).toBe(false);
    expect(isNumericToken("hose")).toBe(false);
  });

  it("recognises questions by a question mark or a leading wh-word", () => {
    expect(isQuestion("what battery fits the kestrel drill")).toBe(true);
    expect(isQuestion("Do vegetarians get enough protein?")).toBe(true);
    expect(isQuestion("cells which express CD4 proliferate")).toBe(false);
  });
});

const queries: Query[] = [
  { id: "q1", text: "kt2040", metadata: { tags: ["identifier", "normalized"] } },
  { id: "q2", text: "garden hose 50 ft", metadata: { tags: ["natural-language"] } },
  { id: "q3", text: "what battery fits the kestrel drill?", metadata: { tags: "question" } },
  {
    id: "q4",
    text: "a very long natural language query about a cordless drill with two batteries",
  },
  { id: "q5", text: "filter for WD1680 vacuums", metadata: { tags: [3, "identifier"] } },
];

/** df from a fixed table: `kestrel` is rare, everything else common or absent. */
const terms: TermStatistics = {
  queryTerms: (text) =>
    new Map(
      text
        .toLowerCase()
        .split(/\W+/)
        .map((t) => [t, 1]),
    ),
  documentFrequency: (term) => ({ kestrel: 2, drill: 40, hose: 9, nothing: 0 })[term] ?? 0,
};

describe("assignSlices", () => {
  it("puts each query in the automatic, tag and file slices it belongs to", () => {
    const sliceFile = parseSliceFile('drills: "drill"\npicked: [q2, 5]\nnone: "^zzz"\n', "s.yaml");
    const slices = assignSlices(queries, { terms, sliceFile });
    expect(Object.fromEntries(slices)).toEqual({
      identifier: ["q1", "q5"],
      numeric: ["q2"],
      question: ["q3"],
      short: ["q1"],
      long: ["q4"],
      "rare-terms": ["q3"],
      "tag:identifier": ["q1", "q5"],
      "tag:natural-language": ["q2"],
      "tag:normalized": ["q1"],
      "tag:question": ["q3"],
      drills: ["q3", "q4"],
      picked: ["q2"],
      none: [],
    });
    // Without term statistics there is no rare-terms slice.
    expect(assignSlices(queries).has("rare-terms")).toBe(false);
    expect(automaticSlicesOf({ id: "x", text: "nothing" }, terms)).toEqual(["short"]);
  });

  it("reads document frequencies from a BM25 index", () => {
    const index = LexicalIndex.create();
    index.add({ id: "d1", title: "Kestrel KT-2040 drill", text: "" });
    index.add({ id: "d2", title: "drill bits", text: "" });
    for (let i = 3; i <= 6; i += 1) index.add({ id: `d${i}`, title: "drill", text: "cordless" });
    const statistics = indexTermStatistics(index);
    expect(statistics.documentFrequency("drill")).toBe(6);
    expect(statistics.documentFrequency("kt2040")).toBe(1);
    expect(statistics.documentFrequency("absent")).toBe(0);
    expect(automaticSlicesOf({ id: "x", text: "kt 2040 drill" }, statistics)).toContain(
      "rare-terms",
    );
    expect(automaticSlicesOf({ id: "y", text: "cordless drill" }, statistics)).not.toContain(
      "rare-terms",
    );
  });
});

describe("summarizeSlices", () => {
  it("averages each slice over its own queries and flags small ones", () => {
    const perQuery = {
      q1: { "ndcg@10": 1, "p@10": 0.1 },
      q2: { "ndcg@10": 0.5, "p@10": 0.2 },
      q3: { "ndcg@10": 0, "p@10": 0 },
    };
    const membership = new Map([
      ["identifier", ["q1", "q3"]],
      ["empty", []],
      ["unevaluated", ["q9", "q2"]],
    ]);
    expect(summarizeSlices(perQuery, membership, 2)).toEqual({
      identifier: {
        queries: 2,
        queryIds: ["q1", "q3"],
        aggregate: { "ndcg@10": 0.5, "p@10": 0.05 },
        tooSmall: false,
      },
      empty: { queries: 0, queryIds: [], aggregate: {}, tooSmall: true },
      unevaluated: {
        queries: 1,
        queryIds: ["q2"],
        aggregate: { "ndcg@10": 0.5, "p@10": 0.2 },
        tooSmall: true,
      },
    });
  });
});

describe("slice files", () => {
  it("accepts /regex/flags literals, plain regexes (case-insensitive) and id lists", () => {
    const file = parseSliceFile("upper: /KT\\d+/\nany-case: kt\\d+\nids: [q3]\n", "slices.yaml");
    const match = (name: string, text: string): boolean =>
      file.slices.find((slice) => slice.name === name)!.matches({ id: "q3", text });
    expect(match("upper", "KT2040")).toBe(true);
    expect(match("upper", "kt2040")).toBe(false);
    expect(match("any-case", "KT2040")).toBe(true);
    expect(match("ids", "anything")).toBe(true);
    expect(parseSliceFile("", "e.yaml").slices).toEqual([]);
  });

  it("names the file, line and slice of every problem", () => {
    expect(() => parseSliceFile("ok: a\nbad: '(unclosed'\n", "s.yaml")).toThrow(
      /^s\.yaml:2: field "bad": invalid regular expression/,
    );
    expect(() => parseSliceFile("ok: a\n\nidentifier: b\n", "s.yaml")).toThrow(
      /^s\.yaml:3: field "identifier": "identifier" is reserved/,
    );
    expect(() => parseSliceFile("tag:x: a\n", "s.yaml")).toThrow(/is reserved/);
    expect(() => parseSliceFile("n: {a: 1}\n", "s.yaml")).toThrow(
      /^s\.yaml:1: field "n": expected a regular expression/,
    );
    expect(() => parseSliceFile("n: [q1, {a: 1}]\n", "s.yaml")).toThrow(/query id #2/);
    expect(() => parseSliceFile("- a\n- b\n", "s.yaml")).toThrow(/is a mapping/);
    expect(() => parseSliceFile("a: [unclosed\n", "s.yaml")).toThrow(/^s\.yaml:\d+: malformed/);
  });
});
