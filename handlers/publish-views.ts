import { parseContract } from '../contracts/contract-violation-error';
import { TableCrawledEventSchema } from '../contracts/domain-events';
import { StageId } from '../events/stage-ids';
import { QueryState, runQuery } from './ports/query-engine';
import { runStage } from './stage-kit/run-stage';
import { queryFailedError } from './stage-kit/dataset-sql';
import { stageLogger } from './stage-kit/stage-logger';
import type { StageDeps } from './stage-deps';

const logger = stageLogger(StageId.PublishViews);
const STAGE = StageId.PublishViews;

/**
 * (Re)publishes a dataset's views (`sql/<dataset>/views/*.sql`, each a `CREATE OR REPLACE VIEW`)
 * after a crawl of its refined zone (`TableCrawled`, zone `refined`): the event says the refined table
 * is catalogued, so in a fresh home the views are first published once their table exists, ordered
 * by the events rather than by retries, and again after each refined crawl (new columns). Views are
 * replaced whole, so duplicates and replays are harmless. A failed view is still retryable (a
 * catalog that lags its announcement on AWS).
 */
export async function handler(event: unknown, deps: StageDeps): Promise<void> {
  let dataset: string | undefined;
  await runStage(deps, () => ({ stage: STAGE, ...(dataset ? { dataset } : {}) }), async () => {
    dataset = parseContract(TableCrawledEventSchema, event, 'TableCrawled event').detail.dataset;
    const found = await deps.datasets.getDataset(dataset);
    for (const view of found?.views ?? []) {
      const execution = await runQuery(deps.query, {
        QueryString: view.sql.trim().replace(/;\s*$/, ''),
        WorkGroup: deps.topology.readWorkgroup,
        QueryExecutionContext: { Database: `${deps.topology.names.resourcePrefix}_refined` },
      });
      if (execution.Status.State !== QueryState.Succeeded) throw queryFailedError(execution, view, `view ${view.name} of ${dataset}`, { retryable: true, catalogMayLag: true });
      logger.info('view published', { dataset, view: view.name });
    }
  });
}
