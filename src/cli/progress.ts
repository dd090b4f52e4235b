import cliProgress from "cli-progress";
import type { CliIO } from "./io.js";

export interface Progress {
  update: (done: number) => void;
  stop: () => void;
}

/** A progress bar on an interactive stderr; silent otherwise (CI logs stay readable). */
export function startProgress(io: CliIO, label: string, total: number): Progress {
  if (!io.interactive || total < 2_000) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | {speed}/s | eta {eta}s`,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  bar.start(total, 0, { speed: 0 });
  return {
    update: (done) =>
      bar.update(Math.min(done, total), {
        speed: Math.round(done / ((performance.now() - started) / 1000)),
      }),
    stop: () => bar.stop(),
  };
}

/** One bar per stage of a multi-stage job (`embed:use`, `queries`, …); the index stage is silent. */
export function stagedProgress(io: CliIO): {
  onProgress: (stage: string, done: number, total: number) => void;
  stop: () => void;
} {
  let progress: Progress | undefined;
  let current = "";
  return {
    onProgress: (stage, done, total) => {
      if (stage === "index") return;
      if (stage !== current) {
        progress?.stop();
        progress = startProgress(io, stage, total);
        current = stage;
      }
      progress?.update(done);
    },
    stop: () => progress?.stop(),
  };
}
