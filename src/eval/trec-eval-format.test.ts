import { describe, expect, it } from "vitest";
import { parseTrecMeasures } from "./measures.js";
import { formatTrecEval, printfFixed4 } from "./trec-eval-format.js";

describe("printfFixed4", () => {
  it("rounds like glibc printf %.4f: exact value, exact ties to even", () => {
    expect(printfFixed4(0.03125)).toBe("0.0312"); // toFixed would say 0.0313
    expect(printfFixed4(0.09375)).toBe("0.0938");
    expect(printfFixed4(0.40625)).toBe("0.4062");
    expect(printfFixed4(-0.03125)).toBe("-0.0312");
    expect(printfFixed4(1 / 3)).toBe("0.3333");
    expect(printfFixed4(2 / 3)).toBe("0.6667");
    expect(printfFixed4(1)).toBe("1.0000");
    expect(printfFixed4(0)).toBe("0.0000");
    // 0.00015 is stored slightly below 0.00015, so it rounds down, as in C.
    expect(printfFixed4(0.00015)).toBe("0.0001");
    expect(printfFixed4(12.5)).toBe("12.5000");
  });
});

describe("formatTrecEval", () => {
  const measures = parseTrecMeasures(["P.5", "map"]);
  const result = {
    perQuery: new Map([
      ["q1", { map: 0.5, P_5: 0.2 }],
      ["q2", { map: 0.25, P_5: 0 }],
    ]),
    aggregate: { map: 0.375, P_5: 0.1 },
    numQueries: 2,
  };

  it("prints %-22s\\t%s\\t%6.4f lines, summary only by default", () => {
    expect(formatTrecEval(result, measures)).toBe(
      "map                   \tall\t0.3750\nP_5                   \tall\t0.1000\n",
    );
  });

  it("prints per-query lines first with -q", () => {
    expect(formatTrecEval(result, measures, { perQuery: true }).split("\n")).toEqual([
      "map                   \tq1\t0.5000",
      "P_5                   \tq1\t0.2000",
      "map                   \tq2\t0.2500",
      "P_5                   \tq2\t0.0000",
      "map                   \tall\t0.3750",
      "P_5                   \tall\t0.1000",
      "",
    ]);
  });
});
