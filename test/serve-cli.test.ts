import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bufferIO } from "../src/cli/io.js";
import { runCli } from "../src/cli/program.js";
import type { OpenIndex } from "../src/store/index-store.js";
import { formatQueryId } from "../src/serve/query-log.js";
import { buildCatalogueIndex, post, sample } from "./support/serve-fixtures.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const tmp = await mkdtemp(join(tmpdir(), "pairlift-serve-cli-"));
let index: OpenIndex;
beforeAll(async () => {
  index = await buildCatalogueIndex(tmp);
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe("pairlift serve (CLI)", () => {
  it("serves until SIGTERM, then finishes and exits 0", async () => {
    // The serve block of the main config file.
    const config = join(tmp, "pairlift.config.yaml");
    await writeFile(config, "serve:\n  limits:\n    maxK: 20\n");
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/cli/main.ts",
        "serve",
        "--index",
        index.dir,
        "--port",
        "0",
        "--config",
        config,
        "--log",
        join(tmp, "cli-log.sqlite"),
      ],
      { cwd: root, env: { ...process.env, PAIRLIFT_ADMIN_TOKEN: "t0ken" } },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    await expect
      .poll(() => /listening on (http:\/\/\S+) /.exec(stdout)?.[1], {
        timeout: 60_000,
        interval: 100,
      })
      .toBeDefined();
    const url = /listening on (http:\/\/\S+) /.exec(stdout)![1]!;
    expect(stdout).toContain("(pipeline bm25;");
    expect(await (await fetch(`${url}/readyz`)).json()).toMatchObject({
      ready: true,
      documents: 6,
    });
    const search = await post(`${url}/search`, { query: "WD1680 filter", k: 2 });
    expect((search.body["results"] as { id: string }[])[0]!.id).toBe("p3");
    const tooMany = await post(`${url}/search`, { query: "filter", k: 21 }); // the serve block's maxK
    expect(tooMany.status).toBe(400);
    const reload = await post(`${url}/admin/reload`, undefined, { authorization: "Bearer t0ken" });
    expect(reload.body).toMatchObject({ generation: 2, previous: 1, documents: 6 });
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/SIGTERM, finishing in-flight requests…\npairlift serve: stopped\n$/);
    expect(stderr).not.toMatch(/error/i);
  });

  it("fails before listening on a bad serve config or index", async () => {
    const bad = join(tmp, "bad.yaml");
    await writeFile(bad, "serve:\n  limits:\n    timeoutMs: -1\n");
    const io = bufferIO();
    expect(await runCli(["serve", "--index", index.dir, "--serve-config", bad], io)).toBe(1);
    expect(io.err()).toMatch(/bad\.yaml: invalid configuration:\n {2}serve\.limits\.timeoutMs: /);
    const missing = bufferIO();
    const code = await runCli(
      ["serve", "--index", join(tmp, "nope"), "--port", "0", "--log", join(tmp, "x.sqlite")],
      missing,
    );
    expect(code).toBe(1);
    expect(missing.err()).toMatch(/no pairlift index here \(manifest\.json missing\)/);
  });
});

/** `pairlift serve` in a child process, with its URL once it listens. */
async function serveChild(args: string[]): Promise<{
  url: string;
  child: ReturnType<typeof spawn>;
  exited: Promise<number | null>;
  output: () => string;
}> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "serve", "--port", "0", ...args],
    { cwd: root },
  );
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  await expect
    .poll(() => /listening on (http:\/\/\S+) /.exec(out)?.[1], { timeout: 60_000, interval: 100 })
    .toBeDefined();
  return { url: /listening on (http:\/\/\S+) /.exec(out)![1]!, child, exited, output: () => out };
}

/** Query ids in a log file, read by another connection (what reached the disk). */
function loggedIds(path: string): Set<string> {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db
      .prepare<[], { ts: number; session: number; seq: number; tag: string }>(
        "SELECT q.ts, q.session, q.seq, s.tag FROM queries q JOIN sessions s ON s.id = q.session",
      )
      .all();
    return new Set(rows.map((row) => formatQueryId(row)));
  } finally {
    db.close();
  }
}

describe("pairlift serve (CLI): the query log across shutdowns", () => {
  it("after SIGTERM under load, the log holds every search it answered", async () => {
    const logPath = join(tmp, "sigterm-log.sqlite");
    const { url, child, exited } = await serveChild(["--index", index.dir, "--log", logPath]);
    const answered: string[] = [];
    const client = async () => {
      for (;;) {
        try {
          const response = await post(`${url}/search`, { query: "drill KT-2040", k: 3 });
          if (response.status !== 200) continue; // 503 while shutting down
          answered.push(response.body["queryId"] as string);
        } catch {
          return; // the server stopped listening
        }
      }
    };
    const clients = Array.from({ length: 8 }, client);
    await expect.poll(() => answered.length).toBeGreaterThan(300);
    child.kill("SIGTERM");
    await Promise.all(clients);
    expect(await exited).toBe(0);
    const logged = loggedIds(logPath);
    expect(answered.filter((id) => !logged.has(id))).toEqual([]);
    expect(logged.size).toBe(answered.length);
  });

  it("after kill -9, the log holds every search answered more than one flush interval before", async () => {
    const logPath = join(tmp, "kill9-log.sqlite");
    const { url, child, exited } = await serveChild(["--index", index.dir, "--log", logPath]);
    const answered: string[] = [];
    for (let i = 0; i < 40; i += 1) {
      const response = await post(`${url}/search`, { query: "garden hose", k: 2 });
      answered.push(response.body["queryId"] as string);
    }
    // No request, read or shutdown prompts the write: the flush timer alone puts them on disk.
    await expect.poll(() => loggedIds(logPath).size).toBe(40);
    child.kill("SIGKILL");
    expect(await exited).toBeNull();
    const logged = loggedIds(logPath);
    expect(answered.every((id) => logged.has(id))).toBe(true);
  });

  it("--workers 2: both workers answer on one port, /metrics is merged, and the one log holds every search", async () => {
    const logPath = join(tmp, "workers-log.sqlite");
    const { url, child, exited, output } = await serveChild([
      "--index",
      index.dir,
      "--log",
      logPath,
      "--workers",
      "2",
    ]);
    expect(output()).toContain("(2 workers; pipeline bm25;");
    const answered: string[] = [];
    const client = async () => {
      while (answered.length < 200) {
        const response = await post(`${url}/search`, { query: "WD1680 filter", k: 2 });
        expect(response.status).toBe(200);
        answered.push(response.body["queryId"] as string);
      }
    };
    await Promise.all(Array.from({ length: 6 }, client));
    // Each worker mints ids in its own session (the id's 13th to 19th hex digits).
    const sessions = new Set(answered.map((id) => id.replaceAll("-", "").slice(11, 18)));
    expect(sessions.size).toBe(2);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(sample(metrics, "pairlift_search_duration_seconds_count", { pipeline: "bm25" })).toBe(
      answered.length,
    );
    // Feedback on a search one worker answered, sent to whichever worker accepts it.
    for (const queryId of answered.slice(-4)) {
      const feedback = await post(`${url}/feedback`, { queryId, docId: "p3", signal: "good" });
      expect(feedback.status).toBe(201);
    }
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const logged = loggedIds(logPath);
    expect(answered.filter((id) => !logged.has(id))).toEqual([]);
    expect(logged.size).toBe(answered.length);
  });
});
