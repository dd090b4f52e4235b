/** Where a command writes. Tests pass buffers; the real CLI passes process streams. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal, so progress bars are worth drawing. */
  interactive: boolean;
}

export const processIO: CliIO = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  interactive: process.stderr.isTTY === true,
};

/**
 * Ends the process quietly when the reader of stdout or stderr goes away (`pairlift search … |
 * head -1`): the rest of the output has nowhere to go, and Node would otherwise die on an
 * unhandled EPIPE with a stack trace.
 */
export function exitQuietlyOnBrokenPipe(exit: (code: number) => void = process.exit): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      exit(0);
    });
  }
}

/** Collects output in memory, for tests. */
export function bufferIO(): CliIO & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    stdout: (text) => void (out += text),
    stderr: (text) => void (err += text),
    interactive: false,
    out: () => out,
    err: () => err,
  };
}
