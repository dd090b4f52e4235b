import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
  type CounterConfiguration,
} from "prom-client";
import type { EmbeddingStats } from "../dense/cached-embedder.js";
import { FastHistogram } from "./fast-histogram.js";
import type { LogStats } from "./query-log.js";

/** Request latencies from a lexical lookup (sub-millisecond) to a slow hosted reranker. */
const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];
const OVERLAP_BUCKETS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

/**
 * The server's Prometheus metrics, in a registry of its own (two servers in one process, as in
 * tests, do not collide). Process metrics (RSS, event-loop lag) come from prom-client's defaults.
 */
export class ServeMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<"route" | "method" | "status">;
  /** Observed on every request: the allocation-free histograms (labels in the order named). */
  readonly requestSeconds: FastHistogram;
  readonly searchSeconds: FastHistogram;
  readonly stageSeconds: FastHistogram;
  readonly errors: Counter<"route" | "code">;
  readonly rejected: Counter<"reason">;
  readonly degraded: Counter<"pipeline" | "stage" | "kind">;
  readonly alerts: Counter<"type">;
  readonly feedback: Counter<"signal">;
  readonly inflight: Gauge;
  readonly reloads: Counter<"outcome">;
  readonly shadowRuns: Counter<"shadow" | "outcome">;
  readonly shadowDropped: Counter;
  readonly shadowOverlap: Histogram<"shadow">;
  readonly shadowRankShift: Histogram<"shadow">;
  private embedding: () => Map<string, EmbeddingStats> = () => new Map();
  private logStats: () => LogStats | undefined = () => undefined;

  constructor() {
    const registers = [this.registry];
    const counter = <L extends string>(config: CounterConfiguration<L>): Counter<L> =>
      new Counter({ ...config, registers });
    collectDefaultMetrics({ register: this.registry, prefix: "pairlift_" });
    this.requests = counter({
      name: "pairlift_http_requests_total",
      help: "HTTP requests by route, method and status",
      labelNames: ["route", "method", "status"],
    });
    this.requestSeconds = new FastHistogram(
      "pairlift_http_request_duration_seconds",
      "HTTP request latency by route",
      ["route"],
      LATENCY_BUCKETS,
      this.registry,
    );
    this.searchSeconds = new FastHistogram(
      "pairlift_search_duration_seconds",
      "Pipeline search latency (all stages) by pipeline",
      ["pipeline"],
      LATENCY_BUCKETS,
      this.registry,
    );
    this.stageSeconds = new FastHistogram(
      "pairlift_stage_duration_seconds",
      "Per-stage latency by pipeline and stage (lexical, embed, dense, fusion, rerank)",
      ["pipeline", "stage"],
      LATENCY_BUCKETS,
      this.registry,
    );
    this.errors = counter({
      name: "pairlift_errors_total",
      help: "Requests answered with an error, by route and error code",
      labelNames: ["route", "code"],
    });
    this.rejected = counter({
      name: "pairlift_rejected_total",
      help: "Searches refused by a limit: concurrency (429) or timeout (504)",
      labelNames: ["reason"],
    });
    this.degraded = counter({
      name: "pairlift_degraded_total",
      help: "Responses a pipeline degraded (a stage failed or ran over budget)",
      labelNames: ["pipeline", "stage", "kind"],
    });
    this.alerts = counter({
      name: "pairlift_monitor_alerts_total",
      help: "Online monitor alerts by type",
      labelNames: ["type"],
    });
    this.feedback = counter({
      name: "pairlift_feedback_total",
      help: "Feedback events by signal",
      labelNames: ["signal"],
    });
    this.inflight = new Gauge({
      name: "pairlift_inflight_searches",
      help: "Searches running now",
      registers,
    });
    this.reloads = counter({
      name: "pairlift_reloads_total",
      help: "Admin reloads by outcome",
      labelNames: ["outcome"],
    });
    this.shadowRuns = counter({
      name: "pairlift_shadow_runs_total",
      help: "Shadow pipeline runs by shadow pipeline and outcome",
      labelNames: ["shadow", "outcome"],
    });
    this.shadowDropped = counter({
      name: "pairlift_shadow_dropped_total",
      help: "Sampled shadow jobs dropped because the queue was full",
    });
    this.shadowOverlap = new Histogram({
      name: "pairlift_shadow_overlap_at_10",
      help: "Overlap of the shadow and live top 10 (1 = same documents)",
      labelNames: ["shadow"],
      buckets: OVERLAP_BUCKETS,
      registers,
    });
    this.shadowRankShift = new Histogram({
      name: "pairlift_shadow_rank_shift",
      help: "Mean rank difference of documents both top 10s hold (0 = same order)",
      labelNames: ["shadow"],
      buckets: [0, 0.5, 1, 2, 3, 5, 8],
      registers,
    });
    const embedding = () => this.embedding();
    new Gauge({
      name: "pairlift_embedding_cache_hit_ratio",
      help: "Share of query texts the embedding cache answered, by pipeline",
      labelNames: ["pipeline"],
      registers,
      collect() {
        this.reset();
        for (const [pipeline, stats] of embedding()) {
          const total = stats.cacheHits + stats.embeddedTexts;
          if (total > 0) this.set({ pipeline }, stats.cacheHits / total);
        }
      },
    });
    new Gauge({
      name: "pairlift_embedding_texts",
      help: "Query texts embedded by the model or answered by the cache, by pipeline",
      labelNames: ["pipeline", "source"],
      registers,
      collect() {
        this.reset();
        for (const [pipeline, stats] of embedding()) {
          this.set({ pipeline, source: "model" }, stats.embeddedTexts);
          this.set({ pipeline, source: "cache" }, stats.cacheHits);
        }
      },
    });
    const logStats = () => this.logStats();
    new Counter({
      name: "pairlift_log_rows_total",
      help: "Query log rows (queries, alerts, shadow runs) written, or dropped because the write queue was full",
      labelNames: ["outcome"],
      registers,
      collect() {
        const stats = logStats();
        this.reset();
        this.inc({ outcome: "written" }, stats?.written ?? 0);
        this.inc({ outcome: "dropped" }, stats?.dropped ?? 0);
      },
    });
    new Counter({
      name: "pairlift_log_write_failures_total",
      help: "Batches the query log could not write (their rows stay queued and are retried)",
      registers,
      collect() {
        this.reset();
        this.inc(logStats()?.failedWrites ?? 0);
      },
    });
    new Gauge({
      name: "pairlift_log_queue_rows",
      help: "Query log rows waiting to be written",
      registers,
      collect() {
        this.set(logStats()?.queued ?? 0);
      },
    });
  }

  /** Where the query log's counters read from at scrape time: the log's stats(). */
  logStatsFrom(source: () => LogStats | undefined): void {
    this.logStats = source;
  }

  /** Where the embedding gauges read from at scrape time: the serving pipelines' stats(). */
  embeddingStatsFrom(source: () => Map<string, EmbeddingStats>): void {
    this.embedding = source;
  }

  /** Records one search's total and per-stage timings. */
  observeSearch(pipeline: string, timingsMs: Readonly<Record<string, number>>, tookMs: number) {
    this.searchSeconds.observe(tookMs / 1000, pipeline);
    for (const stage in timingsMs)
      this.stageSeconds.observe(timingsMs[stage]! / 1000, pipeline, stage);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
