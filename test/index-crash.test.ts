import { spawn } from "node:child_process";
import { cp, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bufferIO } from "../src/cli/io.js";
import { runCli } from "../src/cli/program.js";
import { CURRENT_FILE } from "../src/store/index-dir.js";
import { startFakeApi, type FakeApi } from "./support/fake-embedding-api.js";
import { HashingEmbedder } from "./support/hashing-embedder.js";

/**
 * kill -9 at every named point of an index update (PAIRLIFT_CRASH_AT, src/crash-point.ts):
 * `pairlift index` is spawned with the point set, must die by SIGKILL there, and the index
 * must then open and answer byte for byte as before the update (or, once the pointer has been
 * replaced, as after it) — BM25 and both embedders' vectors. The embedders are a fake TEI
 * server on 127.0.0.1 serving hashed trigram vectors; nothing leaves the machine.
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const tmp = await mkdtemp(join(tmpdir(), "pairlift-index-crash-"));
process.env["PAIRLIFT_CACHE_DIR"] = join(tmp, "cache");
let api: FakeApi;
const config = join(tmp, "pairlift.config.json");
const corpus = join(tmp, "corpus.jsonl");
const bigger = join(tmp, "bigger.jsonl");
const extra = join(tmp, "extra.jsonl");
const empty = join(tmp, "empty.jsonl");

const WORDS = ["drill", "saw", "battery", "charger", "blade", "cordless", "brushless", "kit"];
const QUERIES = ["cordless drill", "saw blade kit", "KT-2040 battery"];
const PIPELINES = ["bm25", "dense:a", "dense:b"];

function documents(from: number, to: number): string {
  const lines: string[] = [];
  for (let i = from; i < to; i += 1) {
    const words = [0, 3, 5].map((step) => WORDS[(i * 7 + step) % WORDS.length]!);
    lines.push(
      JSON.stringify({ _id: `d${i}`, title: `KT-${2000 + i} ${words[0]}`, text: words.join(" ") }),
    );
  }
  return `${lines.join("\n")}\n`;
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = bufferIO();
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

/** What the index answers: every query through every pipeline, timings left out, path named <index>. */
async function answers(dir: string): Promise<string> {
  const parts: string[] = [];
  for (const pipeline of PIPELINES) {
    for (const query of QUERIES) {
      const run = await cli(
        "search",
        "--index",
        dir,
        "--config",
        config,
        "--pipeline",
        pipeline,
        query,
        "--json",
      );
      let out = run.out;
      if (run.code === 0) {
        const {
          tookMs: _took,
          timingsMs: _timings,
          ...rest
        } = JSON.parse(run.out) as Record<string, unknown>;
        out = JSON.stringify(rest);
      }
      parts.push(`${pipeline} ${query} → ${run.code} ${out} ${run.err}`.replaceAll(dir, "<index>"));
    }
  }
  return parts.join("\n");
}

/** Runs `pairlift index …` in a child that kills itself at `point`; resolves with how it ended. */
function crashAt(
  point: string,
  argv: string[],
): Promise<{ code: number | null; signal: string | null; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...argv], {
      cwd: root,
      env: { ...process.env, PAIRLIFT_CRASH_AT: point },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, err }));
  });
}

type Command = "index" | "append" | "delete" | "embedder" | "upgrade";
const COMMANDS: Record<Command, { base: "base" | "legacy"; argv: (dir: string) => string[] }> = {
  // A full rebuild with vectors, from a corpus with more documents.
  index: { base: "base", argv: (dir) => ["index", bigger, "--index", dir, "--embedder", "a"] },
  append: { base: "base", argv: (dir) => ["index", extra, "--index", dir, "--append"] },
  delete: {
    base: "base",
    argv: (dir) => ["index", "--index", dir, "--delete", "d3", "--delete", "d7"],
  },
  // Adds b's vectors and carries a's.
  embedder: { base: "base", argv: (dir) => ["index", "--index", dir, "--embedder", "b"] },
  // A delete on an index in the layout before generations (files at the top).
  upgrade: { base: "legacy", argv: (dir) => ["index", "--index", dir, "--delete", "d3"] },
};

