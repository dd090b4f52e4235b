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
 * α is smoothed with a Beta(a, b) prior so a document shown twice does not reach 1.
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
  /** Beta prior on attractiveness (default a = 1, b = 1). */
  prior?: { a: number; b: number };
}

export const CLICK_MODEL_DEFAULTS = Object.freeze({ iterations: 50, prior: { a: 1, b: 1 } });

export interface PositionBasedModel {
  /** Examination probability per rank (index 0 = rank 1). */
  examination: number[];
  /** Attractiveness per query, per document, with the impressions behind it. */
  attractiveness: Map<string, Map<string, { alpha: number; impressions: number; clicks: number }>>;
}

export function fitPositionBasedModel(
  sessions: readonly ClickSession[],
  options: ClickModelOptions = {},
): PositionBasedModel {
  const iterations = options.iterations ?? CLICK_MODEL_DEFAULTS.iterations;
  const { a, b } = options.prior ?? CLICK_MODEL_DEFAULTS.prior;
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
    for (const [query, perQuery] of stats) {
      const sums = attractive.get(query)!;
      for (const [id, entry] of perQuery)
        entry.alpha = ((sums.get(id) ?? 0) + a) / (entry.impressions + a + b);
    }
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
