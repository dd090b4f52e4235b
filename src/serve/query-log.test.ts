import { statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import {
  QueryLog,
  decodeIds,
  encodeIds,
  formatQueryId,
  parseQueryId,
  QueryIdFormatter,
  type LoggedQuery,
} from "./query-log.js";

const tmp = await mkdtemp(join(tmpdir(), "pairlift-query-log-"));
afterAll(() => rm(tmp, { recursive: true, force: true }));

function row(log: QueryLog, ts: number, extra: Partial<LoggedQuery> = {}): LoggedQuery {
  return {
    id: log.nextQueryId(ts),
    ts,
    pipeline: "bm25",
    query: "KT-2040 drill",
    k: 10,
    results: ["p1", "p2"],
    tookMs: 0.125,
    index: "/srv/indexes/catalogue",
    ...extra,
  };
}

/** Rows another connection sees: what is on disk, not what the log holds in memory. */
function rowsOnDisk(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare<[], number>("SELECT COUNT(*) FROM queries").pluck().get()!;
  } finally {
    db.close();
  }
}

describe("query ids and result lists", () => {
  it("formats ids as UUID-shaped hex and reads them back", () => {
    const key = { ts: 1_765_000_000_123, session: 42, seq: 7, tag: "a1b2c" };
    const id = formatQueryId(key);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(parseQueryId(id)).toEqual(key);
    expect(parseQueryId("old")).toBeUndefined();
  });

  it("formats a session's ids fast exactly as formatQueryId does", () => {
    const ids = new QueryIdFormatter(0x2a3b4c5, "9f8e7");
    for (const [ts, seq] of [
      [0, 0],
      [1_765_000_000_123, 1],
      [1_765_000_000_123, 0xfff_ffff_f],
      [0xfff_ffff_ffff, 123_456],
      [1_765_000_000_124, 2],
    ] as const) {
      const key = { ts, session: 0x2a3b4c5, seq, tag: "9f8e7" };
      expect(ids.format(ts, seq)).toBe(formatQueryId(key));
      expect(parseQueryId(ids.format(ts, seq))).toEqual(key);
    }
  });

  it("stores result ids space-separated, and as JSON when an id could not be told apart", () => {
    for (const ids of [[], ["4983", "5836"], ["a b", "c"], [""], ["[x", "y"], ["é", "ü/1"]]) {
      expect(decodeIds(encodeIds(ids))).toEqual(ids);
    }
    expect(encodeIds(["4983", "5836"])).toBe("4983 5836");
    expect(encodeIds(["a b"])).toBe('["a b"]');
  });
});

