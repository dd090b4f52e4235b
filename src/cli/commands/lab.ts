import { isAbsolute, relative } from "node:path";
import { Command } from "commander";
import { loadConfig } from "../../config/config-file.js";
import { analyzeLab } from "../../lab/sweep/analyze.js";
import { LabInterrupted, runLab, type LabEvent } from "../../lab/sweep/runner.js";
import { formatMs } from "../../lab/recommend.js";
import { writeLabReports } from "../../report/write.js";
import { formatDuration, markdownTable } from "../format.js";
import type { CliIO } from "../io.js";
import { positiveInteger } from "../options.js";
import type { CommandContext } from "../program.js";

interface LabFlags {
  config?: string;
  dataset?: string;
  split?: string;
  out?: string;
  fresh?: boolean;
  maxQueries?: number;
}

/** Exit code of an interrupted sweep (128 + SIGINT), as shells report it. */
const EXIT_INTERRUPTED = 130;

export function labCommand(ctx: CommandContext): Command {
  return new Command("lab")
    .description(
      "Sweep embedders × fusion × rerankers × depths on a BEIR split; report quality, latency and cost, the Pareto fronts and a recommendation",
    )
    .option(
      "--config <file>",
      "config file with a lab: section (default: pairlift.config.yaml if present)",
    )
    .option(
      "--dataset <dir>",
      "BEIR folder (default: lab.dataset, else the bundled demo collection)",
    )
    .option("--split <name>", "split to measure (default: lab.split, else test)")
    .option(
      "--out <dir>",
      "reports and resumable results (default: lab.out, else ./pairlift-report)",
    )
    .option("--fresh", "forget earlier results in --out and measure everything again")
    .option("--max-queries <n>", "measure only the first N queries (a quick look)", positiveInteger)
    .action(async (flags: LabFlags) => {
      const config = await loadConfig(flags.config);
      const controller = new AbortController();
      const stop = (): void => {
        if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
        ctx.io.stderr("\nlab: stopping after the current query (Ctrl-C again to quit now)\n");
        controller.abort();
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
      const progress = labProgress(ctx.io);
      try {
        const run = await runLab({
          config,
          overrides: {
            ...(flags.dataset === undefined ? {} : { dataset: flags.dataset }),
            ...(flags.split === undefined ? {} : { split: flags.split }),
            ...(flags.out === undefined ? {} : { out: flags.out }),
            ...(flags.maxQueries === undefined ? {} : { maxQueries: flags.maxQueries }),
          },
          fresh: flags.fresh === true,
          signal: controller.signal,
          onEvent: progress,
          command: commandLine(flags),
        });
        const report = analyzeLab(run);
        const paths = await writeLabReports(report, run.out);
        const byId = new Map(report.configurations.map((s) => [s.id, s]));
        const front = report.pareto.latency.map((id) => {
          const s = byId.get(id)!;
          return [
            `\`${id}\`${id === report.recommendation.chosen ? " ★" : ""}`,
            s.quality.toFixed(4),
            formatMs(s.latency.p95Ms),
          ];
        });
        const chosen = report.recommendation.chosen;
        ctx.io.stdout(
          `## pairlift lab · ${displayPath(report.dataset)} (${report.split}, ${report.queries} queries)\n\n` +
            (chosen === null
              ? `No recommendation. ${report.recommendation.explanation}\n\n`
              : `Recommendation: \`${chosen}\`. ${report.recommendation.explanation}\n\n`) +
            `Pareto front, ${report.metric} against p95 latency:\n\n` +
            `${markdownTable(["configuration", report.metric, "p95"], front)}\n\n` +
            `${report.configurations.length} configurations (${run.ran.length} measured now, ${run.reused.length} reused) in ${report.run.seconds} s.\n` +
            `report: ${displayPath(paths.html)}\n` +
            `        ${displayPath(paths.markdown)}\n` +
            `        ${displayPath(paths.json)}\n`,
        );
      } catch (error) {
        if (error instanceof LabInterrupted) {
          ctx.io.stderr(`lab: ${error.message}\n`);
          ctx.setExitCode(EXIT_INTERRUPTED);
          return;
        }
        throw error;
      } finally {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
      }
    });
}

/** A path under the working directory as a relative one (shorter, and what the user typed). */
export function displayPath(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside !== "" && !inside.startsWith("..") && !isAbsolute(inside) ? inside : path;
}

function commandLine(flags: LabFlags): string {
  const parts = ["pairlift lab"];
  if (flags.config !== undefined) parts.push(`--config ${flags.config}`);
  if (flags.dataset !== undefined) parts.push(`--dataset ${flags.dataset}`);
  if (flags.split !== undefined) parts.push(`--split ${flags.split}`);
  if (flags.out !== undefined) parts.push(`--out ${flags.out}`);
  if (flags.maxQueries !== undefined) parts.push(`--max-queries ${flags.maxQueries}`);
  return parts.join(" ");
}

/**
 * Progress on stderr: one line per configuration (which, how far, estimated time left) and per
 * finished configuration; query and stage counts redraw one line on a terminal and are printed
 * at most every 10 s otherwise, so CI logs stay short.
 */
export function labProgress(
  io: CliIO,
  now: () => number = () => performance.now(),
): (event: LabEvent) => void {
  let lastPrinted = -Infinity;
  let transient = false;
  const clear = (): void => {
    if (transient) io.stderr("\r\x1b[2K");
    transient = false;
  };
  const line = (text: string): void => {
    clear();
    io.stderr(`${text}\n`);
  };
  const status = (text: string, final: boolean): void => {
    if (io.interactive) {
      io.stderr(`\r\x1b[2K${text}`);
      transient = true;
      return;
    }
    if (!final && now() - lastPrinted < 10_000) return;
    lastPrinted = now();
    io.stderr(`${text}\n`);
  };
  return (event) => {
    switch (event.type) {
      case "start":
        line(
          `lab: ${event.total} configurations; ${event.reused} already measured in ${event.out}/results.jsonl, ${event.pending} to run` +
            (event.unreadable > 0 ? ` (${event.unreadable} unreadable result lines ignored)` : ""),
        );
        break;
      case "configuration":
        lastPrinted = -Infinity;
        line(
          `[${event.position}/${event.pending}] ${event.id}` +
            (event.etaSeconds === undefined
              ? ""
              : ` · about ${formatDuration(event.etaSeconds)} left`),
        );
        break;
      case "stage":
        status(
          `  ${event.stage} ${event.done}${event.total > 0 ? `/${event.total}` : ""}`,
          event.done === event.total,
        );
        break;
      case "queries":
        status(
          `  queries ${event.done}/${event.total}` +
            (event.etaSeconds === undefined
              ? ""
              : ` · about ${formatDuration(event.etaSeconds)} left`),
          event.done === event.total,
        );
        break;
      case "done":
        line(
          `  done in ${event.seconds.toFixed(1)} s: quality ${event.quality.toFixed(4)}, p95 ${formatMs(event.p95Ms)}`,
        );
        break;
    }
  };
}

/** Re-exported for the callers that took it from here. */
export { formatDuration };
