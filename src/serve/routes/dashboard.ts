import type { FastifyInstance } from "fastify";
import { DASHBOARD_HTML } from "../dashboard.js";

/** GET /: the dashboard page (self-contained; it polls /monitor and /metrics). */
export function dashboardRoutes(app: FastifyInstance): void {
  // Browsers ask for an icon with every page; answering keeps it out of the error counts.
  app.get("/favicon.ico", (_request, reply) => reply.code(204).send());
  app.get("/", (_request, reply) =>
    reply
      .type("text/html; charset=utf-8")
      .header(
        "content-security-policy",
        "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'",
      )
      .send(DASHBOARD_HTML),
  );
}
