/**
 * trec_eval 10.0 as a library: which measures `-m` selects (with their parameters), and the
 * evaluation loop of trec_eval.c: each query is judged once (judged-query.ts), every selected
 * measure computes its values, values are optionally turned into z-scores, then summed in strcmp
 * order of qid and summarised (mean, sum, geometric mean or count, per measure).
 *
 * Which queries count: those in both the run and the qrels; with `complete` (`-c`) every qrels
 * query, a query missing from the run being evaluated as an empty ranking (so it scores 0 and
 * still counts its relevant documents).
 */
import { PairliftError } from "../../errors.js";
import type { Qrels, Run } from "../../types.js";
import { sortStrcmp } from "../ranking.js";
import { type JudgeOptions, type JudgedQuery, judgeQuery } from "./judged-query.js";
import type { MeasureContext, TrecMeasure } from "./measure.js";
import { type MeasureParams, defaultParams, parseParams, valueNames } from "./params.js";
import { DEFAULT_NICKNAME, TREC_MEASURES, TREC_NICKNAMES, findMeasure } from "./table.js";
import { type ZScores, convertToZScores } from "./zscores.js";

/** One selected measure: its parameters, the names its values print under, and where they sit. */
export interface SelectedMeasure {
  readonly measure: TrecMeasure;
  readonly params: MeasureParams;
  readonly names: readonly string[];
  /** Index of its first value in each query's value array. */
  readonly offset: number;
}

export interface TrecEvalOptions {
  /** `-m` specs (`P.5,10`, `ndcg.1=3,2=9`, `all_trec`); trec_eval's `official` set when empty. */
  measures?: readonly string[];
  /** `-c`: evaluate every qrels query, those missing from the run as empty rankings. */
  complete?: boolean;
  /** `-l`: minimum grade of a relevant document (default 1). */
  relevanceLevel?: number;
  /** `-M`: evaluate only the top this many documents per query. */
  maxDocsPerTopic?: number;
  /** `-J`: drop documents the qrels do not judge before evaluating (condensed lists). */
  judgedOnly?: boolean;
  /** `-N`: number of documents in the collection (utility's last coefficient). */
  numDocsInColl?: number;
  /** `-Z`: report z-scores against these reference means and standard deviations. */
  zscores?: ZScores;
  /** The run's tag, reported by the `runid` measure. */
  runId?: string;
}

export interface TrecQueryResult {
  readonly qid: string;
  /** Every selected measure's values, at each measure's offset. */
  readonly values: Float64Array;
  /** Text values (relstring), by the index of the selected measure. */
  readonly texts: ReadonlyMap<number, string>;
}

export interface TrecEvalResult {
  readonly measures: readonly SelectedMeasure[];
  /** Evaluated queries in strcmp order of qid. */
  readonly queries: readonly TrecQueryResult[];
  /** The `all` values, laid out as each query's values. */
  readonly summary: Float64Array;
  readonly numQueries: number;
  readonly runId: string;
  /** Whether values are z-scores (`-Z`). */
  readonly zscored: boolean;
}

function usage(message: string): PairliftError {
  return new PairliftError("E_USAGE", message, { field: "measure" });
}

const SUPPORTED = `${Object.keys(TREC_NICKNAMES).join(", ")}, ${TREC_MEASURES.map((m) => m.name).join(", ")}`;

/**
 * Resolves `-m` specs into the measures to compute, in trec_eval's order. Parameters follow
 * trec_eval; where trec_eval silently keeps the first of two `-m` for one measure, cutoffs given
 * twice are merged (`-m P.5 -m P.10` is P_5 and P_10) and other parameters given twice
 * differently are refused.
 *
 * @throws PairliftError E_USAGE for an unknown measure or malformed parameters.
 */
