import type { MonitorSettings } from "../config.js";
import type { ServeMetrics } from "../metrics.js";
import type { FeedbackSignal, ServeLog } from "../query-log.js";
import { degradedMonitor } from "./degraded.js";
import { identifierMissMonitor } from "./identifier-miss.js";
import { latencyBudgetMonitor } from "./latency-budget.js";
import { lowRerankConfidenceMonitor } from "./low-rerank-confidence.js";
import { NegativeFeedbackMonitor, type FeedbackRate } from "./negative-feedback.js";
import { pathDisagreementMonitor } from "./path-disagreement.js";
import {
  ALERT_TYPES,
  type Alert,
  type AlertType,
  type SearchMonitor,
  type SearchObservation,
} from "./types.js";
import { zeroResultsMonitor } from "./zero-results.js";

/** The window entry of a search that raised nothing (most of them): shared, not allocated. */
const NO_ALERTS: readonly AlertType[] = Object.freeze([]);

export interface MonitorReport {
  /** Searches observed since the server started. */
  searches: number;
  /** Alerts since the server started, by type. */
  counts: Record<AlertType, number>;
  /** Share of the last `window` searches that raised each type. */
  rates: { window: number; searches: number; byType: Partial<Record<AlertType, number>> };
  feedback: FeedbackRate;
  /** Newest first. */
  recent: Alert[];
}

/**
 * Runs every search monitor on each answered search and the feedback monitor on each feedback
 * event; counts alerts in /metrics, logs them in SQLite, and keeps the recent ones for /monitor.
 */
export class MonitorHub {
  private readonly searchMonitors: SearchMonitor[];
  private readonly feedbackMonitor: NegativeFeedbackMonitor;
  private readonly recent: Alert[] = [];
  private readonly counts = Object.fromEntries(ALERT_TYPES.map((type) => [type, 0])) as Record<
    AlertType,
    number
  >;
  /** The alert types of the last `rateWindow` searches, as a ring. */
  private readonly window: (readonly AlertType[])[] = [];
  private windowNext = 0;
  private searches = 0;

  constructor(
    private readonly settings: MonitorSettings,
    private readonly sinks: {
      metrics?: ServeMetrics;
      log?: Pick<ServeLog, "logAlert">;
      now?: () => number;
    } = {},
  ) {
    this.searchMonitors = [
      identifierMissMonitor(),
      zeroResultsMonitor(settings.scoreFloors),
      lowRerankConfidenceMonitor(settings.rerankFloor),
      pathDisagreementMonitor({
        overlap: settings.disagreementOverlap,
        margin: settings.disagreementMargin,
        strength: settings.disagreementStrength,
      }),
      latencyBudgetMonitor(settings.latencyBudgetMs),
      degradedMonitor(),
    ];
    this.feedbackMonitor = new NegativeFeedbackMonitor({
      windowMs: settings.feedbackWindowMinutes * 60_000,
      minEvents: settings.feedbackMinEvents,
      rate: settings.negativeFeedbackRate,
    });
    for (const type of ALERT_TYPES) this.sinks.metrics?.alerts.inc({ type }, 0);
  }

  /** Checks one answered search; returns the alerts it raised. */
  observeSearch(observation: SearchObservation): Alert[] {
    const ts = this.now();
    const raised: Alert[] = [];
    for (const monitor of this.searchMonitors) {
      const finding = monitor.check(observation);
      if (finding === undefined) continue;
      raised.push({
        type: monitor.type,
        ts,
        queryId: observation.queryId,
        pipeline: observation.pipeline,
        query: observation.query,
        ...finding,
      });
    }
    this.searches += 1;
    const types = raised.length === 0 ? NO_ALERTS : raised.map((alert) => alert.type);
    if (this.window.length < this.settings.rateWindow) this.window.push(types);
    else this.window[this.windowNext] = types;
    this.windowNext = (this.windowNext + 1) % this.settings.rateWindow;
    for (const alert of raised) this.record(alert);
    return raised;
  }

  /** Counts one feedback event towards the negative-feedback rate. */
  observeFeedback(signal: FeedbackSignal, queryId: string): Alert | undefined {
    const ts = this.now();
    const finding = this.feedbackMonitor.observe(signal, ts);
    if (finding === undefined) return undefined;
    const alert: Alert = { type: this.feedbackMonitor.type, ts, queryId, ...finding };
    this.record(alert);
    return alert;
  }

  report(): MonitorReport {
    const byType: Partial<Record<AlertType, number>> = {};
    for (const types of this.window)
      for (const type of new Set(types)) byType[type] = (byType[type] ?? 0) + 1;
    for (const type of Object.keys(byType) as AlertType[]) byType[type]! /= this.window.length;
    return {
      searches: this.searches,
      counts: { ...this.counts },
      rates: { window: this.settings.rateWindow, searches: this.window.length, byType },
      feedback: this.feedbackMonitor.rate(this.now()),
      recent: [...this.recent].reverse(),
    };
  }

  private record(alert: Alert): void {
    this.counts[alert.type] += 1;
    this.recent.push(alert);
    if (this.recent.length > this.settings.recentAlerts) this.recent.shift();
    this.sinks.metrics?.alerts.inc({ type: alert.type });
    this.sinks.log?.logAlert({
      ts: alert.ts,
      type: alert.type,
      message: alert.message,
      ...(alert.queryId === undefined ? {} : { queryId: alert.queryId }),
      ...(alert.pipeline === undefined ? {} : { pipeline: alert.pipeline }),
    });
  }

  private now(): number {
    return (this.sinks.now ?? Date.now)();
  }
}
