import { DEFAULT_LOG_QUEUE, LogQueue } from "./log-queue.js";
import {
  QueryIdFormatter,
  type LogRow,
  type LogStats,
  type LoggedAlert,
  type LoggedFeedback,
  type LoggedQuery,
  type LoggedShadowRun,
  type QueryLog,
  type ServeLog,
} from "./query-log.js";

/**
 * The query log of a `serve --workers` worker: rows are batched here (as in QueryLog) and sent
 * to the primary process, the log's one writer; ids are minted here, in a session the primary
 * opened for this worker. Questions the log answers (a query known? feedback's id?) go to the
 * primary and back. Messages on one channel arrive in order, so a feedback request finds the
 * rows sent before it.
 */
export interface LogChannel {
  send(message: LogMessage): void;
  on(event: "message", listener: (message: unknown) => void): void;
  off(event: "message", listener: (message: unknown) => void): void;
}

export type LogRequest =
  | { op: "session" }
  | { op: "has"; queryId: string }
  | { op: "feedback"; feedback: LoggedFeedback }
  | { op: "sync" }
  | { op: "metrics" };

export type LogMessage =
  | { type: "pairlift:log-rows"; rows: readonly LogRow[] }
  | { type: "pairlift:log-request"; id: number; request: LogRequest };

interface LogReply {
  type: "pairlift:log-reply";
  id: number;
  value?: unknown;
  error?: string;
}

function isReply(message: unknown): message is LogReply {
  return (
    typeof message === "object" &&
    message !== null &&
    (message as { type?: unknown }).type === "pairlift:log-reply"
  );
}

/** Asks the other end of a channel, and waits for its answer. */
export class LogClient {
  private next = 0;
  private readonly waiting = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private readonly listener = (message: unknown): void => {
    if (!isReply(message)) return;
    const waiter = this.waiting.get(message.id);
    if (waiter === undefined) return;
    this.waiting.delete(message.id);
    if (message.error !== undefined) waiter.reject(new Error(message.error));
    else waiter.resolve(message.value);
  };

  constructor(readonly channel: LogChannel) {
    channel.on("message", this.listener);
  }

  ask<T>(request: LogRequest): Promise<T> {
    if ((this.channel as { connected?: boolean }).connected === false)
      return Promise.reject(new Error("the primary process is gone"));
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.channel.send({ type: "pairlift:log-request", id, request });
    });
  }

  detach(): void {
    this.channel.off("message", this.listener);
  }
}

export class RemoteLog implements ServeLog {
  private readonly queue: LogQueue<LogRow>;
  private readonly ids: QueryIdFormatter;
  private seq = 0;

  private constructor(
    private readonly client: LogClient,
    session: { session: number; tag: string },
  ) {
    this.ids = new QueryIdFormatter(session.session, session.tag);
    this.queue = new LogQueue<LogRow>(
      (rows) => client.channel.send({ type: "pairlift:log-rows", rows }),
      DEFAULT_LOG_QUEUE,
    );
  }

  /** Opens a session at the primary's log. */
  static async open(client: LogClient): Promise<RemoteLog> {
    return new RemoteLog(
      client,
      await client.ask<{ session: number; tag: string }>({ op: "session" }),
    );
  }

  nextQueryId(ts: number): string {
    return this.ids.format(Math.max(0, Math.trunc(ts)), this.seq++);
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

  async has(queryId: string): Promise<boolean> {
    for (const pending of this.queue.pending())
      if (pending.table === "queries" && pending.row.id === queryId) return true;
    return this.client.ask<boolean>({ op: "has", queryId });
  }

  async logFeedback(feedback: LoggedFeedback): Promise<number> {
    this.queue.flush(); // its query reaches the primary first
    return this.client.ask<number>({ op: "feedback", feedback });
  }

  /** The primary prunes the log it writes. */
  prune(): void {}

  stats(): LogStats {
    return this.queue.stats();
  }

  /** Sends what is queued and waits until the primary has it. */
  async close(): Promise<void> {
    this.queue.close();
    // Orphaned (the primary is gone), there is no one left to wait for.
    await this.client.ask({ op: "sync" }).catch(() => undefined);
  }
}

/**
 * The primary's side: answers a worker's requests from the one QueryLog (or none, `--no-log`),
 * and queues the rows it sends. `metrics` answers the cluster's merged /metrics text.
 */
export function serveLogRequests(
  channel: {
    send(message: LogReply): void;
    on(event: "message", listener: (message: unknown) => void): void;
  },
  log: QueryLog | undefined,
  metrics: () => Promise<string>,
): void {
  channel.on("message", (message: unknown) => {
    if (typeof message !== "object" || message === null) return;
    const typed = message as LogMessage;
    if (typed.type === "pairlift:log-rows") {
      log?.append(typed.rows);
      return;
    }
    if (typed.type !== "pairlift:log-request") return;
    const reply = (value: unknown) =>
      channel.send({ type: "pairlift:log-reply", id: typed.id, value });
    const fail = (error: unknown) =>
      channel.send({
        type: "pairlift:log-reply",
        id: typed.id,
        error: error instanceof Error ? error.message : String(error),
      });
    try {
      const request = typed.request;
      switch (request.op) {
        case "session":
          if (log === undefined) throw new Error("this server keeps no query log (--no-log)");
          return reply(log.openSession());
        case "has":
          return void knownSoon(log, request.queryId).then(reply, fail);
        case "feedback":
          return reply(log?.logFeedback(request.feedback) ?? 0);
        case "sync":
          return reply(true);
        case "metrics":
          return void metrics().then(reply, fail);
      }
    } catch (error) {
      fail(error);
    }
  });
}

/**
 * Whether the log holds a query, allowing for a row still on its way: feedback can reach one
 * worker before the worker that answered the search has sent its row (up to one flush interval,
 * plus IPC). An id this log minted for a live session is waited for, briefly; others answer now.
 */
async function knownSoon(log: QueryLog | undefined, queryId: string): Promise<boolean> {
  if (log === undefined) return false;
  if (log.has(queryId)) return true;
  if (!log.minted(queryId)) return false;
  for (const waited = performance.now(); performance.now() - waited < ROW_IN_FLIGHT_MS;) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (log.has(queryId)) return true;
  }
  return false;
}

/** How long a worker's row can take to reach the primary: a flush interval and IPC, with room. */
const ROW_IN_FLIGHT_MS = 500;
