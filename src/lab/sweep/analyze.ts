/**
 * From measured configurations to the answer: each configuration against the baseline (paired
 * tests per slice with Holm, and the regression gate), cost per 1,000 queries from the price
 * table, the Pareto fronts of quality against p95 latency and against cost, and the
 * recommendation. Everything the reports show, in one JSON-ready object.
 */
import {
  compareReports,
  type ComparableReport,
  type Comparison,
  type JudgedComparison,
} from "../../eval/compare/compare-reports.js";
import {
  evaluateGate,
  gateVerdict,
  type GateConfig,
  type GateFailure,
} from "../../eval/compare/gate.js";
import { DEFAULT_SEED, pairedTest } from "../../eval/compare/paired.js";
import { JUDGED_METRIC } from "../../eval/judged-report.js";
import type { FusionSpec } from "../../fusion/fuse.js";
import type { Price } from "../lab-config.js";
import { paretoFront } from "../pareto.js";
import { recommend, type QualityGain, type Recommendation } from "../recommend.js";
import type { LabConfiguration } from "./grid.js";
import type { ReproducibilityRecord } from "./record.js";
import type { ConfigurationResult, LatencyResult, SetResult } from "./result.js";
import type { LabRun } from "./runner.js";

export const LAB_REPORT_FORMAT = "pairlift-lab-report";
export const LAB_REPORT_VERSION = 1;

export interface SliceSummary {
  queries: number;
  tooSmall: boolean;
  aggregate: Record<string, number>;
}

/** judged@10 of a query set: overall and per slice (slices without queries left out). */
export interface JudgedSummary {
  metric: string;
  aggregate: number;
  slices: Record<string, number>;
}

/** A configuration's quality metric against the baseline's, on one slice. */
export interface SliceDelta {
  queries: number;
  tooSmall: boolean;
  meanA: number;
  meanB: number;
  meanDiff: number;
  ci: [number, number];
  pRandomization: number;
  /** Holm-adjusted across the slices judged; null when too small. */
  pHolm: number | null;
  wins: number;
  ties: number;
  losses: number;
}

export interface BaselineComparison {
  metric: string;
  overall: SliceDelta;
  slices: Record<string, SliceDelta>;
  /**
   * Both judged@10 means; `warning` (compare's plain words) when they differ by more than the
   * report's judged threshold, the metrics then being biased against the less judged one.
   */
  judged: JudgedComparison | undefined;
  gate: {
    passed: boolean;
    metric: string;
    failures: GateFailure[];
    /** The gate's paragraph (as `pairlift compare --gate` prints it). */
    verdict: string;
    /** The probe set's own gate (no critical slices), when there is a probe set. */
    probe?: { passed: boolean; failures: GateFailure[]; verdict: string };
  };
}

export interface ConfigurationSummary {
  id: string;
  configuration: LabConfiguration;
  fusion: FusionSpec | undefined;
  rerankerSource: string | undefined;
  /** The quality metric's value. */
  quality: number;
  queries: number;
  aggregate: Record<string, number>;
  slices: Record<string, SliceSummary>;
  judged: JudgedSummary;
  probe:
    | {
        queries: number;
        aggregate: Record<string, number>;
        slices: Record<string, SliceSummary>;
        judged: JudgedSummary;
      }
    | undefined;
  latency: LatencyResult;
  throughputQps: number;
  index: ConfigurationResult["index"];
  memory: ConfigurationResult["memory"];
  tokensPerQuery: Record<string, number>;
  hosted: string[];
  cost: {
    /** Per 1,000 queries in the report's currency; null when a hosted component has no price. */
    per1000Queries: number | null;
    /** Hosted components without a price. */
    unpriced: string[];
  };
  degradedQueries: number;
  seconds: number;
  /** Measured by an earlier run and read back from results.jsonl. */
  reused: boolean;
  /** Undefined for the baseline itself. */
  comparison: BaselineComparison | undefined;
}

export interface LabReport {
  format: typeof LAB_REPORT_FORMAT;
  version: typeof LAB_REPORT_VERSION;
  dataset: string;
  split: string;
  trainSplit: string | null;
  queries: number;
  /** Set when only the first N queries were measured. */
  maxQueries: number | undefined;
  probe: string | undefined;
  metric: string;
  metrics: string[];
  baseline: string;
  /** judged@10 differences from the baseline above `threshold` are warned about. */
  judged: { metric: string; threshold: number };
  constraints: {
    latencyBudgetMs: number | undefined;
    costCeiling: number | undefined;
    currency: string;
    prices: Record<string, Price>;
  };
  gate: GateConfig;
  configurations: ConfigurationSummary[];
  pareto: {
    /** Quality against p95 latency: ids, fastest first. */
    latency: string[];
    /** Quality against cost per 1,000 queries: ids, cheapest first. */
    cost: string[];
    /** Ids without a known cost (not on the cost front). */
    costUnknown: string[];
  };
  recommendation: Recommendation;
  run: {
    startedAt: string;
    seconds: number;
    ran: number;
    reused: number;
    out: string;
  };
  record: ReproducibilityRecord;
}

