import { Command } from "commander";
import { openDefaultEmbeddingCache } from "../../dense/embedding-cache.js";
import { PairliftError } from "../../errors.js";
import { formatBytes, markdownTable } from "../format.js";
import { collect, nonNegativeNumber } from "../options.js";
import type { CommandContext } from "../program.js";

export function cacheCommand(ctx: CommandContext): Command {
  const command = new Command("cache").description(
    `Inspect or prune the embedding cache ($PAIRLIFT_CACHE_DIR/embeddings.sqlite)`,
  );
  command
    .command("stats")
    .description("vectors and bytes cached per model")
    .option("--json", "print JSON", false)
    .action((flags: { json: boolean }) => {
      const cache = openDefaultEmbeddingCache();
      try {
        const models = cache.stats();
        if (flags.json) {
          ctx.io.stdout(`${JSON.stringify({ path: cache.path, models }, null, 2)}\n`);
          return;
        }
        ctx.io.stdout(`${cache.path}\n\n`);
        ctx.io.stdout(
          `${markdownTable(
            ["key", "provider/model", "dimension", "vectors", "size", "last used"],
            models.map((model) => [
              model.key,
              `${model.provider}/${model.model}`,
              String(model.dimension),
              String(model.vectors),
              formatBytes(model.bytes),
              model.lastUsedAt,
            ]),
          )}\n`,
        );
      } finally {
        cache.close();
      }
    });
  command
    .command("prune")
    .description(
      "delete cached vectors of models (by key or provider/model) or of models unused for N days",
    )
    .option(
      "--model <key>",
      "a model key (from `cache stats`) or provider/model (repeatable)",
      collect,
    )
    .option("--older-than <days>", "models not used for this many days", nonNegativeNumber)
    .action((flags: { model?: string[]; olderThan?: number }) => {
      if (flags.model === undefined && flags.olderThan === undefined) {
        throw new PairliftError(
          "E_USAGE",
          "say what to prune: --model KEY and/or --older-than DAYS",
        );
      }
      const cache = openDefaultEmbeddingCache();
      try {
        const pruned = cache.prune({
          ...(flags.model === undefined ? {} : { models: flags.model }),
          ...(flags.olderThan === undefined ? {} : { olderThanDays: flags.olderThan }),
        });
        ctx.io.stdout(`pruned ${pruned.models} models, ${pruned.vectors} vectors\n`);
      } finally {
        cache.close();
      }
    });
  return command;
}
