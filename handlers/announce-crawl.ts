import { GlueCrawlerStateChangeEventSchema } from '../contracts/aws-events';
import { CrawlerState } from './ports/crawler';
import { parseContract } from '../contracts/contract-violation-error';
import { DomainDetailType, type Partition } from '../contracts/domain-events';
import { StageId } from '../events/stage-ids';
import { addedColumns } from './stage-kit/added-columns';
import { runsAwaitingCrawl } from './stage-kit/awaiting-runs';
import { claimCrawledRuns } from './stage-kit/claim-crawled-runs';
import { startPendingCrawl } from './stage-kit/crawls';
import { databaseOf, parseCrawlerName, type CrawledZone } from './stage-kit/naming';
import { runStage } from './stage-kit/run-stage';
import { DependencyError, PoisonInputError } from './stage-kit/stage-error';
import { reportFailure } from './stage-kit/report-failure';
import { awaitsPartition, splitByCoverage } from './stage-kit/table-coverage';
import { deferUncoveredRuns } from './stage-kit/defer-uncovered-runs';
import type { GluePartition, GlueTable } from './ports/catalog';
import type { RunSummary } from './ports/run-store';
import { stageLogger } from './stage-kit/stage-logger';
import { transitionRuns } from './stage-kit/transition-runs';
import { publishOrRetry } from './stage-kit/publish-or-retry';
import { declareNeeds, type DepsOf } from './stage-needs';

/** The ports and access this stage needs: all it is handed, and what its role is granted on AWS. */
export const needs = declareNeeds({ catalog: 'read', crawler: true, runs: true, idempotency: true, publisher: true });
type Deps = DepsOf<typeof needs>;

const logger = stageLogger(StageId.AnnounceCrawl);
const STAGE = StageId.AnnounceCrawl;

/**
 * Turns a finished crawl of one of our crawlers into `TableCrawled` — the table, its partitions,
 * the columns the crawl added to each of its tables (read from the catalog's table versions, the
 * same on Glue and locally), and (for the raw zone) the runs the crawl covered: those landed before
 * it started whose objects lie in a partition (a run whose new folder the crawl did not register is
 * left to the next crawl, see `coverageOf`) — then honours any
 * crawl requested meanwhile. A failed crawl is a `StageFailed`; the pending request still gets its
 * crawl. Each run is named once: by the first crawl to claim it (`claimCrawledRuns`), whatever the
 * overlap of announcements. The runs are marked crawled only after the announcement is out, so a
 * crash between the two re-announces the same runs (the retry holds the same claims; refine is
 * idempotent on its runs) instead of losing them.
 */
export async function handler(event: unknown, deps: Deps): Promise<void> {
  let target: { dataset: string; zone: CrawledZone } | undefined;
  await runStage(deps, () => ({ stage: STAGE, ...(target ? { dataset: target.dataset, zone: target.zone } : {}) }), async () => {
    const parsed = parseContract(GlueCrawlerStateChangeEventSchema, event, 'Glue Crawler State Change event');
    const detail = parsed.detail;
    target = parseCrawlerName(deps.topology, detail.crawlerName, await deps.datasets.listDatasets());
    if (!target) {
      logger.info('ignoring a crawler that is not ours', { crawlerName: detail.crawlerName });
      return;
    }
    const { dataset, zone } = target;
    let failure: { error: unknown } | undefined;
    try {
      if (detail.state === 'Failed') throw new DependencyError(`crawler ${detail.crawlerName} failed: ${detail.errorMessage}`, { retryable: false });
      // One crawler run, the same on every delivery of its event (the event's time is the run's end).
      if (detail.state === 'Succeeded') await announce(deps, dataset, zone, detail.crawlerName, `${detail.crawlerName}@${detail.completionDate ?? parsed.time}`);
    } catch (error) {
      failure = { error };
    }
    // The pending request gets its crawl whatever this crawl's outcome; one owed to a crawler still stopping is retried.
    await honourPendingCrawl(deps, dataset, zone, detail.crawlerName);
    if (failure) throw failure.error;
  });
}

/**
 * Starts the crawl requested while this one ran. The crawler's end event is the only thing on AWS
 * that starts it, and AWS does not document that GetCrawler says READY by the time the event
 * arrives: while it still says STOPPING (or the start is refused as running though it says READY)
 * the delivery fails as retryable, so the rule's retry policy delivers the event again and that
 * delivery starts the crawl (the announcement it repeats is keyed by the crawl: refine and forecast
 * do their work once). A crawler RUNNING again runs a later crawl, whose own end event starts the
 * pending one.
 */
async function honourPendingCrawl(deps: Deps, dataset: string, zone: CrawledZone, crawlerName: string): Promise<void> {
  if ((await startPendingCrawl(deps, dataset, zone)) !== 'busy') return;
  if (!(await deps.runs.getPendingCrawl(dataset, zone))) return;
  const state = (await deps.crawler.getCrawler(crawlerName))?.State;
  if (state === CrawlerState.Running) return;
  throw new DependencyError(`crawler ${crawlerName} is ${state ?? 'gone'} after its crawl ended, so the crawl requested meanwhile cannot start yet; retrying`, { retryable: true });
}

