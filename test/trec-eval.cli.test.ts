import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bufferIO } from "../src/cli/io.js";
import { runCli } from "../src/cli/program.js";

let dir: string;
let qrels: string;
let runFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pairlift-trec-eval-"));
  qrels = join(dir, "test.qrels");
  runFile = join(dir, "test.run");
  await writeFile(qrels, "1 0 a 2\n1 0 b 0\n1 0 c 1\n2 0 x 1\n3 0 y 1\n");
  // Query 1 ranks a, b, c (the rank column is deliberately wrong); query 3 is missing.
  await writeFile(
    runFile,
    "1 Q0 c 1 1 t\n1 Q0 b 2 2 t\n1 Q0 a 3 3 t\n2 Q0 z 1 5 t\n9 Q0 a 1 1 t\n",
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = bufferIO();
  const code = await runCli(["trec-eval", ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe("pairlift trec-eval", () => {
  it("prints per-query then summary lines; -c averages over every qrels query", async () => {
    const result = await cli("-q", "-c", "-m", "P.2", "-m", "recip_rank", qrels, runFile);
    expect(result.code).toBe(0);
    expect(result.out).toBe(
      [
        "recip_rank            \t1\t1.0000",
        "P_2                   \t1\t0.5000",
        "recip_rank            \t2\t0.0000",
        "P_2                   \t2\t0.0000",
        "recip_rank            \t3\t0.0000",
        "P_2                   \t3\t0.0000",
        "recip_rank            \tall\t0.3333",
        "P_2                   \tall\t0.1667",
        "",
      ].join("\n"),
    );
    const partial = await cli("-m", "P.2", qrels, runFile);
    expect(partial.out).toBe("P_2                   \tall\t0.2500\n");
  });

  it("prints JSON with trec_eval names and queries in strcmp order", async () => {
    const result = await cli("--json", "-m", "ndcg_cut.10", "-m", "map", qrels, runFile);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.out) as {
      aggregate: Record<string, number>;
      perQuery: Record<string, Record<string, number>>;
    };
    expect(Object.keys(parsed.aggregate)).toEqual(["map", "ndcg_cut_10"]);
    const dcg = 2 + 1 / Math.log2(4);
    const idcg = 2 + 1 / Math.log2(3);
    expect(parsed.perQuery["1"]!.ndcg_cut_10).toBeCloseTo(dcg / idcg, 15);
    expect(parsed.perQuery["1"]!.map).toBeCloseTo((1 + 2 / 3) / 2, 15);
    expect(Object.keys(parsed.perQuery)).toEqual(["1", "2"]);
  });

  it("rejects an unknown measure as a usage error", async () => {
    const result = await cli("-m", "ndcg@10", qrels, runFile);
    expect(result.code).toBe(2);
    expect(result.out).toBe("");
    expect(result.err).toContain("[E_USAGE]");
    expect(result.err).toContain('unknown trec_eval measure "ndcg@10"');
  });

  it("reports malformed input with its line number", async () => {
    const bad = join(dir, "bad.run");
    await writeFile(bad, "1 Q0 a 1 3 t\n1 Q0 b 2 t\n");
    const result = await cli(qrels, bad);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`[E_PARSE]: ${bad}:2: `);
  });

  it("fails when no query has both results and judgments", async () => {
    const other = join(dir, "other.run");
    await writeFile(other, "42 Q0 a 1 3 t\n");
    const result = await cli(qrels, other);
    expect(result.code).toBe(1);
    expect(result.err).toContain("no queries with both results and relevance judgments");
    const complete = await cli("-c", "-m", "map", qrels, other);
    expect(complete.code).toBe(0);
    expect(complete.out).toBe("map                   \tall\t0.0000\n");
  });

  it("reads BEIR qrels (header detected) exactly as the same judgments in TREC form", async () => {
    const beir = join(dir, "test.tsv");
    await writeFile(
      beir,
      "query-id\tcorpus-id\tscore\n1\ta\t2\n1\tb\t0\n1\tc\t1\n2\tx\t1\n3\ty\t1\n",
    );
    const fromBeir = await cli("-q", "-c", "-m", "all_trec", beir, runFile);
    const fromTrec = await cli("-q", "-c", "-m", "all_trec", qrels, runFile);
    expect(fromBeir.err).toBe("");
    expect(fromBeir.code).toBe(0);
    expect(fromBeir.out).toBe(fromTrec.out);
    expect(fromBeir.out).toContain("num_rel               \tall\t4\n");
  });

  it("says in --help which measures it prints by default, once", async () => {
    const help = await cli("--help");
    expect(help.out).toMatch(/official \(default\)/);
    expect(help.out).not.toContain("(default: [])");
  });

  it("reports a missing file", async () => {
    const result = await cli(join(dir, "missing.qrels"), runFile);
    expect(result.code).toBe(1);
    expect(result.err).toContain("[E_NOT_FOUND]");
  });
});
