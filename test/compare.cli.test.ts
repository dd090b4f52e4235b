import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { bufferIO } from "../src/cli/io.js";
import { runCli } from "../src/cli/program.js";
import { gateConfigSchema } from "../src/eval/compare/gate.js";

const tmp = await mkdtemp(join(tmpdir(), "pairlift-compare-cli-"));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = bufferIO();
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

/**
 * Synthetic eval reports: 20 identifier queries where B loses 0.6 nDCG@10 each, 30 word
 * queries where B gains 0.5: B's aggregate rises from 0.54 to 0.60 while identifiers break.
 */
function report(pipeline: string, identifier: number, words: number, drop: string[] = []): string {
  const perQuery: Record<string, Record<string, number>> = {};
  const identifierIds = Array.from({ length: 20 }, (_, i) => `i${i}`);
  const wordIds = Array.from({ length: 30 }, (_, i) => `w${i}`);
  for (const id of identifierIds) perQuery[id] = { "ndcg@10": identifier, "recall@100": 1 };
  for (const id of wordIds.filter((id) => !drop.includes(id)))
    perQuery[id] = { "ndcg@10": words, "recall@100": 1 };
  return JSON.stringify({
    dataset: "synthetic",
    split: "test",
    pipeline,
    queries: Object.keys(perQuery).length,
    aggregate: {},
    perQuery,
    slices: {
      identifier: { queries: 20, queryIds: identifierIds, aggregate: {}, tooSmall: false },
      words: { queries: 30, queryIds: wordIds, aggregate: {}, tooSmall: false },
      tiny: { queries: 2, queryIds: ["w0", "w1"], aggregate: {}, tooSmall: true },
    },
  });
}

const A = join(tmp, "a.json");
const B = join(tmp, "b.json");
const B_SHORT = join(tmp, "b-short.json");