describe("QueryLog", () => {
  it("writes queued rows within one flush interval, with no read or request to prompt it", async () => {
    const path = join(tmp, "timed.sqlite");
    const log = new QueryLog(path, { queue: { flushMs: 5, batchSize: 1000 } });
    const now = Date.now();
    for (let i = 0; i < 25; i += 1) log.logQuery(row(log, now + i));
    expect(rowsOnDisk(path)).toBe(0); // queued, not yet written
    await expect.poll(() => rowsOnDisk(path)).toBe(25);
    expect(log.stats()).toMatchObject({ written: 25, queued: 0, dropped: 0 });
    await log.close();
  });

  it("checkpoints on its own thread, keeping the WAL small without a checkpoint in any commit", async () => {
    const path = join(tmp, "checkpoints.sqlite");
    const log = new QueryLog(path, { checkpoint: { everyMs: 10, walPages: 64 } });
    const wal = () => statSync(`${path}-wal`).size;
    const now = Date.now();
    for (let i = 0; i < 5000; i += 1) {
      log.logQuery(row(log, now + i, { query: `query number ${i} with some words in it` }));
      if (i % 100 === 99) log.flush(); // 50 commits
    }
    log.flush();
    // About 1.5 MB of WAL: under SQLite's own limit (1000 pages), so only the thread truncates it.
    await expect.poll(wal).toBeLessThanOrEqual(64 * 4096);
    expect(rowsOnDisk(path)).toBe(5000);
    // Closed once its checkpoint thread has let go of the files (the folder is removed after).
    await log.close();
  });

  it("hands back every field it stored, with the id the search returned", () => {
    const log = new QueryLog(":memory:");
    const first = row(log, 1_000, { degraded: '{"stage":"rerank"}' });
    const second = row(log, 2_000, { pipeline: "hybrid:glove", results: ["a b", "c"] });
    log.logQuery(first);
    log.logQuery(second);
    expect(log.queries()).toEqual([first, second]);
    log.close();
  });

  it("accepts feedback for a query still queued, and keeps ids it did not mint", () => {
    const log = new QueryLog(":memory:", { queue: { flushMs: 60_000 } });
    const queued = row(log, 5_000);
    log.logQuery(queued);
    expect(log.stats().queued).toBe(1);
    expect(log.has(queued.id)).toBe(true);
    expect(log.logFeedback({ ts: 5_001, queryId: queued.id, docId: "p1", signal: "good" })).toBe(1);
    expect(log.stats().queued).toBe(0); // the query went first
    expect(log.has(queued.id)).toBe(true);

    log.logQuery({ ...queued, id: "from-elsewhere", ts: 6_000 });
    log.flush();
    expect(log.has("from-elsewhere")).toBe(true);
    expect(log.queries().map((query) => query.id)).toEqual([queued.id, "from-elsewhere"]);
    // Another session's tag, or an id never minted, is unknown.
    expect(log.has(`${queued.id.slice(0, -5)}fffff`)).toBe(false);
    expect(log.has(log.nextQueryId(5_000))).toBe(false);
    log.close();
  });

  it("mints distinct ids in each session that opens the file", async () => {
    const path = join(tmp, "sessions.sqlite");
    const a = new QueryLog(path);
    const b = new QueryLog(path);
    const ids = [a, b, a, b].map((log) => log.nextQueryId(1_000));
    expect(new Set(ids).size).toBe(4);
    a.logQuery(row(a, 1_000));
    b.logQuery(row(b, 1_000));
    await Promise.all([a.close(), b.close()]);
    const reader = new QueryLog(path, { readonly: true });
    expect(reader.queries()).toHaveLength(2);
    await reader.close();
  });

  it("upgrades a schema-1 log in place: each query keeps its id and fields", async () => {
    const path = join(tmp, "v1.sqlite");
    const db = new Database(path);
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta VALUES ('schema', '1');
      CREATE TABLE queries (
        id TEXT PRIMARY KEY, ts INTEGER NOT NULL, pipeline TEXT NOT NULL, query TEXT NOT NULL,
        k INTEGER NOT NULL, results TEXT NOT NULL, took_ms REAL NOT NULL, degraded TEXT,
        index_dir TEXT NOT NULL);
      CREATE INDEX queries_ts ON queries (ts);
      CREATE TABLE feedback (
        id INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL, query_id TEXT NOT NULL,
        doc_id TEXT, signal TEXT NOT NULL, expected_doc_id TEXT);
      CREATE TRIGGER queries_append_only BEFORE UPDATE ON queries
        BEGIN SELECT RAISE(ABORT, 'queries is append-only'); END;
    `);
    const uuid = "6f1c2a3b-4d5e-4f60-8a1b-2c3d4e5f6a7b";
    db.prepare(
      "INSERT INTO queries VALUES (?, 1000, 'bm25', 'drill', 5, ?, 1.5, NULL, '/idx')",
    ).run(uuid, JSON.stringify(["p1", "p6"]));
    db.prepare(
      "INSERT INTO feedback (ts, query_id, doc_id, signal) VALUES (1001, ?, 'p1', 'good')",
    ).run(uuid);
    db.close();
    expect(() => new QueryLog(path, { readonly: true })).toThrow(
      /earlier pairlift \(schema 1\); open it once with `pairlift serve --log FILE`/,
    );

    const log = new QueryLog(path);
    expect(log.queries()).toEqual([
      {
        id: uuid,
        ts: 1000,
        pipeline: "bm25",
        query: "drill",
        k: 5,
        results: ["p1", "p6"],
        tookMs: 1.5,
        index: "/idx",
      },
    ]);
    expect(log.has(uuid)).toBe(true);
    expect(log.feedback()).toEqual([{ ts: 1001, queryId: uuid, docId: "p1", signal: "good" }]);
    log.logQuery(row(log, 2_000));
    expect(log.counts().queries).toBe(2);
    await log.close();
    const check = new Database(path, { readonly: true });
    expect(check.prepare("SELECT value FROM meta WHERE key = 'schema'").pluck().get()).toBe("2");
    check.close();
  });
});

describe("the log's size on disk", () => {
  const DAY = 86_400_000;
  const now = 1_765_000_000_000;
  /** A query row of about 600 bytes. */
  const long = (log: QueryLog, ts: number) =>
    row(log, ts, { query: `drill ${"x".repeat(400)}`, results: ["p1", "p2", "p3"] });

  /** Fills a log at `path`: `old` rows 40 days old and `recent` rows of today. */
  async function filled(path: string, old: number, recent: number): Promise<void> {
    const log = new QueryLog(path);
    for (let i = 0; i < old; i += 1) log.logQuery(long(log, now - 40 * DAY + i));
    for (let i = 0; i < recent; i += 1) log.logQuery(long(log, now - DAY + i));
    await log.close();
  }

  it("shrinks when retention deletes rows", async () => {
    const path = join(tmp, "retention-shrinks.sqlite");
    await filled(path, 4_000, 200);
    const before = statSync(path).size;
    const log = new QueryLog(path);
    expect(log.prune(30, now).queries).toBe(4_000);
    await log.close();
    expect(rowsOnDisk(path)).toBe(200);
    expect(statSync(path).size).toBeLessThan(before / 4);
  });

  it("shrinks a log made before incremental vacuum, converting it once", async () => {
    const path = join(tmp, "old-log.sqlite");
    await filled(path, 4_000, 200);
    // The log as earlier versions made it: no auto_vacuum.
    const db = new Database(path);
    db.pragma("auto_vacuum = NONE");
    db.exec("VACUUM");
    expect(db.pragma("auto_vacuum", { simple: true })).toBe(0);
    db.close();
    const before = statSync(path).size;
    const log = new QueryLog(path);
    log.prune(30, now);
    await log.close();
    expect(statSync(path).size).toBeLessThan(before / 4);
    const after = new Database(path, { readonly: true });
    expect(after.pragma("auto_vacuum", { simple: true })).toBe(2);
    after.close();
  });

  it("keeps under maxBytes by deleting the oldest rows, on its own and at prune", async () => {
    const path = join(tmp, "capped.sqlite");
    const maxBytes = 1_048_576;
    const log = new QueryLog(path, { maxBytes });
    const total = 25_000; // ~15 MB uncapped
    for (let i = 0; i < total; i += 1) log.logQuery(long(log, now + i));
    log.flush();
    // Checked every 10,000 rows written: never more than that over the cap.
    expect(rowsOnDisk(path)).toBeLessThan(total);
    log.prune(3650, now + total);
    expect(log.usedBytes()).toBeLessThanOrEqual(maxBytes);
    const kept = log.queries();
    expect(kept.length).toBeGreaterThan(100);
    // The newest rows stay, in one unbroken run up to the last.
    expect(kept[kept.length - 1]!.ts).toBe(now + total - 1);
    expect(kept[0]!.ts).toBe(now + total - kept.length);
    await log.close();
    expect(statSync(path).size).toBeLessThanOrEqual(maxBytes);
  });
});
