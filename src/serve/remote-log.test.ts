import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { QueryLog } from "./query-log.js";
import { LogClient, RemoteLog, serveLogRequests, type LogChannel } from "./remote-log.js";

/** Two ends of an in-memory channel that, like IPC, delivers messages in order, later. */
function channelPair(): [LogChannel, LogChannel & { send(message: unknown): void }] {
  const toPrimary = new EventEmitter();
  const toWorker = new EventEmitter();
  const deliver = (to: EventEmitter) => (message: unknown) =>
    void setImmediate(() => to.emit("message", structuredClone(message)));
  const worker = {
    send: deliver(toPrimary),
    on: (event: "message", listener: (message: unknown) => void) =>
      void toWorker.on(event, listener),
    off: (event: "message", listener: (message: unknown) => void) =>
      void toWorker.off(event, listener),
  };
  const primary = {
    send: deliver(toWorker),
    on: (event: "message", listener: (message: unknown) => void) =>
      void toPrimary.on(event, listener),
    off: (event: "message", listener: (message: unknown) => void) =>
      void toPrimary.off(event, listener),
  };
  return [worker, primary];
}

describe("RemoteLog (a --workers worker's log)", () => {
  it("mints ids in a session of the primary's log, whose rows it stores compactly", async () => {
    const log = new QueryLog(":memory:", { queue: { flushMs: 600_000 } });
    const [worker, primary] = channelPair();
    serveLogRequests(primary, log, () => Promise.resolve("# merged"));
    const client = new LogClient(worker);
    const remote = await RemoteLog.open(client);
    const ts = 1_765_000_000_000;
    const id = remote.nextQueryId(ts);
    remote.logQuery({
      id,
      ts,
      pipeline: "bm25",
      query: "KT-2040",
      k: 3,
      results: ["p1"],
      tookMs: 0.2,
      index: "/idx",
    });
    // Still queued in the worker: known there, and feedback on it is accepted.
    expect(await remote.has(id)).toBe(true);
    expect(await remote.logFeedback({ ts: ts + 1, queryId: id, docId: "p1", signal: "good" })).toBe(
      1,
    );
    expect(await remote.has(id)).toBe(true); // now from the primary's log
    expect(await remote.has("never-logged")).toBe(false);
    expect(await client.ask({ op: "metrics" })).toBe("# merged");
    await remote.close();
    const [row] = log.queries();
    expect(row).toMatchObject({ id, query: "KT-2040", results: ["p1"] });
    expect(log.feedback()).toEqual([{ ts: ts + 1, queryId: id, docId: "p1", signal: "good" }]);
    log.close();
  });

  it("sends everything queued before close() resolves", async () => {
    const log = new QueryLog(":memory:", { queue: { flushMs: 600_000 } });
    const [worker, primary] = channelPair();
    serveLogRequests(primary, log, () => Promise.resolve(""));
    const remote = await RemoteLog.open(new LogClient(worker));
    for (let i = 0; i < 30; i += 1)
      remote.logAlert({ ts: i, type: "zero_results", message: `no results ${i}` });
    await remote.close();
    expect(log.counts().alerts).toBe(30);
    log.close();
  });

  it("answers feedback on another worker's search whose row is still on its way", async () => {
    const log = new QueryLog(":memory:");
    const [workerA, primaryA] = channelPair();
    const [workerB, primaryB] = channelPair();
    serveLogRequests(primaryA, log, () => Promise.resolve(""));
    serveLogRequests(primaryB, log, () => Promise.resolve(""));
    const a = await RemoteLog.open(new LogClient(workerA));
    const b = await RemoteLog.open(new LogClient(workerB));
    const ts = Date.now();
    const id = a.nextQueryId(ts);
    a.logQuery({
      id,
      ts,
      pipeline: "bm25",
      query: "hose",
      k: 1,
      results: [],
      tookMs: 1,
      index: "/i",
    });
    expect(log.has(id)).toBe(false); // still queued in worker A
    expect(await b.has(id)).toBe(true); // the primary waits for A's flush
    expect(await b.has(b.nextQueryId(ts))).toBe(false); // minted, never logged: not found
    await Promise.all([a.close(), b.close()]);
    log.close();
  });
});
