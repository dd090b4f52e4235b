import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * Checkpoints a WAL-mode SQLite file from a worker thread. SQLite's automatic checkpoint runs
 * inside whichever commit crosses the WAL size limit, copying pages into the database and
 * syncing it: on the server's event loop that is a stall of milliseconds to tens of them every
 * few seconds of traffic, which every request waiting behind it pays. The log turns automatic
 * checkpoints off and this thread, with a connection of its own, runs a PASSIVE checkpoint (it
 * never blocks the writer) every `everyMs`, and truncates the WAL once it is fully copied and
 * past `walPages`, so the file stays small.
 */
export interface Checkpointer {
  /**
   * Stops the thread (it finishes a checkpoint in progress); does not hold the process open.
   * Resolves once the thread has closed its connection and exited: until then it may still
   * touch the WAL files (a folder removed meanwhile fails with ENOTEMPTY).
   */
  stop(): Promise<void>;
}

// The thread's code, evaluated as CommonJS: no file of its own to resolve, whether pairlift
// runs from dist/ or its sources.
const THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.sqlite);
const db = new Database(workerData.path, { timeout: 1000 });
const timer = setInterval(() => {
  try {
    const [done] = db.pragma("wal_checkpoint(PASSIVE)");
    // Every page is in the file, yet the WAL only starts over when a write finds it so: past
    // the limit, truncate it (the writer waits for that, briefly: nothing is left to copy).
    if (done.log > workerData.walPages && done.log === done.checkpointed)
      db.pragma("wal_checkpoint(TRUNCATE)");
  } catch { /* the next one will try again */ }
}, workerData.everyMs);
parentPort.on("message", () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface CheckpointOptions {
  /** How often the thread checkpoints (default 200 ms). */
  everyMs?: number;
  /** WAL pages beyond which a fully copied WAL is truncated (default 1024: 4 MiB of 4 KiB pages). */
  walPages?: number;
}

export function startCheckpointer(path: string, options: CheckpointOptions = {}): Checkpointer {
  const everyMs = options.everyMs ?? 200;
  const walPages = options.walPages ?? 1024;
  const sqlite = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(THREAD, {
    eval: true,
    workerData: { path, everyMs, sqlite, walPages },
  });
  worker.unref();
  // A thread that fails (the file vanished) leaves checkpoints to the next open; never the server.
  worker.on("error", () => undefined);
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  return {
    stop: () => {
      // Held until it exits: a process awaiting the stop must not end with the thread unref'd.
      worker.ref();
      worker.postMessage("stop");
      return exited;
    },
  };
}
