/**
 * What a trec_eval measure is: how it takes parameters, what it computes for one query, how its
 * per-query values combine into the summary, and how both print. The measures themselves live in
 * measures/ (one family per file); table.ts lists them in trec_eval's order.
 */
import type { JudgedQuery } from "./judged-query.js";
import type { MeasureParams, ParamKind } from "./params.js";

/** How a measure's values print: `%6.4f`, `%ld` (truncated), or not at all. */
export type ValuePrint = "float" | "long" | "none";

/**
 * How per-query values become the `all` value (meas_avg.c): the mean over queries, the plain sum
 * (counts such as num_ret), the geometric mean (per-query values are logs), the number of
 * queries (num_q), the run's tag (runid), or nothing (the value is only per query).
 */
export type Summary = "mean" | "sum" | "geometric" | "count" | "runid" | "none";

/** Everything outside the run and qrels that a measure may need. */
export interface MeasureContext {
  /** trec_eval `-N`: number of documents in the collection (utility's 4th coefficient). */
  readonly numDocsInColl: number;
}

export interface TrecMeasure {
  /** trec_eval's name, as given to `-m`. */
  readonly name: string;
  readonly paramKind: ParamKind;
  /** Default cutoffs or parameters (numbers); empty for gain maps and measures without. */
  readonly defaults: readonly number[];
  /** For measures taking numbers in order (`doubles`): how many they need, when fixed. */
  readonly paramCount?: number;
  /** One-line description for the help text and README. */
  readonly description: string;
  readonly perQuery: ValuePrint;
  readonly summary: Summary;
  /**
   * Writes the measure's values for one query at `out[at]`, `out[at + 1]`, … (one per value
   * name; the slots start at 0).
   */
  compute(
    query: JudgedQuery,
    params: MeasureParams,
    out: Float64Array,
    at: number,
    context: MeasureContext,
  ): void;
  /** For a measure printed as text per query (relstring): the text, without quotes. */
  text?(query: JudgedQuery, params: MeasureParams): string;
}
