/**
 * What `pairlift serve` adds to the search it wraps, on SciFact, loopback only. In one run, in
 * interleaved rounds, for each pipeline (`bm25`, `hybrid:glove`):
 *
 * - engine: the same pipeline in this process, `pipeline.search(query, 10)` in a closed loop;
 * - bare HTTP: a bare Fastify route (its own process) answering the same JSON serve answers;
 * - serve, log on / log off: `pairlift serve` (own processes), with `--log FILE` / `--no-log`.
 *
 * The HTTP+engine ceiling is 1 / (1/bare + 1/engine): what serving would reach if it added
 * nothing but HTTP to the search. Also reports the log's bytes per query (the log on server's
 * file after the run, against the same rows in schema 1) and writes the `serve` section of
 * BENCHMARKS.md.
 *
 *   npm run bench:serve -- [--duration 5] [--rounds 3] [--connections 8] [--pipelines bm25,hybrid:glove] [--dry-run]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import { loadConfig } from "../src/config/config-file.js";
import { EmbeddingCache } from "../src/dense/embedding-cache.js";
import { createPipeline, type Pipeline } from "../src/pipeline/pipeline.js";
import { QueryLog } from "../src/serve/query-log.js";
import { cacheDir } from "../src/store/cache-dir.js";
import { cachedIndex } from "../src/store/index-cache.js";
import {
  BEIR_DIR,
  ROOT,
  describeMachine,
  machineLine,
  sectionMarkers,
  writeBenchmarkSection,
} from "./support/benchmarks-md.js";

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "5" },
    rounds: { type: "string", default: "3" },
    connections: { type: "string", default: "8" },
    pipelines: { type: "string", default: "bm25,hybrid:glove" },
    /** Worker processes of the `serve --workers` cell (0 leaves it out). */
    workers: { type: "string", default: "2" },
    /** Measure and print, but leave BENCHMARKS.md alone (a smoke run). */
    "dry-run": { type: "boolean", default: false },
  },
});
const DURATION_S = Number(args.duration);
const ROUNDS = Number(args.rounds);
const CONNECTIONS = Number(args.connections);
const PIPELINES = args.pipelines.split(",").filter((name) => name !== "");
const WORKERS = Number(args.workers);
/** The query of issue 21: one SciFact claim, so every cell answers the same request. */
const QUERY = "0-dimensional biomaterials show inductive properties";
const K = 10;
const WARMUP_S = 2;

interface Cell {
  rate: number;
  /** CPU time the answering process spent per request (user + system), µs: robust to the shared machine's load. */
  cpuUs: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

type Target = "engine" | "bare" | "serve-log" | "serve-nolog" | "serve-workers";
const TARGETS: readonly Target[] = [
  "engine",
  "bare",
  "serve-log",
  "serve-nolog",
  ...(WORKERS > 1 ? (["serve-workers"] as const) : []),
];
const LABELS: Record<Target, string> = {
  engine: `engine (in-process pipeline, ${CONNECTIONS} searches in flight)`,
  bare: "bare Fastify route, same JSON",
  "serve-log": "`pairlift serve`, log on",
  "serve-nolog": "`pairlift serve --no-log`",
  "serve-workers": `\`pairlift serve --workers ${WORKERS}\`, log on`,
};

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function summarise(latencies: number[], seconds: number, errors: number, cpuMs: number): Cell {
  const sorted = Float64Array.from(latencies).sort();
  return {
    rate: latencies.length / seconds,
    cpuUs: (cpuMs * 1000) / latencies.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    errors,
  };
}

/**
 * User + system CPU time of a process and its children (a `--workers` primary's workers) so far,
 * in ms (Linux /proc; clock ticks of 10 ms).
 */
async function cpuMsOf(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ");
  // After "pid (comm) ", utime and stime are the 12th and 13th fields.
  let ms = (Number(fields[11]) + Number(fields[12])) * 10;
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, "utf8").catch(() => "");
  for (const child of children.split(" ").filter((id) => id !== ""))
    ms += await cpuMsOf(Number(child)).catch(() => 0);
  return ms;
}

