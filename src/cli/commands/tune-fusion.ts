import { Command } from "commander";
import { loadConfig } from "../../config/config-file.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { tuneFusion } from "../../lab/tune-fusion.js";
import { markdownTable } from "../format.js";
import { positiveInteger } from "../options.js";
import type { CommandContext } from "../program.js";
import { stagedProgress } from "../progress.js";

interface TuneFlags {
  dataset: string;
  split: string;
  testSplit: string | false;
  config?: string;
  pipeline: string;
  metric: string;
  seed: number;
  out: string;
}

export function tuneFusionCommand(ctx: CommandContext): Command {
  return new Command("tune-fusion")
    .description(
      "Choose fusion method, normalization, RRF k and retriever weights on the train split; report train and test",
    )
    .requiredOption("--dataset <dir>", "BEIR folder")
    .option("--split <name>", "split to tune on", "train")
    .option("--test-split <name>", "split to report the chosen setting on", "test")
    .option("--no-test-split", "do not evaluate on another split")
    .option("--config <file>", "config file (default: pairlift.config.yaml if present)")
    .option("--pipeline <name>", "a pipeline with two or more retrievers", "hybrid:use")
    .option("--metric <name>", "metric to maximise", "ndcg@10")
    .option("--seed <n>", "seed of the coordinate-ascent order", positiveInteger, 1)
    .requiredOption(
      "--out <file>",
      "where to write the tuned setting (JSON; use as fusion: { tuned: FILE })",
    )
    .action(async (flags: TuneFlags) => {
      const progress = stagedProgress(ctx.io);
      const config = await loadConfig(flags.config);
      const tuned = await tuneFusion({
        config,
        dataset: flags.dataset,
        pipeline: flags.pipeline,
        trainSplit: flags.split,
        testSplit: flags.testSplit === false ? undefined : flags.testSplit,
        metric: flags.metric,
        seed: flags.seed,
        onProgress: progress.onProgress,
      }).finally(() => progress.stop());
      await writeFileAtomic(flags.out, `${JSON.stringify(tuned, null, 2)}\n`);
      const rows = [
        ["tuned: " + tuned.description, tuned.train.tuned, tuned.test?.tuned],
        ["default: rrf k=60, equal weights", tuned.train.default, tuned.test?.default],
        ...Object.entries(tuned.train.single).map(([name, value]) => [
          `${name} alone`,
          value,
          tuned.test?.single[name],
        ]),
      ].map(([label, train, test]) => [
        String(label),
        (train as number).toFixed(4),
        test === undefined ? "—" : (test as number).toFixed(4),
      ]);
      ctx.io.stdout(
        `## tune-fusion · ${flags.dataset} · ${flags.pipeline} · ${tuned.metric}\n\n` +
          `searched ${tuned.searched} settings (${tuned.search}) on ${tuned.train.queries} ${tuned.train.split} queries\n\n` +
          `${markdownTable(["setting", tuned.train.split, tuned.test?.split ?? "test"], rows)}\n\n` +
          `wrote ${flags.out}; use it with  fusion: { tuned: ${flags.out} }\n`,
      );
    });
}
