import type { RunStore, RunSummary } from '../ports/run-store';
import { allRuns } from './all-runs';

/** True when a run is registered (register-landing succeeded, nothing later yet): it waits for a raw crawl. */
export function awaitsRawCrawl(run: RunSummary): boolean {
  return run.lastStage === 'register-landing' && run.lastStatus === 'succeeded';
}

/**
 * The runs of a dataset that a raw crawl started at `crawlStart` covers: registered and landed
 * before the crawl began, so their files were listed.
 *
 * Scans the run listing (newest first); on the embedded default that is a few thousand items at most.
 * Runs landed after the crawl began are left for the follow-up crawl their own request triggers.
 */
export async function runsAwaitingCrawl(runs: RunStore, dataset: string, crawlStart: string): Promise<RunSummary[]> {
  return (await allRuns(runs)).filter((run) => run.dataset === dataset && run.landedAt <= crawlStart && awaitsRawCrawl(run)).sort((a, b) => a.runId.localeCompare(b.runId));
}
