import { holmAdjust } from "../eval/compare/holm.js";

/**
 * The recommendation, a rule a reviewer can sign:
 * 1. **Qualify**: configurations within the p95 latency budget and the cost ceiling that pass
 *    the regression gate against the baseline (no gated slice significantly worse, no critical
 *    slice over its margin, the probe set's gate). The baseline passes its own gate.
 * 2. **Keep the baseline unless something beats it**: a qualifying configuration beats the
 *    baseline when its gain is significant (paired randomization test, Holm-adjusted over every
 *    qualifying configuration compared with the baseline, p < alpha) and at least `minEffect`.
 *    When none does, the baseline is recommended, and the explanation says so.
 * 3. **The cheapest gain**: of those that beat the baseline, the cheapest (money per 1,000
 *    queries, then p95), unless a costlier one beats *it* by the same test (Holm over those
 *    compared with it): then the cheapest of those, and so on. Paying more needs evidence.
 * When the baseline itself does not fit the limits, the cheapest qualifying configuration
 * takes its place in step 2. When nothing qualifies, the explanation says which limit excluded
 * how many, and what came closest.
 */

/** A difference in the quality metric between two configurations on the same queries. */
export interface QualityGain {
  /** Mean of (this − the other), per query. */
  meanDiff: number;
  /** 95% bootstrap interval of meanDiff. */
  ci: [number, number];
  /** Two-sided paired randomization p, not yet adjusted. */
  p: number;
}

export interface RecommendCandidate {
  id: string;
  quality: number;
  p95Ms: number;
  /** Per 1,000 queries; null when unknown (a hosted provider without a price). */
  costPer1000: number | null;
  /** Why the cost is unknown, when it is. */
  costNote?: string;
  /** The gate against the baseline; undefined for the baseline itself. */
  gate?: { passed: boolean; failures: string[] };
  /** This configuration against the baseline, overall; undefined for the baseline itself. */
  versusBaseline?: QualityGain;
}

export interface RecommendOptions {
  baseline: string;
  metric: string;
  latencyBudgetMs?: number | undefined;
  costCeiling?: number | undefined;
  currency?: string;
  /** Significance level of step 2 and 3 (default 0.05, the gate's). */
  alpha?: number;
  /** The smallest gain in the metric worth switching for (default 0.005). */
  minEffect?: number;
  /**
   * `b` against `a` on the same queries (b − a), for step 3 and for a baseline that does not
   * qualify. Without it, only comparisons with the baseline are available.
   */
  compare?: (a: string, b: string) => QualityGain;
}

export const RECOMMEND_DEFAULTS = Object.freeze({ alpha: 0.05, minEffect: 0.005 });

export interface Exclusion {
  id: string;
  quality: number;
  reasons: string[];
}

/** Which step of the rule chose. */
export type RecommendRule =
  | "baseline kept"
  | "cheapest significant gain"
  | "significantly better than a cheaper gain"
  | "cheapest that qualifies";

export interface Recommendation {
  /** The recommended configuration; null when nothing qualifies. */
  chosen: string | null;
  /** The step of the rule that chose it; null when nothing qualifies. */
  rule: RecommendRule | null;
  /** The chosen configuration against the baseline (absent when it is the baseline). */
  gain?: QualityGain & { pHolm: number };
  /** The configuration that came closest to being chosen instead. */
  runnerUp?: string;
  /** Qualifying configurations, best quality first. */
  qualifying: string[];
  /** Every configuration left out, with its reasons, best quality first. */
  excluded: Exclusion[];
  /** The choice and why, or why there is none; starts with the rule, not the name. */
  explanation: string;
}

