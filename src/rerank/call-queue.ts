/**
 * At most `limit` calls run at once; the others wait their turn in arrival order. A waiting call
 * whose signal fires leaves the queue at once with the signal's reason, so an abandoned query
 * does not hold up the ones behind it (a query whose budget ran out gives up its place).
 *
 * Rerankers use one per instance so that a burst of queries cannot flood a model or an API:
 * onnxruntime already spreads one forward pass over every core, and a hosted API rate-limits.
 */
export class CallQueue {
  private active = 0;
  private readonly waiting: Array<{ start: () => void }> = [];
  private readonly idleWaiters: Array<() => void> = [];

  constructor(readonly limit: number) {}

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (this.active < this.limit) this.active += 1;
    else await this.turn(signal);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  /** Calls running or waiting now. */
  get pending(): number {
    return this.active + this.waiting.length;
  }

  /** Resolves once no call runs or waits. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Waits until a running call hands over its place (the count of active calls stays). */
  private turn(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const entry = {
        start: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(entry);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal!.reason);
        this.notifyIdle();
      };
      this.waiting.push(entry);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next !== undefined) next.start();
    else this.active -= 1;
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.pending > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
