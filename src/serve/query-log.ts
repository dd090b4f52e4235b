import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type Database from "better-sqlite3";
import { PairliftError } from "../errors.js";
import { requireOptional } from "../optional-module.js";
import {
  DEFAULT_LOG_QUEUE,
  LogQueue,
  type LogQueueOptions,
  type LogQueueStats,
} from "./log-queue.js";
import {
  startCheckpointer,
  type CheckpointOptions,
  type Checkpointer,
} from "./log-checkpointer.js";

/**
 * The served queries, the feedback on them, monitor alerts and shadow comparisons, in SQLite.
 * Rows are only ever inserted (triggers refuse updates); retention deletes whole rows older
 * than N days, at startup and hourly. Timestamps are milliseconds since the epoch.
 *
 * Queries, alerts and shadow runs are queued and written in batches (LogQueue), one transaction
 * each, so a search never waits for the disk; every read (and feedback) writes the queue first.
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

/** What a log holds and has dropped, for /metrics. */
export type LogStats = LogQueueStats;

/**
 * What the server writes through: this SQLite log, or another store (PostgreSQL) implementing the
 * same. Appends (queries, alerts, shadow runs) only queue their row: they never block on the
 * store or throw, and a full queue drops the row and counts it. The rest may be asynchronous.
 */
export interface ServeLog {
  /** A fresh id for a search answered at `ts` (UUID-shaped; compact in the store). */
  nextQueryId(ts: number): string;
  logQuery(query: LoggedQuery): void;
  logAlert(alert: LoggedAlert): void;
  logShadowRun(run: LoggedShadowRun): void;
  /** Whether a query was logged, or is queued to be (feedback may follow a search at once). */
  has(queryId: string): boolean | Promise<boolean>;
  /** Writes the feedback (after every queued row); returns its id. */
  logFeedback(feedback: LoggedFeedback): number | Promise<number>;
  /** Deletes rows older than `days` before `now`. */
  prune(days: number, now?: number): unknown;
  stats(): LogStats;
  /** Writes everything queued, then closes. */
  close(): void | Promise<void>;
}

const SCHEMA_VERSION = 2;
const TABLES = ["queries", "feedback", "alerts", "shadow_runs"] as const;
const DAY_MS = 86_400_000;

/**
 * Schema 2 keeps a query row small (bytes per query: BENCHMARKS.md, serve): no text key, the index
 * directory and pipeline stored once in `sources`, the results space-separated, the time in
 * microseconds. The id a client sees is derived from the row's key (ts, session, seq) and the
 * session's random tag; ids from elsewhere (schema 1, or given by a caller) are kept in `ext_id`.
 * The table is clustered by time, so retention deletes a range and needs no index of its own.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
  id INTEGER PRIMARY KEY, tag TEXT NOT NULL, started INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
  id INTEGER PRIMARY KEY, index_dir TEXT NOT NULL, pipeline TEXT NOT NULL,
  UNIQUE (index_dir, pipeline));
CREATE TABLE IF NOT EXISTS queries (
  ts INTEGER NOT NULL, session INTEGER NOT NULL, seq INTEGER NOT NULL, source INTEGER NOT NULL,
  query TEXT NOT NULL, k INTEGER NOT NULL, results TEXT NOT NULL, took_us INTEGER NOT NULL,
  degraded TEXT, ext_id TEXT, PRIMARY KEY (ts, session, seq)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS queries_ext_id ON queries (ext_id) WHERE ext_id IS NOT NULL;
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

/** Schema 1 → 2: the queries move to the compact table, each keeping its UUID as ext_id. */
const MIGRATE_1_TO_2 = `
DROP TRIGGER IF EXISTS queries_append_only;
DROP INDEX IF EXISTS queries_ts;
ALTER TABLE queries RENAME TO queries_v1;
${SCHEMA}
INSERT OR IGNORE INTO sources (index_dir, pipeline)
  SELECT DISTINCT index_dir, pipeline FROM queries_v1;
INSERT INTO queries (ts, session, seq, source, query, k, results, took_us, degraded, ext_id)
  SELECT q.ts, 0, q.rowid, s.id, q.query, q.k, q.results, CAST(round(q.took_ms * 1000) AS INTEGER),
    q.degraded, q.id
  FROM queries_v1 q JOIN sources s ON s.index_dir = q.index_dir AND s.pipeline = q.pipeline;
DROP TABLE queries_v1;
UPDATE meta SET value = '2' WHERE key = 'schema';
`;