export function recommend(
  candidates: readonly RecommendCandidate[],
  options: RecommendOptions,
): Recommendation {
  const currency = options.currency ?? "USD";
  const alpha = options.alpha ?? RECOMMEND_DEFAULTS.alpha;
  const minEffect = options.minEffect ?? RECOMMEND_DEFAULTS.minEffect;
  const money = (value: number): string => `${formatMoney(value)} ${currency}`;
  const reasonsOf = (candidate: RecommendCandidate): string[] => {
    const reasons: string[] = [];
    if (options.latencyBudgetMs !== undefined && !(candidate.p95Ms <= options.latencyBudgetMs))
      reasons.push(
        `p95 ${formatMs(candidate.p95Ms)} is over the ${formatMs(options.latencyBudgetMs)} budget`,
      );
    if (options.costCeiling !== undefined) {
      if (candidate.costPer1000 === null)
        reasons.push(`its cost is unknown${candidate.costNote ? ` (${candidate.costNote})` : ""}`);
      else if (candidate.costPer1000 > options.costCeiling + 1e-12)
        reasons.push(
          `${money(candidate.costPer1000)} per 1,000 queries is over the ${money(options.costCeiling)} ceiling`,
        );
    }
    if (candidate.id !== options.baseline && candidate.gate !== undefined && !candidate.gate.passed)
      reasons.push(
        `regresses against the baseline on ${candidate.gate.failures.join(", ") || "a gated slice"}`,
      );
    return reasons;
  };
  const ranked = candidates
    .map((candidate, order) => ({ candidate, order, reasons: reasonsOf(candidate) }))
    .sort(
      (a, b) =>
        b.candidate.quality - a.candidate.quality ||
        a.candidate.p95Ms - b.candidate.p95Ms ||
        (a.candidate.costPer1000 ?? Infinity) - (b.candidate.costPer1000 ?? Infinity) ||
        a.order - b.order,
    );
  const qualifying = ranked.filter((entry) => entry.reasons.length === 0);
  const excluded = ranked
    .filter((entry) => entry.reasons.length > 0)
    .map(({ candidate, reasons }) => ({ id: candidate.id, quality: candidate.quality, reasons }));
  const limits = describeLimits(options, money);
  if (qualifying.length === 0) {
    return {
      chosen: null,
      rule: null,
      qualifying: [],
      excluded,
      explanation: explainNone(candidates, ranked, options, limits, money),
    };
  }

  const pool = qualifying.map((entry) => entry.candidate);
  const byCost = [...pool].sort(cheaperFirst(pool));
  const baseline = pool.find((candidate) => candidate.id === options.baseline);
  const anchor = baseline ?? byCost[0]!;
  const versus = (a: RecommendCandidate, b: RecommendCandidate): QualityGain | undefined =>
    a.id === options.baseline && b.versusBaseline !== undefined
      ? b.versusBaseline
      : options.compare?.(a.id, b.id);
  /** Those of `others` that beat `incumbent`: significant after Holm, and by minEffect. */
  const beating = (incumbent: RecommendCandidate, others: readonly RecommendCandidate[]) => {
    const gains = others.map((other) => versus(incumbent, other));
    const adjusted = holmAdjust(gains.map((gain) => gain?.p ?? null));
    return others.flatMap((other, i) => {
      const gain = gains[i];
      const pHolm = adjusted[i];
      return gain !== undefined && pHolm != null && pHolm < alpha && gain.meanDiff >= minEffect
        ? [{ candidate: other, gain, pHolm }]
        : [];
    });
  };

  let chosen = anchor;
  let rule: RecommendRule = baseline === undefined ? "cheapest that qualifies" : "baseline kept";
  let contenders = beating(
    anchor,
    byCost.filter((candidate) => candidate !== anchor),
  );
  let beaten: RecommendCandidate | undefined;
  while (contenders.length > 0) {
    beaten = chosen;
    chosen = contenders[0]!.candidate; // contenders keep byCost's order: the cheapest first
    rule =
      beaten === anchor ? "cheapest significant gain" : "significantly better than a cheaper gain";
    contenders = beating(
      chosen,
      contenders.slice(1).map((entry) => entry.candidate),
    );
  }

  const gainOf = (candidate: RecommendCandidate): (QualityGain & { pHolm: number }) | undefined => {
    if (candidate.versusBaseline === undefined) return undefined;
    const others = pool.filter((other) => other.versusBaseline !== undefined);
    const adjusted = holmAdjust(others.map((other) => other.versusBaseline!.p));
    const pHolm = adjusted[others.indexOf(candidate)] ?? 1;
    return { ...candidate.versusBaseline, pHolm };
  };
  const gain = chosen.id === options.baseline ? undefined : gainOf(chosen);
  const runnerUp =
    beaten ??
    pool
      .filter((candidate) => candidate !== chosen)
      .sort((a, b) => b.quality - a.quality || cheaperFirst(pool)(a, b))[0];
  const metric = options.metric;
  const fullBaseline = candidates.find((candidate) => candidate.id === options.baseline);
  const describeGain = (g: QualityGain, pHolm?: number) =>
    `${signed(g.meanDiff)} ${metric} (95% CI ${signed(g.ci[0])} … ${signed(g.ci[1])}, p ${formatP(g.p)}` +
    (pHolm === undefined ? ")" : `, Holm ${formatP(pHolm)})`);
  const costs = (candidate: RecommendCandidate, against: RecommendCandidate) =>
    `p95 ${formatMs(candidate.p95Ms)} against ${formatMs(against.p95Ms)}` +
    (candidate.costPer1000 === 0 && against.costPer1000 === 0
      ? ""
      : `, ${formatCost(candidate.costPer1000, money)} against ${formatCost(against.costPer1000, money)} per 1,000 queries`);

  const test =
    `paired randomization test, Holm-adjusted, alpha ${alpha}, ` +
    `gain at least ${minEffect} ${metric}`;
  const anchorName =
    baseline === undefined
      ? `${anchor.id}, the cheapest configuration that qualifies (the baseline ${options.baseline} ` +
        `does not: ${(excluded.find((entry) => entry.id === options.baseline)?.reasons ?? ["not measured"]).join("; ")})`
      : `the baseline ${options.baseline}`;
  const sentences: string[] = [];
  switch (rule) {
    case "baseline kept":
      sentences.push(
        `Keep the baseline: of the ${pool.length} of ${candidates.length} configurations ${limits}, none beats it significantly (${test}).`,
      );
      break;
    case "cheapest that qualifies":
      sentences.push(
        `Nothing costlier beats ${anchorName} significantly (${test}), among the ${pool.length} of ${candidates.length} configurations ${limits}.`,
      );
      break;
    case "cheapest significant gain":
      sentences.push(
        `The cheapest configuration that beats ${anchorName} significantly (${test}), among the ${pool.length} of ${candidates.length} configurations ${limits}.`,
      );
      break;
    case "significantly better than a cheaper gain":
      sentences.push(
        `Beats ${beaten!.id}, the cheapest configuration that beats ${anchorName}, significantly (${test}), among the ${pool.length} of ${candidates.length} configurations ${limits}: worth its cost.`,
      );
      break;
  }
  if (gain !== undefined && fullBaseline !== undefined)
    sentences.push(
      `Against the baseline: ${describeGain(gain, gain.pHolm)}, at ${costs(chosen, fullBaseline)}.`,
    );
  if (runnerUp !== undefined) {
    let versusText = "";
    if (chosen.id === options.baseline) {
      const g = gainOf(runnerUp);
      if (g !== undefined) versusText = `; against the baseline ${describeGain(g, g.pHolm)}`;
    } else if (runnerUp.id !== options.baseline) {
      const g = versus(runnerUp, chosen);
      if (g !== undefined) versusText = `; the choice against it ${describeGain(g)}`;
    }
    sentences.push(
      `${rule === "baseline kept" ? "Closest" : "Runner-up"}: ${runnerUp.id} ` +
        `(${runnerUp.quality.toFixed(4)}${versusText}), at ${costs(runnerUp, chosen)}.`,
    );
  }
  const better = excluded.filter((entry) => entry.quality > chosen.quality);
  if (better.length > 0)
    sentences.push(
      `Better on ${metric} but left out: ` +
        better
          .slice(0, 3)
          .map((entry) => `${entry.id} (${entry.quality.toFixed(4)}: ${entry.reasons.join("; ")})`)
          .join("; ") +
        (better.length > 3 ? `; and ${better.length - 3} more` : "") +
        ".",
    );
  return {
    chosen: chosen.id,
    rule,
    ...(gain === undefined ? {} : { gain }),
    ...(runnerUp === undefined ? {} : { runnerUp: runnerUp.id }),
    qualifying: qualifying.map((entry) => entry.candidate.id),
    excluded,
    explanation: sentences.join(" "),
  };
}

