import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bufferIO } from "../src/cli/io.js";
import { formatDuration, labProgress } from "../src/cli/commands/lab.js";
import { runCli } from "../src/cli/program.js";

const demo = fileURLToPath(new URL("../data/demo", import.meta.url));
const tmp = await mkdtemp(join(tmpdir(), "pairlift-lab-cli-"));
afterAll(() => rm(tmp, { recursive: true, force: true }));
beforeAll(() => {
  process.env["PAIRLIFT_CACHE_DIR"] = join(tmp, "cache");
});

async function cli(argv: string[]) {
  const io = bufferIO();
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe("pairlift lab (CLI)", () => {
  it("sweeps, prints the recommendation and where the reports are, and resumes", async () => {
    const config = join(tmp, "lab.yaml");
    await writeFile(
      config,
      `lab:\n  dataset: ${JSON.stringify(demo)}\n  firstStages: [bm25]\n  rerankers: [none, learned]\n  depths: [50]\n  rerankDepths: [20]\n  warmup: 2\n`,
    );
    const out = join(tmp, "report");
    const first = await cli(["lab", "--config", config, "--out", out]);
    expect(first.err).toContain("lab: 2 configurations; 0 already measured");
    expect(first.err).toContain("[1/2] bm25@50\n");
    expect(first.err).toMatch(/\[2\/2\] bm25@50 \/ learned@20 · about \d+ s left\n/);
    expect(first.err).toMatch(/ {2}done in \d+\.\d s: quality 0\.\d{4}, p95 /);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(
      /^## pairlift lab · .*demo \(test, 124 queries\)\n\n(Recommendation: `bm25@50[^`]*`\.|No recommendation\.)/,
    );
    expect(first.out).toContain(`report: ${join(out, "report.html")}\n`);
    expect(first.out).toContain("2 configurations (2 measured now, 0 reused)");
    for (const file of ["report.html", "report.md", "report.json", "results.jsonl", "record.json"])
      expect(existsSync(join(out, file))).toBe(true);
    const report = JSON.parse(await readFile(join(out, "report.json"), "utf8")) as {
      format: string;
      configurations: { id: string }[];
      record: { command: string };
    };
    expect(report.format).toBe("pairlift-lab-report");
    expect(report.configurations.map((c) => c.id)).toEqual(["bm25@50", "bm25@50 / learned@20"]);
    expect(report.record.command).toBe(`pairlift lab --config ${config} --out ${out}`);

    const second = await cli(["lab", "--config", config, "--out", out]);
    expect(second.code).toBe(0);
    expect(second.err).toContain("2 already measured");
    expect(second.err).not.toContain("[1/");
    expect(second.out).toContain("(0 measured now, 2 reused)");

    const fresh = await cli([
      "lab",
      "--config",
      config,
      "--out",
      out,
      "--fresh",
      "--max-queries",
      "5",
    ]);
    expect(fresh.code).toBe(0);
    expect(fresh.out).toContain("(test, 5 queries)");
    expect(fresh.out).toContain("(2 measured now, 0 reused)");
  });

  it("reports configuration mistakes with their path, and bad flags as usage errors", async () => {
    const config = join(tmp, "bad.yaml");
    await writeFile(config, "lab:\n  fusion: [{ method: rrf, k: zero }]\n");
    const bad = await cli(["lab", "--config", config]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(
      /pairlift: error \[E_CONFIG\]: .*bad\.yaml: invalid configuration:\n {2}lab\.fusion\.0\.k/,
    );
    expect((await cli(["lab", "--max-queries", "0"])).code).toBe(2);
  });
});

describe("lab progress", () => {
  it("prints configurations and results, and query counts at most every 10 s off a terminal", () => {
    const io = bufferIO();
    let clock = 0;
    const progress = labProgress(io, () => clock);
    progress({ type: "start", total: 3, pending: 2, reused: 1, unreadable: 0, out: "/r" });
    progress({
      type: "configuration",
      position: 1,
      pending: 2,
      id: "bm25@100",
      etaSeconds: undefined,
    });
    progress({ type: "queries", id: "bm25@100", done: 1, total: 50, etaSeconds: 95 });
    clock = 5_000;
    progress({ type: "queries", id: "bm25@100", done: 20, total: 50, etaSeconds: 80 });
    clock = 10_001;
    progress({ type: "queries", id: "bm25@100", done: 40, total: 50, etaSeconds: 4200 });
    progress({ type: "queries", id: "bm25@100", done: 50, total: 50, etaSeconds: 3 });
    progress({ type: "done", id: "bm25@100", seconds: 1.25, quality: 0.83514, p95Ms: 0.7 });
    expect(io.err()).toBe(
      [
        "lab: 3 configurations; 1 already measured in /r/results.jsonl, 2 to run",
        "[1/2] bm25@100",
        "  queries 1/50 · about 1 min 35 s left",
        "  queries 40/50 · about 1 h 10 min left",
        "  queries 50/50 · about 3 s left",
        "  done in 1.3 s: quality 0.8351, p95 0.70 ms",
        "",
      ].join("\n"),
    );
    expect(formatDuration(0.2)).toBe("1 s");
    expect(formatDuration(59.4)).toBe("59 s");
  });
});
