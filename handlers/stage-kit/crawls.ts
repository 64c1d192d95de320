import { CrawlerAlreadyExistsError, CrawlerRunningError, CrawlerState } from '../ports/crawler';
import type { StageDeps } from '../stage-deps';
import type { CatalogReader } from '../stage-needs';
import { CRAWLER_CONFIGURATION, CRAWLER_SCHEMA_CHANGE_POLICY, rawClassifiersOf } from './crawler-configuration';
import { crawlerNameOf, crawlPrefixesOf, databaseOf, type CrawledZone } from './naming';

/** The ports this module's calls use. */
type KitDeps = Pick<StageDeps, 'crawler' | 'topology' | 'datasets' | 'runs'> & { readonly catalog: CatalogReader };

/**
 * Creates the crawler of a dataset and zone if it does not exist (on AWS the stack creates them;
 * locally the first request does), and its database, with the pipeline's one crawler configuration
 * (`CRAWLER_CONFIGURATION`: one table per dataset folder; new columns added, never retyped), the raw
 * one in S3 event mode when the topology names its event queue.
 */
export async function ensureCrawler(deps: KitDeps, dataset: string, zone: CrawledZone): Promise<string> {
  const name = crawlerNameOf(deps.topology, dataset, zone);
  if (await deps.crawler.getCrawler(name)) return name;
  const database = databaseOf(deps.topology, zone);
  if (!(await deps.catalog.getDatabase(database))) {
    await deps.catalog.createDatabase({ Name: database, Description: `Tributary ${zone} zone` }).catch(async (err: unknown) => {
      if (!(await deps.catalog.getDatabase(database))) throw err;
    });
  }
  // A raw crawler classifies with the dataset's custom classifiers (JSON arrays, CSV dialect), if it has any.
  const manifest = zone === 'raw' ? (await deps.datasets.getDataset(dataset))?.manifest : undefined;
  const classifiers = manifest === undefined ? [] : rawClassifiersOf(manifest);
  // The raw zone gets object events (the refined zone's partition swaps are not announced): its crawls read only what changed.
  const queueArn = zone === 'raw' ? deps.topology.rawCrawlEventQueueArn?.(name) : undefined;
  try {
    await deps.crawler.createCrawler({
      Name: name,
      DatabaseName: database,
      Targets: { S3Targets: queueArn === undefined ? targetsOf(deps, dataset, zone) : targetsOf(deps, dataset, zone).map((t) => ({ ...t, EventQueueArn: queueArn })) },
      SchemaChangePolicy: CRAWLER_SCHEMA_CHANGE_POLICY,
      RecrawlPolicy: { RecrawlBehavior: queueArn === undefined ? 'CRAWL_EVERYTHING' : 'CRAWL_EVENT_MODE' },
      Configuration: CRAWLER_CONFIGURATION,
      ...(classifiers.length > 0 ? { Classifiers: classifiers } : {}),
    });
  } catch (err) {
    if (!(err instanceof CrawlerAlreadyExistsError)) throw err;
  }
  return name;
}

/** A dataset's tables in a zone: its own folder, and in the refined zone also its rejects table. */
function targetsOf(deps: KitDeps, dataset: string, zone: CrawledZone): { Path: string }[] {
  return crawlPrefixesOf(dataset, zone).map((prefix) => ({ Path: `s3://${deps.topology.buckets[zone]}/${prefix}` }));
}

/**
 * Starts a crawl if one was requested and the crawler is idle — the coalescing step.
 *
 * Requests only set a per dataset+zone flag (`markCrawlPending`) before calling this. The flag is
 * cleared (by version) *before* the start, so a request that arrives after the start sets a new flag
 * and gets a follow-up crawl when the running one ends (announce-crawl calls this again). A start
 * that finds the crawler running (`CrawlerRunningException`) puts the flag back: remembered, never
 * dropped. A burst of N landings therefore costs one crawl plus at most one follow-up.
 */
export async function startPendingCrawl(deps: KitDeps, dataset: string, zone: CrawledZone): Promise<'started' | 'busy' | 'idle'> {
  const pending = await deps.runs.getPendingCrawl(dataset, zone);
  if (!pending) return 'idle';
  const name = await ensureCrawler(deps, dataset, zone);
  const crawler = await deps.crawler.getCrawler(name);
  if (crawler && crawler.State !== CrawlerState.Ready) return 'busy';
  if (!(await deps.runs.clearPendingCrawl(dataset, zone, pending.version))) return 'busy';
  try {
    await deps.crawler.startCrawler(name);
    return 'started';
  } catch (err) {
    await deps.runs.markCrawlPending(dataset, zone);
    if (err instanceof CrawlerRunningError) return 'busy';
    throw err;
  }
}
