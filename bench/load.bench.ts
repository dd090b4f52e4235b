/**
 * Load test of `pairlift serve` on SciFact: autocannon against the loopback interface for 60 s at
 * 32 connections, the server in a child process (so its RSS is its own), request bodies cycling
 * through the 300 test queries. Records requests/s, latency percentiles, errors and the server's
 * memory over the run, and writes the `load` section of BENCHMARKS.md.
 *
 *   npx tsx bench/load.bench.ts [--duration 60] [--connections 32] [--pipeline hybrid:use] [--dry-run]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { loadConfig } from "../src/config/config-file.js";
import { EmbeddingCache } from "../src/dense/embedding-cache.js";
import { loadBeirSplit } from "../src/io/beir.js";
import { createPipeline } from "../src/pipeline/pipeline.js";
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
    duration: { type: "string", default: "60" },
    connections: { type: "string", default: "32" },
    pipeline: { type: "string", default: "hybrid:use" },
    /** Measure and print, but leave BENCHMARKS.md alone (a smoke run). */
    "dry-run": { type: "boolean", default: false },
  },
});
const DURATION_S = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const WANTED = args.pipeline;
const K = 10;
const MiB = 1024 * 1024;

/** The resident set of a process, from /proc (Linux), in bytes. */
async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

/** Builds the pipeline's vectors if the cached index lacks them; false (with why) when the pipeline cannot be built. */
async function prepare(
  pipeline: string,
  index: Awaited<ReturnType<typeof cachedIndex>>["index"],
): Promise<{ ok: true } | { ok: false; why: string }> {
  const cache = new EmbeddingCache(cacheDir("embeddings.sqlite"));
  try {
    const built = await createPipeline(pipeline, {
      index,
      config: await loadConfig(),
      cache,
      buildMissing: true,
      onProgress: (stage, done, total) => {
        if (done % 1024 < 64) console.log(`  ${stage} ${done}/${total}`);
      },
    });
    await built.close();
    return { ok: true };
  } catch (error) {
    return { ok: false, why: error instanceof Error ? error.message : String(error) };
  } finally {
    cache.close();
  }
}

