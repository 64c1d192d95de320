import { CatalogPage } from './catalog-page';
import { DeadLettersPage } from './dead-letters-page';
import { EventsPage } from './events-page';
import { ForecastsPage } from './forecasts-page';
import type { PageEntry } from './page-entry';
import { PipelinePage } from './pipeline-page';
import { RunsPage } from './runs-page';
import { SqlPage } from './sql-page';

/**
 * The console's pages, in nav order: one file per page (`<name>-page.tsx`), one entry here. The
 * shell draws the nav from this list and routes `#/<path>[/<sub-path>]` to the component.
 */
export const pages: readonly PageEntry[] = [
  { path: 'pipeline', title: 'Pipeline', component: PipelinePage },
  { path: 'runs', title: 'Runs', component: RunsPage },
  { path: 'events', title: 'Events', component: EventsPage },
  { path: 'dead-letters', title: 'Dead letters', component: DeadLettersPage },
  { path: 'catalog', title: 'Catalog', component: CatalogPage, awsNote: 'The console of the deployed stack has no catalog source: see the stack\'s Glue databases in the Glue console.' },
  { path: 'sql', title: 'SQL', component: SqlPage, awsNote: 'The console of the deployed stack does not run SQL: query the lake with Athena in the stack\'s workgroup.' },
  { path: 'forecasts', title: 'Forecasts', component: ForecastsPage, awsNote: 'The console of the deployed stack has no forecast source: query the forecast tables with Athena.' },
];
