/**
 * Which metrics to compute, and what they are called. Two spellings parse to the same
 * {@link MetricSpec}:
 *
 * - trec_eval measure specs, as given to `trec_eval -m`: `ndcg_cut.10,100`, `recip_rank`,
 *   `recall.10`, `P.10`, `map`, `map_cut.10`, `success.1,10`, output as `ndcg_cut_10`, `P_10`, …
 *   ({@link parseTrecMeasures});
 * - friendly names for the library and eval reports: `ndcg@10`, `mrr@10`, `mrr`, `recip_rank`,
 *   `recall@100`, `map@100`, `map`, `p@10`, `success@10`, `judged@10` ({@link parseMetricName}).
 */
import { PairliftError } from "../errors.js";

/**
 * Metric families, in the order trec_eval 10.0 computes and prints them (its measure table in
 * measures.c: map, recip_rank, P, recall, ndcg_cut, map_cut, success).
 */
export const METRIC_FAMILIES = [
  "map",
  "recip_rank",
  "P",
  "recall",
  "ndcg_cut",
  "map_cut",
  "success",
] as const;

/** trec_eval's families, plus `judged` (Judged@k, which trec_eval has not; friendly name only). */
export type MetricFamily = (typeof METRIC_FAMILIES)[number] | "judged";

/** One concrete metric: a family, its cutoff if it has one, and the name it is reported under. */
export interface MetricSpec {
  readonly family: MetricFamily;
  /** Rank cutoff. Required for P, recall, ndcg_cut, map_cut, success and judged; optional for recip_rank (MRR@k). */
  readonly cutoff?: number;
  /** The key in results: a trec_eval name (`ndcg_cut_10`) or a friendly one (`ndcg@10`). */
  readonly name: string;
}

/** Families that take cutoffs in trec_eval, with trec_eval's default cutoffs. */
const TREC_DEFAULT_CUTOFFS: Readonly<Partial<Record<MetricFamily, readonly number[]>>> = {
  P: [5, 10, 15, 20, 30, 100, 200, 500, 1000],
  recall: [5, 10, 15, 20, 30, 100, 200, 500, 1000],
  ndcg_cut: [5, 10, 15, 20, 30, 100, 200, 500, 1000],
  map_cut: [5, 10, 15, 20, 30, 100, 200, 500, 1000],
  success: [1, 5, 10],
};

/** The measures `pairlift trec-eval` computes when no `-m` is given. */
export const DEFAULT_TREC_MEASURES: readonly string[] = Object.freeze([
  "ndcg_cut.10,100",
  "recip_rank",
  "recall.10,100",
  "map",
  "map_cut.10",
  "P.10",
  "success.1,10",
]);

const SUPPORTED_TREC = "map, recip_rank, P.K, recall.K, ndcg_cut.K, map_cut.K, success.K";

function isFamily(name: string): name is MetricFamily {
  return (METRIC_FAMILIES as readonly string[]).includes(name);
}

function takesCutoffs(family: MetricFamily): boolean {
  return TREC_DEFAULT_CUTOFFS[family] !== undefined;
}

/** The trec_eval output name of a family at a cutoff: `ndcg_cut_10`, `P_5`, `map`. */
export function trecMeasureName(family: MetricFamily, cutoff?: number): string {
  return cutoff === undefined ? family : `${family}_${cutoff}`;
}

/**
 * The trec_eval output name of a spec, or undefined when trec_eval has no such measure
 * (reciprocal rank with a cutoff, MRR@k).
 */
export function trecEvalName(spec: MetricSpec): string | undefined {
  if (spec.family === "judged") return undefined;
  if (takesCutoffs(spec.family)) return trecMeasureName(spec.family, spec.cutoff);
  return spec.cutoff === undefined ? spec.family : undefined;
}

/**
 * Parses trec_eval `-m` measure specs into concrete measures named as trec_eval names them, in
 * trec_eval's print order (family order of {@link METRIC_FAMILIES}, cutoffs ascending).
 *
 * `NAME.K1,K2` gives cutoffs; a cutoff family without any gets trec_eval's defaults (`-m P` is
 * P_5 … P_1000). Cutoffs must be positive integers without duplicates within one spec. Unlike
 * trec_eval, which silently keeps only the first `-m P.…` of several, cutoffs given for the same
 * family in several specs are merged.
 *
 * @throws PairliftError E_USAGE for an unknown measure or a malformed parameter list.
 */
export function parseTrecMeasures(specs: readonly string[]): MetricSpec[] {
  const requested = new Map<MetricFamily, Set<number> | undefined>();
  for (const raw of specs) {
    const spec = raw.trim();
    const dot = spec.indexOf(".");
    const name = dot === -1 ? spec : spec.slice(0, dot);
    if (!isFamily(name)) {
      throw new PairliftError(
        "E_USAGE",
        `unknown trec_eval measure "${raw}"; supported: ${SUPPORTED_TREC}`,
        { field: "measure" },
      );
    }
    if (!requested.has(name)) requested.set(name, undefined);
    if (dot === -1) continue;
    const params = spec.slice(dot + 1);
    if (!takesCutoffs(name)) {
      throw new PairliftError("E_USAGE", `measure "${name}" takes no parameters (got "${raw}")`, {
        field: "measure",
      });
    }
    const cutoffs = parseCutoffList(params, raw);
    const merged = requested.get(name) ?? new Set<number>();
    for (const k of cutoffs) merged.add(k);
    requested.set(name, merged);
  }
  const out: MetricSpec[] = [];
  for (const family of METRIC_FAMILIES) {
    if (!requested.has(family)) continue;
    const defaults = TREC_DEFAULT_CUTOFFS[family];
    if (defaults === undefined) {
      out.push({ family, name: family });
      continue;
    }
    const cutoffs = [...(requested.get(family) ?? defaults)].sort((a, b) => a - b);
    for (const cutoff of cutoffs)
      out.push({ family, cutoff, name: trecMeasureName(family, cutoff) });
  }
  return out;
}

