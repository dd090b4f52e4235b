import { describe, expect, it } from "vitest";
import { Analyzer } from "./analyzer.js";

function terms(analyzer: Analyzer, text: string): { terms: string[]; length: number } {
  const out: string[] = [];
  const length = analyzer.analyze(text, (term) => out.push(term));
  return { terms: out, length };
}

describe("Analyzer", () => {
  const analyzer = new Analyzer();

  it("lowercases, drops Lucene stopwords and Porter-stems plain words", () => {
    expect(terms(analyzer, "The Drills are running in the garden").terms).toEqual([
      "drill",
      "run",
      "garden",
    ]);
  });

  it("indexes a hyphenated code as its parts, itself and joined, counting only the parts in the length", () => {
    const { terms: out, length } = terms(analyzer, "KT-2040");
    expect(out).toEqual(["kt", "2040", "kt-2040", "kt2040"]);
    expect(length).toBe(2);
  });

  it("splits letter/digit runs of a mixed token as overlapping sub-terms", () => {
    const { terms: out, length } = terms(analyzer, "WD1680");
    expect(out).toEqual(["wd1680", "wd", "1680"]);
    expect(length).toBe(1);
  });

  it("handles slashes, dots and long digit groups", () => {
    expect(terms(analyzer, "A7-B/12").terms).toEqual(["a7", "7", "b", "12", "a7-b/12", "a7b12"]);
    expect(terms(analyzer, "1000-045-993").terms).toEqual([
      "1000",
      "045",
      "993",
      "1000-045-993",
      "1000045993",
    ]);
    expect(terms(analyzer, "RT.4410.02").terms).toContain("rt441002");
  });

  it("never stems identifiers", () => {
    expect(terms(analyzer, "running-2040").terms).toEqual([
      "run",
      "2040",
      "running-2040",
      "running2040",
    ]);
  });

  it("folds full-width characters (NFKC) and possessives", () => {
    expect(terms(analyzer, "ＫＴ－２０４０").terms).toEqual(terms(analyzer, "kt-2040").terms);
    expect(terms(analyzer, "Kestrel's drill").terms).toEqual(["kestrel", "drill"]);
  });

  it("keeps plain hyphenated words as words, without a joined form", () => {
    expect(terms(analyzer, "wet/dry high-fat").terms).toEqual(["wet", "dry", "high", "fat"]);
  });

  it("joins adjacent query tokens into an identifier the index knows", () => {
    const vocabulary = new Set(["kt2040", "1000045993"]);
    const has = (term: string): boolean => vocabulary.has(term);
    expect([...analyzer.analyzeQuery("kt 2040", has).keys()]).toEqual(["kt", "2040", "kt2040"]);
    expect([...analyzer.analyzeQuery("1000 045 993", has).keys()]).toContain("1000045993");
    // Only joins the index holds are added.
    expect([...analyzer.analyzeQuery("kt 2041", has).keys()]).toEqual(["kt", "2041"]);
  });

  it("weights repeated query terms by their count", () => {
    expect(analyzer.analyzeQuery("drill drill bit").get("drill")).toBe(2);
  });

  it("can turn identifier handling, stopwords and stemming off", () => {
    const plain = new Analyzer({ identifiers: false, stopwords: "none", stemmer: "none" });
    expect(terms(plain, "The KT-2040 drills").terms).toEqual(["the", "kt", "2040", "drills"]);
  });

  it("rejects a nonsensical option", () => {
    expect(() => new Analyzer({ maxQueryJoin: 0 })).toThrow(/maxQueryJoin/);
  });
});
