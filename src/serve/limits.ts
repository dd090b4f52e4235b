/**
 * Limits that protect the server: how many searches run at once (beyond that a request is
 * refused with 429 rather than queued, so latency stays bounded), and how long one may take.
 */
export class ConcurrencyLimit {
  private running = 0;

  constructor(readonly max: number) {}

  /** A release function, or undefined when `max` searches are already running. */
  tryAcquire(): (() => void) | undefined {
    if (this.running >= this.max) return undefined;
    this.running += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
    };
  }

  get active(): number {
    return this.running;
  }
}

export type Timed<T> = { done: true; value: T } | { done: false };

/**
 * Waits for `work` at most `ms`. On time-out the work keeps running (a pipeline cannot be
 * interrupted mid-stage); callers keep their resources until `work` itself settles.
 */
export function within<T>(work: Promise<T>, ms: number): Promise<Timed<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Timed<T>>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), ms);
  });
  return Promise.race([work.then((value): Timed<T> => ({ done: true, value })), timeout]).finally(
    () => clearTimeout(timer),
  );
}
