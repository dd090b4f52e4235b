/**
 * Is one ranker preferred over another, from per-impression outcomes (an interleaving's win,
 * loss or tie for the candidate)?
 *
 * - **Preference** Δ = (wins + ½ ties) / impressions − ½ (Chapelle, Joachims, Radlinski & Yue
 *   2012), positive when the candidate is preferred, with a percentile bootstrap interval over
 *   impressions.
 * - **Sign test**: the exact two-sided binomial test of wins against losses (ties dropped), for
 *   a single look at the data.
 * - **Always-valid p** for looking every day: a mixture sequential probability ratio test
 *   (mSPRT; Robbins 1970, Johari, Koomen, Pekelis & Walsh 2017, "Peeking at A/B tests") on
 *   the untied impressions, each a Bernoulli(θ) "the candidate won", H0: θ = ½, mixing over
 *   θ ~ Beta(τ, τ). Its likelihood ratio Λₙ = B(w + τ, l + τ) / B(τ, τ) / ½ⁿ is a
 *   martingale under H0, so by Ville's inequality P(sup Λₙ ≥ 1/α) ≤ α: the running minimum of
 *   1/Λₙ is a p-value that stays valid however often it is checked, and stopping the first day
 *   it falls below α keeps the false-win rate at α.
 */
import { bootstrapInterval } from "./paired.js";
import { logGamma, regularizedIncompleteBeta } from "./student-t.js";

export type PreferenceOutcome = "win" | "loss" | "tie";

/** The Beta(τ, τ) mixing prior of the always-valid p (τ = 1: uniform over θ). */
export const PREFERENCE_DEFAULTS = Object.freeze({ tau: 1, resamples: 2000, confidence: 0.95 });

export interface PreferenceSummary {
  impressions: number;
  wins: number;
  losses: number;
  ties: number;
  /** (wins + ties/2) / impressions − 1/2; 0 without impressions. */
  preference: number;
  /** Bootstrap interval of the preference; [0, 0] without impressions. */
  ci: [number, number];
  /** Exact two-sided sign test (one look). */
  pSign: number;
  /** mSPRT always-valid p (safe to check every day). */
  pSequential: number;
}

/** Exact two-sided binomial sign test p of `wins` against `losses` (p = ½ each). */
export function signTestP(wins: number, losses: number): number {
  const n = wins + losses;
  if (n === 0) return 1;
  const low = Math.min(wins, losses);
  // P(X ≤ low) for X ~ Binomial(n, ½) = I_{½}(n − low, low + 1).
  const tail = low === n ? 1 : regularizedIncompleteBeta(0.5, n - low, low + 1);
  return Math.min(1, 2 * tail);
}

/** ln Λ after `wins` and `losses` (ties carry no information about θ). */
export function logLikelihoodRatio(wins: number, losses: number, tau: number): number {
  const logBeta = (a: number, b: number) => logGamma(a) + logGamma(b) - logGamma(a + b);
  return logBeta(wins + tau, losses + tau) - logBeta(tau, tau) + (wins + losses) * Math.LN2;
}

/**
 * The always-valid p after a sequence of outcomes, in the order they happened: the running
 * minimum of 1/Λ. `previous` continues an earlier sequence (the minimum so far).
 */
export class SequentialPreference {
  wins = 0;
  losses = 0;
  ties = 0;
  p = 1;

  constructor(readonly tau: number = PREFERENCE_DEFAULTS.tau) {}

  add(outcome: PreferenceOutcome): void {
    if (outcome === "tie") {
      this.ties += 1;
      return;
    }
    if (outcome === "win") this.wins += 1;
    else this.losses += 1;
    const ratio = Math.exp(logLikelihoodRatio(this.wins, this.losses, this.tau));
    this.p = Math.min(this.p, 1 / ratio);
  }
}

/** Everything above for outcomes in the order they happened. */
export function summarizePreference(
  outcomes: readonly PreferenceOutcome[],
  options: { seed?: number; tau?: number; resamples?: number; confidence?: number } = {},
): PreferenceSummary {
  const sequential = new SequentialPreference(options.tau ?? PREFERENCE_DEFAULTS.tau);
  for (const outcome of outcomes) sequential.add(outcome);
  const { wins, losses, ties } = sequential;
  const impressions = outcomes.length;
  const scores = Float64Array.from(outcomes, (o) => (o === "win" ? 0.5 : o === "loss" ? -0.5 : 0));
  return {
    impressions,
    wins,
    losses,
    ties,
    preference: impressions === 0 ? 0 : (wins + ties / 2) / impressions - 0.5,
    ci:
      impressions === 0
        ? [0, 0]
        : bootstrapInterval(
            scores,
            options.resamples ?? PREFERENCE_DEFAULTS.resamples,
            options.confidence ?? PREFERENCE_DEFAULTS.confidence,
            options.seed ?? 42,
          ),
    pSign: signTestP(wins, losses),
    pSequential: sequential.p,
  };
}
