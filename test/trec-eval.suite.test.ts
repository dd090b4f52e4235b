/**
 * trec_eval 10.0's own test suite (the Makefile's `quicktest` target): `pairlift trec-eval` must
 * print byte for byte what trec_eval printed into each `out.test*` file, with the same arguments.
 * Inputs and outputs are in ../shared/data/trec_eval-10.0-test (see its PROVENANCE.md).
 * The preference (`-R prefs`) and judgment-group (`-R qrels_jg`) cases are not supported.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bufferIO } from "../src/cli/io.js";
import { runCli } from "../src/cli/program.js";
import { sharedPath } from "./support/shared.js";

const suite = sharedPath("data/trec_eval-10.0-test");
const file = (name: string): string => `${suite.path}/${name}`;

/** Each quicktest line: the expected output file and the arguments trec_eval was given. */
const CASES: readonly { expected: string; args: readonly string[] }[] = [
  { expected: "out.test", args: ["qrels.test", "results.test"] },
  { expected: "out.test", args: ["qrels.test.with-comments", "results.test"] },
  { expected: "out.comment.test", args: ["qrels.comment.test", "results.comment.test"] },
  { expected: "out.test.a", args: ["-m", "all_trec", "qrels.test", "results.test"] },
  { expected: "out.test.aq", args: ["-m", "all_trec", "-q", "qrels.test", "results.test"] },
  {
    expected: "out.test.aqc",
    args: ["-m", "all_trec", "-q", "-c", "qrels.test", "results.trunc"],
  },
  {
    expected: "out.test.aqcM",
    args: ["-m", "all_trec", "-q", "-c", "-M100", "qrels.test", "results.trunc"],
  },
  {
    expected: "out.test.aql",
    args: ["-m", "all_trec", "-mrelstring.20", "-q", "-l2", "qrels.rel_level", "results.test"],
  },
  {
    expected: "out.test.meas_params",
    args: [
      "-q",
      "-miprec_at_recall..10,.20,.25,.75,.50",
      "-m",
      "P.5,7,3",
      "-m",
      "recall.20,2000",
      "-m",
      "Rprec_mult.5.0,0.2,0.35",
      "-mutility.2,-1,0,0",
      "-m",
      "11pt_avg..25,.5,.75",
      "-mndcg.1=3,2=9,4=4.5",
      "-mndcg_cut.10,20,23.4",
      "-msuccess.2,5,20",
      "qrels.test",
      "results.test",
    ],
  },
  {
    expected: "out.test.aqZ",
    args: ["-q", "-m", "all_trec", "-Z", "zscores_file", "qrels.test", "results.test"],
  },
];

/** The suite's file names become paths; options and measure specs stay as they are. */
function withPaths(args: readonly string[]): string[] {
  return args.map((arg, i) =>
    /^(qrels|results|zscores)/.test(arg) &&
    !arg.startsWith("-") &&
    (i === 0 || args[i - 1] !== "-m")
      ? file(arg)
      : arg,
  );
}

async function trecEval(
  args: readonly string[],
): Promise<{ code: number; out: string; err: string }> {
  const io = bufferIO();
  const code = await runCli(["trec-eval", ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe.skipIf(!suite.present)("trec_eval 10.0 quicktest, byte for byte", () => {
  for (const { expected, args } of CASES) {
    it(`trec_eval ${args.join(" ")} = ${expected}`, async () => {
      const result = await trecEval(withPaths(args));
      expect(result.err).toBe("");
      expect(result.code).toBe(0);
      expect(result.out).toBe(readFileSync(file(expected), "utf8"));
    });
  }

  it("-J (judged documents only) closes up the ranking before scoring", async () => {
    const inputs = withPaths(["qrels.rel_level", "results.test"]);
    const measures = ["-q", "-m", "relstring.20", "-m", "P.10"];
    const plain = await trecEval([...measures, ...inputs]);
    const judged = await trecEval([...measures, "-J", ...inputs]);
    const column = (out: string, name: string): string[] =>
      out
        .split("\n")
        .filter((l) => l.split("\t")[0]!.trim() === name)
        .map((l) => l.split("\t")[2]!);
    const before = column(plain.out, "relstring_20");
    const after = column(judged.out, "relstring_20");
    expect(before.some((s) => /[-.]/.test(s))).toBe(true);
    for (const s of after) expect(s).toMatch(/^'[0-9]*'$/);
    // The judged documents keep their order: the condensed string is the plain one without gaps.
    expect(after[0]!.startsWith(before[0]!.replace(/[-.']/g, ""), 1)).toBe(true);
    const [p10Plain, p10Judged] = [plain.out, judged.out].map((out) =>
      Number(column(out, "P_10").at(-1)),
    );
    expect(p10Judged).toBeGreaterThan(p10Plain!);
  });
});
