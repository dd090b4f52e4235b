import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bufferIO } from "../src/cli/io.js";
import { runCli } from "../src/cli/program.js";
import { denseDir } from "../src/dense/dense-index.js";
import { PairliftError } from "../src/errors.js";
import { CURRENT_FILE } from "../src/store/index-dir.js";
import { openIndex, removeDocuments, writeIndexDir } from "../src/store/index-store.js";
import { startFakeApi, type FakeApi } from "./support/fake-embedding-api.js";
import { HashingEmbedder } from "./support/hashing-embedder.js";

/**
 * All-or-nothing index updates: a failure anywhere in `index`, `--append`, `--delete` or
 * `--embedder` leaves every file of the previous index as it was; indexes left by the swap
 * before generations (killed between its two renames) are recovered; staging left by dead
 * processes is removed by the next write.
 */
const tmp = await mkdtemp(join(tmpdir(), "pairlift-index-atomic-"));
process.env["PAIRLIFT_CACHE_DIR"] = join(tmp, "cache");
const config = join(tmp, "pairlift.config.json");
const corpus = join(tmp, "corpus.jsonl");
const plus = join(tmp, "plus.jsonl");
let api: FakeApi;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = bufferIO();
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

/** Every file under `dir` with its bytes, as path → base64. */
async function files(dir: string): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    found[path.slice(dir.length)] = (await readFile(path)).toString("base64");
  }
  return found;
}

/** `search --json` output without its timings. */
function untimed(json: string): unknown {
  const {
    tookMs: _took,
    timingsMs: _timings,
    ...rest
  } = JSON.parse(json) as Record<string, unknown>;
  return rest;
}

/** Moves the index at `dir` to `to` in the layout before generations (its files at the top). */
async function moveLegacy(dir: string, to: string): Promise<void> {
  const generation = (await readdir(dir)).find((entry) => entry.startsWith("gen-"));
  await rename(generation === undefined ? dir : join(dir, generation), to);
  await rm(dir, { recursive: true, force: true });
}

