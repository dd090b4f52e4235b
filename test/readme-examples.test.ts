/**
 * README.md's examples against the code: the numbers it shows are what the commands print, and
 * the files its commands write in the repository root are ignored by git and by the format
 * check, so following README never makes `npm test` fail.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { getFileInfo } from "prettier";
import { afterAll, describe, expect, it } from "vitest";
import { bufferIO } from "../src/cli/io.js";
import { runCli } from "../src/cli/program.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const tmp = await mkdtemp(join(tmpdir(), "pairlift-readme-"));
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function readme(): Promise<string> {
  return readFile(join(root, "README.md"), "utf8");
}

/** The first fenced block of `language` after `heading`. */
function blockAfter(text: string, heading: string, language: string): string {
  const start = text.indexOf(`\n${heading}\n`);
  expect(start, `README.md has no "${heading}"`).toBeGreaterThanOrEqual(0);
  const match = new RegExp("```" + language + "\\n([\\s\\S]*?)```", "u").exec(text.slice(start));
  expect(match, `no \`\`\`${language} block under "${heading}"`).not.toBeNull();
  return match![1]!;
}

interface EvalJson {
  dataset: string;
  split: string;
  pipeline: string;
  queries: number;
  depth: number;
  aggregate: Record<string, number>;
  index: { documents: number };
}

describe("README.md's examples", () => {
  it("shows the eval JSON that `pairlift eval --dataset data/demo --json` writes", async () => {
    const shown = JSON.parse(blockAfter(await readme(), "### The eval JSON", "json")) as EvalJson;
    const out = join(tmp, "eval.json");
    const io = bufferIO();
    const previous = process.env["PAIRLIFT_CACHE_DIR"];
    process.env["PAIRLIFT_CACHE_DIR"] = join(tmp, "cache");
    try {
      const argv = ["eval", "--dataset", shown.dataset, "--pipeline", shown.pipeline];
      const code = await runCli([...argv, "--split", shown.split, "--json", out], io);
      expect(code, io.err()).toBe(0);
    } finally {
      if (previous === undefined) delete process.env["PAIRLIFT_CACHE_DIR"];
      else process.env["PAIRLIFT_CACHE_DIR"] = previous;
    }
    const actual = JSON.parse(await readFile(out, "utf8")) as EvalJson;
    expect({
      queries: shown.queries,
      depth: shown.depth,
      documents: shown.index.documents,
    }).toEqual({ queries: actual.queries, depth: actual.depth, documents: actual.index.documents });
    const rounded = Object.fromEntries(
      Object.keys(shown.aggregate).map((name) => [
        name,
        Number((actual.aggregate[name] ?? NaN).toFixed(4)),
      ]),
    );
    expect(shown.aggregate).toEqual(rounded);
  });

  it("lists every pipeline form in search --help", async () => {
    const io = bufferIO();
    await runCli(["search", "--help"], io);
    expect(io.out().replace(/\s+/gu, " ")).toContain("bm25, dense:<embedder>, hybrid:<embedder>");
  });

  it("names a dtype for every local cross-encoder folder that holds one ONNX file", async () => {
    const block = blockAfter(await readme(), "## Hybrid retrieval and reranking", "yaml");
    expect(block).toMatch(/twin-ms-marco-MiniLM-L-6-v2,\n\s+dtype: q8,/u);
  });
});

describe("files README's commands write in the repository root", () => {
  const written = [
    "tuned.json",
    "verdict.md",
    "bm25.json",
    "hybrid.json",
    "pairlift-serve.sqlite",
    "pairlift-serve.sqlite-wal",
    "model.json",
  ];

  it("are ignored by git", () => {
    const result = spawnSync("git", ["check-ignore", "--no-index", ...written], {
      cwd: root,
      encoding: "utf8",
    });
    expect(result.stdout.trim().split("\n").sort()).toEqual([...written].sort());
  });

  it("are ignored by the format check", async () => {
    for (const file of written.filter((name) => /\.(json|md)$/u.test(name))) {
      const info = await getFileInfo(join(root, file), {
        ignorePath: join(root, ".prettierignore"),
      });
      expect(info.ignored, file).toBe(true);
    }
  });
});
