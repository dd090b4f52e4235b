/**
 * Output byte-for-byte like trec_eval 10.0 (meas_print_single.c, meas_print_final.c): one line
 * per value, `printf("%-22s\t%s\t%6.4f\n", name, qid, value)`. With per-query output, each
 * evaluated query's lines come first (queries in strcmp order of qid), then the `all` lines.
 * Measures print in the order given, which {@link parseTrecMeasures} makes trec_eval's own
 * measure-table order.
 */
import type { EvaluationResult } from "./evaluate.js";
import type { MetricSpec } from "./measures.js";

export interface TrecEvalFormatOptions {
  /** trec_eval `-q`: print every query's values before the summary. */
  perQuery?: boolean;
}

/** Formats evaluation results as trec_eval prints them. */
export function formatTrecEval(
  result: EvaluationResult,
  measures: readonly MetricSpec[],
  options: TrecEvalFormatOptions = {},
): string {
  const names = measures.map((m) => m.name);
  const labels = names.map((name) => name.padEnd(22, " "));
  const chunks: string[] = [];
  if (options.perQuery === true) {
    for (const [qid, values] of result.perQuery) {
      for (let i = 0; i < names.length; i++) {
        chunks.push(`${labels[i]!}\t${qid}\t${formatValue(values[names[i]!])}\n`);
      }
    }
  }
  for (let i = 0; i < names.length; i++) {
    chunks.push(`${labels[i]!}\tall\t${formatValue(result.aggregate[names[i]!])}\n`);
  }
  return chunks.join("");
}

function formatValue(value: number | undefined): string {
  return printfFixed4(value ?? 0).padStart(6, " ");
}

/**
 * C's `printf("%.4f", x)` (glibc): the exact binary value rounded to 4 decimals, exact ties to
 * even. `Number.prototype.toFixed` is also exact but breaks exact ties upwards; an exact tie at
 * the fifth decimal happens only for odd multiples of 1/32 (0.03125, 0.09375, …), handled here.
 */
export function printfFixed4(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Number.POSITIVE_INFINITY) return "inf";
  if (x === Number.NEGATIVE_INFINITY) return "-inf";
  if (Object.is(x, -0)) return "-0.0000";
  const thirtySeconds = x * 32;
  if (Number.isInteger(thirtySeconds) && Math.abs(thirtySeconds) % 2 === 1) {
    // |x| * 10^4 = k * 312.5 exactly: halfway between two integers; pick the even one.
    const scaled = Math.abs(x) * 10_000;
    const low = Math.floor(scaled);
    const even = low % 2 === 0 ? low : low + 1;
    const text = (even / 10_000).toFixed(4);
    return x < 0 ? `-${text}` : text;
  }
  return x.toFixed(4);
}