function startServer(
  indexDir: string,
  pipeline: string,
  logPath: string,
  serveConfig: string,
): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "src/cli/main.ts",
      "serve",
      "--index",
      indexDir,
      "--pipeline",
      pipeline,
      "--port",
      "0",
      "--log",
      logPath,
      "--serve-config",
      serveConfig,
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
  );
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const url = /listening on (http:\/\/\S+) /.exec(out)?.[1];
      if (url !== undefined) resolve({ child, url, exited });
    });
    void exited.then((code) => reject(new Error(`the server exited (${code}) before listening`)));
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function sampleValue(metrics: string, name: string, labels: string): number | undefined {
  const line = metrics.split("\n").find((row) => row.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

/** A quantile's upper bucket bound from a Prometheus histogram (seconds). */
function histogramQuantile(metrics: string, name: string, labels: string, q: number): number {
  const buckets: [number, number][] = [];
  for (const row of metrics.split("\n")) {
    const match = new RegExp(
      `^${name}_bucket\\{le="([^"]+)",${escapeRegExp(labels)}\\} (\\S+)$`,
    ).exec(row);
    if (match !== null)
      buckets.push([match[1] === "+Inf" ? Infinity : Number(match[1]), Number(match[2])]);
  }
  const total = buckets.at(-1)?.[1] ?? 0;
  return buckets.find(([, count]) => count >= q * total)?.[0] ?? NaN;
}

function stageMeans(metrics: string, pipeline: string): [string, number][] {
  const means: [string, number][] = [];
  const pattern = new RegExp(
    `^pairlift_stage_duration_seconds_sum\\{pipeline="${escapeRegExp(pipeline)}",stage="([^"]+)"\\} (\\S+)$`,
    "gm",
  );
  for (const match of metrics.matchAll(pattern)) {
    const count = sampleValue(
      metrics,
      "pairlift_stage_duration_seconds_count",
      `{pipeline="${pipeline}",stage="${match[1]}"}`,
    );
    if (count !== undefined && count > 0)
      means.push([match[1]!, (Number(match[2]) / count) * 1000]);
  }
  return means;
}

async function main(): Promise<void> {
  const scifact = `${BEIR_DIR}/scifact`;
  if (!existsSync(`${scifact}/corpus.jsonl`)) {
    console.log(`bench: SciFact not found under ${BEIR_DIR}; nothing measured.`);
    return;
  }
  const machine = describeMachine();
  const { index, reused } = await cachedIndex({ source: { path: scifact } });
  console.log(
    `index ${index.dir} (${reused ? "reused" : "built"}, ${index.lexical.size} documents)`,
  );
  let pipeline = WANTED;
  let fallback: string | undefined;
  const prepared = await prepare(WANTED, index);
  if (!prepared.ok) {
    fallback = `\`${WANTED}\` could not be built (${prepared.why}); this run serves \`bm25\` instead`;
    console.log(`NOTE: ${fallback}`);
    pipeline = "bm25";
  }
  const { queries } = await loadBeirSplit(scifact, "test");
  const tmp = await mkdtemp(join(tmpdir(), "pairlift-load-"));
  const serveConfig = join(tmp, "serve.yaml");
  // Generous limits: the test measures throughput, not the overload path.
  await writeFile(
    serveConfig,
    "serve:\n  limits:\n    maxConcurrent: 256\n    timeoutMs: 30000\n  monitors:\n    latencyBudgetMs: 250\n",
  );
  const { child, url, exited } = await startServer(
    index.dir,
    pipeline,
    join(tmp, "log.sqlite"),
    serveConfig,
  );
  const pid = child.pid!;
  try {
    const rssBeforeWarmup = await rssOf(pid);
    // Warm-up: every query once, one at a time (JIT, page cache, and embedding cache misses).
    const warmStarted = performance.now();
    for (const query of queries) {
      const response = await fetch(`${url}/search`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: query.text, k: K }),
      });
      if (response.status !== 200)
        throw new Error(`warm-up: ${response.status} ${await response.text()}`);
    }
    const warmSeconds = (performance.now() - warmStarted) / 1000;
    const rssStart = await rssOf(pid);
    console.log(
      `warm-up: ${queries.length} queries in ${warmSeconds.toFixed(1)} s; RSS ${(rssStart / MiB).toFixed(1)} MiB`,
    );

    const loadBefore = loadavg()[0]!;
    const samples: [number, number][] = [[0, rssStart]];
    const started = performance.now();
    const sampler = setInterval(() => {
      void rssOf(pid).then((rss) => samples.push([(performance.now() - started) / 1000, rss]));
    }, 1000);
    const result = await autocannon({
      url,
      connections: CONNECTIONS,
      duration: DURATION_S,
      timeout: 30,
      requests: queries.map((query) => ({
        method: "POST",
        path: "/search",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: query.text, k: K }),
      })),
    });
    clearInterval(sampler);
    const loadAfter = loadavg()[0]!;
    const rssEnd = await rssOf(pid);
    samples.push([(performance.now() - started) / 1000, rssEnd]);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const monitor = (await (await fetch(`${url}/monitor`)).json()) as {
      counts: Record<string, number>;
    };

    const labels = `pipeline="${pipeline}"`;
    const serverP50 = histogramQuantile(metrics, "pairlift_search_duration_seconds", labels, 0.5);
    const serverP99 = histogramQuantile(metrics, "pairlift_search_duration_seconds", labels, 0.99);
    const route = 'route="/search"';
    const routeP50 = histogramQuantile(
      metrics,
      "pairlift_http_request_duration_seconds",
      route,
      0.5,
    );
    const routeP99 = histogramQuantile(
      metrics,
      "pairlift_http_request_duration_seconds",
      route,
      0.99,
    );
    const hitRatio = sampleValue(metrics, "pairlift_embedding_cache_hit_ratio", `{${labels}}`);
    const stages = stageMeans(metrics, pipeline);
    const errors = result.errors + result.non2xx;
    const rssMax = Math.max(...samples.map(([, rss]) => rss));
    // Memory over the second half of the run: a leak keeps climbing there, warm-up growth does not.
    const half = samples.filter(([t]) => t >= DURATION_S / 2);
    const halfStart = half[0]?.[1] ?? rssStart;
    const growthSecondHalf = rssEnd - halfStart;
    const flat = growthSecondHalf <= 0.05 * halfStart;
    const marks = [0, 0.25, 0.5, 0.75, 1].map((share) => {
      const mark = share * DURATION_S;
      const nearest = samples.reduce((best, sample) =>
        Math.abs(sample[0] - mark) < Math.abs(best[0] - mark) ? sample : best,
      );
      return `${nearest[0].toFixed(0)} s: ${(nearest[1] / MiB).toFixed(1)} MiB`;
    });
    console.log(
      `${result.requests.total} requests, ${result.requests.average.toFixed(1)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, errors ${errors}, RSS ${marks.join(", ")}`,
    );

    const { start, end } = sectionMarkers("load");
    const section = [
      start,
      "",
      "## Load: `pairlift serve` under autocannon (SciFact)",
      "",
      "Generated by `bench/load.bench.ts`; rerun with `npx tsx bench/load.bench.ts`.",
      "",
      `- Machine: ${machineLine(machine)}. The load generator (autocannon) and the server share these cores, and other work shared the machine: 1-min load average ${loadBefore.toFixed(2)} before the run, ${loadAfter.toFixed(2)} after.`,
      `- Server: \`pairlift serve --pipeline ${pipeline}\` in its own process over SciFact (${index.lexical.size} documents), query log on; loopback only.${fallback === undefined ? "" : ` **Fallback:** ${fallback}.`}`,
      `- Load: ${CONNECTIONS} connections for ${DURATION_S} s, \`POST /search\` with k = ${K}, bodies cycling through the ${queries.length} SciFact test queries, after a warm-up pass over every query (${warmSeconds.toFixed(1)} s, one at a time).${hitRatio === undefined ? "" : ` The queries repeat, so the embedding cache answers them after the warm-up (hit ratio at the end: ${(hitRatio * 100).toFixed(1)}%); an unseen query also pays the model (use-lite: ~70–110 short texts/s on this machine, see the embed section).`}`,
      "",
      "| measure | value |",
      "| --- | ---: |",
      `| requests completed | ${result.requests.total.toLocaleString("en-US")} |`,
      `| requests/s (mean of 1 s samples) | ${result.requests.average.toFixed(1)} |`,
      `| latency p50 / p90 / p99 / max (client, ms) | ${result.latency.p50} / ${result.latency.p90} / ${result.latency.p99} / ${result.latency.max} |`,
      `| search p50 / p99 (server histogram bucket bound, ms) | ≤ ${(serverP50 * 1000).toFixed(1)} / ≤ ${(serverP99 * 1000).toFixed(1)} |`,
      `| request p50 / p99 (server, whole route: parse, search, log, monitors; bucket bound, ms) | ≤ ${(routeP50 * 1000).toFixed(1)} / ≤ ${(routeP99 * 1000).toFixed(1)} |`,
      `| mean stage time (server, ms) | ${stages.map(([stage, ms]) => `${stage} ${ms.toFixed(2)}`).join(", ")} |`,
      `| errors (socket errors + non-2xx) / timeouts | ${errors} / ${result.timeouts} |`,
      `| server RSS before warm-up / at start / max / end | ${(rssBeforeWarmup / MiB).toFixed(1)} / ${(rssStart / MiB).toFixed(1)} / ${(rssMax / MiB).toFixed(1)} / ${(rssEnd / MiB).toFixed(1)} MiB |`,
      `| server RSS over the run | ${marks.join(", ")} |`,
      `| monitor alerts (warm-up and run) | ${
        Object.entries(monitor.counts)
          .filter(([, count]) => count > 0)
          .map(([type, count]) => `${type} ${count}`)
          .join(", ") || "none"
      } |`,
      "",
      `- Zero errors: **${errors === 0 && result.timeouts === 0 ? "met" : "not met"}**.`,
      `- Flat memory (RSS grows by at most 5% over the second half of the run): **${flat ? "met" : "not met"}** (${growthSecondHalf >= 0 ? "+" : ""}${(growthSecondHalf / MiB).toFixed(1)} MiB from ${(halfStart / MiB).toFixed(1)} MiB).`,
      "",
      end,
    ].join("\n");
    if (args["dry-run"]) {
      console.log(section);
    } else {
      await writeBenchmarkSection("load", section);
      console.log("wrote BENCHMARKS.md (load)");
    }
  } finally {
    child.kill("SIGTERM");
    const code = await exited;
    if (code !== 0) console.log(`server exited with ${code}`);
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