/** Points after which the new state is the index; before them, the old one still is. */
const COMMITTED = new Set(["pointer-replaced", "legacy-removing"]);
const CASES: Array<[Command, string]> = [
  ["index", "staging-created"],
  ["index", "lexical-written"],
  ["index", "documents-written"],
  ["index", "manifest-written"],
  ["index", "vectors-written"],
  ["index", "staging-synced"],
  ["index", "pointer-written"],
  ["index", "pointer-replaced"],
  ["append", "lexical-written"],
  ["append", "vectors-carried"],
  ["append", "pointer-written"],
  ["append", "pointer-replaced"],
  ["delete", "documents-written"],
  ["delete", "staging-synced"],
  ["delete", "pointer-replaced"],
  ["embedder", "manifest-written"],
  ["embedder", "vectors-carried"],
  ["embedder", "vectors-written"],
  ["embedder", "pointer-written"],
  ["embedder", "pointer-replaced"],
  ["upgrade", "staging-synced"],
  ["upgrade", "pointer-written"],
  ["upgrade", "legacy-removing"],
];

const before = new Map<"base" | "legacy", string>();
const after = new Map<Command, string>();

beforeAll(async () => {
  const model = new HashingEmbedder(16);
  api = await startFakeApi(async (request) => {
    const { inputs } = request.body as { inputs: string[] };
    const vectors = await model.embed(inputs, { role: "document" });
    return { json: vectors.map((vector) => Array.from(vector)) };
  });
  const embedder = (name: string) => ({
    provider: "tei",
    model: name,
    baseUrl: api.url,
    maxRetries: 0,
  });
  await writeFile(config, JSON.stringify({ embedders: { a: embedder("a"), b: embedder("b") } }));
  await writeFile(corpus, documents(0, 30));
  await writeFile(bigger, documents(0, 36));
  await writeFile(extra, documents(30, 33));
  await writeFile(empty, "");
  const base = join(tmp, "base");
  const built = await cli("index", corpus, "--index", base, "--config", config, "--embedder", "a");
  expect(built.code, built.err).toBe(0);
  // The same index in the layout before generations: the generation's files at the top.
  const legacy = join(tmp, "legacy");
  const generation = (await readdir(base)).find((entry) => entry.startsWith("gen-"))!;
  await cp(join(base, generation), legacy, { recursive: true });
  before.set("base", await answers(base));
  before.set("legacy", await answers(legacy));
  expect(before.get("legacy")).toBe(before.get("base"));
  for (const [command, { base: from, argv }] of Object.entries(COMMANDS) as Array<
    [Command, (typeof COMMANDS)[Command]]
  >) {
    const dir = join(tmp, `after-${command}`);
    await cp(join(tmp, from), dir, { recursive: true });
    const run = await cli(...argv(dir), "--config", config);
    expect(run.code, run.err).toBe(0);
    after.set(command, await answers(dir));
    expect(after.get(command), command).not.toBe(before.get(from));
  }
});

afterAll(async () => {
  await api?.close();
  await rm(tmp, { recursive: true, force: true });
});

describe.concurrent("kill -9 during an index update", () => {
  it.each(CASES)(
    "%s, killed at %s: the index answers as before or as after",
    async (command, point) => {
      const { base: from, argv } = COMMANDS[command];
      const dir = join(tmp, `${command}-${point}`);
      await cp(join(tmp, from), dir, { recursive: true });
      const crashed = await crashAt(point, [...argv(dir), "--config", config]);
      expect(crashed.signal, `never reached ${point}: ${crashed.err}`).toBe("SIGKILL");
      const expected = COMMITTED.has(point) ? after.get(command) : before.get(from);
      expect(await answers(dir)).toBe(expected);
      // The next write finishes the job (or, once committed, an empty append keeps the new
      // state, carrying its vectors) and clears what the dead process left.
      const next = COMMITTED.has(point) ? ["index", empty, "--index", dir, "--append"] : argv(dir);
      const again = await cli(...next, "--config", config);
      expect(again.code, again.err).toBe(0);
      expect(await answers(dir)).toBe(after.get(command));
      const entries = (await readdir(dir)).sort();
      expect(entries.filter((entry) => entry.includes(".tmp-"))).toEqual([]);
      expect(entries).toContain(CURRENT_FILE);
      expect(entries.filter((entry) => entry.startsWith("gen-")).length).toBeLessThanOrEqual(2);
      expect(
        entries.filter((entry) => entry !== CURRENT_FILE && !entry.startsWith("gen-")),
      ).toEqual([]);
    },
  );
});
