import type { RunSummary } from '../ports/run-store';
import type { StageDeps } from '../stage-deps';
import { forEachLimited } from './for-each-limited';

/** Deferrals in flight at once (one conditional write each). */
const IN_FLIGHT = 16;
/** How long a deferral is kept: long past the next crawl and any retry of the announcement that made it. */
const DEFER_SECONDS = 7 * 24 * 3600;

/**
 * Of the runs a finished crawl found waiting whose folder it did not register as a partition (the
 * crawl did not read their objects: their object events reached its queue after it took its snapshot),
 * keeps those this crawl may leave to the next crawl: one idempotent record per run (key = run id)
 * names the first crawl that deferred it. That crawl (and a retry of its announcement) gets them back;
 * a later crawl, which started after the run's event was queued and so read its folder, gets the
 * others — runs whose object still lies in no partition, which it must fail rather than defer again.
 */
export async function deferUncoveredRuns(deps: Pick<StageDeps, 'idempotency'>, runs: readonly RunSummary[], crawl: string): Promise<{ deferred: RunSummary[]; overdue: RunSummary[] }> {
  const defer = deps.idempotency.makeIdempotent((input: { runId: string; crawl: string }) => Promise.resolve(input.crawl), { name: 'announce-crawl-defer', keyPath: 'runId', expiresAfterSeconds: DEFER_SECONDS });
  const mine = runs.map(() => false);
  await forEachLimited(runs, IN_FLIGHT, async (run, index) => {
    mine[index] = (await defer({ runId: run.runId, crawl })) === crawl;
  });
  return { deferred: runs.filter((_, i) => mine[i]), overdue: runs.filter((_, i) => !mine[i]) };
}
