import type { FastifySchemaCompiler } from "fastify";
import { z } from "zod";
import type { ErrorCode } from "../errors.js";
import type { ServeLimits } from "./config.js";
import { HttpError } from "./http-error.js";
import { FEEDBACK_SIGNALS } from "./query-log.js";

/**
 * Request bodies as zod schemas (Fastify runs them through `zodValidator`), each failure with a
 * message that says what the field must be, so a client can fix its request without the docs.
 */
function object<Shape extends z.ZodRawShape>(shape: Shape) {
  const known = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((key) => JSON.stringify(key)).join(", ")}; expected ${known}`
        : "the body must be a JSON object",
  });
}

function requiredString(what: string) {
  return z.string({
    error: (issue) => (issue.input === undefined ? `is required (${what})` : "must be a string"),
  });
}

function integerIn(min: number, max: number) {
  return z
    .number({ error: `must be an integer from ${min} to ${max}` })
    .int({ error: `must be an integer from ${min} to ${max}` })
    .min(min, {
      error: (issue) => `must be an integer from ${min} to ${max}, got ${String(issue.input)}`,
    })
    .max(max, {
      error: (issue) => `must be an integer from ${min} to ${max}, got ${String(issue.input)}`,
    });
}

/**
 * Parses a well-formed body without zod, or returns undefined (zod then parses it, and names what
 * is wrong). The search route's common case, kept off zod's generic path.
 */
type FastParse = (data: unknown) => unknown;
const fastParsers = new WeakMap<z.ZodType, FastParse>();

function fastSearchBody(limits: ServeLimits): FastParse {
  return (data) => {
    if (typeof data !== "object" || data === null || Array.isArray(data)) return undefined;
    const body = data as Record<string, unknown>;
    for (const key in body)
      if (key !== "query" && key !== "k" && key !== "pipeline" && key !== "debug") return undefined;
    const { query, k = 10, pipeline, debug = false } = body;
    if (typeof query !== "string" || query.length > limits.queryChars || query.trim() === "")
      return undefined;
    if (typeof k !== "number" || !Number.isInteger(k) || k < 1 || k > limits.maxK) return undefined;
    if (typeof debug !== "boolean") return undefined;
    if (pipeline === undefined) return { query, k, debug };
    if (typeof pipeline !== "string" || pipeline === "") return undefined;
    return { query, k, pipeline, debug };
  };
}

export function searchBodySchema(limits: ServeLimits) {
  const schema = searchBodyZod(limits);
  fastParsers.set(schema, fastSearchBody(limits));
  return schema;
}

function searchBodyZod(limits: ServeLimits) {
  return object({
    query: requiredString("the text to search for")
      .refine((query) => query.trim() !== "", { error: "must not be empty" })
      .refine((query) => query.length <= limits.queryChars, {
        error: (issue) =>
          `is ${String((issue.input as string).length)} characters long; the limit is ${limits.queryChars}`,
      }),
    k: integerIn(1, limits.maxK).default(10),
    pipeline: z
      .string({ error: "must be a pipeline name (a string)" })
      .min(1, { error: "must not be empty; leave it out for the default pipeline" })
      .optional(),
    debug: z.boolean({ error: "must be true or false" }).default(false),
  });
}
export type SearchBody = z.output<ReturnType<typeof searchBodyZod>>;

const SIGNALS = FEEDBACK_SIGNALS.join(", ");

export const feedbackBodySchema = object({
  queryId: requiredString("the queryId a /search response returned").min(1, {
    error: "must not be empty",
  }),
  docId: z.string({ error: "must be a document id (a string)" }).min(1).optional(),
  signal: z.enum(FEEDBACK_SIGNALS, {
    error: (issue) =>
      issue.input === undefined
        ? `is required (one of ${SIGNALS})`
        : `must be one of ${SIGNALS}, got ${JSON.stringify(issue.input)}`,
  }),
  expectedDocId: z.string({ error: "must be a document id (a string)" }).min(1).optional(),
}).superRefine((body, context) => {
  if (body.signal === "missing" && body.expectedDocId === undefined) {
    context.addIssue({
      code: "custom",
      path: ["expectedDocId"],
      message: `is required with signal "missing" (the document that should have been found)`,
    });
  }
  if (body.signal !== "missing" && body.docId === undefined) {
    context.addIssue({
      code: "custom",
      path: ["docId"],
      message: `is required with signal "${body.signal}" (the result it is about)`,
    });
  }
});
export type FeedbackBody = z.output<typeof feedbackBodySchema>;

/** Fastify's validator compiler for zod schemas: the first issue becomes a 400 naming its field. */
export const zodValidator: FastifySchemaCompiler<z.ZodType> = ({ schema }) => {
  const fast = fastParsers.get(schema);
  return (data) => {
    const parsed = fast?.(data);
    if (parsed !== undefined) return { value: parsed };
    return zodValidate(schema, data);
  };
};

function zodValidate(schema: z.ZodType, data: unknown) {
  const result = schema.safeParse(data);
  if (result.success) return { value: result.data };
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join(".");
  const code: ErrorCode = field === "query" ? "E_QUERY" : "E_FIELD";
  return { error: new HttpError(400, code, issue.message, field === "" ? {} : { field }) };
}
