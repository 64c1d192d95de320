import { parseContract } from '../contracts/contract-violation-error';
import { RefinedWrittenEventSchema } from '../contracts/domain-events';
import { StageId } from '../events/stage-ids';
import { QueryState, runQuery } from './ports/query-engine';
import { runStage } from './stage-kit/run-stage';
import { bindDatasetStatement, queryFailedError } from './stage-kit/dataset-sql';
import { stageLogger } from './stage-kit/stage-logger';
import type { StageDeps } from './stage-deps';

const logger = stageLogger(StageId.PublishViews);
const STAGE = StageId.PublishViews;

/**
 * (Re)publishes a dataset's views (`sql/<dataset>/views/*.sql`, each a `CREATE OR REPLACE VIEW`)
 * after its refined table changed. Views are replaced whole, so duplicates and replays are harmless.
 * A view that fails because the refined table is not catalogued yet (the refined crawl runs beside
 * this stage) is retried by the bus.
 */
export async function handler(event: unknown, deps: StageDeps): Promise<void> {
  let dataset: string | undefined;
  await runStage(deps, () => ({ stage: STAGE, ...(dataset ? { dataset } : {}) }), async () => {
    dataset = parseContract(RefinedWrittenEventSchema, event, 'RefinedWritten event').detail.dataset;
    const found = await deps.datasets.getDataset(dataset);
    for (const view of found?.views ?? []) {
      const execution = await runQuery(deps.query, {
        QueryString: bindDatasetStatement(view, deps.topology),
        WorkGroup: deps.topology.readWorkgroup,
        QueryExecutionContext: { Database: `${deps.topology.names.resourcePrefix}_refined` },
      });
      if (execution.Status.State !== QueryState.Succeeded) throw queryFailedError(execution, view, `view ${view.name} of ${dataset}`, { retryable: true, catalogMayLag: true });
      logger.info('view published', { dataset, view: view.name });
    }
  });
}
