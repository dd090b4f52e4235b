import type { FastifyInstance } from "fastify";
import type { ServeContext } from "../context.js";

/** GET /healthz (the process answers) and GET /readyz (index and models loaded, not shutting down). */
export function healthRoutes(app: FastifyInstance, ctx: ServeContext): void {
  app.get("/healthz", () => ({ status: "ok" }));
  app.get("/readyz", async (_request, reply) => {
    const generation = ctx.current();
    const phase = ctx.phase();
    if (generation === undefined || phase !== "ready") {
      return reply.code(503).send({ ready: false, phase });
    }
    return {
      ready: true,
      generation: generation.number,
      loadedAt: new Date(generation.loadedAt).toISOString(),
      index: generation.set.index.dir,
      documents: generation.set.index.lexical.size,
      defaultPipeline: generation.set.defaultPipeline,
      pipelines: [...generation.set.pipelines.keys()],
    };
  });
}
