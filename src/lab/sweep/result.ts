/**
 * What the sweep measures for one configuration (one line of results.jsonl), and the latency
 * summary it carries.
 */
import { percentile } from "../../eval/latency.js";
import type { ScoredSet } from "../../eval/judged-report.js";
import type { FusionSpec } from "../../fusion/fuse.js";
import type { LabConfiguration } from "./grid.js";

export const RESULT_FORMAT = "pairlift-lab-result-1";

export interface StageSummary {
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  meanMs: number;
}

export interface LatencyResult extends StageSummary {
  /** Queries run before timing started (not in the percentiles). */
  warmupQueries: number;
  /** Timed queries. */
  queries: number;
  /**
   * Per stage: `retrieve` (the first stage as a whole) and its parts `lexical`, `embed:<e>`,
   * `dense:<e>`; then `fusion`, `features` (learned reranker), `rerank`.
   */
  stages: Record<string, StageSummary>;
}

/** A query set's scores: what `eval` reports for it (judged@10 on its own, as eval has it). */
export type SetResult = ScoredSet;

export interface ConfigurationResult extends SetResult {
  format: typeof RESULT_FORMAT;
  /** SHA-256 of the sweep's fingerprint and the id: resume skips a configuration with a known key. */
  key: string;
  id: string;
  configuration: LabConfiguration;
  /** The fusion actually used (a tuned one resolved to its spec); undefined for one retriever. */
  fusion: FusionSpec | undefined;
  /** The reranker's model file (learned) or config block name. */
  rerankerSource: string | undefined;
  probe: SetResult | undefined;
  latency: LatencyResult;
  /** Single-stream throughput: 1000 / mean end-to-end ms. */
  throughputQps: number;
  /** Bytes on disk of what the configuration searches: BM25 index, documents, each embedder's vectors. */
  index: { bytes: number; parts: Record<string, number> };
  /** The lab process after this configuration ran (shared by every configuration of the run). */
  memory: { rssBytes: number; heapUsedBytes: number };
  /**
   * Estimated tokens sent per query to each hosted embedder or reranker (characters ÷ 4,
   * rounded up per text), averaged over the timed queries; empty for offline configurations.
   */
  tokensPerQuery: Record<string, number>;
  /** Identities of the models this configuration ran: embedders, and a trained reranker's file. */
  models: Record<string, unknown>;
  /** Hosted components this configuration calls (priced or not). */
  hosted: string[];
  degradedQueries: number;
  /** Wall time of this configuration (warm-up, timed queries, probe set). */
  seconds: number;
  finishedAt: string;
}

/** Summarises per-query timing records; `total` is the end-to-end time. */
export function summarizeLatency(
  timings: ReadonlyArray<Readonly<Record<string, number>>>,
  warmupQueries: number,
): LatencyResult {
  const samples = new Map<string, number[]>();
  for (const record of timings) {
    for (const [stage, ms] of Object.entries(record)) {
      let list = samples.get(stage);
      if (list === undefined) samples.set(stage, (list = []));
      list.push(ms);
    }
  }
  const summarize = (values: readonly number[]): StageSummary => {
    const sorted = Float64Array.from(values).sort();
    const round = (ms: number): number => Math.round(ms * 1000) / 1000;
    const mean = sorted.reduce((sum, ms) => sum + ms, 0) / Math.max(1, sorted.length);
    return {
      p50Ms: round(percentile(sorted, 50)),
      p95Ms: round(percentile(sorted, 95)),
      p99Ms: round(percentile(sorted, 99)),
      meanMs: round(mean),
    };
  };
  const stages: Record<string, StageSummary> = {};
  for (const [stage, values] of samples) if (stage !== "total") stages[stage] = summarize(values);
  return {
    ...summarize(samples.get("total") ?? []),
    warmupQueries,
    queries: timings.length,
    stages,
  };
}

/** Estimated tokens of a text: characters ÷ 4, rounded up (no provider reports its count here). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
