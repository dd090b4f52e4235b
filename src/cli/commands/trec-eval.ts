import { Command } from "commander";
import { PairliftError } from "../../errors.js";
import { evaluate } from "../../eval/evaluate.js";
import { DEFAULT_TREC_MEASURES, type MetricSpec, parseTrecMeasures } from "../../eval/measures.js";
import { formatTrecEval } from "../../eval/trec-eval-format.js";
import { readTrecQrels, readTrecRun } from "../../io/trec.js";
import type { EvaluationResult } from "../../eval/evaluate.js";
import type { CommandContext } from "../program.js";

interface TrecEvalOptions {
  measure: string[];
  query?: boolean;
  complete?: boolean;
  json?: boolean;
}

/**
 * `pairlift trec-eval QRELS RUN`: trec_eval 10.0's output, byte for byte, for the measures
 * pairlift implements (map, recip_rank, P, recall, ndcg_cut, map_cut, success).
 */
export function trecEvalCommand(ctx: CommandContext): Command {
  return new Command("trec-eval")
    .description(
      "Evaluate a TREC run against TREC qrels, printing exactly what trec_eval 10.0 prints",
    )
    .argument("<qrels>", "TREC qrels file (qid iter docid grade)")
    .argument("<run>", "TREC run file (qid Q0 docid rank score tag)")
    .option(
      "-m, --measure <measure>",
      `trec_eval measure, repeatable: map, recip_rank, P.K, recall.K, ndcg_cut.K, map_cut.K, success.K ` +
        `(comma-separated cutoffs; default: ${DEFAULT_TREC_MEASURES.join(" ")})`,
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option("-q, --query", "also print each query's values, before the summary")
    .option(
      "-c, --complete",
      "average over every qrels query; queries missing from the run score 0",
    )
    .option("--json", "print JSON {aggregate, perQuery} with trec_eval names and unrounded values")
    .action(async (qrelsPath: string, runPath: string, options: TrecEvalOptions) => {
      const measures = parseTrecMeasures(
        options.measure.length > 0 ? options.measure : DEFAULT_TREC_MEASURES,
      );
      const [qrels, run] = await Promise.all([readTrecQrels(qrelsPath), readTrecRun(runPath)]);
      const complete = options.complete === true;
      const result = evaluate(qrels, run, measures, { complete });
      if (result.numQueries === 0) {
        throw new PairliftError(
          "E_UNKNOWN_ID",
          complete
            ? "the qrels file has no queries"
            : "no queries with both results and relevance judgments (check that the query ids match, or use -c)",
          { file: runPath },
        );
      }
      ctx.io.stdout(
        options.json === true
          ? formatJson(result, measures)
          : formatTrecEval(result, measures, { perQuery: options.query === true }),
      );
    });
}

/**
 * JSON with keys in a stable order: measures in trec_eval's order, queries in strcmp order of qid
 * (JSON.stringify of a plain object would put numeric-looking qids first, in numeric order).
 */
function formatJson(result: EvaluationResult, measures: readonly MetricSpec[]): string {
  const record = (values: Record<string, number>, indent: string): string => {
    const entries = measures.map(
      (m) => `${indent}  ${JSON.stringify(m.name)}: ${JSON.stringify(values[m.name] ?? 0)}`,
    );
    return entries.length === 0 ? "{}" : `{\n${entries.join(",\n")}\n${indent}}`;
  };
  const queries = [...result.perQuery].map(
    ([qid, values]) => `    ${JSON.stringify(qid)}: ${record(values, "    ")}`,
  );
  const perQuery = queries.length === 0 ? "{}" : `{\n${queries.join(",\n")}\n  }`;
  return `{\n  "aggregate": ${record(result.aggregate, "  ")},\n  "perQuery": ${perQuery}\n}\n`;
}