/** Cheaper first: money per 1,000 queries (unknown last), then p95, then the given order. */
function cheaperFirst(order: readonly RecommendCandidate[]) {
  return (a: RecommendCandidate, b: RecommendCandidate): number =>
    (a.costPer1000 ?? Infinity) - (b.costPer1000 ?? Infinity) ||
    a.p95Ms - b.p95Ms ||
    order.indexOf(a) - order.indexOf(b);
}

function signed(value: number): string {
  return `${value >= 0 ? "+" : "−"}${Math.abs(value).toFixed(4)}`;
}

function formatP(p: number): string {
  return p < 0.0001 ? "< 0.0001" : p.toFixed(4);
}

function formatCost(cost: number | null, money: (value: number) => string): string {
  return cost === null ? "an unknown cost" : money(cost);
}

function describeLimits(options: RecommendOptions, money: (value: number) => string): string {
  const parts: string[] = [];
  if (options.latencyBudgetMs !== undefined)
    parts.push(`within the ${formatMs(options.latencyBudgetMs)} p95 budget`);
  if (options.costCeiling !== undefined)
    parts.push(`within the ${money(options.costCeiling)} per 1,000 queries ceiling`);
  parts.push(`with no gated slice regression against the baseline ${options.baseline}`);
  return parts.join(", ");
}

