import net from "node:net";
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import { isPairliftError } from "../errors.js";
import type { ServeConfig } from "./config.js";
import type { ReloadReport, ServeContext } from "./context.js";
import { Generation } from "./generation.js";
import { HttpError, statusOf, type ErrorBody } from "./http-error.js";
import { ConcurrencyLimit } from "./limits.js";
import { ServeMetrics } from "./metrics.js";
import { MonitorHub } from "./monitors/hub.js";
import { QueryLog, type ServeLog } from "./query-log.js";
import { zodValidator } from "./requests.js";
import { adminRoutes } from "./routes/admin.js";
import { dashboardRoutes } from "./routes/dashboard.js";
import { feedbackRoutes } from "./routes/feedback.js";
import { healthRoutes } from "./routes/health.js";
import { metricsRoutes } from "./routes/metrics.js";
import { monitorRoutes } from "./routes/monitor.js";
import { searchRoutes } from "./routes/search.js";
import type { LoadServingSet } from "./serving-set.js";
import { ShadowRunner } from "./shadow.js";

const HOUR_MS = 3_600_000;

export interface ServerOptions<Log extends ServeLog = QueryLog> {
  settings: ServeConfig;
  /** Builds a serving set: at start, and again on every reload. */
  load: LoadServingSet;
  /** Bearer token for admin routes (the CLI passes PAIRLIFT_ADMIN_TOKEN); none disables them. */
  adminToken?: string;
  /** The query log; default: a QueryLog at settings.logPath. */
  log?: Log;
  /** How long a retired generation may take to drain before it is closed anyway (default 30 s). */
  drainTimeoutMs?: number;
  /** Sampling for shadow runs and the clock; substitutes for tests. */
  random?: () => number;
  now?: () => number;
  /** The /metrics text, when not this process's own (a `--workers` worker asks the primary). */
  metricsText?: () => Promise<string>;
  /** Fastify's request logging (pino); off by default. */
  logger?: boolean;
}

export interface PairliftServer<Log extends ServeLog = QueryLog> {
  readonly app: FastifyInstance;
  readonly metrics: ServeMetrics;
  readonly monitors: MonitorHub;
  readonly log: Log;
  readonly shadow: ShadowRunner;
  /** Listens, then loads the first serving set (/readyz answers 503 until it is in); returns the URL. */
  start(options?: { host?: string; port?: number }): Promise<string>;
  /** Builds a new serving set, switches to it, and closes the old one once its searches end. */
  reload(): Promise<ReloadReport>;
  /**
   * Graceful shutdown: refuses new connections, lets in-flight requests and the running shadow
   * job finish, then closes the pipelines and the query log. Safe to call twice.
   */
  close(): Promise<void>;
}

/**
 * `pairlift serve`'s HTTP service: Fastify with zod-validated bodies, the query log, monitors,
 * shadow runs and Prometheus metrics, over a serving set that reloads without dropping requests.
 */
