import type { PipelineResult } from "../../pipeline/pipeline.js";
import type { OpenIndex } from "../../store/index-store.js";

/** Every kind of alert the online monitors raise; each is a label of pairlift_monitor_alerts_total. */
export const ALERT_TYPES = [
  "identifier_miss",
  "zero_results",
  "low_rerank_confidence",
  "path_disagreement",
  "latency_budget",
  "degraded",
  "negative_feedback",
] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

/** What a monitor found, before the hub stamps it with time and query. */
export interface Finding {
  message: string;
  detail?: Record<string, unknown>;
}

export interface Alert extends Finding {
  type: AlertType;
  ts: number;
  queryId?: string;
  pipeline?: string;
  query?: string;
}

/** One answered search, as the monitors see it. */
export interface SearchObservation {
  queryId: string;
  query: string;
  pipeline: string;
  k: number;
  result: PipelineResult;
  tookMs: number;
  /** The index that answered: its vocabulary and stored documents. */
  index: OpenIndex;
}

/** A check run on every answered search; it must be cheap (it runs on the request path). */
export interface SearchMonitor {
  readonly type: AlertType;
  check(observation: SearchObservation): Finding | undefined;
}
