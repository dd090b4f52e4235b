import type { ServingSet } from "./serving-set.js";

/**
 * A serving set with a count of the work using it. A reload switches new requests to the next
 * generation at once; the old one is closed only after its last search (or shadow run) ends.
 */
export class Generation {
  private active = 0;
  private waiters: (() => void)[] = [];

  constructor(
    readonly set: ServingSet,
    readonly number: number,
    readonly loadedAt: number,
  ) {}

  /** Marks one piece of work as using this generation; call the result when it ends. */
  enter(): () => void {
    this.active += 1;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.active -= 1;
      if (this.active === 0) for (const wake of this.waiters.splice(0)) wake();
    };
  }

  get inUse(): number {
    return this.active;
  }

  /** Resolves when nothing uses this generation, or after `timeoutMs`; true when drained. */
  drained(timeoutMs: number): Promise<boolean> {
    if (this.active === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((wake) => wake !== done);
        resolve(false);
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.waiters.push(done);
    });
  }
}
