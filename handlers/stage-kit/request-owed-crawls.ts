import type { StageDeps } from '../stage-deps';
import type { CatalogReader } from '../stage-needs';
import { IndexedRunStates } from '../ports/run-store';
import { startPendingCrawl } from './crawls';

/** The ports this module's calls use. */
type KitDeps = Pick<StageDeps, 'crawler' | 'topology' | 'datasets' | 'runs'> & { readonly catalog: CatalogReader };

/**
 * Requests again the raw crawl of every dataset with runs registered and waiting for one. A crawl
 * request is a flag that starting a crawl clears before it starts the crawler (so a later request
 * gets a follow-up); a crash between the two loses the request. Run state still says which runs
 * wait, so the process that takes a home over after a crash asks again; a crawl that was not lost
 * only gains a follow-up. Batch-triggered datasets are left to their next tick. Returns the datasets it asked for.
 */
export async function requestOwedCrawls(deps: KitDeps): Promise<string[]> {
  const waiting = new Set<string>();
  for (const dataset of await deps.datasets.listDatasets()) if ((await deps.runs.listRunsIn(dataset, IndexedRunStates.AwaitingRawCrawl)).length > 0) waiting.add(dataset);
  for (const dataset of waiting) {
    // A batch-triggered dataset's runs wait for its next tick, which requests their crawl.
    if ((await deps.datasets.getDataset(dataset).catch(() => undefined))?.manifest.trigger !== undefined) {
      waiting.delete(dataset);
      continue;
    }
    await deps.runs.markCrawlPending(dataset, 'raw');
    await startPendingCrawl(deps, dataset, 'raw');
  }
  return [...waiting];
}
