import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type Database from "better-sqlite3";
import { PairliftError } from "../errors.js";
import { requireOptional } from "../optional-module.js";

/**
 * The served queries, the feedback on them, monitor alerts and shadow comparisons, in SQLite.
 * Rows are only ever inserted (triggers refuse updates); retention deletes whole rows older
 * than N days, at startup and hourly. Timestamps are milliseconds since the epoch.
 */
export type FeedbackSignal = "click" | "good" | "bad" | "missing";
export const FEEDBACK_SIGNALS: readonly FeedbackSignal[] = ["click", "good", "bad", "missing"];

export interface LoggedQuery {
  id: string;
  ts: number;
  pipeline: string;
  query: string;
  k: number;
  /** The returned document ids, best first. */
  results: string[];
  tookMs: number;
  degraded?: string;
  /** The index directory that answered (the export's corpus). */
  index: string;
}

export interface LoggedFeedback {
  ts: number;
  queryId: string;
  docId?: string;
  signal: FeedbackSignal;
  expectedDocId?: string;
}

export interface LoggedAlert {
  ts: number;
  type: string;
  queryId?: string;
  pipeline?: string;
  message: string;
}

export interface LoggedShadowRun {
  ts: number;
  queryId: string;
  live: string;
  shadow: string;
  overlapAt10: number;
  rankShift: number;
  liveTop: string[];
  shadowTop: string[];
  tookMs: number;
  error?: string;
}