// A query id is 32 hex digits in UUID form: ts (11), session (7), seq (9), the session's tag (5).
const TS_HEX = 11;
const SESSION_HEX = 7;
const SEQ_HEX = 9;
const TAG_HEX = 5;
const MAX_TS = 16 ** TS_HEX;
const MAX_SEQ = 16 ** SEQ_HEX;
const QUERY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface QueryKey {
  ts: number;
  session: number;
  seq: number;
  tag: string;
}

export function formatQueryId(key: QueryKey): string {
  const hex =
    key.ts.toString(16).padStart(TS_HEX, "0") +
    key.session.toString(16).padStart(SESSION_HEX, "0") +
    key.seq.toString(16).padStart(SEQ_HEX, "0") +
    key.tag;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function parseQueryId(id: string): QueryKey | undefined {
  if (!QUERY_ID.test(id)) return undefined;
  // Dashes sit at 8, 13, 18 and 23: ts is hex 0–10, session 11–17, seq 18–26, tag 27–31.
  return {
    ts: parseInt(id.slice(0, 8) + id.slice(9, 12), 16),
    session: parseInt(id[12]! + id.slice(14, 18) + id.slice(19, 21), 16),
    seq: parseInt(id.slice(21, 23) + id.slice(24, 31), 16),
    tag: id.slice(31),
  };
}

/**
 * `formatQueryId` for one session, keeping the parts that change rarely (session, tag, and the
 * time within a millisecond) formatted: a search's id costs one hex conversion, not four.
 */
export class QueryIdFormatter {
  private readonly sessionHex: string;
  private lastTs = -1;
  private tsPart = "";

  constructor(
    readonly session: number,
    readonly tag: string,
  ) {
    this.sessionHex = session.toString(16).padStart(SESSION_HEX, "0");
  }

  format(ts: number, seq: number): string {
    if (ts !== this.lastTs) {
      const hex = ts.toString(16).padStart(TS_HEX, "0");
      const session = this.sessionHex;
      this.tsPart = `${hex.slice(0, 8)}-${hex.slice(8)}${session[0]!}-${session.slice(1, 5)}-${session.slice(5)}`;
      this.lastTs = ts;
    }
    const seqHex = seq.toString(16).padStart(SEQ_HEX, "0");
    return `${this.tsPart}${seqHex.slice(0, 2)}-${seqHex.slice(2)}${this.tag}`;
  }
}

/** Document ids space-separated (JSON when an id is empty, holds a space or starts with `[`). */
export function encodeIds(ids: readonly string[]): string {
  if (ids.length === 0) return "";
  let plain = !ids[0]!.startsWith("[");
  for (let i = 0; plain && i < ids.length; i += 1) {
    const id = ids[i]!;
    if (id === "" || id.includes(" ")) plain = false;
  }
  return plain ? ids.join(" ") : JSON.stringify(ids);
}

export function decodeIds(text: string): string[] {
  if (text === "") return [];
  return text.startsWith("[") ? (JSON.parse(text) as string[]) : text.split(" ");
}

/** A row on its way to the log (what a worker process sends the one writer, `--workers`). */
export type LogRow =
  | { table: "queries"; row: LoggedQuery }
  | { table: "alerts"; row: LoggedAlert }
  | { table: "shadow_runs"; row: LoggedShadowRun };

interface QueryRow {
  ts: number;
  session: number;
  seq: number;
  query: string;
  k: number;
  results: string;
  took_us: number;
  degraded: string | null;
  ext_id: string | null;
  index_dir: string;
  pipeline: string;
  tag: string | null;
}

interface FeedbackRow {
  ts: number;
  query_id: string;
  doc_id: string | null;
  signal: FeedbackSignal;
  expected_doc_id: string | null;
}

export interface QueryLogOptions {
  readonly?: boolean;
  /** Batching of queued rows (default: 512 rows or 5 ms, 65,536 rows at most). */
  queue?: Partial<LogQueueOptions>;
  /** Told when a batch could not be written (its rows stay queued and are retried). */
  onWriteError?: (error: unknown) => void;
  /** The checkpoint thread's pace and WAL limit (a file log; defaults in log-checkpointer.ts). */
  checkpoint?: CheckpointOptions;
  /**
   * The most the log may hold, in bytes: beyond it, the oldest rows are deleted (down to 90%)
   * and the freed pages returned to the file system. Checked by prune() and every
   * CAP_CHECK_ROWS rows written. Default: no cap.
   */
  maxBytes?: number;
}

/** Rows written between two checks of the size cap. */
const CAP_CHECK_ROWS = 10_000;
/** A log over its cap is cut to this share of it, so it is not cut again at the next row. */
const CAP_TARGET = 0.9;

export class QueryLog implements ServeLog {
  private readonly db: Database.Database;
  private readonly queue: LogQueue<LogRow>;
  private readonly statements: Record<
    | "insertQuery"
    | "insertFeedback"
    | "insertAlert"
    | "insertShadow"
    | "hasOwn"
    | "hasExternal"
    | "sourceId"
    | "insertSource",
    Database.Statement
  >;
  private readonly writeBatch: (rows: readonly LogRow[]) => void;
  /** The tag of every session this log opened (its own, and its worker processes'). */
  private readonly tags = new Map<number, string>();
  /** source id by index directory, then pipeline. */
  private readonly sources = new Map<string, Map<string, number>>();
  /** This writer's session (its ids' middle part) and random tag; none when read-only. */
  private session = 0;
  private tag = "";
  private seq = 0;
  private ids: QueryIdFormatter | undefined;
  private checkpointer: Checkpointer | undefined;
  private readonly maxBytes: number | undefined;
  private rowsSinceCapCheck = 0;
  private stopped: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    readonly path: string,
    options: QueryLogOptions = {},
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
    const schema = (): string | undefined =>
      this.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'meta'").get() === undefined
        ? undefined
        : this.db
            .prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'schema'")
            .get()?.value;
    let version = schema();
    if (!readonly) {
      // Deleted rows give their pages back to the file system (prune's incremental_vacuum).
      // SQLite takes this only before the first table exists; older logs convert on their
      // first prune that frees pages (one VACUUM).
      if (version === undefined) this.db.pragma("auto_vacuum = INCREMENTAL");
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = NORMAL");
      if (version === "1") this.db.transaction(() => this.db.exec(MIGRATE_1_TO_2))();
      this.db.exec(SCHEMA);
      this.db
        .prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?)")
        .run(String(SCHEMA_VERSION));
      version = schema();
    }
    if (version !== String(SCHEMA_VERSION)) {
      this.db.close();
      throw new PairliftError(
        "E_INDEX_FORMAT",
        version === "1"
          ? "a query log of an earlier pairlift (schema 1); open it once with `pairlift serve --log FILE`, which upgrades it"
          : `not a pairlift query log (schema ${version ?? "missing"}, expected ${SCHEMA_VERSION})`,
        { file: path },
      );
    }
    const prepare = (sql: string): Database.Statement => this.db.prepare(sql);
    this.statements = {
      insertQuery: prepare(
        `INSERT INTO queries (ts, session, seq, source, query, k, results, took_us, degraded, ext_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertFeedback: prepare(
        `INSERT INTO feedback (ts, query_id, doc_id, signal, expected_doc_id)
         VALUES (@ts, @queryId, @docId, @signal, @expectedDocId)`,
      ),
      insertAlert: prepare(
        `INSERT INTO alerts (ts, type, query_id, pipeline, message)
         VALUES (@ts, @type, @queryId, @pipeline, @message)`,
      ),
      insertShadow: prepare(
        `INSERT INTO shadow_runs (ts, query_id, live, shadow, overlap_at_10, rank_shift, live_top,
           shadow_top, took_ms, error)
         VALUES (@ts, @queryId, @live, @shadow, @overlapAt10, @rankShift, @liveTop, @shadowTop,
           @tookMs, @error)`,
      ),
      insertSource: prepare("INSERT OR IGNORE INTO sources (index_dir, pipeline) VALUES (?, ?)"),
      sourceId: this.db
        .prepare("SELECT id FROM sources WHERE index_dir = ? AND pipeline = ?")
        .pluck(),
      hasOwn: this.db
        .prepare(
          `SELECT 1 FROM queries q JOIN sessions s ON s.id = q.session
           WHERE q.ts = ? AND q.session = ? AND q.seq = ? AND q.ext_id IS NULL AND s.tag = ?`,
        )
        .pluck(),
      hasExternal: this.db
        .prepare("SELECT 1 FROM queries WHERE ext_id = ? AND ext_id IS NOT NULL")
        .pluck(),
    };
    this.writeBatch = this.db.transaction((rows: readonly LogRow[]) => {
      for (const pending of rows) {
        if (pending.table === "queries") this.insertQuery(pending.row);
        else if (pending.table === "alerts") this.insertAlert(pending.row);
        else this.insertShadow(pending.row);
      }
    });
    this.maxBytes = options.maxBytes;
    this.queue = new LogQueue<LogRow>(
      (rows) => {
        this.writeBatch(rows);
        this.rowsSinceCapCheck += rows.length;
        if (this.maxBytes !== undefined && this.rowsSinceCapCheck >= CAP_CHECK_ROWS) {
          this.rowsSinceCapCheck = 0;
          if (this.enforceCap() > 0) this.releaseFreePages();
        }
      },
      { ...DEFAULT_LOG_QUEUE, ...options.queue },
      options.onWriteError,
    );
    if (!readonly) this.startSession();
    if (!readonly && path !== ":memory:") {
      // Checkpoints run on a thread of their own, not inside a commit on the event loop.
      this.db.pragma("wal_autocheckpoint = 0");
      this.checkpointer = startCheckpointer(path, options.checkpoint);
    }
  }

  nextQueryId(ts: number): string {
    if (this.session === 0) throw new Error("a read-only query log mints no query ids");
    if (this.seq >= MAX_SEQ) this.startSession();
    const whole = Number.isSafeInteger(ts) && ts >= 0 && ts < MAX_TS ? ts : 0;
    return this.ids!.format(whole, this.seq++);
  }

  logQuery(query: LoggedQuery): void {
    this.queue.push({ table: "queries", row: query });
  }

  logAlert(alert: LoggedAlert): void {
    this.queue.push({ table: "alerts", row: alert });
  }

  logShadowRun(run: LoggedShadowRun): void {
    this.queue.push({ table: "shadow_runs", row: run });
  }

  /** Queues rows another process made (a `--workers` worker). */
  append(rows: readonly LogRow[]): void {
    for (const row of rows) this.queue.push(row);
  }

  /**
   * A new session for another process to mint query ids in (a `--workers` worker): its rows
   * are then stored as compactly as this process's own.
   */
  openSession(): { session: number; tag: string } {
    const tag = randomBytes(3).toString("hex").slice(0, TAG_HEX);
    const session = Number(
      this.db.prepare("INSERT INTO sessions (tag, started) VALUES (?, ?)").run(tag, Date.now())
        .lastInsertRowid,
    );
    this.tags.set(session, tag);
    return { session, tag };
  }

  /** Whether an id was minted in a session this log opened (its own or a worker's). */
  minted(queryId: string): boolean {
    const key = parseQueryId(queryId);
    return key !== undefined && this.tags.get(key.session) === key.tag;
  }

  logFeedback(feedback: LoggedFeedback): number {
    this.queue.flush(); // its query first
    const info = this.statements.insertFeedback.run({
      ts: feedback.ts,
      queryId: feedback.queryId,
      docId: feedback.docId ?? null,
      signal: feedback.signal,
      expectedDocId: feedback.expectedDocId ?? null,
    });
    return Number(info.lastInsertRowid);
  }

  has(queryId: string): boolean {
    for (const pending of this.queue.pending())
      if (pending.table === "queries" && pending.row.id === queryId) return true;
    const key = parseQueryId(queryId);
    if (
      key !== undefined &&
      this.statements.hasOwn.get(key.ts, key.session, key.seq, key.tag) !== undefined
    )
      return true;
    return this.statements.hasExternal.get(queryId) !== undefined;
  }

  /** Writes every queued row now (reads do this first). */
  flush(): void {
    this.queue.flush();
  }

  stats(): LogStats {
    return this.queue.stats();
  }

  /**
   * Deletes rows older than `days` before `now`, then the oldest rows while the log is over
   * its size cap, and gives the freed pages back to the file system; returns how many rows
   * were deleted per table.
   */
  prune(days: number, now = Date.now()): Record<(typeof TABLES)[number], number> {
    this.queue.flush();
    const deleted = this.deleteBefore(now - days * DAY_MS);
    const capped = this.enforceCap();
    if (Object.values(deleted).some((count) => count > 0) || capped > 0) this.releaseFreePages();
    return deleted;
  }

  /** The bytes the log's rows take (its pages, less the free ones). */
  usedBytes(): number {
    const pages = this.db.pragma("page_count", { simple: true }) as number;
    const free = this.db.pragma("freelist_count", { simple: true }) as number;
    return (pages - free) * (this.db.pragma("page_size", { simple: true }) as number);
  }

  private deleteBefore(cutoff: number): Record<(typeof TABLES)[number], number> {
    const deleted = {} as Record<(typeof TABLES)[number], number>;
    this.db.transaction(() => {
      for (const table of TABLES)
        deleted[table] = this.db.prepare(`DELETE FROM ${table} WHERE ts < ?`).run(cutoff).changes;
    })();
    return deleted;
  }

  /**
   * While the log is over maxBytes, deletes the oldest queries (with the feedback, alerts and
   * shadow runs of that time) in the share that brings it to CAP_TARGET of the cap. Returns
   * the queries deleted.
   */
  private enforceCap(): number {
    if (this.maxBytes === undefined) return 0;
    let deleted = 0;
    for (let round = 0; round < 8; round += 1) {
      const used = this.usedBytes();
      if (used <= this.maxBytes) break;
      const count = this.db.prepare("SELECT count(*) FROM queries").pluck().get() as number;
      if (count === 0) break;
      const share = 1 - (this.maxBytes * CAP_TARGET) / used;
      const drop = Math.min(count, Math.max(1, Math.ceil(count * share)));
      // Rows older than the first one kept go; with ties on ts, all rows of that ts are kept.
      const keep = this.db
        .prepare("SELECT ts FROM queries ORDER BY ts LIMIT 1 OFFSET ?")
        .pluck()
        .get(drop) as number | undefined;
      const removed = this.deleteBefore(keep ?? Number.MAX_SAFE_INTEGER).queries;
      deleted += removed;
      if (removed === 0) break;
    }
    return deleted;
  }

  /**
   * Returns free pages to the file system: incremental vacuum, or for a log made before
   * auto_vacuum was set, one VACUUM that also converts it. Best effort: a reader holding the
   * file (BUSY) leaves it to the next prune.
   */
  private releaseFreePages(): void {
    try {
      if ((this.db.pragma("auto_vacuum", { simple: true }) as number) === 2) {
        this.db.pragma("incremental_vacuum");
        return;
      }
      this.db.pragma("auto_vacuum = INCREMENTAL");
      this.db.exec("VACUUM");
    } catch {
      // left to the next prune
    }
  }

  /** Every logged query, oldest first. */
  queries(): LoggedQuery[] {
    this.queue.flush();
    return this.db
      .prepare<[], QueryRow>(
        `SELECT q.ts, q.session, q.seq, q.query, q.k, q.results, q.took_us, q.degraded, q.ext_id,
           s.index_dir, s.pipeline, se.tag
         FROM queries q JOIN sources s ON s.id = q.source LEFT JOIN sessions se ON se.id = q.session
         ORDER BY q.ts, q.session, q.seq`,
      )
      .all()
      .map((row) => ({
        id:
          row.ext_id ??
          formatQueryId({ ts: row.ts, session: row.session, seq: row.seq, tag: row.tag ?? "" }),
        ts: row.ts,
        pipeline: row.pipeline,
        query: row.query,
        k: row.k,
        results: decodeIds(row.results),
        tookMs: row.took_us / 1000,
        ...(row.degraded === null ? {} : { degraded: row.degraded }),
        index: row.index_dir,
      }));
  }

  /** Every feedback event, oldest first. */
  feedback(): LoggedFeedback[] {
    this.queue.flush();
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
    this.queue.flush();
    const counts = {} as Record<(typeof TABLES)[number], number>;
    for (const table of TABLES) {
      counts[table] = this.db.prepare<[], number>(`SELECT COUNT(*) FROM ${table}`).pluck().get()!;
    }
    return counts;
  }

  /** Shadow comparisons, newest first. */
  shadowRuns(limit = 100): LoggedShadowRun[] {
    this.queue.flush();
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

  /**
   * Writes everything queued, then closes the database (synchronously); the promise resolves
   * once the checkpoint thread has let go of the files too.
   */
  close(): Promise<void> {
    if (this.closed) return this.stopped;
    this.closed = true;
    try {
      this.queue.close();
    } finally {
      this.stopped = this.checkpointer?.stop() ?? Promise.resolve();
      // Shutting down may block: fold the WAL back into the file (busy → the next open does).
      if (this.checkpointer !== undefined) {
        try {
          this.db.pragma("wal_checkpoint(TRUNCATE)");
        } catch {
          // left to the next open
        }
      }
      this.db.close();
    }
    return this.stopped;
  }

  private startSession(): void {
    ({ session: this.session, tag: this.tag } = this.openSession());
    this.seq = 0;
    this.ids = new QueryIdFormatter(this.session, this.tag);
  }

  private insertQuery(query: LoggedQuery): void {
    const key = parseQueryId(query.id);
    const own = key !== undefined && this.tags.get(key.session) === key.tag && key.ts === query.ts;
    this.statements.insertQuery.run(
      query.ts,
      own ? key.session : this.session,
      own ? key.seq : this.seq++,
      this.sourceOf(query.index, query.pipeline),
      query.query,
      query.k,
      encodeIds(query.results),
      Math.round(query.tookMs * 1000),
      query.degraded ?? null,
      own ? null : query.id,
    );
  }

  private insertAlert(alert: LoggedAlert): void {
    this.statements.insertAlert.run({
      ts: alert.ts,
      type: alert.type,
      queryId: alert.queryId ?? null,
      pipeline: alert.pipeline ?? null,
      message: alert.message,
    });
  }

  private insertShadow(run: LoggedShadowRun): void {
    this.statements.insertShadow.run({
      ...run,
      liveTop: JSON.stringify(run.liveTop),
      shadowTop: JSON.stringify(run.shadowTop),
      error: run.error ?? null,
    });
  }

  private sourceOf(index: string, pipeline: string): number {
    let byPipeline = this.sources.get(index);
    if (byPipeline === undefined) this.sources.set(index, (byPipeline = new Map()));
    let id = byPipeline.get(pipeline);
    if (id === undefined) {
      this.statements.insertSource.run(index, pipeline);
      id = this.statements.sourceId.get(index, pipeline) as number;
      byPipeline.set(pipeline, id);
    }
    return id;
  }
}
