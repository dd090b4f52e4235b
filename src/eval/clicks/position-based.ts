/**
 * Clicks to judgments with a position-based click model (PBM; Craswell, Zoeter, Taylor & Ramsey
 * 2008; Chuklin, Markov & de Rijke 2015, "Click Models for Web Search", §3.3 and §4.2).
 *
 * A user clicks a document shown at rank r for query q when they examine rank r (probability
 * γ_r, the same for every query) and find the document attractive (α_qd, its relevance as
 * the clicks see it): P(click) = γ_r · α_qd. A document never clicked at rank 9 says little
 * (nobody looked); never clicked at rank 1, much. Expectation–maximisation estimates γ and α
 * from the logged impressions: for a skipped document the posterior of "examined" is
 * γ(1 − α)/(1 − γα) and of "attractive" (1 − γ)α/(1 − γα); each M-step averages them.
 * α is smoothed with a Beta prior (empirical by default: centred on the mean attractiveness)
 * so a document shown twice does not reach 1, nor one shown only at rank 9 stay at ½.
 */

export interface ClickSession {
  query: string;
  /** The documents shown, best first (rank 1 first). */
  shown: readonly string[];
  clicked: ReadonlySet<string>;
}

export interface ClickModelOptions {
  /** EM iterations (default 50). */
  iterations?: number;
  /**
   * Beta prior on attractiveness. Default: empirical Bayes, worth `priorStrength` impressions
   * and centred on the mean attractiveness of the previous iteration, so that a document seen
   * only where few users look stays near the typical document instead of ½.
   */
  prior?: { a: number; b: number };
  /** Pseudo-impressions of the empirical prior (default 2). */
  priorStrength?: number;
}

export const CLICK_MODEL_DEFAULTS = Object.freeze({ iterations: 50, priorStrength: 2 });

export interface PositionBasedModel {
  /** Examination probability per rank (index 0 = rank 1, fixed at 1). */
  examination: number[];
  /** Attractiveness per query, per document, with the impressions behind it. */
  attractiveness: Map<string, Map<string, { alpha: number; impressions: number; clicks: number }>>;
}

export function fitPositionBasedModel(
  sessions: readonly ClickSession[],
  options: ClickModelOptions = {},
): PositionBasedModel {
  const iterations = options.iterations ?? CLICK_MODEL_DEFAULTS.iterations;
  const strength = options.priorStrength ?? CLICK_MODEL_DEFAULTS.priorStrength;
  const depth = Math.max(0, ...sessions.map((session) => session.shown.length));
  let gamma = Array.from({ length: depth }, () => 0.5);
  const stats = new Map<
    string,
    Map<string, { alpha: number; impressions: number; clicks: number }>
  >();
  for (const session of sessions) {
    let perQuery = stats.get(session.query);
    if (perQuery === undefined) stats.set(session.query, (perQuery = new Map()));
    for (const id of session.shown) {
      const entry = perQuery.get(id) ?? { alpha: 0.5, impressions: 0, clicks: 0 };
      entry.impressions += 1;
      if (session.clicked.has(id)) entry.clicks += 1;
      perQuery.set(id, entry);
    }
  }
  for (let iteration = 0; iteration < iterations; iteration += 1) {
    const examined = new Float64Array(depth);
    const shownAt = new Float64Array(depth);
    const attractive = new Map<string, Map<string, number>>();
    for (const session of sessions) {
      const perQuery = stats.get(session.query)!;
      let sums = attractive.get(session.query);
      if (sums === undefined) attractive.set(session.query, (sums = new Map()));
      session.shown.forEach((id, rank) => {
        const alpha = perQuery.get(id)!.alpha;
        const g = gamma[rank]!;
        shownAt[rank]! += 1;
        if (session.clicked.has(id)) {
          examined[rank]! += 1;
          sums.set(id, (sums.get(id) ?? 0) + 1);
          return;
        }
        const skip = 1 - g * alpha;
        examined[rank]! += skip > 0 ? (g * (1 - alpha)) / skip : 0;
        sums.set(id, (sums.get(id) ?? 0) + (skip > 0 ? ((1 - g) * alpha) / skip : 0));
      });
    }
    gamma = Array.from(examined, (value, rank) =>
      shownAt[rank]! > 0 ? value / shownAt[rank]! : 0,
    );
    let { a, b } = options.prior ?? { a: 0, b: 0 };
    if (options.prior === undefined) {
      let total = 0;
      let count = 0;
      for (const perQuery of stats.values())
        for (const entry of perQuery.values()) {
          total += entry.alpha;
          count += 1;
        }
      const mean = count > 0 ? total / count : 0.5;
      a = strength * mean;
      b = strength * (1 - mean);
    }
    for (const [query, perQuery] of stats) {
      const sums = attractive.get(query)!;
      for (const [id, entry] of perQuery)
        entry.alpha = ((sums.get(id) ?? 0) + a) / (entry.impressions + a + b);
    }
  }
  // γ and α are identified only up to a shared scale (γα is what clicks show): fix it so that
  // rank 1 is always examined, the usual convention, making α a click probability when seen.
  const scale = gamma[0] ?? 0;
  if (scale > 0) {
    gamma = gamma.map((value) => value / scale);
    for (const perQuery of stats.values())
      for (const entry of perQuery.values()) entry.alpha = Math.min(1, entry.alpha * scale);
  }
  return { examination: gamma, attractiveness: stats };
}

export interface ClickJudgment {
  query: string;
  document: string;
  grade: number;
  alpha: number;
  impressions: number;
  clicks: number;
}

/**
 * Grades from attractiveness: `grades[i]` is the least α for grade i + 1 (default [0.2, 0.5]:
 * grade 1 from 0.2, grade 2 from 0.5); documents with fewer than `minImpressions` impressions
 * are left unjudged (default 3).
 */
export function judgmentsFromModel(
  model: PositionBasedModel,
  options: { thresholds?: readonly number[]; minImpressions?: number } = {},
): ClickJudgment[] {
  const thresholds = options.thresholds ?? [0.2, 0.5];
  const minImpressions = options.minImpressions ?? 3;
  const judgments: ClickJudgment[] = [];
  for (const [query, perQuery] of model.attractiveness)
    for (const [document, { alpha, impressions, clicks }] of perQuery) {
      if (impressions < minImpressions) continue;
      const grade = thresholds.filter((threshold) => alpha >= threshold).length;
      judgments.push({ query, document, grade, alpha, impressions, clicks });
    }
  return judgments;
}
