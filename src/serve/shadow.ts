import type { Pipeline } from "../pipeline/pipeline.js";
import type { ServeMetrics } from "./metrics.js";
import { overlapAt10 } from "./monitors/path-disagreement.js";
import type { ServeLog } from "./query-log.js";

/** A live search a shadow pipeline will replay. */
export interface ShadowJob {
  queryId: string;
  query: string;
  k: number;
  live: string;
  /** The live result's ids, best first. */
  liveIds: readonly string[];
}

export interface ShadowComparison {
  shadow: string;
  overlapAt10: number;
  rankShift: number;
  tookMs: number;
  error?: string;
}

export interface ShadowSettings {
  names: readonly string[];
  sampleRate: number;
  queue: number;
}

export interface ShadowReport {
  pipelines: readonly string[];
  sampleRate: number;
  queued: number;
  runs: number;
  dropped: number;
  failed: number;
  /** Mean overlap@10 with the live result, per shadow pipeline. */
  meanOverlapAt10: Record<string, number>;
}

/** Resolves a pipeline by name in the current generation, holding it until `release`. */
export type AcquirePipeline = (
  name: string,
) => { pipeline: Pipeline; release: () => void } | undefined;

/**
 * Candidate pipelines run on a sample of live queries after the response has gone out, one job
 * at a time, so they never slow a user's request; when the queue is full a sampled job is
 * dropped and counted. Each comparison (overlap@10, mean rank shift) goes to SQLite and /metrics.
 */
export class ShadowRunner {
  private readonly queue: ShadowJob[] = [];
  private running: Promise<void> | undefined;
  private stopped = false;
  private runs = 0;
  private dropped = 0;
  private failed = 0;
  private readonly overlapSums = new Map<string, { sum: number; count: number }>();

  constructor(
    private readonly settings: ShadowSettings,
    private readonly deps: {
      acquire: AcquirePipeline;
      metrics?: ServeMetrics;
      log?: Pick<ServeLog, "logShadowRun">;
      random?: () => number;
      now?: () => number;
    },
  ) {}

  /** Whether a search on `live` could be sampled at all (the route skips the job otherwise). */
  wants(live: string): boolean {
    return (
      !this.stopped &&
      this.settings.sampleRate > 0 &&
      this.settings.names.some((name) => name !== live)
    );
  }

  /** Samples a live search for shadowing; returns whether it was queued. */
  offer(job: ShadowJob): boolean {
    if (this.stopped || this.settings.names.every((name) => name === job.live)) return false;
    if ((this.deps.random ?? Math.random)() >= this.settings.sampleRate) return false;
    if (this.queue.length >= this.settings.queue) {
      this.dropped += 1;
      this.deps.metrics?.shadowDropped.inc();
      return false;
    }
    this.queue.push(job);
    this.running ??= this.drain().finally(() => (this.running = undefined));
    return true;
  }

  /** Resolves when the queue is empty (tests; shutdown waits through stop()). */
  async idle(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  /** Stops sampling, drops what is queued, and waits for the job in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    await this.idle();
  }

  report(): ShadowReport {
    return {
      pipelines: this.settings.names,
      sampleRate: this.settings.sampleRate,
      queued: this.queue.length,
      runs: this.runs,
      dropped: this.dropped,
      failed: this.failed,
      meanOverlapAt10: Object.fromEntries(
        [...this.overlapSums].map(([name, { sum, count }]) => [name, sum / count]),
      ),
    };
  }

  private async drain(): Promise<void> {
    // Yield first: the response that queued this job finishes before any shadow work starts.
    await new Promise((resolve) => setImmediate(resolve));
    for (let job = this.queue.shift(); job !== undefined; job = this.queue.shift()) {
      for (const name of this.settings.names) {
        if (name === job.live || this.stopped) continue;
        await this.compare(job, name);
      }
    }
  }

  private async compare(job: ShadowJob, name: string): Promise<void> {
    const held = this.deps.acquire(name);
    if (held === undefined) return;
    const started = performance.now();
    let comparison: ShadowComparison;
    let shadowIds: string[] = [];
    try {
      const result = await held.pipeline.search(job.query, Math.max(job.k, 10));
      shadowIds = result.hits.map((hit) => hit.id);
      comparison = {
        shadow: name,
        ...compareRankings(job.liveIds, shadowIds),
        tookMs: performance.now() - started,
      };
    } catch (error) {
      comparison = {
        shadow: name,
        overlapAt10: 0,
        rankShift: 0,
        tookMs: performance.now() - started,
        error: error instanceof Error ? error.message : String(error),
      };
    } finally {
      held.release();
    }
    this.record(job, comparison, shadowIds);
  }

  private record(job: ShadowJob, comparison: ShadowComparison, shadowIds: string[]): void {
    const { metrics, log } = this.deps;
    log?.logShadowRun({
      ts: (this.deps.now ?? Date.now)(),
      queryId: job.queryId,
      live: job.live,
      shadow: comparison.shadow,
      overlapAt10: comparison.overlapAt10,
      rankShift: comparison.rankShift,
      liveTop: job.liveIds.slice(0, 10),
      shadowTop: shadowIds.slice(0, 10),
      tookMs: comparison.tookMs,
      ...(comparison.error === undefined ? {} : { error: comparison.error }),
    });
    if (comparison.error !== undefined) {
      this.failed += 1;
      metrics?.shadowRuns.inc({ shadow: comparison.shadow, outcome: "error" });
      return;
    }
    this.runs += 1;
    metrics?.shadowRuns.inc({ shadow: comparison.shadow, outcome: "ok" });
    metrics?.shadowOverlap.observe({ shadow: comparison.shadow }, comparison.overlapAt10);
    metrics?.shadowRankShift.observe({ shadow: comparison.shadow }, comparison.rankShift);
    const sums = this.overlapSums.get(comparison.shadow) ?? { sum: 0, count: 0 };
    sums.sum += comparison.overlapAt10;
    sums.count += 1;
    this.overlapSums.set(comparison.shadow, sums);
  }
}

/**
 * overlap@10, and the mean |live rank − shadow rank| of the documents both top 10s hold
 * (0 when they share none: overlap already says so).
 */
export function compareRankings(
  live: readonly string[],
  shadow: readonly string[],
): { overlapAt10: number; rankShift: number } {
  const toHits = (ids: readonly string[]) => ids.map((id) => ({ id }));
  const shadowRank = new Map(shadow.slice(0, 10).map((id, rank) => [id, rank]));
  let shift = 0;
  let shared = 0;
  for (const [rank, id] of live.slice(0, 10).entries()) {
    const other = shadowRank.get(id);
    if (other === undefined) continue;
    shift += Math.abs(rank - other);
    shared += 1;
  }
  return {
    overlapAt10: overlapAt10(toHits(live), toHits(shadow)),
    rankShift: shared === 0 ? 0 : shift / shared,
  };
}
