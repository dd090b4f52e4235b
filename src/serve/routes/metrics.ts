import type { FastifyInstance } from "fastify";
import type { ServeContext } from "../context.js";

/** GET /metrics: Prometheus text exposition. */
export function metricsRoutes(app: FastifyInstance, ctx: ServeContext): void {
  app.get("/metrics", async (_request, reply) =>
    reply.type(ctx.metrics.contentType).send(await ctx.metricsText()),
  );
}
