import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bufferIO } from "../src/cli/io.js";
import { runCli } from "../src/cli/program.js";
import type { EvalReport } from "../src/eval/evaluate-dataset.js";

const tmp = await mkdtemp(join(tmpdir(), "pairlift-probe-cli-"));
const demo = "data/demo";

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = bufferIO();
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

async function filesOf(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[path.slice(dir.length)] = await readFile(path, "utf8");
  }
  return files;
}

beforeAll(() => {
  process.env["PAIRLIFT_CACHE_DIR"] = join(tmp, "cache");
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe("pairlift probe", () => {
  // The probe set written here (seed 7) is the one the evaluation test reads.
  let first: { code: number; out: string; err: string };
  beforeAll(async () => {
    first = await cli("probe", "--dataset", demo, "--out", join(tmp, "p1"), "--seed", "7");
  });

  it("writes the same files for the same seed", async () => {
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/^wrote \d+ queries for 200 identifiers \(sampled from \d+ /);
    expect(first.out).toContain("| drop-first |");
    await cli("probe", "--dataset", demo, "--out", join(tmp, "p2"), "--seed", "7");
    await cli("probe", "--dataset", demo, "--out", join(tmp, "p3"), "--seed", "8");
    const [p1, p2, p3] = await Promise.all(
      ["p1", "p2", "p3"].map((name) => filesOf(join(tmp, name))),
    );
    expect(Object.keys(p1!).sort()).toEqual([
      "/PROVENANCE.md",
      "/probe.json",
      "/qrels/test.tsv",
      "/queries.jsonl",
    ]);
    expect(p2).toEqual(p1);
    expect(p3!["/queries.jsonl"]).not.toEqual(p1!["/queries.jsonl"]);
    const manifest = JSON.parse(p1!["/probe.json"]!) as Record<string, unknown>;
    expect(manifest["corpus"]).toBe(
      relative(join(tmp, "p1"), resolve(demo, "corpus.jsonl")).split(sep).join("/"),
    );
  });

  it("evaluates a probe directory on its own and beside its dataset", async () => {
    const probe = join(tmp, "p1");
    const manifest = JSON.parse(await readFile(join(probe, "probe.json"), "utf8")) as {
      queries: number;
      variants: Record<string, number>;
    };
    const alone = await cli("eval", "--dataset", probe, "--json", join(tmp, "probe.json"));
    expect(alone.code).toBe(0);
    const report = JSON.parse(await readFile(join(tmp, "probe.json"), "utf8")) as EvalReport;
    expect(report.queries).toBe(manifest.queries);
    expect(report.index.documents).toBe(438);
    expect(report.slices!["tag:bare"]!.queries).toBe(manifest.variants["bare"]);
    // Identifier-aware BM25 finds nearly every bare identifier of its own corpus.
    expect(report.slices!["tag:bare"]!.aggregate["recall@100"]).toBeGreaterThan(0.95);

    const together = await cli(
      "eval",
      "--dataset",
      demo,
      "--probe",
      probe,
      "--json",
      join(tmp, "both.json"),
    );
    expect(together.code).toBe(0);
    expect(together.out).toContain("### Slices");
    expect(together.out).toContain(`### Probe set (${probe})`);
    const both = JSON.parse(await readFile(join(tmp, "both.json"), "utf8")) as EvalReport;
    expect(both.queries).toBe(124);
    expect(both.probe!.queries).toBe(manifest.queries);
    expect(both.probe!.aggregate).toEqual(report.aggregate);
  });
});
