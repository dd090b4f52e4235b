import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { isPairliftError } from "../../errors.js";
import type { ServeContext } from "../context.js";
import { HttpError } from "../http-error.js";

/**
 * POST /admin/reload: re-reads the startup config and index paths and swaps them in without
 * dropping requests. Needs `Authorization: Bearer <PAIRLIFT_ADMIN_TOKEN>`; no route takes a
 * file path from a request.
 */
export function adminRoutes(app: FastifyInstance, ctx: ServeContext): void {
  app.post(
    "/admin/reload",
    { preHandler: async (request) => authorize(request, ctx) },
    async () => {
      try {
        return await ctx.reload();
      } catch (error) {
        if (error instanceof HttpError) throw error;
        const message =
          isPairliftError(error) || error instanceof Error ? error.message : String(error);
        const serving = ctx.current()?.number;
        throw new HttpError(
          500,
          isPairliftError(error) ? error.code : "E_CONFIG",
          `reload failed; still serving generation ${serving ?? "none"}: ${message}`,
        );
      }
    },
  );
}

function authorize(request: FastifyRequest, ctx: ServeContext): void {
  const expected = ctx.adminToken;
  if (expected === undefined || expected === "") {
    throw new HttpError(
      403,
      "E_AUTH",
      "admin routes are disabled: start the server with PAIRLIFT_ADMIN_TOKEN set",
    );
  }
  const header = request.headers.authorization;
  const challenge = { "www-authenticate": 'Bearer realm="pairlift admin"' };
  if (header === undefined || !header.startsWith("Bearer ")) {
    throw new HttpError(
      401,
      "E_AUTH",
      "admin routes need an `Authorization: Bearer <token>` header",
      {},
      challenge,
    );
  }
  // Compare digests in constant time: the token's length and prefix do not leak.
  const digest = (text: string) => createHash("sha256").update(text).digest();
  if (!timingSafeEqual(digest(header.slice("Bearer ".length)), digest(expected))) {
    throw new HttpError(401, "E_AUTH", "the bearer token is wrong", {}, challenge);
  }
}
