import { duckDbSizeBytes } from '../../emulators/duckdb/bounded-duckdb';

/**
 * Watches the process's resident memory against the bound `up` was given (`TRIBUTARY_MEMORY`): every
 * `intervalMs` it samples it, keeps the peak, and says on stderr (`report`) when it first goes above the
 * bound and again only after it has come back under, so a steady excess is one line, not one per sample.
 */
export class MemoryWatch {
  private readonly timer: NodeJS.Timeout | undefined;
  private above = false;
  private peakBytes = 0;

  constructor(
    private readonly bound: string,
    intervalMs: number,
    private readonly report: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
    private readonly rss: () => number = () => process.memoryUsage.rss(),
  ) {
    if (intervalMs > 0) {
      this.timer = setInterval(() => this.sample(), intervalMs);
      this.timer.unref();
    }
  }

  /** The highest resident memory sampled so far (bytes). */
  get peak(): number {
    return this.peakBytes;
  }

  /** Takes one sample now. */
  sample(): void {
    const bytes = this.rss();
    this.peakBytes = Math.max(this.peakBytes, bytes);
    const limit = duckDbSizeBytes(this.bound);
    if (bytes > limit && !this.above) {
      this.report(`tributary up: resident memory ${(bytes / 1e6).toFixed(0)} MB is above TRIBUTARY_MEMORY=${this.bound}; raise it, or lower the engines' limits (see the README's memory table)`);
    }
    this.above = bytes > limit;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