function parseCutoffList(params: string, raw: string): number[] {
  const parts = params.split(",");
  const seen = new Set<number>();
  for (const part of parts) {
    const k = parseCutoff(part);
    if (k === undefined) {
      throw new PairliftError(
        "E_USAGE",
        `bad cutoff "${part}" in measure "${raw}": cutoffs are positive integers separated by commas`,
        { field: "measure" },
      );
    }
    if (seen.has(k)) {
      throw new PairliftError("E_USAGE", `duplicate cutoff ${k} in measure "${raw}"`, {
        field: "measure",
      });
    }
    seen.add(k);
  }
  return [...seen];
}

function parseCutoff(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const k = Number(text);
  return Number.isSafeInteger(k) && k > 0 ? k : undefined;
}

/** Friendly families with a cutoff: `base@K`. */
const FRIENDLY_AT: Readonly<Record<string, MetricFamily>> = {
  ndcg: "ndcg_cut",
  mrr: "recip_rank",
  recall: "recall",
  map: "map_cut",
  p: "P",
  success: "success",
  judged: "judged",
};

/** Friendly names without a cutoff. */
const FRIENDLY_PLAIN: Readonly<Record<string, MetricFamily>> = {
  map: "map",
  mrr: "recip_rank",
  recip_rank: "recip_rank",
};

const FRIENDLY_HELP =
  "ndcg@K, mrr@K, mrr, recip_rank, recall@K, map@K, map, p@K, success@K, judged@K " +
  "(or a trec_eval name such as ndcg_cut_10, P_10, recall_100, map_cut_100, success_1)";

/**
 * Parses one metric name: a friendly name (`ndcg@10`, `mrr@10`, `mrr`, `recip_rank`, `recall@100`,
 * `map@100`, `map`, `p@10`, `success@10`; case-insensitive, reported in lower case) or a
 * trec_eval output name (`ndcg_cut_10`, `P_10`, `recall_100`, `map_cut_100`, `success_1`,
 * reported as given).
 *
 * `mrr@10` is the reciprocal rank of the first relevant document within the top 10, else 0;
 * `map@100` is trec_eval's map_cut.100.
 *
 * @throws PairliftError E_CONFIG naming the metric when it is not one of these.
 */
export function parseMetricName(name: string): MetricSpec {
  const text = name.trim();
  const lower = text.toLowerCase();
  const at = /^([a-z_]+)@(\d+)$/.exec(lower);
  if (at !== null) {
    const base = at[1]!;
    const family = Object.hasOwn(FRIENDLY_AT, base) ? FRIENDLY_AT[base] : undefined;
    const cutoff = parseCutoff(at[2]!);
    if (family !== undefined) {
      if (cutoff === undefined) {
        throw new PairliftError(
          "E_CONFIG",
          `metric "${name}": the cutoff must be a positive integer`,
          {
            field: "metric",
          },
        );
      }
      return { family, cutoff, name: `${base}@${cutoff}` };
    }
  }
  if (Object.hasOwn(FRIENDLY_PLAIN, lower)) {
    return { family: FRIENDLY_PLAIN[lower]!, name: lower };
  }
  const trec = /^(P|recall|ndcg_cut|map_cut|success)_(\d+)$/.exec(text);
  if (trec !== null) {
    const family = trec[1] as MetricFamily;
    const cutoff = parseCutoff(trec[2]!);
    if (cutoff !== undefined) return { family, cutoff, name: trecMeasureName(family, cutoff) };
  }
  const hint = /^(ndcg|ndcg_cut|p|recall|success|map_cut|judged)$/.test(lower)
    ? ` ("${text}" needs a cutoff, e.g. "${lower === "ndcg_cut" ? "ndcg" : lower}@10")`
    : "";
  throw new PairliftError(
    "E_CONFIG",
    `unknown metric "${name}"${hint}; expected one of ${FRIENDLY_HELP}`,
    {
      field: "metric",
    },
  );
}

/**
 * Parses a list of metric names (an array, or one comma-separated string), dropping repeats of
 * the same name and keeping the first-given order.
 */
export function parseMetricNames(names: string | readonly string[]): MetricSpec[] {
  const list = typeof names === "string" ? names.split(",") : names;
  const out: MetricSpec[] = [];
  const seen = new Set<string>();
  for (const raw of list) {
    if (raw.trim() === "") continue;
    const spec = parseMetricName(raw);
    if (seen.has(spec.name)) continue;
    seen.add(spec.name);
    out.push(spec);
  }
  return out;
}
