import type { RunSummary } from '../ports/run-store';
import type { StageDeps } from '../stage-deps';
import { forEachLimited } from './for-each-limited';

/** Claims in flight at once (one conditional write each, latency-bound). */
const IN_FLIGHT = 16;
/** How long a claim is kept: long past any retry of the announcement that made it. */
const CLAIM_SECONDS = 7 * 24 * 3600;

/**
 * Keeps, of the runs a finished crawl found waiting, those this crawl is the first to announce: one
 * idempotent claim per run (the idempotency store's conditional write, key = run id) records the crawl
 * that took it. Another crawl's announcement gets that crawl back and leaves the run out, so each run
 * is named by exactly one `TableCrawled` however announcements overlap (a short follow-up crawl can
 * finish while the previous one is still being announced); a retry of the same announcement (same
 * `crawl`, e.g. after a crash before it published) gets its own claims back and names them again.
 * `crawl` identifies one crawler run, the same on every delivery of its event.
 */
export async function claimCrawledRuns(deps: Pick<StageDeps, 'idempotency'>, runs: readonly RunSummary[], crawl: string): Promise<RunSummary[]> {
  const claim = deps.idempotency.makeIdempotent((input: { runId: string; crawl: string }) => Promise.resolve(input.crawl), { name: 'announce-crawl-claim', keyPath: 'runId', expiresAfterSeconds: CLAIM_SECONDS });
  const mine = runs.map(() => false);
  await forEachLimited(runs, IN_FLIGHT, async (run, index) => {
    mine[index] = (await claim({ runId: run.runId, crawl })) === crawl;
  });
  return runs.filter((_, index) => mine[index]);
}