/** Closed-loop HTTP load for `seconds`; latencies of the 2xx answers, exact (ms). */
async function load(url: string, pid: number, pipeline: string, seconds: number): Promise<Cell> {
  const latencies: number[] = [];
  const cpuBefore = await cpuMsOf(pid);
  const started = performance.now();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        method: "POST",
        path: "/search",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: QUERY, k: K, pipeline }),
      },
    ],
  }).on("response", (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const elapsed = (performance.now() - started) / 1000;
  const cpuMs = (await cpuMsOf(pid)) - cpuBefore;
  return summarise(latencies, elapsed, result.errors + result.non2xx + result.timeouts, cpuMs);
}

/**
 * The pipeline in this process for `seconds`: as many searches in flight as the HTTP load has
 * connections, each started when the last one ended (a hybrid pipeline awaits between stages).
 */
async function engine(pipeline: Pipeline, seconds: number): Promise<Cell> {
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const until = started + seconds * 1000;
  const loop = async (): Promise<void> => {
    for (let now = performance.now(); now < until;) {
      await pipeline.search(QUERY, K);
      const done = performance.now();
      latencies.push(done - now);
      now = done;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  const cpu = process.cpuUsage(cpuBefore);
  return summarise(
    latencies,
    (performance.now() - started) / 1000,
    0,
    (cpu.user + cpu.system) / 1000,
  );
}

interface Child {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

function startChild(argv: string[]): Promise<Child> {
  const child = spawn(process.execPath, ["--import", "tsx", ...argv], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const url = /listening on (http:\/\/\S+) /.exec(out)?.[1];
      if (url !== undefined) resolve({ child, url, exited });
    });
    void exited.then((code) => reject(new Error(`${argv[0]} exited (${code}) before listening`)));
  });
}

async function stop(child: Child): Promise<number | null> {
  child.child.kill("SIGTERM");
  return child.exited;
}

/** Bytes per query of a log holding only `rows`, in schema 2 (as served) and in schema 1. */
async function logBytes(
  logPath: string,
  dir: string,
): Promise<{ v2: number; v1: number; rows: number }> {
  const log = new QueryLog(logPath, { readonly: true });
  const queries = log.queries();
  log.close();
  const compact = join(dir, "v2.sqlite");
  const source = new Database(logPath, { readonly: true });
  source.exec(`VACUUM INTO '${compact}'`);
  source.close();
  // Only the query rows count: drop what else the log holds (alerts, sessions stay: tiny).
  const v2db = new Database(compact);
  v2db.exec("DELETE FROM alerts; DELETE FROM shadow_runs; DELETE FROM feedback; VACUUM;");
  v2db.close();
  const v1Path = join(dir, "v1.sqlite");
  const v1 = new Database(v1Path);
  v1.exec(`
    CREATE TABLE queries (
      id TEXT PRIMARY KEY, ts INTEGER NOT NULL, pipeline TEXT NOT NULL, query TEXT NOT NULL,
      k INTEGER NOT NULL, results TEXT NOT NULL, took_ms REAL NOT NULL, degraded TEXT,
      index_dir TEXT NOT NULL);
    CREATE INDEX queries_ts ON queries (ts);`);
  const insert = v1.prepare("INSERT INTO queries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  v1.transaction(() => {
    for (const q of queries)
      insert.run(
        randomUUID(),
        q.ts,
        q.pipeline,
        q.query,
        q.k,
        JSON.stringify(q.results),
        q.tookMs,
        q.degraded ?? null,
        q.index,
      );
  })();
  v1.exec("VACUUM");
  v1.close();
  const rows = queries.length;
  return {
    rows,
    v2: (await stat(compact)).size / rows,
    v1: (await stat(v1Path)).size / rows,
  };
}

/** The resident set of a process, from /proc (Linux), in bytes. */
async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? NaN) * 1024;
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function medianCell(cells: Cell[]): Cell {
  return {
    rate: median(cells.map((c) => c.rate)),
    cpuUs: median(cells.map((c) => c.cpuUs)),
    p50: median(cells.map((c) => c.p50)),
    p95: median(cells.map((c) => c.p95)),
    p99: median(cells.map((c) => c.p99)),
    errors: cells.reduce((sum, c) => sum + c.errors, 0),
  };
}

