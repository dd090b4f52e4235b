import type { FastifyInstance } from "fastify";
import { isPairliftError } from "../../errors.js";
import type { Degradation, PipelineResult, RetrieverPosition } from "../../pipeline/pipeline.js";
import type { ServeContext } from "../context.js";
import { HttpError } from "../http-error.js";
import { Timeouts } from "../limits.js";
import { searchBodySchema, type SearchBody } from "../requests.js";

export interface SearchResponse {
  queryId: string;
  pipeline: string;
  /** A score that is not a number (NaN) is null, as JSON would write it. */
  results: { id: string; title: string; score: number | null }[];
  tookMs: number;
  degraded?: Degradation;
  debug?: {
    hits: {
      id: string;
      score: number;
      retrievers?: Record<string, RetrieverPosition>;
      fused?: number;
      rerank?: number;
    }[];
    timingsMs: Record<string, number>;
    retrieved?: PipelineResult["retrieved"];
    alerts: { type: string; message: string }[];
  };
}

/**
 * The 200 answer's shape, so Fastify serialises it with a compiled function (fast-json-stringify)
 * instead of JSON.stringify. `degraded` and `debug` are open objects (serialised as they are).
 */
const searchResponseSchema = {
  type: "object",
  properties: {
    queryId: { type: "string" },
    pipeline: { type: "string" },
    results: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: { type: "string" },
          title: { type: "string" },
          // A score that is not a number is null, as JSON.stringify writes it.
          score: { type: ["number", "null"] },
        },
        required: ["id", "title", "score"],
      },
    },
    tookMs: { type: "number" },
    degraded: { type: "object", additionalProperties: true },
    debug: { type: "object", additionalProperties: true },
  },
  required: ["queryId", "pipeline", "results", "tookMs"],
} as const;

/** POST /search: one query through a pipeline of the current generation. */
export function searchRoutes(app: FastifyInstance, ctx: ServeContext): void {
  const timeouts = new Timeouts(ctx.settings.limits.timeoutMs);
  app.post<{ Body: SearchBody }>(
    "/search",
    {
      schema: {
        body: searchBodySchema(ctx.settings.limits),
        response: { 200: searchResponseSchema },
      },
    },
    async (request, reply): Promise<SearchResponse> => {
      const body = request.body;
      const generation = ctx.current();
      if (generation === undefined) throw notReady(ctx.phase());
      const name = body.pipeline ?? generation.set.defaultPipeline;
      const pipeline = generation.set.pipelines.get(name);
      if (pipeline === undefined) {
        throw new HttpError(
          400,
          "E_FIELD",
          `unknown pipeline ${JSON.stringify(name)}; this server serves ${[...generation.set.pipelines.keys()].map((n) => JSON.stringify(n)).join(", ")}`,
          { field: "pipeline" },
        );
      }
      const release = ctx.limit.tryAcquire();
      if (release === undefined) {
        ctx.metrics.rejected.inc({ reason: "concurrency" });
        throw new HttpError(
          429,
          "E_OVERLOAD",
          `too many searches in flight (the limit is ${ctx.limit.max}); retry shortly`,
          {},
          { "retry-after": "1" },
        );
      }
      // The generation and the concurrency slot are held until the search itself settles, even
      // when the client already got a 504: a pipeline cannot be interrupted mid-stage.
      const leave = generation.enter();
      ctx.metrics.inflight.inc();
      const started = performance.now();
      const work = pipeline.search(body.query, body.k);
      const settle = (): void => {
        release();
        leave();
        ctx.metrics.inflight.dec();
      };
      work.then(settle, settle);
      let timed;
      try {
        timed = await timeouts.within(work);
      } catch (error) {
        if (isPairliftError(error)) throw error;
        throw new Error(
          `pipeline ${JSON.stringify(name)} failed: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
      if (!timed.done) {
        ctx.metrics.rejected.inc({ reason: "timeout" });
        throw new HttpError(
          504,
          "E_TIMEOUT",
          `pipeline ${JSON.stringify(name)} did not answer within ${ctx.settings.limits.timeoutMs} ms; try again, or a faster pipeline`,
        );
      }
      const result = timed.value;
      const tookMs = performance.now() - started;
      const ts = ctx.now();
      const queryId = ctx.log.nextQueryId(ts);
      const index = generation.set.index;
      const ids = result.hits.map((hit) => hit.id);
      ctx.metrics.observeSearch(name, result.timingsMs, tookMs);
      if (result.degraded !== undefined) {
        ctx.metrics.degraded.inc({
          pipeline: name,
          stage: result.degraded.stage,
          kind: result.degraded.kind,
        });
      }
      ctx.log.logQuery({
        id: queryId,
        ts,
        pipeline: name,
        query: body.query,
        k: body.k,
        results: ids,
        tookMs,
        ...(result.degraded === undefined ? {} : { degraded: JSON.stringify(result.degraded) }),
        index: index.dir,
      });
      const alerts = ctx.monitors.observeSearch({
        queryId,
        query: body.query,
        pipeline: name,
        k: body.k,
        result,
        tookMs,
        index,
      });
      // Shadow pipelines replay the query only once this response is on the wire.
      if (ctx.shadow.wants(name)) {
        const job = { queryId, query: body.query, k: body.k, live: name, liveIds: ids };
        void reply.then(
          () => ctx.shadow.offer(job),
          () => undefined,
        );
      }
      const response: SearchResponse = {
        queryId,
        pipeline: name,
        results: result.hits.map((hit) => ({
          id: hit.id,
          title: index.documents.get(hit.id)?.title ?? "",
          score: Number.isNaN(hit.score) ? null : hit.score,
        })),
        tookMs,
      };
      if (result.degraded !== undefined) response.degraded = result.degraded;
      if (body.debug) {
        response.debug = {
          hits: result.hits.map((hit) => ({
            id: hit.id,
            score: hit.score,
            ...(hit.retrievers === undefined ? {} : { retrievers: hit.retrievers }),
            ...(hit.fused === undefined ? {} : { fused: hit.fused }),
            ...(hit.rerank === undefined ? {} : { rerank: hit.rerank }),
          })),
          timingsMs: result.timingsMs,
          ...(result.retrieved === undefined ? {} : { retrieved: result.retrieved }),
          alerts: alerts.map((alert) => ({ type: alert.type, message: alert.message })),
        };
      }
      return response;
    },
  );
}

export function notReady(phase: ReturnType<ServeContext["phase"]>): HttpError {
  return new HttpError(
    503,
    "E_UNAVAILABLE",
    phase === "closing"
      ? "the server is shutting down"
      : "the server is still loading its index and models; retry shortly",
    {},
    { "retry-after": "1" },
  );
}
