import { describe, expect, it } from "vitest";
import { PairliftError } from "../../errors.js";
import { scoresFromAnswer } from "./base.js";

const malformed = (what: string): PairliftError => new PairliftError("E_REMOTE", `x: ${what}`);

describe("scoresFromAnswer", () => {
  const shape = { list: "results", scoreKey: "relevance_score" };

  it("puts scores in input order by index", () => {
    const answer = {
      results: [
        { index: 2, relevance_score: 0.9 },
        { index: 0, relevance_score: -1.5 },
        { index: 1, relevance_score: 0 },
      ],
    };
    expect(Array.from(scoresFromAnswer(answer, 3, shape, malformed))).toEqual([-1.5, 0, 0.9]);
  });

  it("names every missing index, up to five", () => {
    expect(() => scoresFromAnswer({ results: [] }, 3, shape, malformed)).toThrow(
      "x: indices 0, 1, 2 are missing",
    );
    expect(() => scoresFromAnswer({ results: [] }, 7, shape, malformed)).toThrow(
      "x: indices 0, 1, 2, 3, 4, … (7 in all) are missing",
    );
  });

  it("rejects a negative index and a null answer", () => {
    expect(() =>
      scoresFromAnswer({ results: [{ index: -1, relevance_score: 1 }] }, 1, shape, malformed),
    ).toThrow("x: results[0].index is -1, not an integer in 0..0");
    expect(() => scoresFromAnswer(null, 1, shape, malformed)).toThrow(
      'x: expected an object with a "results" array, got null',
    );
  });
});
