import type { Stats } from 'node:fs';

interface Pending {
  readonly signature: string;
  readonly since: number;
}

/**
 * Decides when a file written in place by another program is complete: its identity (inode, size,
 * mtime) must be seen unchanged on two observations at least `quietPeriodMs` apart. Any change
 * restarts the wait, so a writer that pauses for less than the quiet period is never cut short.
 */
export class WriteCompletionTracker {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly quietPeriodMs: number, private readonly now: () => number = Date.now) {}

  /** The identity of a file version, as compared between observations. */
  static signatureOf(stats: Stats): string {
    return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
  }

  /** Records an observation; a new or changed file starts (or restarts) its quiet period. */
  observe(key: string, stats: Stats): void {
    const signature = WriteCompletionTracker.signatureOf(stats);
    if (this.pending.get(key)?.signature !== signature) this.pending.set(key, { signature, since: this.now() });
  }

  /** Stops tracking a key (announced, deleted, or known already). */
  forget(key: string): void {
    this.pending.delete(key);
  }

  /** Every key being tracked. */
  keys(): string[] {
    return [...this.pending.keys()];
  }

  /** The keys whose last observed version has been unchanged for the quiet period, with that version's signature. */
  due(): { key: string; signature: string }[] {
    const now = this.now();
    return [...this.pending].filter(([, p]) => now - p.since >= this.quietPeriodMs).map(([key, p]) => ({ key, signature: p.signature }));
  }
}
