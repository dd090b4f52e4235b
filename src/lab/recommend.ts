/**
 * The recommendation: the configuration with the best quality among those that fit the p95
 * latency budget and the cost ceiling and pass the regression gate against the baseline (no
 * gated slice significantly worse, no critical slice over its margin). The baseline passes its
 * own gate. Ties go to the lower p95, then the lower cost, then grid order. When nothing
 * qualifies, the explanation says which limit excluded how many, and what came closest.
 */

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
}

export interface RecommendOptions {
  baseline: string;
  metric: string;
  latencyBudgetMs?: number | undefined;
  costCeiling?: number | undefined;
  currency?: string;
}

export interface Exclusion {
  id: string;
  quality: number;
  reasons: string[];
}

export interface Recommendation {
  /** The recommended configuration; null when nothing qualifies. */
  chosen: string | null;
  /** Qualifying configurations, best first. */
  qualifying: string[];
  /** Every configuration left out, with its reasons, best quality first. */
  excluded: Exclusion[];
  /** One paragraph: the choice and why, or why there is none. */
  explanation: string;
}

export function recommend(
  candidates: readonly RecommendCandidate[],
  options: RecommendOptions,
): Recommendation {
  const currency = options.currency ?? "USD";
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
  const chosen = qualifying[0]?.candidate;
  if (chosen === undefined) {
    return {
      chosen: null,
      qualifying: [],
      excluded,
      explanation: explainNone(candidates, ranked, options, limits, money),
    };
  }
  const metric = options.metric;
  const better = excluded.filter((entry) => entry.quality > chosen.quality);
  let explanation =
    `${chosen.id} has the best ${metric} (${chosen.quality.toFixed(4)}) of the ` +
    `${qualifying.length} of ${candidates.length} configurations ${limits}.`;
  if (chosen.id === options.baseline)
    explanation += " No other configuration beats the baseline under these limits: keep it.";
  if (better.length > 0)
    explanation +=
      ` Better on ${metric} but left out: ` +
      better
        .slice(0, 3)
        .map((entry) => `${entry.id} (${entry.quality.toFixed(4)}: ${entry.reasons.join("; ")})`)
        .join("; ") +
      (better.length > 3 ? `; and ${better.length - 3} more` : "") +
      ".";
  return {
    chosen: chosen.id,
    qualifying: qualifying.map((entry) => entry.candidate.id),
    excluded,
    explanation,
  };
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
