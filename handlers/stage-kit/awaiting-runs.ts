import type { RunStore, RunSummary } from '../ports/run-store';

/**
 * The runs of a dataset that a raw crawl started at `crawlStart` covers: registered (register-landing
 * succeeded, nothing later yet) and landed before the crawl began, so their files were listed.
 *
 * Scans the run listing (newest first); on the embedded default that is a few thousand items at most.
 * Runs landed after the crawl began are left for the follow-up crawl their own request triggers.
 */
export async function runsAwaitingCrawl(runs: RunStore, dataset: string, crawlStart: string): Promise<RunSummary[]> {
  const found: RunSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await runs.listRuns({ limit: 500, ...(cursor ? { cursor } : {}) });
    for (const run of page.runs) {
      if (run.dataset !== dataset || run.landedAt > crawlStart) continue;
      if (run.lastStage === 'register-landing' && run.lastStatus === 'succeeded') found.push(run);
    }
    cursor = page.cursor;
  } while (cursor);
  return found.sort((a, b) => a.runId.localeCompare(b.runId));
}
