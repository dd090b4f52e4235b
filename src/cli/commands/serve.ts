import cluster from "node:cluster";
import { Command, InvalidArgumentError } from "commander";
import { loadConfig } from "../../config/config-file.js";
import { loadServeConfig, parseServeConfig, type ServeConfig } from "../../serve/config.js";
import { runWorker, startPrimary } from "../../serve/cluster.js";
import { NullLog } from "../../serve/null-log.js";
import { createServer } from "../../serve/server.js";
import { openServingSet } from "../../serve/serving-set.js";
import { PairliftError } from "../../errors.js";
import type { CommandContext } from "../program.js";

interface ServeFlags {
  index: string;
  config?: string;
  serveConfig?: string;
  pipeline?: string;
  host: string;
  port: number;
  /** A file, or false for `--no-log`. */
  log?: string | false;
  workers: number;
}

function workerCount(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 256)
    throw new InvalidArgumentError("expected a number of worker processes from 1 to 256");
  return parsed;
}

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535)
    throw new InvalidArgumentError("expected a port number from 0 to 65535");
  return parsed;
}

/** A port that is taken or not ours to open, as a coded error instead of Node's stack trace. */
function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EADDRINUSE")
    return new PairliftError(
      "E_UNAVAILABLE",
      `port ${port} on ${host} is already in use; choose another with --port (0 picks a free one)`,
      { field: "port" },
      error,
    );
  if (code === "EACCES")
    return new PairliftError(
      "E_UNAVAILABLE",
      `not allowed to listen on port ${port} on ${host} (ports below 1024 need privileges); choose another with --port`,
      { field: "port" },
      error,
    );
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND")
    return new PairliftError(
      "E_UNAVAILABLE",
      `cannot listen on ${host}: no such local address; choose another with --host`,
      { field: "host" },
      error,
    );
  return error;
}

export function serveCommand(ctx: CommandContext): Command {
  return new Command("serve")
    .description(
      "Serve an index over HTTP: /search, /feedback, /metrics, /monitor, a dashboard at /, and /admin/reload",
    )
    .requiredOption("--index <dir>", "index directory")
    .option("--config <file>", "config file (default: pairlift.config.yaml if present)")
    .option(
      "--serve-config <file>",
      "a file with a `serve:` block (limits, monitors, shadow pipelines, log); default: the config's",
    )
    .option("--pipeline <name>", "the default pipeline (default: the serve block's, else bm25)")
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option("--port <n>", "port (0 picks a free one)", port, 8080)
    .option(
      "--log <file>",
      "the SQLite query and feedback log (default: the serve block's logPath)",
    )
    .option(
      "--no-log",
      "keep no query log (feedback is then refused; for measuring the log's cost)",
    )
    .option(
      "--workers <n>",
      "worker processes answering on the one port, each with the index in memory (1: this process)",
      workerCount,
      1,
    )
    .action(async (flags: ServeFlags) => {
      const config = await loadConfig(flags.config);
      const settings: ServeConfig =
        flags.serveConfig !== undefined
          ? await loadServeConfig(flags.serveConfig)
          : parseServeConfig(config.sections.serve, config.file);
      if (typeof flags.log === "string") settings.logPath = flags.log;
      const defaultPipeline = flags.pipeline ?? settings.pipeline ?? "bm25";
      const adminToken = process.env["PAIRLIFT_ADMIN_TOKEN"];
      const load = () =>
        openServingSet({
          indexDir: flags.index,
          ...(flags.config === undefined ? {} : { configPath: flags.config }),
          defaultPipeline,
          pipelines: [...settings.pipelines, ...settings.shadow],
        });
      if (flags.workers > 1 && cluster.isWorker) {
        await runWorker({
          logOff: flags.log === false,
          listen: { host: flags.host, port: flags.port },
          build: (log, metricsText) =>
            createServer({
              settings,
              log,
              metricsText,
              load,
              ...(adminToken === undefined ? {} : { adminToken }),
            }),
        });
        return;
      }
      if (flags.workers > 1) {
        await servePrimary(ctx, flags, settings, defaultPipeline, adminToken);
        return;
      }
      const server = createServer({
        settings,
        ...(flags.log === false ? { log: new NullLog() } : {}),
        ...(adminToken === undefined ? {} : { adminToken }),
        // Reload re-reads these same paths: no request can point the server at another file.
        load,
      });
      let url: string;
      try {
        url = await server.start({ host: flags.host, port: flags.port });
      } catch (error) {
        await server.close();
        throw listenError(error, flags.host, flags.port);
      }
      const stopped = signalled();
      ctx.io.stdout(
        `pairlift serve: listening on ${url} (pipeline ${defaultPipeline}; log ${flags.log === false ? "off" : settings.logPath}${adminToken === undefined ? "; admin routes disabled: PAIRLIFT_ADMIN_TOKEN is not set" : ""})\n`,
      );
      const signal = await stopped;
      ctx.io.stdout(`pairlift serve: ${signal}, finishing in-flight requests…\n`);
      await server.close();
      ctx.io.stdout("pairlift serve: stopped\n");
    });
}

/** Waits for SIGINT or SIGTERM; returns its name. */
function signalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(signal);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

/** `--workers N`: the primary forks the workers, writes the log and merges /metrics. */
async function servePrimary(
  ctx: CommandContext,
  flags: ServeFlags,
  settings: ServeConfig,
  defaultPipeline: string,
  adminToken: string | undefined,
): Promise<void> {
  const stopped = signalled();
  let primary;
  try {
    primary = await startPrimary({
      workers: flags.workers,
      logPath: flags.log === false ? undefined : settings.logPath,
      retentionDays: settings.retentionDays,
      logMaxBytes: settings.logMaxBytes,
    });
  } catch (error) {
    throw listenError(error, flags.host, flags.port);
  }
  ctx.io.stdout(
    `pairlift serve: listening on ${primary.url} (${flags.workers} workers; pipeline ${defaultPipeline}; log ${flags.log === false ? "off" : settings.logPath}${adminToken === undefined ? "; admin routes disabled: PAIRLIFT_ADMIN_TOKEN is not set" : ""})\n`,
  );
  const signal = await stopped;
  ctx.io.stdout(`pairlift serve: ${signal}, finishing in-flight requests…\n`);
  await primary.stop();
  ctx.io.stdout("pairlift serve: stopped\n");
}
