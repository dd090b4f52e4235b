import { Command } from "commander";
import { PairliftError } from "../../errors.js";
import { formatTrecEvalResult } from "../../eval/trec/format.js";
import { type TrecEvalResult, trecEval } from "../../eval/trec/trec-eval.js";
import { readTrecQrels, readTrecRunTagged, readZScores } from "../../io/trec.js";
import type { CommandContext } from "../program.js";

interface TrecEvalOptions {
  measure?: string[];
  query?: boolean;
  complete?: boolean;
  levelForRel?: string;
  maxRetrieved?: string;
  judgedOnly?: boolean;
  numberDocsInColl?: string;
  zscore?: string;
  summary?: boolean;
  json?: boolean;
}

/** An integer option as C's atol reads it (leading digits), refusing text without any. */
function integerOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*([+-]?\d+)/.exec(value);
  if (match === null) {
    throw new PairliftError("E_USAGE", `${flag} needs an integer, got "${value}"`, {
      field: flag,
    });
  }
  return Number(match[1]);
}

/**
 * `pairlift trec-eval QRELS RUN`: trec_eval 10.0's output, byte for byte (its own test suite
 * passes), with trec_eval's options. QRELS may also be a BEIR qrels TSV.
 */
export function trecEvalCommand(ctx: CommandContext): Command {
  return new Command("trec-eval")
    .description("Evaluate a TREC run against qrels, printing exactly what trec_eval 10.0 prints")
    .argument("<qrels>", "TREC qrels (qid iter docid grade) or BEIR qrels TSV (with its header)")
    .argument("<run>", "TREC run (qid Q0 docid rank score tag [ignored columns…])")
    .option(
      "-m, --measure <measure>",
      "trec_eval measure or set, repeatable: official (default), all_trec, set, or a measure " +
        "with optional parameters (P.5,10  ndcg_cut.10  iprec_at_recall..25,.5  ndcg.1=3,2=9  " +
        "utility.2,-1,0,0)",
      // No default value: commander would print "(default: [])" after "official (default)".
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option("-q, --query", "also print each query's values, before the summary")
    .option("-c, --complete", "evaluate every qrels query; queries missing from the run score 0")
    .option("-l, --level-for-rel <num>", "minimum grade of a relevant document (default 1)")
    .option("-M, --max-retrieved <num>", "evaluate only the top <num> documents per query")
    .option(
      "-J, --judged-only",
      "drop documents the qrels do not judge before evaluating (condensed lists)",
    )
    .option("-N, --number-docs-in-coll <num>", "number of documents in the collection (utility)")
    .option("-Z, --zscore <file>", "print z-scores against the means and stddevs in <file>")
    .option("-n, --no-summary", "do not print the summary (all) lines")
    .option("--json", "print JSON {aggregate, perQuery} with trec_eval names and unrounded values")
    .action(async (qrelsPath: string, runPath: string, options: TrecEvalOptions) => {
      const relevanceLevel = integerOption(options.levelForRel, "-l");
      const maxDocsPerTopic = integerOption(options.maxRetrieved, "-M");
      const numDocsInColl = integerOption(options.numberDocsInColl, "-N");
      const [qrels, tagged, zscores] = await Promise.all([
        readTrecQrels(qrelsPath),
        readTrecRunTagged(runPath),
        options.zscore === undefined ? undefined : readZScores(options.zscore),
      ]);
      const result = trecEval(qrels, tagged.run, {
        measures: options.measure ?? [],
        complete: options.complete === true,
        judgedOnly: options.judgedOnly === true,
        runId: tagged.tag,
        ...(relevanceLevel === undefined ? {} : { relevanceLevel }),
        ...(maxDocsPerTopic === undefined ? {} : { maxDocsPerTopic }),
        ...(numDocsInColl === undefined ? {} : { numDocsInColl }),
        ...(zscores === undefined ? {} : { zscores }),
      });
      if (result.numQueries === 0) {
        throw new PairliftError(
          "E_UNKNOWN_ID",
          options.complete === true
            ? "the qrels file has no queries"
            : "no queries with both results and relevance judgments (check that the query ids match, or use -c)",
          { file: runPath },
        );
      }
      ctx.io.stdout(
        options.json === true
          ? formatJson(result)
          : formatTrecEvalResult(result, {
              perQuery: options.query === true,
              summary: options.summary !== false,
            }),
      );
    });
}

/**
 * JSON with keys in a stable order: measures in trec_eval's order, queries in strcmp order of qid
 * (JSON.stringify of a plain object would put numeric-looking qids first, in numeric order).
 * Numbers only: runid and relstring are left out.
 */
function formatJson(result: TrecEvalResult): string {
  const record = (values: Float64Array, summary: boolean, indent: string): string => {
    const entries: string[] = [];
    for (const { measure, names, offset } of result.measures) {
      const shown = summary
        ? measure.summary !== "none" && measure.summary !== "runid"
        : measure.perQuery !== "none";
      if (!shown) continue;
      names.forEach((name, j) => {
        entries.push(`${indent}  ${JSON.stringify(name)}: ${JSON.stringify(values[offset + j])}`);
      });
    }
    return entries.length === 0 ? "{}" : `{\n${entries.join(",\n")}\n${indent}}`;
  };
  const queries = result.queries.map(
    ({ qid, values }) => `    ${JSON.stringify(qid)}: ${record(values, false, "    ")}`,
  );
  const perQuery = queries.length === 0 ? "{}" : `{\n${queries.join(",\n")}\n  }`;
  return `{\n  "aggregate": ${record(result.summary, true, "  ")},\n  "perQuery": ${perQuery}\n}\n`;
}