export function createServer<Log extends ServeLog = QueryLog>(
  options: ServerOptions<Log>,
): PairliftServer<Log> {
  const { settings } = options;
  const now = options.now ?? Date.now;
  const drainTimeoutMs = options.drainTimeoutMs ?? 30_000;
  const metrics = new ServeMetrics();
  // Without a log of its own, the default type parameter (QueryLog) is the one made here.
  const log =
    options.log ??
    (new QueryLog(settings.logPath, { maxBytes: settings.logMaxBytes }) as ServeLog as Log);
  metrics.logStatsFrom(() => log.stats());
  const monitors = new MonitorHub(settings.monitors, { metrics, log, now });
  const limit = new ConcurrencyLimit(settings.limits.maxConcurrent);
  let current: Generation | undefined;
  let phase: "loading" | "ready" | "closing" = "loading";
  let generations = 0;
  let reloading: Promise<ReloadReport> | undefined;
  let retention: NodeJS.Timeout | undefined;
  let closing: Promise<void> | undefined;

  const shadow = new ShadowRunner(
    { names: settings.shadow, sampleRate: settings.shadowSampleRate, queue: settings.shadowQueue },
    {
      acquire: (name) => {
        const generation = current;
        const pipeline = generation?.set.pipelines.get(name);
        if (generation === undefined || pipeline === undefined) return undefined;
        return { pipeline, release: generation.enter() };
      },
      metrics,
      log,
      now,
      ...(options.random === undefined ? {} : { random: options.random }),
    },
  );
  metrics.embeddingStatsFrom(
    () =>
      new Map(
        [...(current?.set.pipelines ?? new Map())].map(([name, pipeline]) => [
          name,
          pipeline.stats(),
        ]),
      ),
  );

  const swap = async (): Promise<ReloadReport> => {
    const started = performance.now();
    let set;
    try {
      set = await options.load();
    } catch (error) {
      metrics.reloads.inc({ outcome: "failed" });
      throw error;
    }
    if (phase === "closing") {
      await set.close();
      throw new HttpError(503, "E_UNAVAILABLE", "the server is shutting down");
    }
    const previous = current;
    generations += 1;
    current = new Generation(set, generations, now());
    phase = "ready";
    metrics.reloads.inc({ outcome: previous === undefined ? "initial" : "ok" });
    let drained = true;
    if (previous !== undefined) {
      drained = await previous.drained(drainTimeoutMs);
      await previous.set.close();
    }
    return {
      generation: current.number,
      previous: previous?.number,
      index: set.index.dir,
      documents: set.index.lexical.size,
      pipelines: [...set.pipelines.keys()],
      drained,
      tookMs: performance.now() - started,
    };
  };

  // Reloads queue behind each other: two swaps at once could close a set still being switched to.
  const reload = (): Promise<ReloadReport> => {
    const next = (reloading ?? Promise.resolve()).catch(() => undefined).then(swap);
    reloading = next;
    return next;
  };

  const ctx: ServeContext = {
    settings,
    metrics,
    monitors,
    log,
    shadow,
    limit,
    current: () => (phase === "closing" ? undefined : current),
    phase: () => phase,
    reload,
    adminToken: options.adminToken,
    now,
    metricsText: options.metricsText ?? (() => metrics.text()),
  };

  const { bodyTimeoutMs } = settings.limits;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: settings.limits.bodyBytes,
    return503OnClosing: true,
    // Headers and body must arrive within bodyTimeoutMs (Node answers 408 and closes); Node
    // checks every connectionsCheckingInterval (30 s by default: too coarse for the limit).
    requestTimeout: bodyTimeoutMs,
    http: {
      headersTimeout: bodyTimeoutMs,
      connectionsCheckingInterval: Math.min(1_000, Math.ceil(bodyTimeoutMs / 4)),
    },
  });
  app.setValidatorCompiler(zodValidator);
  // Hooks in callback style: an async hook costs every request a promise.
  app.addHook("onResponse", (request, reply, done) => {
    const route = request.routeOptions.url ?? "unmatched";
    metrics.requests.inc({ route, method: request.method, status: String(reply.statusCode) });
    metrics.requestSeconds.observe(reply.elapsedTime / 1000, route);
    done();
  });
  // A request that arrives during shutdown (on a keep-alive connection opened before it) is
  // answered 503, and its connection closed, rather than reset.
  app.addHook("onRequest", (request, reply, done) => {
    if (phase !== "closing") {
      done();
      return;
    }
    metrics.errors.inc({
      route: request.routeOptions.url ?? "unmatched",
      code: "E_UNAVAILABLE",
    });
    const body: ErrorBody = {
      error: { code: "E_UNAVAILABLE", message: "the server is shutting down" },
    };
    void reply.code(503).header("connection", "close").send(body);
  });
  // Once shutting down, every response closes its connection: a keep-alive socket left idle
  // after the last in-flight response would hold close() open for Fastify's 72 s keep-alive.
  app.addHook("onSend", (_request, reply, payload, done) => {
    if (phase === "closing") reply.header("connection", "close");
    done(null, payload);
  });
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const { status, body, headers } = errorResponse(error, settings);
    metrics.errors.inc({ route: request.routeOptions.url ?? "unmatched", code: body.error.code });
    if (status >= 500 && status !== 503 && status !== 504) request.log.error(error);
    return reply.code(status).headers(headers).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    metrics.errors.inc({ route: "unmatched", code: "E_NOT_FOUND" });
    const body: ErrorBody = {
      error: {
        code: "E_NOT_FOUND",
        message: `no route ${request.method} ${request.url.split("?")[0]}; see GET / for the dashboard`,
      },
    };
    return reply.code(404).send(body);
  });
  healthRoutes(app, ctx);
  searchRoutes(app, ctx);
  feedbackRoutes(app, ctx);
  metricsRoutes(app, ctx);
  monitorRoutes(app, ctx);
  adminRoutes(app, ctx);
  dashboardRoutes(app);

  const prune = async (): Promise<void> => {
    await log.prune(settings.retentionDays, now());
  };

  const close = (): Promise<void> => {
    closing ??= (async () => {
      phase = "closing";
      if (retention !== undefined) clearInterval(retention);
      await stopAccepting(app, settings.shutdownGraceMs);
      await app.close();
      await shadow.stop();
      await reloading?.catch(() => undefined);
      const last = current;
      current = undefined;
      if (last !== undefined) {
        await last.drained(drainTimeoutMs);
        await last.set.close();
      }
      await log.close(); // writes every queued row first
    })();
    return closing;
  };

  return {
    app,
    metrics,
    monitors,
    log,
    shadow,
    reload,
    close,
    async start(listen = {}) {
      await prune();
      retention = setInterval(() => void prune().catch(() => undefined), HOUR_MS);
      retention.unref();
      const address = await app.listen({
        host: listen.host ?? "127.0.0.1",
        port: listen.port ?? 8080,
      });
      try {
        await reload();
      } catch (error) {
        await close();
        throw error;
      }
      return address;
    },
  };
}