beforeAll(async () => {
  process.env["PAIRLIFT_CACHE_DIR"] = join(tmp, "cache");
  await writeFile(A, report("bm25", 0.9, 0.3));
  await writeFile(B, report("dense:glove", 0.3, 0.8));
  await writeFile(B_SHORT, report("dense:glove", 0.3, 0.8, ["w29"]));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe("pairlift compare", () => {
  it("prints per-slice tables and exits 0 without a gate", async () => {
    const { code, out } = await cli("compare", A, B, "--json", join(tmp, "cmp.json"));
    expect(code).toBe(0);
    expect(out).toContain("## dense:glove (B) vs bm25 (A)");
    expect(out).toMatch(/\| all \| 50 \| 0\.5400 \| 0\.6000 \| \+0\.0600 \|/);
    expect(out).toMatch(
      /\| identifier \| 20 \| 0\.9000 \| 0\.3000 \| -0\.6000 \| -0\.6000 … -0\.6000 \|/,
    );
    expect(out).toMatch(/\| tiny \(too small\) \| 2 \|/);
    expect(out).toMatch(/\| identifier \| 20 .* \| 0\/0\/20 \|/);
    const json = JSON.parse(await readFile(join(tmp, "cmp.json"), "utf8")) as {
      comparison: { queries: number; metrics: string[] };
      gate?: unknown;
    };
    expect(json.comparison.queries).toBe(50);
    expect(json.comparison.metrics).toEqual(["ndcg@10", "recall@100"]);
    expect(json.gate).toBeUndefined();
  });

  it("gates: exit 3 with a verdict when a critical slice breaks though the aggregate improves", async () => {
    const verdictFile = join(tmp, "verdict.md");
    const { code, out } = await cli(
      "compare",
      A,
      B,
      "--gate",
      "--critical",
      "identifier=0.01",
      "--verdict",
      verdictFile,
    );
    expect(code).toBe(3);
    expect(out).toMatch(
      /\nFAIL: dense:glove regresses against bm25 on ndcg@10: significantly worse/,
    );
    expect(out).toContain("so the aggregate improves while these queries get worse");
    const verdict = await readFile(verdictFile, "utf8");
    expect(verdict).toMatch(/^### pairlift gate: FAIL \(dense:glove vs bm25, ndcg@10\)/);
    expect(verdict).toMatch(
      /\| identifier \| 20 \| 0\.9000 \| 0\.3000 \| -0\.6000 \| [^|]+ \| ❌ significantly worse, critical drop \|/,
    );
    expect(verdict).toMatch(/\| tiny \| 2 .* too small to judge \|/);
    // Swapped, B improves identifiers and loses words: the words slice fails instead.
    const swapped = await cli("compare", B, A, "--gate");
    expect(swapped.code).toBe(3);
    expect(swapped.out).toMatch(/words \(30 queries\) -0\.5000 ndcg@10/);
  });

  it("reads the gate from the config file's gate: section", async () => {
    const config = join(tmp, "pairlift.config.yaml");
    await writeFile(
      config,
      "gate:\n  metric: recall@100\n  alpha: 0.05\n  minQueries: 10\n  critical:\n    identifier: {maxDrop: 0.01}\n",
    );
    // recall@100 is equal everywhere: the gate passes.
    const pass = await cli("compare", A, B, "--config", config);
    expect(pass.code).toBe(0);
    expect(pass.out).toMatch(
      /\nPASS: dense:glove is not significantly worse than bm25 on recall@100/,
    );
    await writeFile(config, "gate:\n  alpha: 2\n");
    const bad = await cli("compare", A, B, "--config", config);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/pairlift\.config\.yaml: invalid configuration:\n {2}gate\.alpha: /);
  });

  it("refuses reports with different queries unless --intersect", async () => {
    const refused = await cli("compare", A, B_SHORT);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/1 queries only in bm25 \(w29\), 0 only in dense:glove/);
    const intersected = await cli("compare", A, B_SHORT, "--intersect");
    expect(intersected.code).toBe(0);
    expect(intersected.err).toMatch(/warning: compared the 49 queries both reports hold/);
    expect(intersected.out).toMatch(/\| all \| 49 \|/);
  });

  it("reports usage and input errors", async () => {
    expect((await cli("compare")).code).toBe(2);
    expect((await cli("compare", A)).code).toBe(2);
    expect((await cli("compare", A, B, "--dataset", "data/demo")).code).toBe(2);
    expect((await cli("compare", A, B, "--critical", "identifier")).code).toBe(2);
    const missing = await cli("compare", A, join(tmp, "nope.json"));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/nope\.json: eval report not found/);
    await writeFile(join(tmp, "not-report.json"), '{"perQuery": {"q1": {"ndcg@10": "high"}}}');
    const malformed = await cli("compare", A, join(tmp, "not-report.json"));
    expect(malformed.err).toMatch(
      /not-report\.json: field "perQuery\.q1\.ndcg@10": not an eval report/,
    );
  });

  it("runs two pipelines on a dataset", async () => {
    const { code, out } = await cli(
      "compare",
      "--dataset",
      "data/demo",
      "--pipelines",
      "bm25,bm25",
      "--metrics",
      "ndcg@10",
      "--gate",
      "--markdown",
      join(tmp, "same.md"),
    );
    expect(code).toBe(0);
    // The same pipeline twice: every query ties, p = 1.
    expect(out).toMatch(
      /\| all \| 124 \| (0\.\d{4}) \| \1 \| 0\.0000 \| 0\.0000 … 0\.0000 \| 1\.0000 \| 1\.0000 \| 1\.0000 \| 0\/124\/0 \|/,
    );
    expect(out).toMatch(/\| identifier \| 71 \|/);
    expect(out).toMatch(/\| tag:natural-language \| 47 \|/);
    expect(out).toMatch(/\nPASS: /);
    expect(await readFile(join(tmp, "same.md"), "utf8")).toContain("### pairlift gate: PASS");
  });
});

describe("README.md's gate example", () => {
  it("validates against gateConfigSchema", async () => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    const block = /```yaml\n(gate:[\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const gate = (parse(block!) as { gate: unknown }).gate;
    expect(gateConfigSchema.parse(gate)).toEqual({
      metric: "ndcg@10",
      alpha: 0.05,
      minQueries: 10,
      critical: { identifier: { maxDrop: 0.01 } },
    });
  });
});