export function analyzeLab(run: LabRun): LabReport {
  const { settings } = run;
  const metric = settings.metric;
  const baselineResult = run.results.find((result) => result.id === run.baseline)!;
  const reused = new Set(run.reused);
  const gateMetrics = [...new Set([metric, settings.gate.metric])];

  const summaries = run.results.map((result): ConfigurationSummary => {
    const unpriced = result.hosted.filter((name) => !Object.hasOwn(settings.prices, name));
    const per1000 =
      unpriced.length > 0
        ? null
        : Object.entries(result.tokensPerQuery).reduce((sum, [name, tokens]) => {
            const price = settings.prices[name];
            if (price === undefined) return sum;
            return sum + (tokens * 1000 * price.perMillionTokens) / 1e6 + price.perThousandQueries;
          }, 0);
    return {
      id: result.id,
      configuration: result.configuration,
      fusion: result.fusion,
      rerankerSource: result.rerankerSource,
      quality: result.aggregate[metric] ?? 0,
      queries: result.queries,
      aggregate: result.aggregate,
      slices: sliceSummaries(result),
      judged: judgedSummary(result),
      probe:
        result.probe === undefined
          ? undefined
          : {
              queries: result.probe.queries,
              aggregate: result.probe.aggregate,
              slices: sliceSummaries(result.probe),
              judged: judgedSummary(result.probe),
            },
      latency: result.latency,
      throughputQps: result.throughputQps,
      index: result.index,
      memory: result.memory,
      tokensPerQuery: result.tokensPerQuery,
      hosted: result.hosted,
      cost: { per1000Queries: per1000, unpriced },
      degradedQueries: result.degradedQueries,
      seconds: result.seconds,
      reused: reused.has(result.id),
      comparison:
        result.id === run.baseline
          ? undefined
          : compareWithBaseline(baselineResult, result, {
              metric,
              metrics: gateMetrics,
              gate: settings.gate,
              judgedThreshold: settings.judgedThreshold,
            }),
    };
  });

  const latencyFront = paretoFront(
    summaries.map((s) => ({ id: s.id, quality: s.quality, cost: s.latency.p95Ms })),
  );
  const costFront = paretoFront(
    summaries.map((s) => ({ id: s.id, quality: s.quality, cost: s.cost.per1000Queries ?? NaN })),
  );
  const recommendation = recommend(
    summaries.map((s) => ({
      id: s.id,
      quality: s.quality,
      p95Ms: s.latency.p95Ms,
      costPer1000: s.cost.per1000Queries,
      ...(s.cost.unpriced.length > 0
        ? { costNote: `no price for ${s.cost.unpriced.join(", ")}` }
        : {}),
      ...(s.comparison === undefined
        ? {}
        : {
            versusBaseline: {
              meanDiff: s.comparison.overall.meanDiff,
              ci: s.comparison.overall.ci,
              p: s.comparison.overall.pRandomization,
            },
            gate: {
              passed: s.comparison.gate.passed && (s.comparison.gate.probe?.passed ?? true),
              failures: [
                ...s.comparison.gate.failures.map((f) => describeFailure(f)),
                ...(s.comparison.gate.probe?.failures ?? []).map(
                  (f) => `probe ${describeFailure(f)}`,
                ),
              ],
            },
          }),
    })),
    {
      baseline: run.baseline,
      metric,
      latencyBudgetMs: settings.latencyBudgetMs,
      costCeiling: settings.costCeiling,
      currency: settings.currency,
      alpha: settings.gate.alpha,
      minEffect: settings.minEffect,
      compare: pairwise(run.results, baselineResult, metric),
    },
  );
  return {
    format: LAB_REPORT_FORMAT,
    version: LAB_REPORT_VERSION,
    dataset: settings.dataset,
    split: settings.split,
    trainSplit: settings.trainSplit,
    queries: baselineResult.queries,
    maxQueries: settings.maxQueries,
    probe: settings.probe,
    metric,
    metrics: settings.metrics,
    baseline: run.baseline,
    judged: { metric: JUDGED_METRIC, threshold: settings.judgedThreshold },
    constraints: {
      latencyBudgetMs: settings.latencyBudgetMs,
      costCeiling: settings.costCeiling,
      currency: settings.currency,
      prices: settings.prices,
    },
    gate: settings.gate,
    configurations: summaries,
    pareto: {
      latency: latencyFront.front,
      cost: costFront.front,
      costUnknown: costFront.unplaced,
    },
    recommendation,
    run: {
      startedAt: run.record.startedAt,
      seconds: Math.round(run.seconds * 10) / 10,
      ran: run.ran.length,
      reused: run.reused.length,
      out: run.out,
    },
    record: run.record,
  };
}

