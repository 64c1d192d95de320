import { parseContract } from '../contracts/contract-violation-error';
import { TableCrawledEventSchema } from '../contracts/domain-events';
import { StageId } from '../events/stage-ids';
import { QueryState, runQuery } from './ports/query-engine';
import { runStage } from './stage-kit/run-stage';
import { bindDatasetStatement, queryFailedError } from './stage-kit/dataset-sql';
import { stageLogger } from './stage-kit/stage-logger';
import { declareNeeds, type DepsOf } from './stage-needs';

/** The ports and access this stage needs: all it is handed, and what its role is granted on AWS. */
export const needs = declareNeeds({ catalog: 'read', query: 'ddl', runs: true, publisher: true });
type Deps = DepsOf<typeof needs>;

const logger = stageLogger(StageId.PublishViews);
/** The Glue table type of a view (Athena's `CREATE VIEW`). */
const VIRTUAL_VIEW = 'VIRTUAL_VIEW';
const STAGE = StageId.PublishViews;

/**
 * The name of the view a `CREATE [OR REPLACE] VIEW [db.]name` statement makes (lowercase, as the
 * catalog keeps it), after any leading comments; undefined when the text is not such a statement.
 * The name is the statement's, not the file's (`views/current_jams.sql` makes `traffic_current_jams`).
 */
export function viewNameOf(sql: string): string | undefined {
  const body = sql.replace(/^(\s*(--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/))*\s*/, '');
  const name = /^CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+(?:(?:"[^"]+"|[^\s."]+)\s*\.\s*)*("([^"]+)"|([A-Za-z0-9_$]+))/i.exec(body);
  const text = name?.[2] ?? name?.[3];
  return text?.toLowerCase();
}

/**
 * (Re)publishes a dataset's views (`sql/<dataset>/views/*.sql`, each a `CREATE OR REPLACE VIEW`)
 * after a crawl of its refined zone (`TableCrawled`, zone `refined`): the event says the refined table
 * is catalogued, so in a fresh home the views are first published once their table exists, ordered
 * by the events rather than by retries. Later crawls republish a view only when they added columns
 * to a table it names, or the view is missing from the catalog (a first publication that failed), so publication costs
 * nothing per file once the views stand; a changed view file is republished by replaying the
 * dataset's `TableCrawled` events to rule `refined-publish-views`. Views are replaced whole, so
 * duplicates and replays are harmless. A failed view is still retryable (a catalog that lags its
 * announcement on AWS).
 */
export async function handler(event: unknown, deps: Deps): Promise<void> {
  let dataset: string | undefined;
  await runStage(deps, () => ({ stage: STAGE, ...(dataset ? { dataset } : {}) }), async () => {
    const detail = parseContract(TableCrawledEventSchema, event, 'TableCrawled event').detail;
    dataset = detail.dataset;
    const found = await deps.datasets.getDataset(dataset);
    const database = `${deps.topology.names.resourcePrefix}_refined`;
    for (const view of found?.views ?? []) {
      // Nothing for the view to see anew: the crawl added no columns to a table it names, and it is published.
      const changed = detail.schemaChanged.some((c) => new RegExp(`\\b${c.table.replace(/[^a-z0-9_]/gi, '')}\\b`, 'i').test(view.sql));
      if (!changed && (await deps.catalog.getTable(database, viewNameOf(view.sql) ?? view.name))?.TableType === VIRTUAL_VIEW) continue;
      const execution = await runQuery(deps.query, {
        QueryString: bindDatasetStatement(view, deps.topology),
        WorkGroup: deps.topology.readWorkgroup,
        QueryExecutionContext: { Database: database },
      });
      if (execution.Status.State !== QueryState.Succeeded) throw queryFailedError(execution, view, `view ${view.name} of ${dataset}`, { retryable: true, catalogMayLag: true });
      logger.info('view published', { dataset, view: view.name });
    }
  });
}
