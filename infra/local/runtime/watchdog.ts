import type { RunSummary } from '../../../handlers/ports/run-store';
import type { StageDeps } from '../../../handlers/stage-deps';
import { failStalledRuns } from '../../../handlers/stage-kit/fail-stalled-runs';

/**
 * The embedded default's watchdog: every `intervalMs` it fails the runs that wait on a stage past
 * that stage's deadline (a stuck part while others still run), and on demand, when the pipeline is
 * quiescent, every run not at the end of its chain. Checks never overlap; a failed check is reported
 * on stderr and retried at the next tick.
 */
export class Watchdog {
  private readonly timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: StageDeps,
    private readonly deadlineMs: (stage: string) => number,
    intervalMs: number,
  ) {
    if (intervalMs > 0) {
      this.timer = setInterval(() => void this.serial(() => failStalledRuns(this.deps, { deadlineMs: this.deadlineMs })).catch((err: unknown) => {
        process.stderr.write(`tributary: watchdog: ${err instanceof Error ? err.message : String(err)}\n`);
      }), intervalMs);
      this.timer.unref();
    }
  }

  /** Fails every run still in progress: the caller has seen the pipeline quiescent. */
  failIdleRuns(): Promise<RunSummary[]> {
    return this.serial(() => failStalledRuns(this.deps, { deadlineMs: this.deadlineMs, idle: true }));
  }

  /** Stops the periodic checks and waits for one in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.running.then(fn, fn);
    this.running = next.catch(() => undefined);
    return next;
  }
}
