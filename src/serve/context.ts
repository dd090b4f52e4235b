import type { ServeConfig } from "./config.js";
import type { Generation } from "./generation.js";
import type { ConcurrencyLimit } from "./limits.js";
import type { ServeMetrics } from "./metrics.js";
import type { MonitorHub } from "./monitors/hub.js";
import type { ServeLog } from "./query-log.js";
import type { ShadowRunner } from "./shadow.js";

export interface ReloadReport {
  generation: number;
  previous: number | undefined;
  index: string;
  documents: number;
  pipelines: string[];
  /** Whether the previous generation drained before it was closed (false: closed on time-out). */
  drained: boolean;
  tookMs: number;
}

/** What the routes share: settings, the current generation, and the observability sinks. */
export interface ServeContext {
  settings: ServeConfig;
  metrics: ServeMetrics;
  monitors: MonitorHub;
  log: ServeLog;
  shadow: ShadowRunner;
  limit: ConcurrencyLimit;
  /** The generation new requests use; undefined while loading or once shut down. */
  current(): Generation | undefined;
  /** "loading", "ready" or "closing". */
  phase(): "loading" | "ready" | "closing";
  reload(): Promise<ReloadReport>;
  /** The admin bearer token; admin routes are disabled without one. */
  adminToken: string | undefined;
  now(): number;
  /** The /metrics text: this process's registry, or the cluster's merged one (`--workers`). */
  metricsText(): Promise<string>;
}
