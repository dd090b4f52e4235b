/**
 * Judged@k and condensed lists: a system that retrieves documents nobody judged must be flagged,
 * and condensed scoring must stop counting those documents as misses.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bufferIO } from "../src/cli/io.js";
import { runCli } from "../src/cli/program.js";
import { compareReports, type ComparableReport } from "../src/eval/compare/compare-reports.js";
import { evaluateGate, gateVerdict } from "../src/eval/compare/gate.js";
import { comparisonMarkdown } from "../src/eval/compare/markdown.js";
import { evaluate } from "../src/eval/evaluate.js";
import { parseMetricNames } from "../src/eval/measures.js";
import type { Qrels, Run } from "../src/types.js";

describe("judged@k and condensed lists in evaluate", () => {
  // Query 1 judges a (relevant) and b; the run ranks two unjudged documents above a.
  const qrels: Qrels = new Map([
    [
      "1",
      new Map([
        ["a", 1],
        ["b", 0],
      ]),
    ],
  ]);
  const run: Run = new Map([
    [
      "1",
      new Map([
        ["new1", 4],
        ["new2", 3],
        ["a", 2],
        ["b", 1],
      ]),
    ],
  ]);
  const metrics = parseMetricNames(["judged@10", "mrr@10", "p@2"]);

  it("judged@10 is judged documents in the top 10 over 10", () => {
    expect(evaluate(qrels, run, metrics).aggregate["judged@10"]).toBe(0.2);
  });

  it("condensed lists drop the unjudged documents before ranking", () => {
    const plain = evaluate(qrels, run, metrics).aggregate;
    const condensed = evaluate(qrels, run, metrics, { condensed: true }).aggregate;
    expect(plain["mrr@10"]).toBeCloseTo(1 / 3, 15);
    expect(condensed["mrr@10"]).toBe(1);
    expect(plain["p@2"]).toBe(0);
    expect(condensed["p@2"]).toBe(0.5);
  });
});

function report(pipeline: string, ndcg: number[], judged: number[]): ComparableReport {
  const ids = ndcg.map((_, i) => `q${i}`);
  return {
    pipeline,
    perQuery: Object.fromEntries(ids.map((id, i) => [id, { "ndcg@10": ndcg[i]! }])),
    judged: {
      metric: "judged@10",
      perQuery: Object.fromEntries(ids.map((id, i) => [id, judged[i]!])),
    },
  };
}

describe("compare and the gate warn when judged@10 differs", () => {
  const n = 20;
  const base = report("bm25", Array(n).fill(0.6) as number[], Array(n).fill(0.9) as number[]);
  const fresh = report("dense", Array(n).fill(0.55) as number[], Array(n).fill(0.5) as number[]);

  it("says in plain words that unjudged documents count as misses", () => {
    const comparison = compareReports(base, fresh, { resamples: 200, permutations: 200 });
    expect(comparison.judged).toMatchObject({ a: 0.9, b: 0.5, warn: true });
    expect(comparison.warnings.join("\n")).toMatch(
      /90% of bm25's top 10 is judged, 50% of dense's\. Unjudged documents count as misses, so dense looks worse/,
    );
    const verdict = gateVerdict(comparison, evaluateGate(comparison, {}));
    expect(verdict).toMatch(/Caution: judged@10 is 0\.90 for bm25 and 0\.50 for dense/);
    expect(comparisonMarkdown(comparison)).toContain(
      "judged@10 (the share of each top 10 the qrels judge): A 0.9000, B 0.5000 (Δ -0.4000; a warning when |Δ| > 0.1).",
    );
  });

  it("stays quiet when both are judged alike", () => {
    const alike = report("dense", Array(n).fill(0.55) as number[], Array(n).fill(0.85) as number[]);
    const comparison = compareReports(base, alike, { resamples: 200, permutations: 200 });
    expect(comparison.judged?.warn).toBe(false);
    expect(comparison.warnings).toEqual([]);
    expect(comparisonMarkdown(comparison)).toContain(
      "A 0.9000, B 0.8500 (Δ -0.0500; a warning when |Δ| > 0.1).",
    );
  });
});

describe("pairlift compare --condensed", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pairlift-judged-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("compares the condensed scores, and refuses reports without them", async () => {
    const write = async (name: string, plain: number, condensed: number | undefined) => {
      const ids = Array.from({ length: 12 }, (_, i) => `q${i}`);
      const perQuery = (v: number) => Object.fromEntries(ids.map((id) => [id, { "ndcg@10": v }]));
      const body = {
        pipeline: name,
        perQuery: perQuery(plain),
        ...(condensed === undefined ? {} : { condensed: { perQuery: perQuery(condensed) } }),
      };
      const path = join(dir, `${name}.json`);
      await writeFile(path, JSON.stringify(body));
      return path;
    };
    const a = await write("a", 0.5, 0.5);
    const b = await write("b", 0.3, 0.6);
    const io = bufferIO();
    expect(await runCli(["compare", a, b, "--condensed", "--resamples", "100"], io)).toBe(0);
    expect(io.out()).toMatch(/\| all \| 12 \| 0\.5000 \| 0\.6000 \|/);
    const old = await write("old", 0.5, undefined);
    const refused = bufferIO();
    expect(await runCli(["compare", old, b, "--condensed"], refused)).toBe(1);
    expect(refused.err()).toMatch(/eval --condensed/);
  });

  it("--gate judges the probe sets eval --probe wrote, and fails on a probe regression", async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `q${i}`);
    const probeIds = Array.from({ length: 12 }, (_, i) => `p${i}`);
    const values = (list: string[], f: (i: number) => number) =>
      Object.fromEntries(list.map((id, i) => [id, { "ndcg@10": f(i) }]));
    const write = async (name: string, probeScore: (i: number) => number) => {
      const path = join(dir, `probe-${name}.json`);
      const body = {
        pipeline: name,
        perQuery: values(ids, () => 0.5),
        probe: { dataset: "probe", perQuery: values(probeIds, probeScore) },
      };
      await writeFile(path, JSON.stringify(body));
      return path;
    };
    const a = await write("a", () => 0.9);
    const b = await write("b", (i) => (i % 2 === 0 ? 0.1 : 0.2));
    const io = bufferIO();
    const code = await runCli(["compare", a, b, "--gate", "--resamples", "200"], io);
    expect(io.out()).toMatch(/^PASS: b is not significantly worse/m);
    expect(io.out()).toMatch(/### Probe set/);
    expect(io.out()).toMatch(/^Probe set: FAIL: b regresses against a on ndcg@10/m);
    expect(code).toBe(3);
  });
});
