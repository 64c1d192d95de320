/** One observation of work done: when (ms since the epoch), and how much, in any unit that only grows. */
export interface ProgressSample {
  readonly at: number;
  readonly done: number;
}

/**
 * The rate of work over a sliding window of samples: units per second from the oldest sample still in
 * the window to the newest. A window (default 60 s) follows a pipeline that speeds up or stalls, while
 * the whole run's average would not; before two samples span any time there is no rate.
 */
export class RateWindow {
  private readonly samples: ProgressSample[] = [];

  constructor(private readonly windowMs = 60_000) {}

  /** Adds a sample; samples older than the window are dropped but the newest of them, kept as the base (so the rate spans at least the window once it can). */
  add(sample: ProgressSample): void {
    this.samples.push(sample);
    while (this.samples.length > 2 && (this.samples[1]?.at ?? sample.at) <= sample.at - this.windowMs) this.samples.shift();
  }

  /** Units per second over the window; undefined until two samples span time. Work that went back (a recount) counts as none. */
  rate(): number | undefined {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (first === undefined || last === undefined || last.at <= first.at) return undefined;
    return (Math.max(0, last.done - first.done) * 1000) / (last.at - first.at);
  }
}

/**
 * Milliseconds until `remaining` units are done at `ratePerSecond`: 0 when nothing remains, undefined
 * when there is no rate yet or nothing moved in the window (no honest estimate then).
 */
export function etaMs(remaining: number, ratePerSecond: number | undefined): number | undefined {
  if (remaining <= 0) return 0;
  if (ratePerSecond === undefined || !(ratePerSecond > 0)) return undefined;
  return (remaining / ratePerSecond) * 1000;
}
