/**
 * Counts work in progress (appends, queued and in-flight deliveries, scheduled retries, journal
 * writes, running replays) so the bus can say whether it is quiescent and let callers await that.
 */
export class ActivityTracker {
  private count = 0;
  private waiters: Array<() => void> = [];

  /** Marks one unit of work as started. */
  begin(units = 1): void {
    this.count += units;
  }

  /** Marks one unit of work as finished; wakes waiters when nothing is left. */
  end(units = 1): void {
    this.count -= units;
    if (this.count <= 0) {
      this.count = 0;
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    }
  }

  /** Runs `work` as one unit of activity. */
  async track<T>(work: Promise<T>): Promise<T> {
    this.begin();
    try {
      return await work;
    } finally {
      this.end();
    }
  }

  /** Whether no work is in progress. */
  get idle(): boolean {
    return this.count === 0;
  }

  /** The number of units in progress. */
  get pending(): number {
    return this.count;
  }

  /** Resolves once no work is in progress (immediately when idle now). */
  whenIdle(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
