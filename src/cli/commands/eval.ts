import { Command } from "commander";
import { loadConfig } from "../../config/config-file.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { writeTrecRun } from "../../io/trec.js";
import { DEFAULT_EVAL_METRICS, evaluateDataset } from "../../eval/evaluate-dataset.js";
import { evalSlicesMarkdown } from "../../eval/slices/markdown.js";
import { DEFAULT_MIN_SLICE_QUERIES } from "../../eval/slices/slices.js";
import { markdownTable } from "../format.js";
import { positiveInteger } from "../options.js";
import type { CommandContext } from "../program.js";
import { stagedProgress } from "../progress.js";

interface EvalFlags {
  dataset: string;
  split: string;
  pipeline: string;
  metrics: string;
  depth: number;
  runOut?: string;
  json?: string;
  config?: string;
  slices?: string;
  minSliceQueries: number;
  probe?: string;
  condensed?: boolean;
}

export function evalCommand(ctx: CommandContext): Command {
  return new Command("eval")
    .description(
      "Run every judged query of a BEIR split through a pipeline and report trec_eval-exact metrics",
    )
    .requiredOption(
      "--dataset <dir>",
      "BEIR folder (corpus.jsonl, queries.jsonl, qrels/<split>.tsv)",
    )
    .option("--split <name>", "qrels split", "test")
    .option(
      "--pipeline <name>",
      "pipeline: bm25, dense:<embedder>, hybrid:<embedder>, or one named in the config",
      "bm25",
    )
    .option(
      "--config <file>",
      "config file with embedders (default: pairlift.config.yaml if present)",
    )
    .option("--metrics <list>", "comma-separated metrics", DEFAULT_EVAL_METRICS.join(","))
    .option("--depth <n>", "documents retrieved per query", positiveInteger, 1000)
    .option("--run-out <file>", "write the TREC run here")
    .option("--json <file>", "write the JSON report here")
    .option("--slices <file>", "slice file (YAML: name: regex, or name: [query ids])")
    .option(
      "--min-slice-queries <n>",
      "slices with fewer queries are flagged too small to judge",
      positiveInteger,
      DEFAULT_MIN_SLICE_QUERIES,
    )
    .option("--probe <dir>", "also evaluate this probe set (pairlift probe) with the same pipeline")
    .option(
      "--condensed",
      "also score condensed lists (unjudged documents removed before ranking, as trec_eval -J)",
    )
    .action(async (flags: EvalFlags) => {
      const progress = stagedProgress(ctx.io);
      const config = await loadConfig(flags.config);
      const { report, run } = await evaluateDataset({
        config,
        dataset: flags.dataset,
        split: flags.split,
        pipeline: flags.pipeline,
        metrics: flags.metrics.split(","),
        depth: flags.depth,
        minSliceQueries: flags.minSliceQueries,
        ...(flags.slices === undefined ? {} : { slices: flags.slices }),
        ...(flags.probe === undefined ? {} : { probe: flags.probe }),
        ...(flags.condensed === true ? { condensed: true } : {}),
        onProgress: progress.onProgress,
      }).finally(() => progress.stop());
      if (flags.runOut !== undefined) await writeTrecRun(flags.runOut, run, report.pipeline);
      if (flags.json !== undefined)
        await writeFileAtomic(flags.json, `${JSON.stringify(report, null, 2)}\n`);
      const indexNote = report.index.reused
        ? "reused cached index"
        : `built index in ${(report.index.buildSeconds ?? 0).toFixed(2)} s`;
      ctx.io.stdout(
        `## ${report.dataset} · ${report.split} · ${report.pipeline}\n\n` +
          `${report.queries} queries, ${report.index.documents} documents, depth ${report.depth} (${indexNote})` +
          (report.stats.embeddedTexts + report.stats.cacheHits > 0
            ? `; embedded ${report.stats.embeddedTexts} texts, ${report.stats.cacheHits} from the cache`
            : "") +
          `; latency p50 ${report.latency.p50Ms.toFixed(1)} ms, p95 ${report.latency.p95Ms.toFixed(1)} ms` +
          (report.stats.degradedQueries > 0
            ? `; ${report.stats.degradedQueries} queries degraded`
            : "") +
          "\n\n" +
          `${markdownTable(
            report.condensed === undefined ? ["metric", "value"] : ["metric", "value", "condensed"],
            Object.entries(report.aggregate).map(([name, value]) => [
              name,
              value.toFixed(4),
              ...(report.condensed === undefined
                ? []
                : [(report.condensed.aggregate[name] ?? 0).toFixed(4)]),
            ]),
          )}\n` +
          (report.judged === undefined
            ? ""
            : `\n${report.judged.metric} ${report.judged.aggregate.toFixed(4)}: the share of each top 10 the qrels judge` +
              (report.judged.aggregate < 1
                ? " (unjudged documents count as misses in the metrics above)"
                : "") +
              "\n"),
      );
      ctx.io.stdout(evalSlicesMarkdown(report));
    });
}
