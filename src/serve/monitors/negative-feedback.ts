import type { FeedbackSignal } from "../query-log.js";
import type { Finding } from "./types.js";

export interface NegativeFeedbackSettings {
  windowMs: number;
  /** No verdict on fewer events than this: three bad clicks out of four say little. */
  minEvents: number;
  /** Alert when the negative share (bad, missing) reaches this. */
  rate: number;
}

export interface FeedbackRate {
  windowMs: number;
  events: number;
  negative: number;
  rate: number;
}

/**
 * The share of negative feedback (bad, missing) among the events of a sliding time window. It
 * alerts once when the share crosses the threshold and re-arms when it falls back below, so a
 * bad hour raises one alert rather than one per click.
 */
export class NegativeFeedbackMonitor {
  readonly type = "negative_feedback" as const;
  private events: { ts: number; negative: boolean }[] = [];
  /** Events before this index have left the window (dropped in bulk, not one shift at a time). */
  private head = 0;
  private negative = 0;
  private firing = false;

  constructor(private readonly settings: NegativeFeedbackSettings) {}

  observe(signal: FeedbackSignal, ts: number): Finding | undefined {
    const negative = signal === "bad" || signal === "missing";
    this.events.push({ ts, negative });
    if (negative) this.negative += 1;
    const current = this.rate(ts);
    const over = current.events >= this.settings.minEvents && current.rate >= this.settings.rate;
    if (!over) {
      this.firing = false;
      return undefined;
    }
    if (this.firing) return undefined;
    this.firing = true;
    return {
      message: `${current.negative} of the last ${current.events} feedback events are negative (${(current.rate * 100).toFixed(0)}% ≥ ${(this.settings.rate * 100).toFixed(0)}%)`,
      detail: { ...current },
    };
  }

  rate(now: number): FeedbackRate {
    const cutoff = now - this.settings.windowMs;
    while (this.head < this.events.length && this.events[this.head]!.ts < cutoff) {
      if (this.events[this.head]!.negative) this.negative -= 1;
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
    const events = this.events.length - this.head;
    return {
      windowMs: this.settings.windowMs,
      events,
      negative: this.negative,
      rate: events === 0 ? 0 : this.negative / events,
    };
  }
}
