/**
 * trec_eval 10.0's text output (meas_print_single.c, meas_print_final.c): one line per value,
 * `%-22s\t%s\t%6.4f` (counts as `%ld`), each query's lines (with `-q`) before the `all` lines.
 * With `-Z` every number is a z-score printed as `%6.4f` under its name prefixed with `Z`.
 */
import { printfFixed } from "./printf.js";
import type { ValuePrint } from "./measure.js";
import type { TrecEvalResult } from "./trec-eval.js";

export interface TrecEvalPrintOptions {
  /** `-q`: print every query's values before the summary. */
  perQuery?: boolean;
  /** `-n` turns this off: print the `all` lines. */
  summary?: boolean;
}

/** `-Z` prefixes the padded name (`Z%-22s`), so z-score lines are one column wider. */
function line(prefix: string, name: string, qid: string, value: string): string {
  return `${prefix}${name.padEnd(22, " ")}\t${qid}\t${value}\n`;
}

function number(value: number, print: ValuePrint, zscored: boolean): string {
  if (print === "long" && !zscored) return String(Math.trunc(value) || 0);
  return printfFixed(value, 4).padStart(6, " ");
}

export function formatTrecEvalResult(
  result: TrecEvalResult,
  options: TrecEvalPrintOptions = {},
): string {
  const { measures, zscored } = result;
  const prefix = zscored ? "Z" : "";
  const chunks: string[] = [];
  if (options.perQuery === true) {
    for (const { qid, values, texts } of result.queries) {
      measures.forEach(({ measure, names, offset }, index) => {
        const text = texts.get(index);
        if (text !== undefined) {
          chunks.push(line("", names[0]!, qid, `'${text}'`));
          return;
        }
        if (measure.perQuery === "none") return;
        names.forEach((name, j) => {
          const value = number(values[offset + j]!, measure.perQuery, zscored);
          chunks.push(line(prefix, name, qid, value));
        });
      });
    }
  }
  if (options.summary !== false) {
    for (const { measure, names, offset } of measures) {
      if (measure.summary === "none") continue;
      if (measure.summary === "runid") {
        chunks.push(line("", names[0]!, "all", result.runId));
        continue;
      }
      const print = measure.summary === "count" ? "long" : measure.perQuery;
      names.forEach((name, j) => {
        const value = number(result.summary[offset + j]!, print, zscored);
        chunks.push(line(prefix, name, "all", value));
      });
    }
  }
  return chunks.join("");
}
