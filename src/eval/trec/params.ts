/**
 * Measure parameters as trec_eval 10.0 reads them from `-m name.params` (meas_init.c):
 *
 * - `long-cutoffs` (P, recall, ndcg_cut, …): comma-separated integers, read like C's strtol (so
 *   `23.4` is 23), sorted ascending, positive, no duplicates; values are named `P_5`, `P_10`;
 * - `double-cutoffs` (iprec_at_recall, Rprec_mult): numbers read like atof (`.25`), sorted, no
 *   duplicates; named with `%3.2f` (`iprec_at_recall_0.25`);
 * - `doubles` (utility, 11pt_avg, relstring, set_F): numbers kept in the order given;
 * - `pairs` (ndcg, G, rbp, …): `name=number` pairs (`1=3,2=9,4=4.5`: the gain of each grade).
 *
 * A single-valued measure given parameters is named with the parameter text as typed
 * (`utility_2,-1,0,0`, `ndcg_1=3,2=9,4=4.5`), so differently parameterised runs never share a name.
 */
import { PairliftError } from "../../errors.js";
import { printfFixed } from "./printf.js";

export type ParamKind = "none" | "long-cutoffs" | "double-cutoffs" | "doubles" | "pairs";

export interface ParamPair {
  readonly name: string;
  readonly value: number;
}

export interface MeasureParams {
  /** Cutoffs (sorted) or numeric parameters (as given); empty for pairs. */
  readonly values: readonly number[];
  /** `name=value` pairs, for measures that take a gain map. */
  readonly pairs: readonly ParamPair[];
  /** The parameter text as typed, when parameters were given on the command line. */
  readonly printable: string | undefined;
}

const LEADING_INTEGER = /^[ \t\n\v\f\r]*([+-]?\d+)/;
const LEADING_DECIMAL = /^[ \t\n\v\f\r]*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/;

function usage(message: string): PairliftError {
  return new PairliftError("E_USAGE", message, { field: "measure" });
}

/** C's strtol on the leading digits; undefined when there are none. */
function leadingInteger(text: string): number | undefined {
  const match = LEADING_INTEGER.exec(text);
  return match === null ? undefined : Number(match[1]);
}

/** C's atof on the leading number; undefined when there is none. */
function leadingDecimal(text: string): number | undefined {
  const match = LEADING_DECIMAL.exec(text);
  return match === null ? undefined : Number(match[1]);
}

/** Parses a measure's parameter text (after the first '.') as its kind requires. */
export function parseParams(
  kind: ParamKind,
  measure: string,
  text: string,
  raw: string,
): MeasureParams {
  if (text === "") throw usage(`measure "${raw}" has an empty parameter list after "."`);
  const parts = text.split(",");
  switch (kind) {
    case "none":
      throw usage(`measure "${measure}" takes no parameters (got "${raw}")`);
    case "long-cutoffs": {
      const values = parts.map((part) => {
        const k = leadingInteger(part);
        if (k === undefined || !Number.isSafeInteger(k)) {
          throw usage(`bad cutoff "${part}" in measure "${raw}": cutoffs are positive integers`);
        }
        return k;
      });
      return { values: sortedUnique(values, raw, (k) => k <= 0), pairs: [], printable: text };
    }
    case "double-cutoffs": {
      const values = parts.map((part) => number(part, raw));
      return { values: sortedUnique(values, raw, () => false), pairs: [], printable: text };
    }
    case "doubles":
      return { values: parts.map((part) => number(part, raw)), pairs: [], printable: text };
    case "pairs": {
      const pairs = parts.map((part) => {
        const eq = part.indexOf("=");
        if (eq <= 0 || part.indexOf("=", eq + 1) !== -1) {
          throw usage(`malformed parameter "${part}" in measure "${raw}": expected name=number`);
        }
        return { name: part.slice(0, eq), value: number(part.slice(eq + 1), raw) };
      });
      return { values: [], pairs, printable: text };
    }
  }
}

function number(part: string, raw: string): number {
  const value = leadingDecimal(part);
  if (value === undefined || !Number.isFinite(value)) {
    throw usage(`bad number "${part}" in measure "${raw}"`);
  }
  return value;
}

function sortedUnique(
  values: number[],
  raw: string,
  invalid: (value: number) => boolean,
): number[] {
  values.sort((a, b) => a - b);
  if (invalid(values[0]!)) throw usage(`cutoffs in measure "${raw}" must be positive`);
  for (let i = 1; i < values.length; i++) {
    if (values[i] === values[i - 1]) throw usage(`duplicate cutoff ${values[i]} in "${raw}"`);
  }
  return values;
}

/** Default parameters: no printable text, so a single-valued measure keeps its bare name. */
export function defaultParams(defaults: readonly number[]): MeasureParams {
  return { values: defaults, pairs: [], printable: undefined };
}

/** The names a measure's values print under, given its parameters. */
export function valueNames(name: string, kind: ParamKind, params: MeasureParams): string[] {
  switch (kind) {
    case "long-cutoffs":
      return params.values.map((k) => `${name}_${k}`);
    case "double-cutoffs":
      return params.values.map((x) => `${name}_${printfFixed(x, 2).padStart(3, " ")}`);
    default:
      return [params.printable === undefined ? name : `${name}_${params.printable}`];
  }
}
