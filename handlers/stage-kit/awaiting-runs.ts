import { IndexedRunStates, type RunStore, type RunSummary } from '../ports/run-store';

/** True when a run is registered (register-landing succeeded, nothing later yet): it waits for a raw crawl. */
export function awaitsRawCrawl(run: RunSummary): boolean {
  return run.lastStage === IndexedRunStates.AwaitingRawCrawl.stage && run.lastStatus === IndexedRunStates.AwaitingRawCrawl.status;
}

/**
 * The runs of a dataset that a raw crawl started at `crawlStart` covers: registered and landed
 * before the crawl began, so their files were listed. Read from the run store's index of waiting
 * runs, so it costs the same however many runs the home keeps. Runs landed after the crawl began are
 * left for the follow-up crawl their own request triggers.
 */
export async function runsAwaitingCrawl(runs: RunStore, dataset: string, crawlStart: string): Promise<RunSummary[]> {
  return (await runs.listRunsIn(dataset, IndexedRunStates.AwaitingRawCrawl)).filter((run) => run.landedAt <= crawlStart);
}
