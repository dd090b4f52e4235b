import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry } from "prom-client";
import { PairliftError } from "../errors.js";
import { NullLog } from "./null-log.js";
import { QueryLog, type ServeLog } from "./query-log.js";
import { LogClient, RemoteLog, serveLogRequests, type LogChannel } from "./remote-log.js";
import type { PairliftServer } from "./server.js";
import type { ServeMetrics } from "./metrics.js";

/**
 * `pairlift serve --workers N`: N worker processes (node:cluster) accept on one port, each with
 * its own index and pipelines in memory; the primary process owns the query log (one writer:
 * workers send it their rows in batches) and merges the workers' /metrics.
 */
const HOUR_MS = 3_600_000;

interface Listening {
  type: "pairlift:listening";
  url: string;
}

export interface Primary {
  url: string;
  /** Stops every worker (each finishes its in-flight searches and sends its last rows), then closes the log. */
  stop(): Promise<void>;
}

export async function startPrimary(options: {
  workers: number;
  /** The query log file; undefined with --no-log. */
  logPath: string | undefined;
  retentionDays: number;
  /** The query log's size cap (serve's logMaxBytes). */
  logMaxBytes?: number;
}): Promise<Primary> {
  const log =
    options.logPath === undefined
      ? undefined
      : new QueryLog(
          options.logPath,
          options.logMaxBytes === undefined ? {} : { maxBytes: options.logMaxBytes },
        );
  const aggregator = new AggregatorRegistry();
  const prune = (): void => void log?.prune(options.retentionDays);
  prune();
  const retention = setInterval(prune, HOUR_MS);
  retention.unref();
  const workers: Worker[] = [];
  const exited = new Map<Worker, Promise<number | null>>();
  const stop = async (): Promise<void> => {
    clearInterval(retention);
    for (const worker of workers) if (worker.isConnected()) worker.send({ type: "pairlift:stop" });
    await Promise.all(exited.values());
    log?.close();
  };
  try {
    const urls = await Promise.all(
      Array.from({ length: options.workers }, () => {
        const worker = cluster.fork();
        workers.push(worker);
        exited.set(worker, new Promise((resolve) => worker.on("exit", (code) => resolve(code))));
        serveLogRequests(worker, log, () => aggregator.clusterMetrics());
        return new Promise<string>((resolve, reject) => {
          worker.on("message", (message: Listening | { type?: string }) => {
            if (message.type === "pairlift:listening") resolve((message as Listening).url);
          });
          worker.on("exit", (code) =>
            reject(
              new PairliftError(
                "E_UNAVAILABLE",
                `a serve worker exited (${code}) before it listened`,
              ),
            ),
          );
        });
      }),
    );
    return { url: urls[0]!, stop };
  } catch (error) {
    for (const worker of workers) worker.process.kill("SIGTERM");
    await Promise.all(exited.values());
    log?.close();
    throw error;
  }
}

/**
 * In a worker: builds the server over a log that forwards to the primary (or none), starts it,
 * tells the primary its URL, and stops when the primary says so (or goes away). Signals are the
 * primary's to handle: a Ctrl-C reaches the whole process group.
 */
export async function runWorker(options: {
  logOff: boolean;
  build: (log: ServeLog, metricsText: () => Promise<string>) => PairliftServer<ServeLog>;
  listen: { host: string; port: number };
}): Promise<void> {
  const channel = process as unknown as LogChannel;
  const client = new LogClient(channel);
  const log: ServeLog = options.logOff ? new NullLog() : await RemoteLog.open(client);
  const server = options.build(log, () => client.ask<string>({ op: "metrics" }));
  new AggregatorRegistry(); // installs the worker's side of the metrics merge
  AggregatorRegistry.setRegistries([(server.metrics as ServeMetrics).registry]);
  const ignore = (): void => undefined;
  process.on("SIGINT", ignore);
  process.on("SIGTERM", ignore);
  const url = await server.start(options.listen);
  const stopped = new Promise<void>((resolve) => {
    process.on("message", (message: { type?: string }) => {
      if (message.type === "pairlift:stop") resolve();
    });
    process.once("disconnect", () => resolve());
  });
  process.send?.({ type: "pairlift:listening", url } satisfies Listening);
  await stopped;
  await server.close();
  client.detach();
  if (process.connected) process.disconnect();
}
