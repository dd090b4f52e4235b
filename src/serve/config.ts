import { readFile } from "node:fs/promises";
import { extname, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { PairliftError } from "../errors.js";
import { parseWith } from "../config/schema-errors.js";

/**
 * Settings of `pairlift serve`: request limits, monitor thresholds, shadow pipelines and the
 * query log. Meant as the `serve:` block of the config file; until the config loader knows it,
 * `--serve-config FILE` reads a file holding a `serve:` block (other top-level keys ignored).
 */
const limitsSchema = z
  .object({
    /** Largest request body, in bytes (413 beyond). */
    bodyBytes: z.number().int().min(256).max(10_485_760).default(16_384),
    /** Longest query, in characters (400 beyond). */
    queryChars: z.number().int().min(1).max(8_192).default(1_024),
    /** Largest k a search may ask for. */
    maxK: z.number().int().min(1).max(1_000).default(100),
    /** Searches running at once; more are refused with 429 rather than queued. */
    maxConcurrent: z.number().int().min(1).max(10_000).default(64),
    /** A search that has not answered by then gets 504. */
    timeoutMs: z.number().int().min(1).max(600_000).default(5_000),
    /**
     * A request whose headers and body have not all arrived by then is answered 408 and its
     * connection closed: a client trickling a body cannot hold a connection open for ever.
     */
    bodyTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
  })
  .strict();

const monitorsSchema = z
  .object({
    /** A response slower than this raises `latency_budget`. */
    latencyBudgetMs: z.number().positive().default(250),
    /** Per pipeline: when every returned score is below the floor, `zero_results` fires. */
    scoreFloors: z.record(z.string(), z.number()).default({}),
    /** `low_rerank_confidence` fires when the top hit's rerank score is below this. */
    rerankFloor: z.number().default(0),
    /** `path_disagreement`: lexical vs dense top-10 overlap below this… */
    disagreementOverlap: z.number().min(0).max(1).default(0.2),
    /**
     * …while one path's top hit stands out: its margin, (s1 − s2) / (s1 − s10) of its own top
     * 10 (scale-free, so BM25 and cosine compare), is at least this…
     */
    disagreementMargin: z.number().min(0).max(1).default(0.5),
    /** …and this many times the other path's margin. */
    disagreementStrength: z.number().min(1).default(3),
    /** Negative feedback (bad, missing) over the last `feedbackWindowMinutes`. */
    feedbackWindowMinutes: z.number().positive().default(60),
    feedbackMinEvents: z.number().int().min(1).default(20),
    negativeFeedbackRate: z.number().min(0).max(1).default(0.3),
    /** Alerts kept for /monitor, and queries over which alert rates are computed. */
    recentAlerts: z.number().int().min(1).max(10_000).default(100),
    rateWindow: z.number().int().min(1).max(1_000_000).default(1_000),
  })
  .strict();

export const serveConfigSchema = z
  .object({
    /** The pipeline a request without `pipeline` gets (default: bm25). */
    pipeline: z.string().min(1).optional(),
    /** Further pipelines a request may name. */
    pipelines: z.array(z.string().min(1)).default([]),
    /** Candidate pipelines run on sampled live queries after the response, for comparison. */
    shadow: z.array(z.string().min(1)).default([]),
    shadowSampleRate: z.number().min(0).max(1).default(0.1),
    /** Shadow jobs waiting beyond this are dropped (and counted). */
    shadowQueue: z.number().int().min(1).max(100_000).default(100),
    /** Query log rows older than this are deleted at startup and hourly. */
    retentionDays: z.number().positive().default(30),
    /** The SQLite query and feedback log. */
    logPath: z.string().min(1).default("pairlift-serve.sqlite"),
    /**
     * The most the query log may hold, in bytes: beyond it the oldest queries (and their
     * feedback) are deleted and the file is shrunk, at startup and hourly.
     */
    logMaxBytes: z.number().int().min(1_048_576).default(1_073_741_824),
    /**
     * After SIGTERM, for up to this long, requests on open keep-alive connections are answered
     * 503 with `Connection: close` (new connections are refused at once); then the remaining
     * idle connections are closed.
     */
    shutdownGraceMs: z.number().int().min(0).max(60_000).default(1_000),
    limits: limitsSchema.default(() => limitsSchema.parse({})),
    monitors: monitorsSchema.default(() => monitorsSchema.parse({})),
  })
  .strict();

export type ServeConfig = z.output<typeof serveConfigSchema>;
export type ServeConfigInput = z.input<typeof serveConfigSchema>;
export type ServeLimits = ServeConfig["limits"];
export type MonitorSettings = ServeConfig["monitors"];

/** Validates a `serve:` block (undefined → every default); errors name `serve.<path>`. */
export function parseServeConfig(value: unknown, file?: string): ServeConfig {
  return parseWith(serveConfigSchema, value ?? {}, file, ["serve"]);
}

/** Reads the `serve:` block of a YAML or JSON file (defaults when no file is given). */
export async function loadServeConfig(path: string | undefined): Promise<ServeConfig> {
  if (path === undefined) return parseServeConfig(undefined);
  const text = await readFile(path, "utf8").catch((error: unknown) => {
    throw new PairliftError("E_NOT_FOUND", "serve config file not found", { file: path }, error);
  });
  let raw: unknown;
  try {
    raw = extname(path).toLowerCase() === ".json" ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new PairliftError(
      "E_PARSE",
      `malformed serve config: ${String(error).split("\n")[0]}`,
      { file: path },
      error,
    );
  }
  if (raw === null || typeof raw !== "object" || !("serve" in raw)) {
    throw new PairliftError("E_CONFIG", "expected a `serve:` block at the top level", {
      file: path,
    });
  }
  return parseServeConfig((raw as { serve: unknown }).serve, resolve(path));
}
