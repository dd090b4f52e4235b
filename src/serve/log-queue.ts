/**
 * Rows on their way to a log, written in batches off the request path: a search enqueues its
 * row and returns; the queue writes everything queued in one call (one transaction) when
 * `batchSize` rows are waiting or `flushMs` after the first one arrived, whichever comes first.
 * The queue is bounded: beyond `capacity` a row is dropped and counted, never blocking or failing
 * the request that made it. A failed write keeps its rows for the next flush (and counts the
 * failure), so a briefly locked database loses nothing while the queue has room.
 *
 * What a `kill -9` can lose is what is queued: at most `flushMs` worth of rows (or `batchSize`,
 * whichever is smaller). A graceful close writes everything first.
 */
export interface LogQueueOptions {
  /** Rows held at most; more are dropped and counted. */
  capacity: number;
  /** Rows that trigger a flush at once (on the next turn of the event loop). */
  batchSize: number;
  /** Longest a row waits before it is written, in milliseconds. */
  flushMs: number;
}

/** How long a failed write waits before it is tried again. */
const RETRY_MS = 250;

export const DEFAULT_LOG_QUEUE: LogQueueOptions = { capacity: 65_536, batchSize: 512, flushMs: 5 };

export interface LogQueueStats {
  /** Rows waiting now. */
  queued: number;
  written: number;
  dropped: number;
  /** Writes that failed (their rows stayed queued). */
  failedWrites: number;
  flushes: number;
}

export class LogQueue<Row> {
  private rows: Row[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private closed = false;
  private written = 0;
  private dropped = 0;
  private failedWrites = 0;
  private flushes = 0;

  constructor(
    /** Writes a batch, all or nothing (one transaction); throws when it could not. */
    private readonly write: (rows: readonly Row[]) => void,
    private readonly options: LogQueueOptions = DEFAULT_LOG_QUEUE,
    /** Told about a failed write (the rows stay queued). */
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Queues a row; false when the queue is full (or closed) and the row was dropped. */
  push(row: Row): boolean {
    if (this.closed || this.rows.length >= this.options.capacity) {
      this.dropped += 1;
      return false;
    }
    this.rows.push(row);
    if (this.rows.length >= this.options.batchSize) {
      this.immediate ??= setImmediate(this.flushSoon);
    } else if (this.timer === undefined) {
      this.timer = setTimeout(this.flushSoon, this.options.flushMs);
      this.timer.unref();
    }
    return true;
  }

  /** The queued rows, oldest first (read-only: feedback may name a query still queued). */
  pending(): readonly Row[] {
    return this.rows;
  }

  /** Writes everything queued now; throws (keeping the rows) when the write fails. */
  flush(): void {
    this.cancelTimers();
    if (this.rows.length === 0) return;
    const batch = this.rows;
    this.rows = [];
    try {
      this.write(batch);
    } catch (error) {
      this.failedWrites += 1;
      // Back in front, oldest first (write is synchronous: nothing was queued meanwhile).
      this.rows = this.rows.length === 0 ? batch : batch.concat(this.rows);
      throw error;
    }
    this.written += batch.length;
    this.flushes += 1;
  }

  /** Writes what is queued and refuses further rows (counted as dropped). */
  close(): void {
    this.closed = true;
    this.flush();
  }

  stats(): LogQueueStats {
    return {
      queued: this.rows.length,
      written: this.written,
      dropped: this.dropped,
      failedWrites: this.failedWrites,
      flushes: this.flushes,
    };
  }

  private readonly flushSoon = (): void => {
    this.timer = undefined;
    this.immediate = undefined;
    try {
      this.flush();
    } catch (error) {
      this.onError(error);
      // Retry later, not every few milliseconds: the rows are still queued.
      if (!this.closed && this.timer === undefined) {
        this.timer = setTimeout(this.flushSoon, Math.max(this.options.flushMs, RETRY_MS));
        this.timer.unref();
      }
    }
  };

  private cancelTimers(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }
}
