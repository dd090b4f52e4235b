import { formatDuration } from "./format.js";
import type { CliIO } from "./io.js";

export interface Progress {
  update: (done: number) => void;
  stop: () => void;
}

/** Redraws of a terminal line, at most this often. */
const REDRAW_MS = 100;
/** Without a terminal (CI logs), a line at most this often, and none for a shorter stage. */
const LINE_EVERY_MS = 10_000;
/** No rate or estimate before this much of a stage has run: the first items say little. */
const ESTIMATE_AFTER_MS = 1_000;
const BAR_WIDTH = 24;

/**
 * Seconds left at the stage's average rate so far (items done / time since the stage began).
 * A rate over a window of recent updates swings by orders of magnitude when items finish in
 * bursts (a batch of embeddings, then a pause); the whole stage's average does not.
 */
export function secondsLeft(done: number, total: number, elapsedMs: number): number | undefined {
  if (total <= 0 || done <= 0 || done >= total || elapsedMs < ESTIMATE_AFTER_MS) return undefined;
  return ((total - done) * elapsedMs) / done / 1000;
}

function count(value: number): string {
  return value.toLocaleString("en-US");
}

function rate(done: number, elapsedMs: number): string {
  const perSecond = done / (elapsedMs / 1000);
  return `${perSecond >= 10 ? count(Math.round(perSecond)) : perSecond.toFixed(1)}/s`;
}

/** `label [████░░░░] 45% 1,234/2,742 · 310/s · about 5 s left` (unknown total: a count). */
export function progressLine(
  label: string,
  done: number,
  total: number,
  elapsedMs: number,
): string {
  const parts = [label];
  if (total > 0) {
    const fraction = Math.min(1, done / total);
    const filled = Math.round(fraction * BAR_WIDTH);
    parts.push(
      `[${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}] ${Math.floor(fraction * 100)}% ${count(done)}/${count(total)}`,
    );
  } else {
    parts.push(count(done));
  }
  if (elapsedMs >= ESTIMATE_AFTER_MS && done > 0) parts.push(`· ${rate(done, elapsedMs)}`);
  const left = secondsLeft(done, total, elapsedMs);
  if (left !== undefined) parts.push(`· about ${formatDuration(left)} left`);
  return parts.join(" ");
}

/**
 * Progress of one stage on stderr. On a terminal: one line redrawn in place and cleared at the
 * end. Otherwise (CI logs): nothing for a stage shorter than 10 s, then a line every 10 s and
 * one when it ends, so logs stay short. `total` 0 means unknown (a count, no estimate).
 */
export function startProgress(
  io: CliIO,
  label: string,
  total: number,
  now: () => number = () => performance.now(),
): Progress {
  const started = now();
  let lastShown = started;
  let drawn = false;
  let printed = false;
  let latest = 0;
  return {
    update: (done) => {
      latest = done;
      const at = now();
      if (io.interactive) {
        if (drawn && at - lastShown < REDRAW_MS && done !== total) return;
        io.stderr(`\r\x1b[2K${progressLine(label, done, total, at - started)}`);
        drawn = true;
      } else {
        if (at - lastShown < LINE_EVERY_MS) return;
        io.stderr(`${progressLine(label, done, total, at - started)}\n`);
        printed = true;
      }
      lastShown = at;
    },
    stop: () => {
      if (drawn) io.stderr("\r\x1b[2K");
      else if (printed)
        io.stderr(
          `${label} ${count(latest)}${total > 0 ? `/${count(total)}` : ""} done in ${formatDuration((now() - started) / 1000)}\n`,
        );
      drawn = false;
      printed = false;
    },
  };
}

/**
 * One progress line per stage of a multi-stage job (`index`, `embed:use`, `queries`, `trees`…):
 * what eval, compare, tune-fusion and train-reranker show while they work.
 */
export function stagedProgress(
  io: CliIO,
  now: () => number = () => performance.now(),
): {
  onProgress: (stage: string, done: number, total: number) => void;
  stop: () => void;
} {
  let progress: Progress | undefined;
  let current = "";
  return {
    onProgress: (stage, done, total) => {
      if (stage !== current) {
        progress?.stop();
        progress = startProgress(io, stage, total, now);
        current = stage;
      }
      progress?.update(done);
    },
    stop: () => progress?.stop(),
  };
}