/**
 * Stops accepting connections, then waits (up to `graceMs`) for the open ones to end: each
 * request they bring is answered 503 with `Connection: close` (the onRequest hook). Node's
 * http close would also drop idle keep-alive connections at once, so a request a client had
 * just sent on one would meet ECONNRESET; the listening socket alone is closed here, through
 * net.Server's close. Fastify's close afterwards closes what is still idle.
 */
async function stopAccepting(app: FastifyInstance, graceMs: number): Promise<void> {
  const server = app.server;
  if (!server.listening || graceMs === 0) return;
  net.Server.prototype.close.call(server);
  const deadline = Date.now() + graceMs;
  const open = (): Promise<number> =>
    new Promise((resolve) => server.getConnections((error, count) => resolve(error ? 0 : count)));
  while ((await open()) > 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Every error becomes `{ error: { code, message, field? } }` with a status that fits it. */
function errorResponse(
  error: FastifyError | Error,
  settings: ServeConfig,
): { status: number; body: ErrorBody; headers: Record<string, string> } {
  if (isPairliftError(error)) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error.field !== undefined) body.error.field = error.field;
    return {
      status: statusOf(error),
      body,
      headers: error instanceof HttpError ? { ...error.headers } : {},
    };
  }
  const fastify = error as FastifyError;
  const plain = (status: number, code: string, message: string) => ({
    status,
    body: { error: { code, message } },
    headers: {},
  });
  switch (fastify.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return plain(
        413,
        "E_TOO_LARGE",
        `the request body is over the ${settings.limits.bodyBytes}-byte limit`,
      );
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return plain(415, "E_PARSE", "send the body as JSON (content-type: application/json)");
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return plain(400, "E_PARSE", "the body is empty; send a JSON object");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return plain(400, "E_PARSE", `the body is not valid JSON: ${fastify.message}`);
  }
  if (error instanceof SyntaxError)
    return plain(400, "E_PARSE", `the body is not valid JSON: ${error.message}`);
  const status = fastify.statusCode;
  if (status !== undefined && status >= 400 && status < 500)
    return plain(status, fastify.code ?? "E_REQUEST", fastify.message);
  return plain(500, "E_INTERNAL", error.message);
}