const SCHEMA_VERSION = 1;
const TABLES = ["queries", "feedback", "alerts", "shadow_runs"] as const;
const DAY_MS = 86_400_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS queries (
  id TEXT PRIMARY KEY, ts INTEGER NOT NULL, pipeline TEXT NOT NULL, query TEXT NOT NULL,
  k INTEGER NOT NULL, results TEXT NOT NULL, took_ms REAL NOT NULL, degraded TEXT,
  index_dir TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS queries_ts ON queries (ts);
CREATE TABLE IF NOT EXISTS feedback (
  id INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL, query_id TEXT NOT NULL,
  doc_id TEXT, signal TEXT NOT NULL, expected_doc_id TEXT);
CREATE INDEX IF NOT EXISTS feedback_ts ON feedback (ts);
CREATE TABLE IF NOT EXISTS alerts (
  id INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL, type TEXT NOT NULL,
  query_id TEXT, pipeline TEXT, message TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS alerts_ts ON alerts (ts);
CREATE TABLE IF NOT EXISTS shadow_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL, query_id TEXT NOT NULL,
  live TEXT NOT NULL, shadow TEXT NOT NULL, overlap_at_10 REAL NOT NULL, rank_shift REAL NOT NULL,
  live_top TEXT NOT NULL, shadow_top TEXT NOT NULL, took_ms REAL NOT NULL, error TEXT);
CREATE INDEX IF NOT EXISTS shadow_runs_ts ON shadow_runs (ts);
${TABLES.map(
  (table) =>
    `CREATE TRIGGER IF NOT EXISTS ${table}_append_only BEFORE UPDATE ON ${table}
     BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;`,
).join("\n")}
`;

interface QueryRow {
  id: string;
  ts: number;
  pipeline: string;
  query: string;
  k: number;
  results: string;
  took_ms: number;
  degraded: string | null;
  index_dir: string;
}

interface FeedbackRow {
  ts: number;
  query_id: string;
  doc_id: string | null;
  signal: FeedbackSignal;
  expected_doc_id: string | null;
}

export class QueryLog {
  private readonly db: Database.Database;
  private readonly insertQuery: Database.Statement;
  private readonly insertFeedback: Database.Statement;
  private readonly insertAlert: Database.Statement;
  private readonly insertShadow: Database.Statement;
  private readonly hasQuery: Database.Statement;
  private closed = false;

  constructor(
    readonly path: string,
    options: { readonly?: boolean } = {},
  ) {
    const readonly = options.readonly === true;
    // better-sqlite3 is an optional dependency: absent when its native build failed.
    const Sqlite = requireOptional<typeof Database>("better-sqlite3", {
      purpose: "the query log (pairlift serve, feedback export)",
    });
    try {
      if (!readonly && path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
      this.db = new Sqlite(path, { readonly, fileMustExist: readonly });
    } catch (error) {
      throw new PairliftError(
        readonly ? "E_NOT_FOUND" : "E_CONFIG",
        `cannot open the query log: ${String(error)}`,
        { file: path },
        error,
      );
    }
    if (!readonly) {
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = NORMAL");
      this.db.exec(SCHEMA);
      this.db
        .prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?)")
        .run(String(SCHEMA_VERSION));
    }
    const version = this.db
      .prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'schema'")
      .get();
    if (version?.value !== String(SCHEMA_VERSION)) {
      this.db.close();
      throw new PairliftError(
        "E_INDEX_FORMAT",
        `not a pairlift query log (schema ${version?.value ?? "missing"}, expected ${SCHEMA_VERSION})`,
        { file: path },
      );
    }
    this.insertQuery = this.db.prepare(
      `INSERT INTO queries (id, ts, pipeline, query, k, results, took_ms, degraded, index_dir)
       VALUES (@id, @ts, @pipeline, @query, @k, @results, @tookMs, @degraded, @index)`,
    );
    this.insertFeedback = this.db.prepare(
      `INSERT INTO feedback (ts, query_id, doc_id, signal, expected_doc_id)
       VALUES (@ts, @queryId, @docId, @signal, @expectedDocId)`,
    );
    this.insertAlert = this.db.prepare(
      `INSERT INTO alerts (ts, type, query_id, pipeline, message)
       VALUES (@ts, @type, @queryId, @pipeline, @message)`,
    );
    this.insertShadow = this.db.prepare(
      `INSERT INTO shadow_runs (ts, query_id, live, shadow, overlap_at_10, rank_shift, live_top,
         shadow_top, took_ms, error)
       VALUES (@ts, @queryId, @live, @shadow, @overlapAt10, @rankShift, @liveTop, @shadowTop,
         @tookMs, @error)`,
    );
    this.hasQuery = this.db.prepare("SELECT 1 FROM queries WHERE id = ?").pluck();
  }

  logQuery(query: LoggedQuery): void {
    this.insertQuery.run({
      ...query,
      results: JSON.stringify(query.results),
      degraded: query.degraded ?? null,
    });
  }

  logFeedback(feedback: LoggedFeedback): number {
    const info = this.insertFeedback.run({
      ts: feedback.ts,
      queryId: feedback.queryId,
      docId: feedback.docId ?? null,
      signal: feedback.signal,
      expectedDocId: feedback.expectedDocId ?? null,
    });
    return Number(info.lastInsertRowid);
  }

  logAlert(alert: LoggedAlert): void {
    this.insertAlert.run({
      ts: alert.ts,
      type: alert.type,
      queryId: alert.queryId ?? null,
      pipeline: alert.pipeline ?? null,
      message: alert.message,
    });
  }

  logShadowRun(run: LoggedShadowRun): void {
    this.insertShadow.run({
      ...run,
      liveTop: JSON.stringify(run.liveTop),
      shadowTop: JSON.stringify(run.shadowTop),
      error: run.error ?? null,
    });
  }

  has(queryId: string): boolean {
    return this.hasQuery.get(queryId) !== undefined;
  }

  /** Deletes rows older than `days` before `now`; returns how many per table. */
  prune(days: number, now = Date.now()): Record<(typeof TABLES)[number], number> {
    const cutoff = now - days * DAY_MS;
    const deleted = {} as Record<(typeof TABLES)[number], number>;
    this.db.transaction(() => {
      for (const table of TABLES)
        deleted[table] = this.db.prepare(`DELETE FROM ${table} WHERE ts < ?`).run(cutoff).changes;
    })();
    return deleted;
  }

  /** Every logged query, oldest first. */
  queries(): LoggedQuery[] {
    return this.db
      .prepare<[], QueryRow>("SELECT * FROM queries ORDER BY ts, rowid")
      .all()
      .map((row) => ({
        id: row.id,
        ts: row.ts,
        pipeline: row.pipeline,
        query: row.query,
        k: row.k,
        results: JSON.parse(row.results) as string[],
        tookMs: row.took_ms,
        ...(row.degraded === null ? {} : { degraded: row.degraded }),
        index: row.index_dir,
      }));
  }

  /** Every feedback event, oldest first. */
  feedback(): LoggedFeedback[] {
    return this.db
      .prepare<[], FeedbackRow>("SELECT * FROM feedback ORDER BY ts, id")
      .all()
      .map((row) => ({
        ts: row.ts,
        queryId: row.query_id,
        signal: row.signal,
        ...(row.doc_id === null ? {} : { docId: row.doc_id }),
        ...(row.expected_doc_id === null ? {} : { expectedDocId: row.expected_doc_id }),
      }));
  }

  /** Row counts per table (for tests and /monitor). */
  counts(): Record<(typeof TABLES)[number], number> {
    const counts = {} as Record<(typeof TABLES)[number], number>;
    for (const table of TABLES) {
      counts[table] = this.db.prepare<[], number>(`SELECT COUNT(*) FROM ${table}`).pluck().get()!;
    }
    return counts;
  }

  /** Shadow comparisons, newest first. */
  shadowRuns(limit = 100): LoggedShadowRun[] {
    interface Row {
      ts: number;
      query_id: string;
      live: string;
      shadow: string;
      overlap_at_10: number;
      rank_shift: number;
      live_top: string;
      shadow_top: string;
      took_ms: number;
      error: string | null;
    }
    return this.db
      .prepare<[number], Row>("SELECT * FROM shadow_runs ORDER BY id DESC LIMIT ?")
      .all(limit)
      .map((row) => ({
        ts: row.ts,
        queryId: row.query_id,
        live: row.live,
        shadow: row.shadow,
        overlapAt10: row.overlap_at_10,
        rankShift: row.rank_shift,
        liveTop: JSON.parse(row.live_top) as string[],
        shadowTop: JSON.parse(row.shadow_top) as string[],
        tookMs: row.took_ms,
        ...(row.error === null ? {} : { error: row.error }),
      }));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
