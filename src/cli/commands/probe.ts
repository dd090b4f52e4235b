import { Command, InvalidArgumentError } from "commander";
import { DEFAULT_PROBE_IDENTIFIERS, DEFAULT_PROBE_SEED, writeProbeSet } from "../../lab/probe.js";
import { markdownTable } from "../format.js";
import { positiveInteger } from "../options.js";
import type { CommandContext } from "../program.js";

interface ProbeFlags {
  dataset: string;
  out: string;
  seed: number;
  maxIdentifiers: number;
}

function integer(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new InvalidArgumentError("expected an integer");
  return parsed;
}

export function probeCommand(ctx: CommandContext): Command {
  return new Command("probe")
    .description(
      "Write an exact-match probe set: rare identifiers of the corpus typed the ways users type them",
    )
    .requiredOption("--dataset <dir>", "BEIR folder whose corpus the identifiers come from")
    .requiredOption(
      "--out <dir>",
      "probe directory to write (queries.jsonl, qrels/test.tsv, probe.json)",
    )
    .option(
      "--seed <n>",
      "sampling seed: the same seed writes the same files",
      integer,
      DEFAULT_PROBE_SEED,
    )
    .option(
      "--max-identifiers <n>",
      "identifiers to sample",
      positiveInteger,
      DEFAULT_PROBE_IDENTIFIERS,
    )
    .action(async (flags: ProbeFlags) => {
      const manifest = await writeProbeSet({
        dataset: flags.dataset,
        out: flags.out,
        seed: flags.seed,
        maxIdentifiers: flags.maxIdentifiers,
      });
      ctx.io.stdout(
        `wrote ${manifest.queries} queries for ${manifest.identifiers} identifiers ` +
          `(sampled from ${manifest.candidates} identifier-like tokens in ≤ ${manifest.maxDocumentFrequency} documents, seed ${manifest.seed}) to ${flags.out}\n\n` +
          `${markdownTable(
            ["variant", "queries"],
            Object.entries(manifest.variants).map(([type, count]) => [type, String(count)]),
          )}\n\n` +
          `Evaluate it with: pairlift eval --dataset ${flags.out} (or eval --dataset ${flags.dataset} --probe ${flags.out})\n`,
      );
    });
}