export function selectMeasures(specs: readonly string[]): SelectedMeasure[] {
  const marked = new Set<string>();
  const given = new Map<string, MeasureParams>();
  for (const raw of specs.length > 0 ? specs : [DEFAULT_NICKNAME]) {
    const spec = raw.trim();
    const dot = spec.indexOf(".");
    const name = dot === -1 ? spec : spec.slice(0, dot);
    const nickname = Object.hasOwn(TREC_NICKNAMES, name) ? TREC_NICKNAMES[name] : undefined;
    if (nickname !== undefined) {
      if (dot !== -1) throw usage(`measure set "${name}" takes no parameters (got "${raw}")`);
      for (const member of nickname) marked.add(member);
      continue;
    }
    const measure = findMeasure(name);
    if (measure === undefined) {
      throw usage(`unknown trec_eval measure "${raw}"; supported: ${SUPPORTED}`);
    }
    marked.add(name);
    if (dot === -1) continue;
    const params = parseParams(measure.paramKind, name, spec.slice(dot + 1), raw);
    if (measure.paramCount !== undefined && params.values.length !== measure.paramCount) {
      throw usage(`measure "${name}" takes ${measure.paramCount} parameters (got "${raw}")`);
    }
    const previous = given.get(name);
    if (previous === undefined) given.set(name, params);
    else given.set(name, mergeParams(measure, previous, params, raw));
  }
  const selected: SelectedMeasure[] = [];
  let offset = 0;
  for (const measure of TREC_MEASURES) {
    if (!marked.has(measure.name)) continue;
    const params = given.get(measure.name) ?? defaultParams(measure.defaults);
    const names = valueNames(measure.name, measure.paramKind, params);
    selected.push({ measure, params, names, offset });
    offset += names.length;
  }
  return selected;
}

function mergeParams(
  measure: TrecMeasure,
  previous: MeasureParams,
  next: MeasureParams,
  raw: string,
): MeasureParams {
  if (measure.paramKind === "long-cutoffs") {
    const values = [...new Set([...previous.values, ...next.values])].sort((a, b) => a - b);
    return { values, pairs: [], printable: values.join(",") };
  }
  if (previous.printable === next.printable) return previous;
  throw usage(
    `measure "${measure.name}" is given twice with different parameters ` +
      `("${previous.printable ?? ""}" and "${raw}")`,
  );
}

/** Evaluates `run` against `qrels` exactly as trec_eval 10.0 does (see the module comment). */
export function trecEval(qrels: Qrels, run: Run, options: TrecEvalOptions = {}): TrecEvalResult {
  const measures = selectMeasures(options.measures ?? []);
  const width = measures.reduce((n, m) => n + m.names.length, 0);
  const allNames = measures.flatMap((m) => m.names);
  const judge: JudgeOptions = {
    relevanceLevel: options.relevanceLevel ?? 1,
    maxDocsPerTopic: options.maxDocsPerTopic ?? Number.POSITIVE_INFINITY,
    judgedOnly: options.judgedOnly === true,
  };
  const context: MeasureContext = { numDocsInColl: options.numDocsInColl ?? 0 };
  const qids = options.complete
    ? sortStrcmp([...qrels.keys()])
    : sortStrcmp([...run.keys()].filter((qid) => qrels.has(qid)));
  const sums = new Float64Array(width);
  const queries: TrecQueryResult[] = [];
  for (const qid of qids) {
    const query = judgeQuery(run.get(qid), qrels.get(qid), judge);
    const values = new Float64Array(width);
    const texts = computeAll(measures, query, values, context);
    if (options.zscores !== undefined) convertToZScores(options.zscores, qid, allNames, values);
    for (let i = 0; i < width; i++) sums[i]! += values[i]!;
    queries.push({ qid, values, texts });
  }
  const numQueries = queries.length;
  return {
    measures,
    queries,
    summary: summarise(measures, sums, numQueries),
    numQueries,
    runId: options.runId ?? "",
    zscored: options.zscores !== undefined,
  };
}

function computeAll(
  measures: readonly SelectedMeasure[],
  query: JudgedQuery,
  values: Float64Array,
  context: MeasureContext,
): Map<number, string> {
  const texts = new Map<number, string>();
  measures.forEach(({ measure, params, offset }, index) => {
    measure.compute(query, params, values, offset, context);
    if (measure.text !== undefined) texts.set(index, measure.text(query, params));
  });
  return texts;
}

function summarise(
  measures: readonly SelectedMeasure[],
  sums: Float64Array,
  numQueries: number,
): Float64Array {
  const summary = new Float64Array(sums.length);
  for (const { measure, names, offset } of measures) {
    for (let i = offset; i < offset + names.length; i++) {
      const sum = sums[i]!;
      switch (measure.summary) {
        case "mean":
          summary[i] = numQueries > 0 ? sum / numQueries : 0;
          break;
        case "sum":
          summary[i] = sum;
          break;
        case "geometric":
          summary[i] = numQueries > 0 ? Math.exp(sum / numQueries) : 0;
          break;
        case "count":
          summary[i] = numQueries;
          break;
        case "runid":
        case "none":
          break;
      }
    }
  }
  return summary;
}