/**
 * `b` against `a` on the metric, query by query over the baseline's queries (the sweep measures
 * every configuration on the same ones), with compare's seed; memoised.
 */
function pairwise(
  results: readonly ConfigurationResult[],
  baseline: ConfigurationResult,
  metric: string,
): (a: string, b: string) => QualityGain {
  const byId = new Map(results.map((result) => [result.id, result]));
  const queries = Object.keys(baseline.perQuery);
  const seen = new Map<string, QualityGain>();
  const values = (id: string) => {
    const result = byId.get(id)!;
    return queries.map((query) => result.perQuery[query]?.[metric] ?? 0);
  };
  return (a, b) => {
    const key = JSON.stringify([a, b]);
    let gain = seen.get(key);
    if (gain === undefined) {
      const test = pairedTest(values(a), values(b), { seed: DEFAULT_SEED });
      gain = { meanDiff: test.meanDiff, ci: test.ci, p: test.pRandomization };
      seen.set(key, gain);
    }
    return gain;
  };
}

function describeFailure(failure: GateFailure): string {
  return failure.kind === "critical"
    ? `${failure.slice} (dropped ${(-failure.meanDiff).toFixed(4)}, more than ${failure.maxDrop})`
    : `${failure.slice} (${failure.meanDiff.toFixed(4)}, significant)`;
}

function sliceSummaries(set: SetResult): Record<string, SliceSummary> {
  return Object.fromEntries(
    Object.entries(set.slices).map(([name, slice]) => [
      name,
      { queries: slice.queries, tooSmall: slice.tooSmall, aggregate: slice.aggregate },
    ]),
  );
}

function judgedSummary(set: SetResult): JudgedSummary {
  const { metric, aggregate, slices } = set.judged;
  return { metric, aggregate, slices };
}

function comparable(id: string, set: SetResult): ComparableReport {
  return { pipeline: id, perQuery: set.perQuery, slices: set.slices, judged: set.judged };
}

function compareWithBaseline(
  baseline: ConfigurationResult,
  candidate: ConfigurationResult,
  options: { metric: string; metrics: string[]; gate: GateConfig; judgedThreshold: number },
): BaselineComparison {
  const settings = {
    metrics: options.metrics,
    minQueries: options.gate.minQueries,
    labels: [baseline.id, candidate.id] as [string, string],
    seed: DEFAULT_SEED,
    judgedThreshold: options.judgedThreshold,
  };
  const comparison = compareReports(
    comparable(baseline.id, baseline),
    comparable(candidate.id, candidate),
    settings,
  );
  const gate = evaluateGate(comparison, options.gate);
  const result: BaselineComparison = {
    metric: options.metric,
    overall: delta(comparison.overall, options.metric)!,
    slices: Object.fromEntries(
      Object.entries(comparison.slices).flatMap(([name, slice]) => {
        const d = delta(slice, options.metric);
        return d === undefined ? [] : [[name, d]];
      }),
    ),
    judged: comparison.judged,
    gate: {
      passed: gate.passed,
      metric: gate.config.metric,
      failures: gate.failures,
      verdict: gateVerdict(comparison, gate),
    },
  };
  if (baseline.probe !== undefined && candidate.probe !== undefined) {
    const probeComparison = compareReports(
      comparable(baseline.id, baseline.probe),
      comparable(candidate.id, candidate.probe),
      settings,
    );
    // Critical slices name the dataset's slices; the probe set is judged on significance only.
    const probeGate = evaluateGate(probeComparison, { ...options.gate, critical: {} });
    result.gate.probe = {
      passed: probeGate.passed,
      failures: probeGate.failures,
      verdict: gateVerdict(probeComparison, probeGate),
    };
  }
  return result;
}

function delta(slice: Comparison["overall"], metric: string): SliceDelta | undefined {
  const m = slice.metrics[metric];
  if (m === undefined) return undefined;
  return {
    queries: slice.queries,
    tooSmall: slice.tooSmall,
    meanA: m.meanA,
    meanB: m.meanB,
    meanDiff: m.meanDiff,
    ci: m.ci,
    pRandomization: m.pRandomization,
    pHolm: m.pHolm,
    wins: m.wins,
    ties: m.ties,
    losses: m.losses,
  };
}
