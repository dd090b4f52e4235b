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

interface Pending {
  deadline: number;
  settled: boolean;
  expire: () => void;
}

const TIMED_OUT: Timed<never> = Object.freeze({ done: false });

/**
 * `within` for work that all waits the same `ms`, with one timer for all of it: entries expire in
 * the order they were added (equal waits), so the timer only ever waits for the oldest one still
 * running. A search costs an entry in a queue, not a timer set and cleared.
 */
export class Timeouts {
  private pending: Pending[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly ms: number) {}

  within<T>(work: Promise<T>): Promise<Timed<T>> {
    return new Promise<Timed<T>>((resolve, reject) => {
      const entry: Pending = {
        deadline: performance.now() + this.ms,
        settled: false,
        expire: () => resolve(TIMED_OUT),
      };
      this.dropSettled();
      this.pending.push(entry);
      this.timer ??= this.arm(entry.deadline);
      work.then(
        (value) => {
          if (entry.settled) return;
          entry.settled = true;
          resolve({ done: true, value });
        },
        (error: unknown) => {
          if (entry.settled) return;
          entry.settled = true;
          reject(error);
        },
      );
    });
  }

  private arm(deadline: number): NodeJS.Timeout {
    const timer = setTimeout(this.sweep, Math.max(0, deadline - performance.now()));
    timer.unref(); // a settled head must not hold the process open
    return timer;
  }

  private readonly sweep = (): void => {
    this.timer = undefined;
    const now = performance.now();
    for (; this.head < this.pending.length; this.head += 1) {
      const entry = this.pending[this.head]!;
      if (entry.settled) continue;
      if (entry.deadline > now) break;
      entry.settled = true;
      entry.expire();
    }
    this.dropSettled();
    const next = this.pending[this.head];
    if (next !== undefined) this.timer = this.arm(next.deadline);
  };

  /** Forgets finished entries at the front, and compacts the queue now and then. */
  private dropSettled(): void {
    while (this.head < this.pending.length && this.pending[this.head]!.settled) this.head += 1;
    if (this.head === this.pending.length) {
      this.pending.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
  }
}