const ms = (value: number): string => (value < 1 ? value.toFixed(3) : value.toFixed(2));
const rate = (value: number): string => Math.round(value).toLocaleString("en-US");

async function main(): Promise<void> {
  const scifact = `${BEIR_DIR}/scifact`;
  if (!existsSync(`${scifact}/corpus.jsonl`)) {
    console.log(`bench: SciFact not found under ${BEIR_DIR}; nothing measured.`);
    return;
  }
  const machine = describeMachine();
  const { index } = await cachedIndex({ source: { path: scifact } });
  const config = await loadConfig();
  const cache = new EmbeddingCache(cacheDir("embeddings.sqlite"));
  const pipelines = new Map<string, Pipeline>();
  const skipped: string[] = [];
  for (const name of PIPELINES) {
    try {
      pipelines.set(name, await createPipeline(name, { index, config, cache, buildMissing: true }));
    } catch (error) {
      skipped.push(`\`${name}\` (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  const names = [...pipelines.keys()];
  if (names.length === 0) throw new Error(`no pipeline could be built: ${skipped.join("; ")}`);
  const tmp = await mkdtemp(join(tmpdir(), "pairlift-serve-bench-"));
  const serveConfig = join(tmp, "serve.yaml");
  // Generous limits: this measures throughput, not the overload path. No shadow pipelines.
  await writeFile(
    serveConfig,
    `serve:\n  pipelines: [${names.map((name) => JSON.stringify(name)).join(", ")}]\n  limits:\n    maxConcurrent: 256\n    timeoutMs: 30000\n`,
  );
  const logPath = join(tmp, "log.sqlite");
  const serveArgs = ["src/cli/main.ts", "serve", "--index", index.dir, "--port", "0"];
  const children: Child[] = [];
  const loadBefore = loadavg();
  try {
    const serveLog = await startChild([
      ...serveArgs,
      "--serve-config",
      serveConfig,
      "--log",
      logPath,
    ]);
    children.push(serveLog);
    const serveNoLog = await startChild([...serveArgs, "--serve-config", serveConfig, "--no-log"]);
    children.push(serveNoLog);
    const serveWorkers =
      WORKERS > 1
        ? await startChild([
            ...serveArgs,
            "--serve-config",
            serveConfig,
            "--log",
            join(tmp, "workers-log.sqlite"),
            "--workers",
            String(WORKERS),
          ])
        : undefined;
    if (serveWorkers !== undefined) children.push(serveWorkers);
    // The bare route answers what serve answered (log off: same pipelines, same index).
    const answers: Record<string, unknown> = {};
    for (const name of names) {
      const response = await fetch(`${serveNoLog.url}/search`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: QUERY, k: K, pipeline: name }),
      });
      if (response.status !== 200)
        throw new Error(`serve: ${response.status} ${await response.text()}`);
      answers[name] = await response.json();
    }
    const answersPath = join(tmp, "answers.json");
    await writeFile(answersPath, JSON.stringify(answers));
    const bare = await startChild(["bench/support/bare-server.ts", answersPath]);
    children.push(bare);
    const servers: Partial<Record<Exclude<Target, "engine">, Child>> = {
      bare,
      "serve-log": serveLog,
      "serve-nolog": serveNoLog,
      ...(serveWorkers === undefined ? {} : { "serve-workers": serveWorkers }),
    };
    const bodyBytes = Object.fromEntries(
      names.map((name) => [name, Buffer.byteLength(JSON.stringify(answers[name]))]),
    );

    const run = (target: Target, name: string, seconds: number): Promise<Cell> =>
      target === "engine"
        ? engine(pipelines.get(name)!, seconds)
        : load(servers[target]!.url, servers[target]!.child.pid!, name, seconds);
    console.log(`warm-up: ${WARMUP_S} s per target and pipeline`);
    // Each worker process compiles its own hot code: the cluster warms up for as long per worker.
    for (const name of names)
      for (const target of TARGETS)
        await run(target, name, target === "serve-workers" ? WARMUP_S * WORKERS : WARMUP_S);

    const cells = new Map<string, Cell[]>();
    for (let round = 0; round < ROUNDS; round += 1) {
      // Rotate the order each round, so no target always runs first (or after the same one).
      const order = TARGETS.map((_, i) => TARGETS[(i + round) % TARGETS.length]!);
      for (const name of names) {
        for (const target of order) {
          const cell = await run(target, name, DURATION_S);
          const key = `${name}|${target}`;
          cells.set(key, [...(cells.get(key) ?? []), cell]);
          console.log(
            `round ${round + 1} ${name} ${target}: ${rate(cell.rate)}/s cpu ${cell.cpuUs.toFixed(0)} µs p50 ${ms(cell.p50)} p95 ${ms(cell.p95)} p99 ${ms(cell.p99)} ms${cell.errors > 0 ? ` errors ${cell.errors}` : ""}`,
          );
        }
      }
    }
    const loadAfter = loadavg();
    const memory = {
      single: mib(await rssOf(serveLog.child.pid!)),
      workers:
        serveWorkers === undefined
          ? ""
          : await (async () => {
              const pid = serveWorkers.child.pid!;
              const ids = (
                await readFile(`/proc/${pid}/task/${pid}/children`, "utf8").catch(() => "")
              )
                .split(" ")
                .filter((id) => id !== "");
              const workers = await Promise.all(ids.map((id) => rssOf(Number(id))));
              return `primary ${mib(await rssOf(pid))} + workers ${workers.map(mib).join(", ")}`;
            })(),
    };
    const metrics = await (await fetch(`${serveLog.url}/metrics`)).text();
    const dropped = Number(
      /^pairlift_log_rows_total\{outcome="dropped"\} (\S+)$/m.exec(metrics)?.[1] ?? NaN,
    );
    for (const child of children.splice(0)) await stop(child);
    const bytes = await logBytes(logPath, tmp);

    const table = [
      "| pipeline | server | requests/s | p50 / p95 / p99 (ms) | CPU per request (µs) | share of ceiling |",
      "| --- | --- | ---: | ---: | ---: | ---: |",
    ];
    const verdicts: string[] = [];
    for (const name of names) {
      const get = (target: Target) => medianCell(cells.get(`${name}|${target}`)!);
      const engineCell = get("engine");
      const bareCell = get("bare");
      const ceiling = 1 / (1 / bareCell.rate + 1 / engineCell.rate);
      for (const target of TARGETS) {
        const cell = get(target);
        const share = target.startsWith("serve")
          ? `${((100 * cell.rate) / ceiling).toFixed(0)}%`
          : "";
        table.push(
          `| \`${name}\` | ${LABELS[target]} | ${rate(cell.rate)} | ${ms(cell.p50)} / ${ms(cell.p95)} / ${ms(cell.p99)} | ${cell.cpuUs.toFixed(0)} | ${share} |`,
        );
      }
      table.push(
        `| \`${name}\` | HTTP+engine ceiling, 1/(1/bare + 1/engine) | ${rate(ceiling)} | | ${(bareCell.cpuUs + engineCell.cpuUs).toFixed(0)} | 100% |`,
      );
      const on = get("serve-log");
      verdicts.push(
        `- \`${name}\`, log on: ${((100 * on.rate) / ceiling).toFixed(0)}% of the ceiling (goal ≥ 80%): **${on.rate >= 0.8 * ceiling ? "met" : "not met"}**; p99 ${ms(on.p99)} ms${name === "bm25" ? ` (goal ≤ 3 ms): **${on.p99 <= 3 ? "met" : "not met"}**` : ""}. Answer body ${bodyBytes[name]} bytes.`,
      );
    }
    if (WORKERS > 1) {
      const scaling = names
        .map((name) => {
          const one = medianCell(cells.get(`${name}|serve-log`)!).rate;
          const many = medianCell(cells.get(`${name}|serve-workers`)!).rate;
          return `\`${name}\` ×${(many / one).toFixed(2)}`;
        })
        .join(", ");
      verdicts.push(
        `- \`--workers ${WORKERS}\` against one process (both log on): ${scaling} the requests/s. This machine has ${machine.cores} cores and autocannon needs one of them, so more workers mostly take turns on the same core; on a machine with cores to spare, expect up to one process's rate per core the load generator leaves free. Memory (RSS at the end of the run): one process ${memory.single}; \`--workers ${WORKERS}\` ${memory.workers}. Each worker holds its own index, documents and vectors in memory (nothing is shared between processes), so index memory grows with N.`,
      );
    }
    const errors = [...cells.values()].flat().reduce((sum, cell) => sum + cell.errors, 0);
    console.log(table.join("\n"));
    console.log(verdicts.join("\n"));
    console.log(
      `log: ${bytes.v2.toFixed(0)} bytes/query (schema 1: ${bytes.v1.toFixed(0)}), ${bytes.rows} rows, dropped ${dropped}`,
    );

    const { start, end } = sectionMarkers("serve");
    const command = `npm run bench:serve -- --duration ${DURATION_S} --rounds ${ROUNDS} --connections ${CONNECTIONS} --pipelines ${PIPELINES.join(",")} --workers ${WORKERS}`;
    const section = [
      start,
      "",
      "## Serve: what `pairlift serve` adds to the search it wraps (SciFact)",
      "",
      `Generated by \`bench/serve.bench.ts\`; rerun with \`${command}\`.`,
      "",
      `- Machine: ${machineLine(machine)}. The load generator (autocannon, ${CONNECTIONS} connections, closed loop) runs in the benchmark's process on the same cores as the servers, and the machine is shared with other agents' work: 1/5/15-min load average ${loadBefore.map((v) => v.toFixed(2)).join(" / ")} before the run, ${loadAfter.map((v) => v.toFixed(2)).join(" / ")} after. Absolute rates move with that load; the shares of the ceiling compare cells of the same rounds.`,
      `- One request throughout: \`POST /search\` \`{"query": "${QUERY}", "k": ${K}, "pipeline": …}\` on SciFact (${index.lexical.size} documents), loopback only. ${ROUNDS} interleaved rounds of ${DURATION_S} s per cell (the order rotates each round) after a ${WARMUP_S} s warm-up of each (${WARMUP_S} s per worker for the cluster); each figure is the median over the rounds. CPU per request is the answering process's user + system time over the cell (from /proc; for the engine, the benchmark process's while autocannon is idle), which the machine's other load does not inflate the way it does wall-clock rates. Latencies are each response's own time (ms), from autocannon's response events; the engine's are per \`pipeline.search\` call, ${CONNECTIONS} in flight at once like the HTTP connections.`,
      `- Servers: \`pairlift serve\` with the log on (\`--log FILE\`, SQLite, batched writes) and off (\`--no-log\`), and a bare Fastify route (\`bench/support/bare-server.ts\`) answering the exact JSON serve answered, each in its own process${WORKERS > 1 ? `; and \`pairlift serve --workers ${WORKERS}\` (log on: the primary writes it, the workers answer)` : ""}. Monitors and metrics are on in every serve process.`,
      skipped.length === 0 ? "" : `- Not measured: ${skipped.join("; ")}.`,
      "",
      ...table,
      "",
      ...verdicts,
      `- Errors (socket errors, non-2xx, timeouts) over all cells: ${errors}.`,
      `- Query log: **${bytes.v2.toFixed(0)} bytes per query** in schema 2, against ${bytes.v1.toFixed(0)} for the same ${bytes.rows.toLocaleString("en-US")} rows in schema 1 (${((100 * bytes.v2) / bytes.v1).toFixed(0)}%; goal ≤ 50%: **${bytes.v2 <= 0.5 * bytes.v1 ? "met" : "not met"}**); each a vacuumed file holding only the query rows. Rows dropped by a full write queue during the run: ${dropped}.`,
      "",
      end,
    ].filter((line, i, lines) => !(line === "" && lines[i - 1] === ""));
    if (args["dry-run"]) console.log(section.join("\n"));
    else {
      await writeBenchmarkSection("serve", section.join("\n"));
      console.log("wrote BENCHMARKS.md (serve)");
    }
  } finally {
    for (const child of children) await stop(child);
    await Promise.all([...pipelines.values()].map((pipeline) => pipeline.close()));
    cache.close();
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
