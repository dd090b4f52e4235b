import { Command } from "commander";
import { exportFeedback } from "../../lab/feedback-export.js";
import type { CommandContext } from "../program.js";

interface ExportFlags {
  log: string;
  out: string;
  index?: string;
  split: string;
}

export function feedbackCommand(ctx: CommandContext): Command {
  const feedback = new Command("feedback").description(
    "Work with the feedback `pairlift serve` logged",
  );
  feedback
    .command("export")
    .description(
      "Turn logged feedback into a BEIR folder (corpus, queries, qrels) for eval, compare and lab",
    )
    .option("--log <file>", "the serve query log", "pairlift-serve.sqlite")
    .requiredOption("--out <dir>", "the BEIR folder to write")
    .option("--index <dir>", "the index whose documents form the corpus (default: the served one)")
    .option("--split <name>", "qrels split name", "test")
    .action(async (flags: ExportFlags) => {
      const report = await exportFeedback({
        log: flags.log,
        out: flags.out,
        split: flags.split,
        ...(flags.index === undefined ? {} : { index: flags.index }),
      });
      ctx.io.stdout(
        `exported ${report.queries} judged queries (${report.identifierQueries} identifier) with ${report.judgments} judgments (${report.relevant} relevant) from ${report.feedbackEvents} feedback events to ${report.out}\n`,
      );
      if (report.withoutRelevant > 0)
        ctx.io.stdout(
          `left out ${report.withoutRelevant} queries whose feedback names no relevant document\n`,
        );
      if (report.unknownDocuments > 0)
        ctx.io.stdout(
          `left out ${report.unknownDocuments} judgments of documents ${report.index} no longer holds\n`,
        );
      ctx.io.stdout(
        `evaluate with: pairlift eval --dataset ${report.out} --split ${flags.split}\n`,
      );
    });
  return feedback;
}
