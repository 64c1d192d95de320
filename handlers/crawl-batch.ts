import { ScheduledEventSchema } from '../contracts/aws-events';
import { parseContract } from '../contracts/contract-violation-error';
import { datasetOfBatchRule } from '../events/rules';
import { StageId } from '../events/stage-ids';
import { IndexedRunStates } from './ports/run-store';
import { startPendingCrawl } from './stage-kit/crawls';
import { runStage } from './stage-kit/run-stage';
import { PoisonInputError } from './stage-kit/stage-error';
import { stageLogger } from './stage-kit/stage-logger';
import { declareNeeds, type DepsOf } from './stage-needs';

/** The ports and access this stage needs: all it is handed, and what its role is granted on AWS. */
export const needs = declareNeeds({ catalog: 'read', crawler: true, runs: true, publisher: true });
type Deps = DepsOf<typeof needs>;

const logger = stageLogger(StageId.CrawlBatch);
const STAGE = StageId.CrawlBatch;

/**
 * One tick of a batch-triggered dataset: requests one raw crawl (coalesced, as request-crawl does)
 * when some of its runs are registered and wait for one. That crawl covers every run landed before it
 * starts, so its `TableCrawled` starts one refine over all of them; a tick that finds no run waiting
 * starts nothing (no crawl is billed). Duplicate ticks only re-set the crawl flag.
 */
export async function crawlBatch(dataset: string, tickAt: string, deps: Deps): Promise<{ waiting: number; outcome: 'started' | 'busy' | 'idle' | 'nothing-waiting' }> {
  const waiting = (await deps.runs.listRunsIn(dataset, IndexedRunStates.AwaitingRawCrawl)).length;
  if (waiting === 0) return { waiting, outcome: 'nothing-waiting' };
  await deps.runs.markCrawlPending(dataset, 'raw', tickAt);
  return { waiting, outcome: await startPendingCrawl(deps, dataset, 'raw') };
}

/** The Lambda-shaped entry: a `Scheduled Event` of a dataset's batch trigger rule (`<prefix>-batch-<dataset>`). */
export async function handler(event: unknown, deps: Deps): Promise<void> {
  let dataset: string | undefined;
  await runStage(deps, () => ({ stage: STAGE, ...(dataset !== undefined ? { dataset, zone: 'raw' as const } : {}) }), async () => {
    const tick = parseContract(ScheduledEventSchema, event, 'Scheduled Event');
    dataset = tick.resources.map((arn) => datasetOfBatchRule(deps.topology.names, arn)).find((d) => d !== undefined);
    if (dataset === undefined) throw new PoisonInputError(`crawl-batch: no batch trigger rule (${deps.topology.names.resourcePrefix}-batch-<dataset>) among the event's resources ${JSON.stringify(tick.resources)}`);
    const result = await crawlBatch(dataset, tick.time, deps);
    logger.info('batch tick', { dataset, tick: tick.time, ...result });
  });
}
