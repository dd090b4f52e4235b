/**
 * A test hook for crash safety: with `PAIRLIFT_CRASH_AT=<name>` in the environment, the process
 * kills itself with SIGKILL (no cleanup, no `finally`, as a power cut or `kill -9` would) when
 * it reaches the named point of a write. Without the variable it costs one property read.
 * The points of an index update are listed in ARCHITECTURE.md ("Index directories").
 */
export function crashPoint(name: string): void {
  if (process.env["PAIRLIFT_CRASH_AT"] === name) process.kill(process.pid, "SIGKILL");
}
