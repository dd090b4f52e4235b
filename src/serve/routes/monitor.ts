import type { FastifyInstance } from "fastify";
import type { ServeContext } from "../context.js";

/** GET /monitor: recent alerts, alert rates, feedback and shadow summaries, as JSON. */
export function monitorRoutes(app: FastifyInstance, ctx: ServeContext): void {
  app.get("/monitor", () => {
    const generation = ctx.current();
    return {
      now: new Date(ctx.now()).toISOString(),
      phase: ctx.phase(),
      generation: generation?.number ?? null,
      inflight: ctx.limit.active,
      ...ctx.monitors.report(),
      shadow: ctx.shadow.report(),
      thresholds: ctx.settings.monitors,
    };
  });
}
