/**
 * Conformance with trec_eval 10.0: for every run in ../shared/data/metric-fixtures (outside the
 * repository), `pairlift trec-eval` must print byte for byte what trec_eval printed for
 * `trec_eval -c [-q] -m ndcg_cut.10,100 -m recip_rank -m recall.10,100 -m map -m map_cut.10
 * -m P.10 -m success.1,10 NAME.qrels NAME.VARIANT.run` (see the fixtures' PROVENANCE.md).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bufferIO } from "../src/cli/io.js";
import { runCli } from "../src/cli/program.js";

const FIXTURES = fileURLToPath(new URL("../../shared/data/metric-fixtures", import.meta.url));
const present = existsSync(FIXTURES);
if (!present) {
  console.warn(`trec-eval conformance tests skipped: fixture folder ${FIXTURES} is missing`);
}

const MEASURES = [
  "-m",
  "ndcg_cut.10,100",
  "-m",
  "recip_rank",
  "-m",
  "recall.10,100",
  "-m",
  "map",
  "-m",
  "map_cut.10",
  "-m",
  "P.10",
  "-m",
  "success.1,10",
];

interface Fixture {
  name: string;
  qrels: string;
  run: string;
  agg: string;
  perquery: string;
}

function fixtures(): Fixture[] {
  if (!present) return [];
  return readdirSync(FIXTURES)
    .filter((file) => file.endsWith(".run"))
    .sort()
    .map((file) => {
      const name = file.slice(0, -".run".length);
      const dataset = name.split(".")[0]!;
      return {
        name,
        qrels: join(FIXTURES, `${dataset}.qrels`),
        run: join(FIXTURES, file),
        agg: join(FIXTURES, `${name}.trec_eval.agg.txt`),
        perquery: join(FIXTURES, `${name}.trec_eval.perquery.txt`),
      };
    });
}

async function trecEval(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = bufferIO();
  const code = await runCli(["trec-eval", ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe.skipIf(!present)("trec_eval 10.0 conformance on metric fixtures", () => {
  const all = fixtures();

  it("finds the fixture runs", () => {
    expect(all.length).toBeGreaterThanOrEqual(10);
  });

  for (const fixture of all) {
    it(`${fixture.name}: summary matches trec_eval -c byte for byte`, async () => {
      const result = await trecEval(["-c", ...MEASURES, fixture.qrels, fixture.run]);
      expect(result.err).toBe("");
      expect(result.code).toBe(0);
      expect(result.out).toBe(readFileSync(fixture.agg, "utf8"));
    });

    it(`${fixture.name}: per-query output matches trec_eval -c -q byte for byte`, async () => {
      const result = await trecEval(["-c", "-q", ...MEASURES, fixture.qrels, fixture.run]);
      expect(result.err).toBe("");
      expect(result.code).toBe(0);
      expect(result.out).toBe(readFileSync(fixture.perquery, "utf8"));
    });
  }

  it("without -m prints trec_eval's default (official) measures, agreeing with the fixture", async () => {
    const fixture = all[0]!;
    const result = await trecEval(["-c", fixture.qrels, fixture.run]);
    const lines = result.out.trimEnd().split("\n");
    const names = lines.map((line) => line.split("\t")[0]!.trim());
    expect(names.slice(0, 10)).toEqual(
      ["runid", "num_q", "num_ret", "num_rel", "num_rel_ret", "map", "gm_map", "Rprec"].concat([
        "bpref",
        "recip_rank",
      ]),
    );
    expect(names.filter((name) => name.startsWith("P_"))).toHaveLength(9);
    const expected = readFileSync(fixture.agg, "utf8").trimEnd().split("\n");
    for (const shared of ["map", "recip_rank", "P_10"]) {
      const line = expected.find((l) => l.split("\t")[0]!.trim() === shared);
      expect(lines).toContain(line);
    }
  });

  it("prints the same regardless of the order the measures are requested in", async () => {
    const fixture = all[0]!;
    const reordered = ["-m", "success.10,1", "-m", "P.10", "-m", "map_cut.10", "-m", "map"];
    reordered.push("-m", "recall.100,10", "-m", "recip_rank", "-m", "ndcg_cut.100,10");
    const result = await trecEval(["-c", ...reordered, fixture.qrels, fixture.run]);
    expect(result.out).toBe(readFileSync(fixture.agg, "utf8"));
  });

  it("--json carries the unrounded values behind the printed ones", async () => {
    const fixture = all.find((f) => f.name.endsWith("trunc10_missing")) ?? all[0]!;
    const result = await trecEval(["-c", "--json", ...MEASURES, fixture.qrels, fixture.run]);
    const parsed = JSON.parse(result.out) as {
      aggregate: Record<string, number>;
      perQuery: Record<string, Record<string, number>>;
    };
    const printed = readFileSync(fixture.agg, "utf8")
      .trimEnd()
      .split("\n")
      .map((line) => line.split("\t"));
    expect(Object.keys(parsed.aggregate)).toEqual(printed.map(([name]) => name!.trim()));
    for (const [name, , value] of printed) {
      expect(parsed.aggregate[name!.trim()]!.toFixed(4)).toBe(value);
    }
    const perQueryText = readFileSync(fixture.perquery, "utf8");
    const qids = new Set(perQueryText.split("\n").map((line) => line.split("\t")[1]));
    qids.delete("all");
    qids.delete(undefined);
    expect(Object.keys(parsed.perQuery).sort()).toEqual([...qids].sort());
  });

  it("without -c, averages only over queries the run answers", async () => {
    const fixture = all.find((f) => f.name.endsWith("trunc10_missing"));
    if (fixture === undefined) return;
    const withC = await trecEval(["-c", "--json", "-m", "P.10", fixture.qrels, fixture.run]);
    const withoutC = await trecEval(["--json", "-m", "P.10", fixture.qrels, fixture.run]);
    const a = JSON.parse(withC.out) as { aggregate: { P_10: number }; perQuery: object };
    const b = JSON.parse(withoutC.out) as { aggregate: { P_10: number }; perQuery: object };
    const nAll = Object.keys(a.perQuery).length;
    const nRun = Object.keys(b.perQuery).length;
    expect(nRun).toBeLessThan(nAll);
    expect(b.aggregate.P_10 * nRun).toBeCloseTo(a.aggregate.P_10 * nAll, 10);
  });
});
