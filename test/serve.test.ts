import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/config-file.js";
import { createPipeline, type Pipeline } from "../src/pipeline/pipeline.js";
import { QueryLog } from "../src/serve/query-log.js";
import { createServer, type PairliftServer, type ServerOptions } from "../src/serve/server.js";
import type { ServingSet } from "../src/serve/serving-set.js";
import type { OpenIndex } from "../src/store/index-store.js";
import {
  FakePipeline,
  buildCatalogueIndex,
  errorMessage,
  gate,
  hitsFor,
  post,
  sample,
  testSettings,
} from "./support/serve-fixtures.js";

const tmp = await mkdtemp(join(tmpdir(), "pairlift-serve-"));
let index: OpenIndex;
let bm25: Pipeline;
const TOKEN = "s3cret-admin-token";
const started: PairliftServer[] = [];

beforeAll(async () => {
  index = await buildCatalogueIndex(tmp);
  bm25 = await createPipeline("bm25", { index, config: await loadConfig() });
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

function servingSet(pipelines: Pipeline[], defaultPipeline = pipelines[0]!.name): ServingSet {
  return {
    index,
    pipelines: new Map(pipelines.map((pipeline) => [pipeline.name, pipeline])),
    defaultPipeline,
    close: async () => {
      // bm25 is shared across tests; only fakes are closed.
      await Promise.all(
        pipelines.filter((p) => p instanceof FakePipeline).map((pipeline) => pipeline.close()),
      );
    },
  };
}

async function start(
  pipelines: Pipeline[],
  options: Partial<ServerOptions> = {},
): Promise<{ server: PairliftServer; url: string }> {
  const server = createServer({
    settings: testSettings(),
    load: () => Promise.resolve(servingSet(pipelines)),
    adminToken: TOKEN,
    ...options,
  });
  started.push(server);
  const url = await server.start({ port: 0 });
  return { server, url };
}

async function text(url: string): Promise<string> {
  return (await fetch(url)).text();
}

describe("pairlift serve: search", () => {
  it("answers with ids, titles, scores and a queryId; debug adds hits, timings and alerts", async () => {
    const { url } = await start([bm25]);
    const plain = await post(`${url}/search`, { query: "KT-2040", k: 3 });
    expect(plain.status).toBe(200);
    const results = plain.body["results"] as { id: string; title: string; score: number }[];
    // p1 holds the identifier KT-2040 itself; p2 holds KT-2040X and "KT 2040" (parts only).
    expect(results.map((r) => r.id).slice(0, 2)).toEqual(["p1", "p2"]);
    expect(results[0]!.title).toBe("Kestrel KT-2040 18V Drill Driver");
    expect(results[0]!.score).toBeGreaterThan(results[1]!.score);
    expect(plain.body["pipeline"]).toBe("bm25");
    expect(plain.body["queryId"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(plain.body["debug"]).toBeUndefined();

    const debug = await post(`${url}/search`, { query: "KT-2040", k: 3, debug: true });
    const info = debug.body["debug"] as {
      hits: { id: string }[];
      timingsMs: Record<string, number>;
      alerts: unknown[];
    };
    expect(info.hits.map((hit) => hit.id)).toEqual(results.map((r) => r.id));
    expect(Object.values(info.timingsMs).length).toBeGreaterThan(0);
    expect(Object.values(info.timingsMs).every(Number.isFinite)).toBe(true);
    expect(info.alerts).toEqual([]);
  });

  it("refuses each bad request with a 4xx naming what is wrong", async () => {
    const settings = testSettings({ limits: { queryChars: 200, maxK: 100, bodyBytes: 1024 } });
    const { url } = await start([bm25], { settings });
    const search = (body: unknown) => post(`${url}/search`, body);
    const cases: [unknown, number, RegExp][] = [
      [{}, 400, /field "query": is required \(the text to search for\)/],
      [{ query: "" }, 400, /field "query": must not be empty/],
      [{ query: "   " }, 400, /field "query": must not be empty/],
      [{ query: 42 }, 400, /field "query": must be a string/],
      [{ query: "x".repeat(201) }, 400, /field "query": is 201 characters long; the limit is 200/],
      [{ query: "drill", k: 0 }, 400, /field "k": must be an integer from 1 to 100, got 0/],
      [{ query: "drill", k: 10000 }, 400, /field "k": must be an integer from 1 to 100, got 10000/],
      [{ query: "drill", k: 2.5 }, 400, /field "k": must be an integer from 1 to 100/],
      [{ query: "drill", k: "5" }, 400, /field "k": must be an integer from 1 to 100/],
      [
        { query: "drill", pipeline: "nope" },
        400,
        /field "pipeline": unknown pipeline "nope"; this server serves "bm25"/,
      ],
      [{ query: "drill", kk: 3 }, 400, /unknown field "kk"; expected query, k, pipeline, debug/],
      [[1, 2], 400, /the body must be a JSON object/],
      ['{"query": "dri', 400, /the body is not valid JSON/],
      [{ query: "drill", padding: "x".repeat(2000) }, 413, /over the 1024-byte limit/],
    ];
    for (const [body, status, message] of cases) {
      const response = await search(body);
      expect({ body, status: response.status }).toEqual({ body, status });
      expect(errorMessage(response.body)).toMatch(message);
    }
    const form = await fetch(`${url}/search`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "query=drill",
    });
    expect(form.status).toBe(415);
    expect(errorMessage((await form.json()) as Record<string, unknown>)).toBe(
      "send the body as JSON (content-type: application/json)",
    );
    const plainText = await fetch(`${url}/search`, { method: "POST", body: "drill" });
    expect(plainText.status).toBe(400);

    const feedback = (body: unknown) => post(`${url}/feedback`, body);
    const { body: ok } = await search({ query: "drill" });
    const queryId = ok["queryId"] as string;
    const feedbackCases: [unknown, number, RegExp][] = [
      [
        { queryId, docId: "p1", signal: "meh" },
        400,
        /field "signal": must be one of click, good, bad, missing, got "meh"/,
      ],
      [{ queryId, docId: "p1" }, 400, /field "signal": is required/],
      [{ queryId, signal: "good" }, 400, /field "docId": is required with signal "good"/],
      [
        { queryId, signal: "missing" },
        400,
        /field "expectedDocId": is required with signal "missing"/,
      ],
      [
        { queryId: "no-such-query", docId: "p1", signal: "good" },
        404,
        /unknown queryId "no-such-query"/,
      ],
      [
        { queryId, docId: "p99", signal: "good" },
        400,
        /field "docId": document "p99" is not in the index/,
      ],
    ];
    for (const [body, status, message] of feedbackCases) {
      const response = await feedback(body);
      expect({ body, status: response.status }).toEqual({ body, status });
      expect(errorMessage(response.body)).toMatch(message);
    }

    const noToken = await post(`${url}/admin/reload`, {});
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(errorMessage(noToken.body)).toMatch(/need an `Authorization: Bearer <token>` header/);
    const wrong = await post(`${url}/admin/reload`, {}, { authorization: "Bearer guess" });
    expect(wrong.status).toBe(401);
    expect(errorMessage(wrong.body)).toMatch(/the bearer token is wrong/);

    const missing = await fetch(`${url}/nowhere`);
    expect(missing.status).toBe(404);

    // Every refusal is counted by route and code.
    const metrics = await text(`${url}/metrics`);
    expect(sample(metrics, "pairlift_errors_total", { route: "/search", code: "E_QUERY" })).toBe(5);
    expect(sample(metrics, "pairlift_errors_total", { route: "/search", code: "E_FIELD" })).toBe(8);
    expect(
      sample(metrics, "pairlift_errors_total", { route: "/search", code: "E_TOO_LARGE" }),
    ).toBe(1);
    expect(
      sample(metrics, "pairlift_errors_total", { route: "/admin/reload", code: "E_AUTH" }),
    ).toBe(2);
  });

  it("keeps admin routes off without a token", async () => {
    const { url } = await start([bm25], { adminToken: "" });
    const response = await post(`${url}/admin/reload`, {}, { authorization: "Bearer " });
    expect(response.status).toBe(403);
    expect(errorMessage(response.body)).toMatch(
      /admin routes are disabled: .*PAIRLIFT_ADMIN_TOKEN/,
    );
  });

  it("answers a degraded result with 200 and counts it; a failing pipeline is a 500 with its reason", async () => {
    const degraded = new FakePipeline("slow-rerank", () => ({
      ...hitsFor("p1", "p2"),
      degraded: {
        stage: "rerank",
        kind: "timeout",
        message: "the reranker ran past its 50 ms budget",
      },
    }));
    const broken = new FakePipeline("broken", () => {
      throw new Error("model crashed");
    });
    const { url } = await start([degraded, broken]);
    const response = await post(`${url}/search`, { query: "drill" });
    expect(response.status).toBe(200);
    expect(response.body["degraded"]).toEqual({
      stage: "rerank",
      kind: "timeout",
      message: "the reranker ran past its 50 ms budget",
    });
    expect((response.body["results"] as { id: string }[]).map((r) => r.id)).toEqual(["p1", "p2"]);

    const failed = await post(`${url}/search`, { query: "drill", pipeline: "broken" });
    expect(failed.status).toBe(500);
    expect(errorMessage(failed.body)).toBe('pipeline "broken" failed: model crashed');

    const metrics = await text(`${url}/metrics`);
    expect(
      sample(metrics, "pairlift_degraded_total", {
        pipeline: "slow-rerank",
        stage: "rerank",
        kind: "timeout",
      }),
    ).toBe(1);
    expect(sample(metrics, "pairlift_monitor_alerts_total", { type: "degraded" })).toBe(1);
    expect(sample(metrics, "pairlift_errors_total", { route: "/search", code: "E_INTERNAL" })).toBe(
      1,
    );
    const monitor = (await (await fetch(`${url}/monitor`)).json()) as {
      counts: Record<string, number>;
      recent: { type: string; message: string }[];
    };
    expect(monitor.counts["degraded"]).toBe(1);
    expect(monitor.recent[0]).toMatchObject({
      type: "degraded",
      message: "stage rerank timeout: the reranker ran past its 50 ms budget",
    });
  });

  it("answers 504 when a search outlives the timeout and 429 beyond the concurrency limit", async () => {
    const hold = gate();
    const slow = new FakePipeline("slow", async () => {
      await hold.promise;
      return hitsFor("p1");
    });
    const settings = testSettings({ limits: { timeoutMs: 50, maxConcurrent: 2 } });
    const { url } = await start([slow], { settings });
    const first = post(`${url}/search`, { query: "drill" });
    const second = post(`${url}/search`, { query: "drill" });
    await expect.poll(() => slow.calls).toBe(2);
    const third = await post(`${url}/search`, { query: "drill" });
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toBe("1");
    expect(errorMessage(third.body)).toBe(
      "too many searches in flight (the limit is 2); retry shortly",
    );
    const timedOut = await first;
    expect(timedOut.status).toBe(504);
    expect(errorMessage(timedOut.body)).toBe(
      'pipeline "slow" did not answer within 50 ms; try again, or a faster pipeline',
    );
    expect((await second).status).toBe(504);
    // The timed-out searches still hold their slots until they really end.
    expect((await post(`${url}/search`, { query: "drill" })).status).toBe(429);
    hold.open();
    await expect.poll(() => slow.active).toBe(0);
    const metrics = await text(`${url}/metrics`);
    expect(sample(metrics, "pairlift_rejected_total", { reason: "timeout" })).toBe(2);
    expect(sample(metrics, "pairlift_rejected_total", { reason: "concurrency" })).toBe(2);
    expect(sample(metrics, "pairlift_inflight_searches")).toBe(0);
  });
});

describe("pairlift serve: monitors", () => {
  it("fires identifier_miss on a planted miss, and not when the result holds the identifier", async () => {
    const wrong = new FakePipeline("wrong-docs", () => hitsFor("p4", "p5", "p6"));
    const { url } = await start([wrong, bm25]);
    const miss = await post(`${url}/search`, { query: "KT-2040 drill", debug: true });
    expect(miss.status).toBe(200);
    expect((miss.body["debug"] as { alerts: unknown[] }).alerts).toEqual([
      {
        type: "identifier_miss",
        message: 'the corpus holds "kt-2040", but none of the 3 results contains it',
      },
    ]);
    // bm25 finds p1, which holds KT-2040: no alert.
    await post(`${url}/search`, { query: "KT-2040 drill", pipeline: "bm25" });
    // An identifier the corpus does not hold is not a miss.
    await post(`${url}/search`, { query: "ZX-9000 drill" });
    // The joined form names the same identifier: only p1 holds kt2040 (p2 has kt2040x, "KT 2040").
    await post(`${url}/search`, { query: "kt2040" });

    const monitor = (await (await fetch(`${url}/monitor`)).json()) as {
      searches: number;
      counts: Record<string, number>;
      rates: { byType: Record<string, number> };
      recent: { type: string; query: string; pipeline: string }[];
    };
    expect(monitor.searches).toBe(4);
    expect(monitor.counts["identifier_miss"]).toBe(2);
    expect(monitor.rates.byType["identifier_miss"]).toBe(0.5);
    expect(monitor.recent.map((alert) => [alert.type, alert.query, alert.pipeline])).toEqual([
      ["identifier_miss", "kt2040", "wrong-docs"],
      ["identifier_miss", "KT-2040 drill", "wrong-docs"],
    ]);
    const metrics = await text(`${url}/metrics`);
    expect(sample(metrics, "pairlift_monitor_alerts_total", { type: "identifier_miss" })).toBe(2);
    expect(sample(metrics, "pairlift_monitor_alerts_total", { type: "path_disagreement" })).toBe(0);
  });

  it("raises negative_feedback once when the windowed negative share crosses the threshold", async () => {
    const settings = testSettings({
      monitors: { feedbackMinEvents: 4, negativeFeedbackRate: 0.5 },
    });
    const { url, server } = await start([bm25], { settings });
    const { body } = await post(`${url}/search`, { query: "garden hose" });
    const queryId = body["queryId"] as string;
    const signals = [
      { docId: "p4", signal: "good" },
      { docId: "p5", signal: "bad" },
      { signal: "missing", expectedDocId: "p3" },
      { docId: "p6", signal: "bad" }, // 3 of 4 negative: alert
      { docId: "p6", signal: "bad" }, // still over: no second alert
    ];
    for (const signal of signals) {
      const response = await post(`${url}/feedback`, { queryId, ...signal });
      expect(response.status).toBe(201);
    }
    const monitor = server.monitors.report();
    expect(monitor.counts.negative_feedback).toBe(1);
    expect(monitor.feedback).toMatchObject({ events: 5, negative: 4, rate: 0.8 });
    expect(monitor.recent[0]!.message).toBe(
      "3 of the last 4 feedback events are negative (75% ≥ 50%)",
    );
    const metrics = await text(`${url}/metrics`);
    expect(sample(metrics, "pairlift_feedback_total", { signal: "bad" })).toBe(3);
    expect(server.log.counts().feedback).toBe(5);
  });
});

describe("pairlift serve: observability", () => {
  it("exposes /metrics as valid Prometheus text, with per-stage histograms", async () => {
    const { url } = await start([bm25]);
    await post(`${url}/search`, { query: "drill" });
    await post(`${url}/search`, { query: "hose", k: 2 });
    const response = await fetch(`${url}/metrics`);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const metrics = await response.text();
    checkPrometheusText(metrics);
    expect(sample(metrics, "pairlift_search_duration_seconds_count", { pipeline: "bm25" })).toBe(2);
    expect(
      sample(metrics, "pairlift_http_requests_total", {
        route: "/search",
        method: "POST",
        status: "200",
      }),
    ).toBe(2);
    expect(metrics).toMatch(
      /^pairlift_stage_duration_seconds_count\{pipeline="bm25",stage="[\w:]+"\} 2$/m,
    );
    expect(sample(metrics, "pairlift_process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("serves /healthz, /readyz and the dashboard page", async () => {
    const { url } = await start([bm25]);
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: "ok" });
    const ready = (await (await fetch(`${url}/readyz`)).json()) as Record<string, unknown>;
    expect(ready).toMatchObject({ ready: true, generation: 1, documents: 6, pipelines: ["bm25"] });
    const page = await fetch(`${url}/`);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await page.text();
    expect(html).toContain('fetch("monitor")');
    expect(html).toContain('fetch("metrics")');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/); // self-contained
  });

  it("logs queries and feedback append-only, and prunes rows past retention", async () => {
    const logPath = join(tmp, "append-only.sqlite");
    const { url, server } = await start([bm25], { settings: testSettings({}, logPath) });
    const { body } = await post(`${url}/search`, { query: "drill bits", k: 2 });
    await post(`${url}/feedback`, { queryId: body["queryId"], docId: "p6", signal: "click" });
    const [logged] = server.log.queries();
    expect(logged).toMatchObject({ query: "drill bits", k: 2, pipeline: "bm25", index: index.dir });
    expect(logged!.results).toEqual((body["results"] as { id: string }[]).map((r) => r.id));
    const db = new Database(logPath);
    expect(() => db.prepare("UPDATE queries SET query = 'changed'").run()).toThrow(
      /queries is append-only/,
    );
    expect(() => db.prepare("UPDATE feedback SET signal = 'good'").run()).toThrow(
      /feedback is append-only/,
    );
    db.close();
    const now = Date.now();
    server.log.logQuery({ ...logged!, id: "old", ts: now - 31 * 86_400_000 });
    expect(server.log.prune(30, now)).toEqual({
      queries: 1,
      feedback: 0,
      alerts: 0,
      shadow_runs: 0,
    });
    expect(server.log.counts()).toMatchObject({ queries: 1, feedback: 1 });
  });
});

describe("pairlift serve: the query log off the request path", () => {
  it("answers every search when the log queue overflows, and counts the dropped rows", async () => {
    // A queue of two rows that is never flushed by time: the third and fourth rows have no room.
    const log = new QueryLog(":memory:", {
      queue: { capacity: 2, batchSize: 100, flushMs: 600_000 },
    });
    const { url } = await start([bm25], { log });
    for (let i = 0; i < 4; i += 1)
      expect((await post(`${url}/search`, { query: "drill" })).status).toBe(200);
    const metrics = await text(`${url}/metrics`);
    expect(sample(metrics, "pairlift_log_rows_total", { outcome: "dropped" })).toBe(2);
    expect(sample(metrics, "pairlift_log_queue_rows")).toBe(2);
    expect(log.counts().queries).toBe(2);
    expect(
      sample(await text(`${url}/metrics`), "pairlift_log_rows_total", { outcome: "written" }),
    ).toBe(2);
  });

  it("accepts feedback on a query whose row is still queued", async () => {
    const log = new QueryLog(":memory:", { queue: { flushMs: 600_000 } });
    const { url } = await start([bm25], { log });
    const { body } = await post(`${url}/search`, { query: "garden hose" });
    expect(log.stats().queued).toBe(1);
    const feedback = await post(`${url}/feedback`, {
      queryId: body["queryId"],
      docId: "p4",
      signal: "good",
    });
    expect(feedback.status).toBe(201);
    expect(log.queries().map((query) => query.id)).toEqual([body["queryId"]]);
    expect(log.feedback()).toMatchObject([{ queryId: body["queryId"], docId: "p4" }]);
  });
});

describe("pairlift serve: reload and shutdown", () => {
  it("reloads under traffic without losing a request, closing the old set only once drained", async () => {
    let loads = 0;
    const built: FakePipeline[] = [];
    const load = () => {
      loads += 1;
      if (loads === 3) return Promise.reject(new Error("index directory vanished"));
      const generation = loads;
      const pipeline = new FakePipeline("live", async () => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        return hitsFor(`p${generation}`);
      });
      built.push(pipeline);
      return Promise.resolve(servingSet([pipeline]));
    };
    const { url } = await start([], { load });
    const answeredBy: string[] = [];
    let stop = false;
    const client = async () => {
      while (!stop) {
        const response = await post(`${url}/search`, { query: "drill" });
        expect(response.status).toBe(200);
        answeredBy.push((response.body["results"] as { id: string }[])[0]!.id);
      }
    };
    const clients = Array.from({ length: 6 }, client);
    let reload: Awaited<ReturnType<typeof post>>;
    let afterReload: number;
    try {
      await expect.poll(() => answeredBy.length).toBeGreaterThan(20);
      reload = await post(`${url}/admin/reload`, undefined, {
        authorization: `Bearer ${TOKEN}`,
      }).catch((error: unknown) => ({
        status: 0,
        body: { error: String(error) },
        headers: new Headers(),
      }));
      afterReload = answeredBy.length;
      await expect.poll(() => answeredBy.length).toBeGreaterThan(afterReload + 20);
    } finally {
      // Whatever failed above, the clients stop before the server does (no stray requests).
      stop = true;
      await Promise.allSettled(clients);
    }
    await Promise.all(clients);

    expect(reload.status).toBe(200);
    expect(reload.body).toMatchObject({
      generation: 2,
      previous: 1,
      drained: true,
      pipelines: ["live"],
    });
    expect(answeredBy.filter((id) => id === "p1").length).toBeGreaterThan(0);
    expect(answeredBy.slice(afterReload + 6).every((id) => id === "p2")).toBe(true);
    expect(built[0]!.closed).toBe(1);
    expect(built[0]!.closedWhileActive).toBe(false);
    expect(built[1]!.closed).toBe(0);

    const failed = await post(`${url}/admin/reload`, undefined, {
      authorization: `Bearer ${TOKEN}`,
    });
    expect(failed.status).toBe(500);
    expect(errorMessage(failed.body)).toBe(
      "reload failed; still serving generation 2: index directory vanished",
    );
    expect((await post(`${url}/search`, { query: "drill" })).status).toBe(200);
  });

  it("shuts down gracefully: the in-flight request completes, then the pipelines and log close", async () => {
    const hold = gate();
    const slow = new FakePipeline("slow", async () => {
      await hold.promise;
      return hitsFor("p3");
    });
    const { url, server } = await start([slow]);
    const inFlight = post(`${url}/search`, { query: "filter" });
    await expect.poll(() => slow.calls).toBe(1);
    const closed = server.close();
    let closeDone = false;
    void closed.then(() => (closeDone = true));
    await expect.poll(() => server.app.server.listening).toBe(false);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow(); // no new connections
    expect(closeDone).toBe(false);
    hold.open();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect((response.body["results"] as { id: string }[])[0]!.id).toBe("p3");
    await closed;
    expect(slow.closed).toBe(1);
    expect(slow.closedWhileActive).toBe(false);
    expect(() => server.log.counts()).toThrow(/not open/);
  });
});

/**
 * Checks the text exposition format: every sample belongs to a family declared with # TYPE,
 * values are numbers, label sets are well formed, and each histogram's buckets are cumulative
 * and end in +Inf = _count.
 */
function checkPrometheusText(text: string): void {
  const types = new Map<string, string>();
  const buckets = new Map<string, number[]>();
  const counts = new Map<string, number>();
  // Values parse as Go's ParseFloat does (Prometheus' own parser): NaN in any case, as
  // prom-client prints "Nan" for a gauge with no samples yet.
  const SAMPLE =
    /^([a-zA-Z_:][\w:]*)(?:\{((?:[a-zA-Z_]\w*="(?:[^"\\\n]|\\.)*",?)*)\})? (-?[\d.e+-]+|[Nn][Aa][Nn]|\+Inf|-Inf)$/;
  for (const line of text.trimEnd().split("\n")) {
    if (line === "") continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][\w:]*) (.*)$/.exec(line);
    if (meta !== null) {
      if (meta[1] === "TYPE") {
        expect(["counter", "gauge", "histogram", "summary", "untyped"]).toContain(meta[3]);
        types.set(meta[2]!, meta[3]!);
      }
      continue;
    }
    const match = SAMPLE.exec(line);
    expect(match, `malformed sample line: ${line}`).not.toBeNull();
    const [, name, labelText = "", value] = match!;
    const suffix = /_(bucket|sum|count)$/.exec(name!);
    const family = types.has(name!)
      ? name!
      : suffix !== null && types.get(name!.slice(0, suffix.index)) === "histogram"
        ? name!.slice(0, suffix.index)
        : undefined;
    expect(family, `sample without # TYPE: ${line}`).toBeDefined();
    if (types.get(family!) !== "histogram") continue;
    const labels = [...labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)]
      .filter((pair) => pair[1] !== "le")
      .map((pair) => `${pair[1]}=${pair[2]}`)
      .sort()
      .join(",");
    const series = `${family}{${labels}}`;
    if (suffix?.[1] === "bucket")
      buckets.set(series, [...(buckets.get(series) ?? []), Number(value)]);
    if (suffix?.[1] === "count") counts.set(series, Number(value));
  }
  expect(buckets.size).toBeGreaterThan(0);
  for (const [series, values] of buckets) {
    for (let i = 1; i < values.length; i += 1)
      expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
    expect(values.at(-1), series).toBe(counts.get(series));
  }
}
