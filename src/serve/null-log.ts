import { randomBytes } from "node:crypto";
import { formatQueryId, type LogStats, type ServeLog } from "./query-log.js";

/**
 * A query log that keeps nothing (`pairlift serve --no-log`): searches still get ids, nothing is
 * written, and feedback finds no query to attach to. For measuring what the log costs, and for
 * deployments that log elsewhere (a proxy's access log).
 */
export class NullLog implements ServeLog {
  private readonly tag = randomBytes(3).toString("hex").slice(0, 5);
  private seq = 0;
  private dropped = 0;

  nextQueryId(ts: number): string {
    return formatQueryId({
      ts: Math.max(0, Math.trunc(ts)),
      session: 0,
      seq: this.seq++,
      tag: this.tag,
    });
  }

  logQuery(): void {
    this.dropped += 1;
  }

  logAlert(): void {
    this.dropped += 1;
  }

  logShadowRun(): void {
    this.dropped += 1;
  }

  has(): boolean {
    return false;
  }

  logFeedback(): number {
    return 0;
  }

  prune(): void {}

  stats(): LogStats {
    return { queued: 0, written: 0, dropped: this.dropped, failedWrites: 0, flushes: 0 };
  }

  close(): void {}
}
