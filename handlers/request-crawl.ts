import { parseDomainEvent, type DomainEvent } from '../contracts/domain-events';
import { StageId } from '../events/stage-ids';
import { startPendingCrawl } from './stage-kit/crawls';
import { markStageSpan } from './stage-kit/mark-stage-span';
import type { CrawledZone } from './stage-kit/naming';
import { runStage } from './stage-kit/run-stage';
import { PoisonInputError } from './stage-kit/stage-error';
import { stageLogger } from './stage-kit/stage-logger';
import { declareNeeds, type DepsOf } from './stage-needs';

/** The ports and access this stage needs: all it is handed, and what its role is granted on AWS. */
export const needs = declareNeeds({ catalog: 'read', crawler: true, runs: true, publisher: true });
type Deps = DepsOf<typeof needs>;

const logger = stageLogger(StageId.RequestCrawl);
const STAGE = StageId.RequestCrawl;

/** Which zone an announcement asks to crawl: a landing → raw, refined data → refined, a forecast → forecast. */
function crawlRequestOf(event: DomainEvent): { dataset: string; zone: CrawledZone; runIds: string[] } {
  switch (event['detail-type']) {
    case 'RawLanded':
      return { dataset: event.detail.dataset, zone: 'raw', runIds: [event.detail.runId] };
    case 'RefinedWritten':
      return { dataset: event.detail.dataset, zone: 'refined', runIds: event.detail.runIds };
    case 'ForecastReady':
      return { dataset: event.detail.dataset, zone: 'forecast', runIds: event.detail.runIds };
    default:
      throw new PoisonInputError(`request-crawl does not handle ${event['detail-type']} events`);
  }
}

/** True when the dataset's manifest declares a batch trigger: its raw crawl runs on the schedule (crawl-batch), not per landing. */
async function batchTriggered(deps: Deps, dataset: string): Promise<boolean> {
  return (await deps.datasets.getDataset(dataset))?.manifest.trigger !== undefined;
}

/**
 * Requests a crawl of the zone an announcement wrote to, coalesced per dataset and zone: the request
 * is remembered, and a crawl starts only if the crawler is idle (see startPendingCrawl). Duplicates
 * only re-set the flag, so no idempotency record is needed. A landing of a batch-triggered dataset
 * requests nothing: the dataset's next tick (crawl-batch) crawls for every run landed since.
 */
export async function handler(event: unknown, deps: Deps): Promise<void> {
  let request: { dataset: string; zone: CrawledZone; runIds: string[] } | undefined;
  await runStage(deps, () => ({ stage: STAGE, ...(request ? { dataset: request.dataset, zone: request.zone, runIds: request.runIds } : {}) }), async () => {
    const startedAt = deps.clock().toISOString();
    request = crawlRequestOf(parseDomainEvent(event));
    if (request.zone === 'raw' && (await batchTriggered(deps, request.dataset))) {
      logger.info('landing of a batch-triggered dataset: its raw crawl waits for the next tick', { dataset: request.dataset, runIds: request.runIds });
      return;
    }
    await deps.runs.markCrawlPending(request.dataset, request.zone, deps.clock().toISOString());
    const outcome = await startPendingCrawl(deps, request.dataset, request.zone);
    // The raw crawl's request is a step of each landing's chain (the refined and forecast ones are not).
    if (request.zone === 'raw') await markStageSpan(deps.runs, logger, { stage: STAGE, runIds: request.runIds, startedAt, endedAt: deps.clock().toISOString() });
    logger.info('crawl requested', { dataset: request.dataset, zone: request.zone, outcome, runIds: request.runIds });
  });
}
