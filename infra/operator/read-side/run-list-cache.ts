import type { RunStore, RunSummary } from '../../../handlers/ports/run-store';
import { allRuns } from '../../../handlers/stage-kit/all-runs';

/**
 * Every run of a run store, newest first, kept in memory for a long-lived reader (the console), so a
 * filtered page of 10,000 runs costs a filter over an array instead of a full read of the store.
 * `get` answers from the last snapshot and starts one background re-read when it is older than
 * `maxAgeMs` (stale-while-revalidate): a page is at most one re-read behind the store. The first
 * `get` (or `warm`) waits for the first read.
 */
export class RunListCache {
  private snapshot: { runs: readonly RunSummary[]; at: number } | undefined;
  private reading: Promise<readonly RunSummary[]> | undefined;

  constructor(
    private readonly runs: Pick<RunStore, 'listRuns'>,
    private readonly options: { maxAgeMs?: number; now?: () => number } = {},
  ) {}

  /** Starts the first read without waiting for it (errors surface on the next `get`). */
  warm(): void {
    void this.read().catch(() => undefined);
  }

  /** The runs as of the last read (starting a re-read if that is stale); waits only when none was read yet. */
  async get(): Promise<readonly RunSummary[]> {
    const now = (this.options.now ?? Date.now)();
    if (this.snapshot === undefined) return this.read();
    if (now - this.snapshot.at > (this.options.maxAgeMs ?? 2000)) void this.read().catch(() => undefined);
    return this.snapshot.runs;
  }

  private read(): Promise<readonly RunSummary[]> {
    this.reading ??= (async () => {
      try {
        const at = (this.options.now ?? Date.now)();
        const runs = await allRuns(this.runs);
        this.snapshot = { runs, at };
        return runs;
      } finally {
        this.reading = undefined;
      }
    })();
    return this.reading;
  }
}
