import type { FastifyInstance } from "fastify";
import type { ServeContext } from "../context.js";
import { HttpError } from "../http-error.js";
import { feedbackBodySchema, type FeedbackBody } from "../requests.js";

/** POST /feedback: a user's verdict on a result of a logged query. */
export function feedbackRoutes(app: FastifyInstance, ctx: ServeContext): void {
  app.post<{ Body: FeedbackBody }>(
    "/feedback",
    { schema: { body: feedbackBodySchema } },
    async (request, reply) => {
      const body = request.body;
      if (!(await ctx.log.has(body.queryId))) {
        throw new HttpError(
          404,
          "E_UNKNOWN_ID",
          `unknown queryId ${JSON.stringify(body.queryId)}; send the queryId a /search response returned`,
          { field: "queryId" },
        );
      }
      const index = ctx.current()?.set.index;
      for (const field of ["docId", "expectedDocId"] as const) {
        const id = body[field];
        if (id !== undefined && index !== undefined && !index.lexical.has(id)) {
          throw new HttpError(
            400,
            "E_UNKNOWN_ID",
            `document ${JSON.stringify(id)} is not in the index`,
            { field },
          );
        }
      }
      const id = await ctx.log.logFeedback({
        ts: ctx.now(),
        queryId: body.queryId,
        signal: body.signal,
        ...(body.docId === undefined ? {} : { docId: body.docId }),
        ...(body.expectedDocId === undefined ? {} : { expectedDocId: body.expectedDocId }),
      });
      ctx.metrics.feedback.inc({ signal: body.signal });
      ctx.monitors.observeFeedback(body.signal, body.queryId);
      return reply.code(201).send({ feedbackId: id, queryId: body.queryId });
    },
  );
}
