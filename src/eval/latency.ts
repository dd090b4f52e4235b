/** Latency summaries: percentiles of per-query timings, overall and per pipeline stage. */

/** The q-th percentile (0–100) by linear interpolation between closest ranks (NumPy's default). */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (q / 100) * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower]!;
  return low + (sorted[upper]! - low) * (position - lower);
}

export interface StageLatency {
  p50Ms: number;
  p95Ms: number;
}

export interface LatencySummary {
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  stages: Record<string, StageLatency>;
}

/** Collects per-query timings (`total` and each stage) and summarises them. */
export class LatencyRecorder {
  private readonly samples = new Map<string, number[]>();

  record(timingsMs: Readonly<Record<string, number>>): void {
    for (const [stage, ms] of Object.entries(timingsMs)) {
      let list = this.samples.get(stage);
      if (list === undefined) this.samples.set(stage, (list = []));
      list.push(ms);
    }
  }

  summary(): LatencySummary {
    const sorted = (stage: string): Float64Array =>
      Float64Array.from(this.samples.get(stage) ?? []).sort();
    const total = sorted("total");
    const round = (ms: number): number => Math.round(ms * 1000) / 1000;
    const stages: Record<string, StageLatency> = {};
    for (const stage of this.samples.keys()) {
      if (stage === "total") continue;
      const values = sorted(stage);
      stages[stage] = {
        p50Ms: round(percentile(values, 50)),
        p95Ms: round(percentile(values, 95)),
      };
    }
    return {
      p50Ms: round(percentile(total, 50)),
      p95Ms: round(percentile(total, 95)),
      p99Ms: round(percentile(total, 99)),
      stages,
    };
  }
}
