import { Command } from "commander";
import { loadConfig } from "../../config/config-file.js";
import {
  DEFAULT_LEARNING_RATE,
  DEFAULT_MAX_DEPTH,
  DEFAULT_TREES,
  trainReranker,
} from "../../lab/train-reranker.js";
import { writeLearnedModel } from "../../rerank/learned/model-file.js";
import { positiveInteger, positiveNumber } from "../options.js";
import type { CommandContext } from "../program.js";
import { stagedProgress } from "../progress.js";

interface TrainFlags {
  dataset: string;
  split: string;
  config?: string;
  pipeline: string;
  out: string;
  depth?: number;
  trees: number;
  learningRate: number;
  maxDepth: number;
  seed: number;
  holdout: boolean;
}

export function trainRerankerCommand(ctx: CommandContext): Command {
  return new Command("train-reranker")
    .description(
      "Learn a reranker (LambdaMART) over the features a pipeline's candidates carry, from one split's judgments",
    )
    .requiredOption("--dataset <dir>", "BEIR folder")
    .option("--split <name>", "qrels split to learn from (never the one you report)", "train")
    .option("--config <file>", "config file (default: pairlift.config.yaml if present)")
    .option(
      "--pipeline <name>",
      "first stage: bm25, hybrid:<embedder>, or a configured pipeline",
      "bm25",
    )
    .requiredOption("--out <file>", "where to write the model (JSON)")
    .option(
      "--depth <n>",
      "candidates per query (default: the pipeline's rerank depth, else 50)",
      positiveInteger,
    )
    .option("--trees <n>", "boosting rounds", positiveInteger, DEFAULT_TREES)
    .option("--learning-rate <x>", "shrinkage per tree", positiveNumber, DEFAULT_LEARNING_RATE)
    .option("--max-depth <n>", "depth of each tree", positiveInteger, DEFAULT_MAX_DEPTH)
    .option("--no-holdout", "skip the held-out check (trains once instead of twice)")
    .option("--seed <n>", "seed of the train/validation query split", positiveInteger, 1)
    .action(async (flags: TrainFlags) => {
      const progress = stagedProgress(ctx.io);
      const config = await loadConfig(flags.config);
      const result = await trainReranker({
        config,
        dataset: flags.dataset,
        split: flags.split,
        pipeline: flags.pipeline,
        ...(flags.depth === undefined ? {} : { depth: flags.depth }),
        trees: flags.trees,
        learningRate: flags.learningRate,
        maxDepth: flags.maxDepth,
        seed: flags.seed,
        holdout: flags.holdout,
        onProgress: progress.onProgress,
      }).finally(() => progress.stop());
      await writeLearnedModel(flags.out, result.model);
      ctx.io.stdout(
        `trained a ${result.model.trees.length}-tree LambdaMART reranker on ${result.queries.train} ${flags.split} queries ` +
          `(${result.candidates} candidates, ${result.model.features.length} features; ` +
          `${result.queries.withoutRelevant} queries had no relevant candidate and were skipped)\n` +
          (result.heldOut === undefined
            ? ""
            : `held-out check: trained on 4/5 of them, nDCG@10 on the other ${result.heldOut.queries} was ${result.heldOut.ndcg.toFixed(4)} (best ${result.heldOut.bestNdcg.toFixed(4)} at ${result.heldOut.bestTrees} trees)\n`) +
          `wrote ${flags.out}; use it with  rerankers: { ltr: { provider: learned, model: ${flags.out} } }\n`,
      );
    });
}