/** A pid that no process has (a child that has exited). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(child.stdout.toString());
}

function lines(from: number, to: number): string {
  const rows: string[] = [];
  for (let i = from; i < to; i += 1)
    rows.push(JSON.stringify({ _id: `d${i}`, title: `Drill ${i}`, text: `cordless drill ${i}` }));
  return `${rows.join("\n")}\n`;
}

async function built(name: string, ...extra: string[]): Promise<string> {
  const dir = join(tmp, name);
  const run = await cli("index", corpus, "--index", dir, "--config", config, ...extra);
  expect(run.code, run.err).toBe(0);
  return dir;
}

beforeAll(async () => {
  const model = new HashingEmbedder(8);
  api = await startFakeApi(async (request) => {
    // Embedder "down" is served under /down: that model always answers 500.
    if (request.path.startsWith("/down/")) return { status: 500, json: { error: "model down" } };
    const { inputs } = request.body as { inputs: string[] };
    return { json: (await model.embed(inputs, { role: "document" })).map((v) => Array.from(v)) };
  });
  const embedder = (model: string, path = "") => ({
    provider: "tei",
    model,
    baseUrl: `${api.url}${path}`,
    maxRetries: 0,
  });
  await writeFile(
    config,
    JSON.stringify({
      embedders: { a: embedder("a"), b: embedder("b"), down: embedder("down", "/down") },
    }),
  );
  await writeFile(corpus, lines(0, 12));
  await writeFile(plus, lines(0, 15));
});

afterAll(async () => {
  await api?.close();
  await rm(tmp, { recursive: true, force: true });
});

describe("a failed update leaves the index exactly as it was", () => {
  const attempts: Array<[string, (dir: string) => string[]]> = [
    [
      "index --embedder",
      (dir) => ["index", plus, "--index", dir, "--embedder", "a", "--embedder", "down"],
    ],
    [
      "--append --embedder",
      (dir) => ["index", join(tmp, "more.jsonl"), "--index", dir, "--append", "--embedder", "down"],
    ],
    [
      "--delete --embedder",
      (dir) => ["index", "--index", dir, "--delete", "d1", "--embedder", "down"],
    ],
    ["--embedder", (dir) => ["index", "--index", dir, "--embedder", "down"]],
  ];
  it.each(attempts)("%s with the model answering 500", async (name, argv) => {
    await writeFile(join(tmp, "more.jsonl"), lines(20, 22));
    const dir = await built(`failed-${name.replace(/\W+/g, "-")}`, "--embedder", "a");
    const before = await files(dir);
    const search = await cli("search", "--index", dir, "drill 3", "--json");
    const run = await cli(...argv(dir), "--config", config);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/500/);
    expect(await files(dir)).toEqual(before);
    const again = await cli("search", "--index", dir, "drill 3", "--json");
    expect(untimed(again.out)).toEqual(untimed(search.out));
  });

  it("a stage that throws leaves the files and removes its generation", async () => {
    const dir = await built("stage-throws");
    const before = await files(dir);
    const index = await openIndex(dir);
    removeDocuments(index, ["d2"]);
    const refused = writeIndexDir(index, {
      stage: () => Promise.reject(new PairliftError("E_USAGE", "no")),
    });
    await expect(refused).rejects.toThrow("no");
    expect(await files(dir)).toEqual(before);
    expect((await readdir(dir)).filter((entry) => entry.startsWith("gen-"))).toHaveLength(1);
  });

  it("--embedder on an index with other vectors keeps them (carried, not rebuilt)", async () => {
    const dir = await built("carry", "--embedder", "a");
    const vectors = async () => stat(join(denseDir(await openIndex(dir), "a"), "vectors.bin"));
    const first = await vectors();
    const run = await cli("index", "--index", dir, "--config", config, "--embedder", "b");
    expect(run.code, run.err).toBe(0);
    // a's vectors in the new generation are the previous generation's file, linked.
    const second = await vectors();
    expect(second.ino).toBe(first.ino);
    expect(second.nlink).toBe(2);
    for (const pipeline of ["dense:a", "dense:b"]) {
      const search = await cli(
        "search",
        "--index",
        dir,
        "--config",
        config,
        "--pipeline",
        pipeline,
        "drill 3",
      );
      expect(search.code, search.err).toBe(0);
    }
  });
});

describe("crash leftovers", () => {
  it("an index whose old-style swap was killed between the two renames opens again", async () => {
    // The swap before generations: rename(index, .index.tmp-PID-HEX.old), then
    // rename(staging, index). Killed in between, only the retired folder holds the index.
    const dir = await built("retired");
    const expected = await cli("search", "--index", dir, "drill 5");
    const retired = join(tmp, `.retired.tmp-${deadPid()}-0a1b2c3d.old`);
    await moveLegacy(dir, retired);
    const search = await cli("search", "--index", dir, "drill 5");
    expect(search.code, search.err).toBe(0);
    expect(search.out.replace(/in [\d.]+ ms.*/, "")).toBe(
      expected.out.replace(/in [\d.]+ ms.*/, ""),
    );
    // And the next write upgrades it to generations.
    expect((await cli("index", "--index", dir, "--delete", "d5")).code).toBe(0);
    expect(await readdir(dir)).toContain(CURRENT_FILE);
    expect((await readdir(tmp)).filter((entry) => entry.startsWith(".retired."))).toEqual([]);
  });

  it("the next write removes staging and generations of dead processes, not of live ones", async () => {
    const dir = await built("stale");
    const dead = deadPid();
    const live = process.ppid;
    const leftovers = [
      join(tmp, `.stale.tmp-${dead}-00aa11bb`), // the old scheme's staging beside the index
      join(tmp, `.stale.tmp-${dead}-00aa11bb.old`),
      join(dir, `gen-zz-${dead}-00aa11bb`), // a generation whose writer died before CURRENT
      join(dir, `CURRENT.tmp-${dead}-00aa11bb`),
    ];
    const kept = [join(tmp, `.stale.tmp-${live}-00aa11bb`), join(dir, `gen-zz-${live}-00aa11bb`)];
    for (const path of [...leftovers, ...kept]) {
      if (path.includes("CURRENT")) await writeFile(path, "{}");
      else {
        await mkdir(path);
        await writeFile(join(path, "lexical.bin"), Buffer.alloc(1024));
      }
    }
    const run = await cli("index", "--index", dir, "--delete", "d4");
    expect(run.code, run.err).toBe(0);
    const remaining = [...(await readdir(tmp)), ...(await readdir(dir))];
    for (const path of leftovers) expect(remaining).not.toContain(path.split("/").pop());
    for (const path of kept) expect(remaining).toContain(path.split("/").pop());
  });

  it("an index in the layout before generations opens, and its next write upgrades it", async () => {
    const dir = await built("legacy-source");
    const legacy = join(tmp, "legacy");
    await moveLegacy(dir, legacy);
    expect((await cli("search", "--index", legacy, "drill 2")).out).toMatch(/d2/);
    expect((await cli("index", "--index", legacy, "--delete", "d2")).code).toBe(0);
    const entries = await readdir(legacy);
    expect(entries.filter((entry) => !entry.startsWith("gen-"))).toEqual([CURRENT_FILE]);
    expect((await cli("search", "--index", legacy, "drill 2")).out).not.toMatch(/\bd2\b/);
  });
});