function explainNone(
  candidates: readonly RecommendCandidate[],
  ranked: ReadonlyArray<{ candidate: RecommendCandidate; reasons: string[] }>,
  options: RecommendOptions,
  limits: string,
  money: (value: number) => string,
): string {
  if (candidates.length === 0) return "Nothing qualifies: the sweep has no configuration.";
  const parts: string[] = [];
  if (options.latencyBudgetMs !== undefined) {
    const over = candidates.filter((c) => !(c.p95Ms <= options.latencyBudgetMs!));
    const fastest = [...candidates].sort((a, b) => a.p95Ms - b.p95Ms)[0]!;
    if (over.length > 0)
      parts.push(
        `${over.length} exceed the ${formatMs(options.latencyBudgetMs)} p95 budget ` +
          `(the fastest, ${fastest.id}, takes ${formatMs(fastest.p95Ms)})`,
      );
  }
  if (options.costCeiling !== undefined) {
    const known = candidates.filter((c) => c.costPer1000 !== null);
    const over = known.filter((c) => c.costPer1000! > options.costCeiling! + 1e-12);
    const unknown = candidates.length - known.length;
    const cheapest = [...known].sort((a, b) => a.costPer1000! - b.costPer1000!)[0];
    if (over.length > 0)
      parts.push(
        `${over.length} exceed the ${money(options.costCeiling)} cost ceiling` +
          (cheapest === undefined
            ? ""
            : ` (the cheapest, ${cheapest.id}, costs ${money(cheapest.costPer1000!)})`),
      );
    if (unknown > 0) parts.push(`${unknown} have no price for a hosted provider`);
  }
  const regressing = candidates.filter(
    (c) => c.id !== options.baseline && c.gate !== undefined && !c.gate.passed,
  );
  if (regressing.length > 0)
    parts.push(`${regressing.length} regress a gated slice against the baseline`);
  const closest = ranked[0]!;
  return (
    `Nothing qualifies: no configuration is ${limits}. Of ${candidates.length} configurations, ` +
    `${parts.join("; ")}. Closest: ${closest.candidate.id} (${options.metric} ` +
    `${closest.candidate.quality.toFixed(4)}), left out because ${closest.reasons.join("; ")}. ` +
    "Raise the budget or ceiling, or sweep cheaper configurations."
  );
}

export function formatMs(ms: number): string {
  return ms >= 100
    ? `${ms.toFixed(0)} ms`
    : ms >= 10
      ? `${ms.toFixed(1)} ms`
      : `${ms.toFixed(2)} ms`;
}

export function formatMoney(value: number): string {
  return value === 0 ? "0" : value >= 1 ? value.toFixed(2) : value.toPrecision(2);
}