async function announce(deps: Deps, dataset: string, zone: CrawledZone, crawlerName: string, crawl: string): Promise<void> {
  const database = databaseOf(deps.topology, zone);
  const crawler = await deps.crawler.getCrawler(crawlerName);
  const crawlStart = crawler?.LastCrawl?.StartTime ?? deps.clock().toISOString();
  const waiting = zone === 'raw' ? await runsAwaitingCrawl(deps.runs, dataset, crawlStart) : [];
  const table = await deps.catalog.getTable(database, dataset);
  if (!table) {
    // Runs whose files were listed yet made no table would otherwise wait for a refine forever.
    await failUncatalogued(deps, dataset, await claimCrawledRuns(deps, waiting, crawl), () => `the raw crawl made no table ${database}.${dataset} of the dataset's folder`);
    logger.info('crawl found no table yet', { dataset, zone });
    return;
  }
  const keys = table.PartitionKeys.map((k) => k.Name);
  const catalogPartitions = await deps.catalog.getPartitions(database, dataset);
  const partitions: Partition[] = catalogPartitions.map((p) => Object.fromEntries(keys.map((k, i) => [k, p.Values[i] ?? ''])));
  const { covered, invisible, deferred } = await coverageOf(deps, table, catalogPartitions, waiting, crawl);
  if (deferred.length > 0) {
    // The crawl did not read these runs' new folders: the next crawl does, and names them.
    await deps.runs.markCrawlPending(dataset, zone, deps.clock().toISOString());
    logger.info('runs left to the next crawl: their folders are not partitions yet', { dataset, zone, runIds: deferred.map((r) => r.runId) });
  }
  await failUncatalogued(deps, dataset, invisible, (run) =>
    `s3://${run.object.bucket}/${run.object.key} lies in no partition of ${database}.${dataset} (partition keys ${keys.join(', ')}), so no query reads it: ` +
    `drop the file again with \`tributary drop FILE --dataset ${dataset}\` (laid out by arrival hour) or under the same folder depth as the dataset's other files`,
  );
  const runIds = covered.map((r) => r.runId);
  // The refined crawler also catalogues the dataset's rejects table (see ensureCrawler's targets).
  const schemaChanged = await addedColumns(deps.catalog, database, zone === 'refined' ? [dataset, `${dataset}_rejects`] : [dataset], crawlStart);
  await publishOrRetry(deps.publisher, [
    { detailType: DomainDetailType.TableCrawled, detail: { schemaVersion: 1, zone, dataset, database, table: table.Name, partitions, schemaChanged, crawlerName, runIds, crawl } },
  ]);
  const at = deps.clock().toISOString();
  // The announcement's work was the crawl's: the runs' step starts when the crawl that covered them did.
  await transitionRuns(deps.runs, runIds, STAGE, 'succeeded', at, Date.parse(crawlStart) <= Date.parse(at) ? new Date(crawlStart).toISOString() : undefined);
  logger.info('table crawled', { dataset, zone, partitions: partitions.length, runIds: runIds.length, ...(schemaChanged.length > 0 ? { schemaChanged } : {}) });
}

/**
 * Sorts the runs waiting for a raw crawl by what the crawl did for them, and claims (claimCrawledRuns)
 * those it names or fails. `covered`: their objects lie in a partition. `deferred`: their folder, at
 * the table's partition depth, is no partition yet — the crawl did not read it (the run's object event
 * reached the crawler's queue after the crawl's snapshot), so the run is not this crawl's and waits for
 * the next one. `invisible`: their objects lie in no partition the crawl could make (the wrong depth),
 * or the next crawl, which did read their folder, still made none; each must fail loudly.
 */
async function coverageOf(deps: Deps, table: GlueTable, catalogPartitions: readonly GluePartition[], waiting: readonly RunSummary[], crawl: string): Promise<{ covered: RunSummary[]; invisible: RunSummary[]; deferred: RunSummary[] }> {
  const { visible, invisible } = splitByCoverage(table, catalogPartitions, waiting);
  const unread = invisible.filter((run) => awaitsPartition(table, run));
  const misplaced = invisible.filter((run) => !awaitsPartition(table, run));
  const { deferred, overdue } = await deferUncoveredRuns(deps, unread, crawl);
  const claimed = new Set((await claimCrawledRuns(deps, [...visible, ...misplaced, ...overdue], crawl)).map((r) => r.runId));
  return { covered: visible.filter((r) => claimed.has(r.runId)), invisible: [...misplaced, ...overdue].filter((r) => claimed.has(r.runId)), deferred };
}

/** Fails, one `StageFailed` each, the runs whose objects the crawl could not put in the dataset's table (input: the file's key layout). */
async function failUncatalogued(deps: Deps, dataset: string, runs: readonly RunSummary[], why: (run: RunSummary) => string): Promise<void> {
  for (const run of runs) {
    await reportFailure(deps, { stage: STAGE, dataset, zone: 'raw', runId: run.runId, object: { bucket: run.object.bucket, key: run.object.key, etag: run.object.etag, size: run.object.size } }, new PoisonInputError(why(run)));
  }
}
